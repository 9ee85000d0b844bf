"""The profile per row: the row's facts packed into one integer key, and the profile
rules run once per distinct key."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from verbind.core.bulk.lookup import _lookup, _signed_type
from verbind.core.bulk.output import scale_column
from verbind.core.bulk.plan import _pair_index, _tmp, _Work
from verbind.core.bulk.problems import BulkInputError
from verbind.core.instrument import (
    Instrument,
)

PROFILE_COLUMNS = ("isolated", "duration_band", "profile", "route", "underlying_route")


@dataclass(frozen=True)
class _Component:
    """One part of a row's profile summary, as a digit of the row's key (0 = unknown).

    ``target`` says where the value goes in the :class:`~verbind.core.profile.InputSummary`:
    ``("verdict", inst)`` with values ``(meets_cutoff, level)``, ``("subscale", inst,
    scale)`` with the subscale's cut-off, ``("duration",)`` or ``("context", item)`` with
    option keys. ``digit(radix, dtype)`` is the row's term of the key: radix * (index + 1).
    """

    target: tuple[str, ...]
    values: tuple[Any, ...]
    digit: Callable[[int, pl.DataType], pl.Expr]


def _scale_component(
    work: _Work, inst: Instrument, scale, describe: Callable[[int, int | None], Any]
) -> tuple[tuple[Any, ...], Callable[[int, pl.DataType], pl.Expr]]:
    """A component read from a scale's value: ``describe(low, high)`` for every value in
    the scale's range (``high``: the value plus what unanswered items could add, None
    when nothing is unanswered), numbered by distinct description, as arithmetic on the
    value column (and the headroom column where the scale allows missing answers)."""
    bound = work.headroom_bound(inst, scale)
    pairs = [(v, h) for v in range(scale.min, scale.max + 1) for h in range(bound + 1)]
    described = [describe(v, v + h if h else None) for v, h in pairs]
    values = tuple(dict.fromkeys(described))
    index = [values.index(d) for d in described]
    if bound:
        col, offset, span = _pair_index(inst, scale, bound), 0, (0, len(pairs) - 1)
    else:
        col = pl.col(scale_column(inst, scale.id))
        offset, span = scale.min, (scale.min, scale.max)

    def digit(radix: int, dtype: pl.DataType) -> pl.Expr:
        table = [radix * (n + 1) for n in index]
        return _lookup(col, table, offset, span, pl.Int16, dtype).fill_null(0)

    return values, digit


def _profile_components(work: _Work, settings: Mapping[str, Any]) -> list[_Component]:
    from verbind.core import profile

    comps: list[_Component] = []
    by_id = {ic.instrument.id: ic for ic in work.found}
    for inst_id in profile.VERDICT_INSTRUMENTS:
        if inst_id not in by_id:
            continue
        inst = by_id[inst_id].instrument
        primary = inst.primary_scale
        if primary is None:
            continue

        def verdict(low: int, high: int | None, scale=primary) -> tuple[bool | None, str | None]:
            # The same reading of a value as scoring one person: band, cut-off, level,
            # "indeterminate" when unanswered items could cross a boundary.
            cutoff = scale.cutoff
            threshold = settings.get(cutoff.setting) if cutoff is not None else None
            reading = scale.read(low, high, threshold)
            return reading.meets_cutoff, reading.level

        values, digit = _scale_component(work, inst, primary, verdict)
        comps.append(_Component(("verdict", inst_id), values, digit))
        for sid in profile.LONELINESS_SUBSCALES:
            scale = inst.scales.get(sid)
            if scale is None or scale.cutoff is None:
                continue
            cut = scale.cutoff

            def meets(low: int, high: int | None, s=scale, c=cut) -> bool | None:
                return s.read(low, high, settings.get(c.setting)).meets_cutoff

            values, digit = _scale_component(work, inst, scale, meets)
            comps.append(_Component(("subscale", inst_id, sid), values, digit))
    duration_id, duration_item = profile.DURATION_ITEM
    answer_items = [(duration_id, duration_item, ("duration",))]
    if profile.CONTEXT_INSTRUMENT in by_id:
        context = by_id[profile.CONTEXT_INSTRUMENT].instrument
        answer_items += [(context.id, item.id, ("context", item.id)) for item in context.items]
    for inst_id, item_id, target in answer_items:
        plan = work.plans.get(inst_id, {}).get(item_id)
        if plan is None:
            continue
        inst = by_id[inst_id].instrument

        def answer_digit(radix: int, dtype: pl.DataType, plan=plan, inst=inst) -> pl.Expr:
            term = plan.map([radix * (n + 1) for n in range(len(plan.keys))], dtype)
            if plan.item.flags or not work.may_be_invalid(inst):
                # An item that can raise a flag counts on its own (safety first).
                return term.fill_null(0)
            # Otherwise an instrument with an answer we cannot read has no result for
            # the row (as in scoring one person): none of its answers count.
            return pl.when(work.inst_bad(inst)).then(0).otherwise(term.fill_null(0))

        comps.append(_Component(target, plan.keys, answer_digit))
    return comps


def _summary(comps: Sequence[_Component], digits: Sequence[int]):
    """The InputSummary of one key: the per-instrument facts, no rules."""
    from verbind.core.profile import InputSummary, ScaleVerdict

    verdicts: dict[str, dict[str, Any]] = {}
    duration = None
    context: dict[str, str] = {}
    for comp, digit in zip(comps, digits, strict=True):
        value = None if digit == 0 else comp.values[digit - 1]
        kind = comp.target[0]
        if kind == "verdict":
            meets, level = value if value is not None else (None, None)
            verdicts.setdefault(comp.target[1], {}).update(meets_cutoff=meets, level=level)
        elif kind == "subscale":
            verdicts.setdefault(comp.target[1], {})[comp.target[2]] = value
        elif kind == "duration":
            duration = value
        elif value is not None:
            context[comp.target[1]] = value
    return InputSummary(
        verdicts=tuple(
            (inst_id, ScaleVerdict(**{"meets_cutoff": None, **fields}))
            for inst_id, fields in verdicts.items()
        ),
        duration_answer=duration,
        context=context,
    )


@dataclass(frozen=True)
class _ProfileKey:
    """Mixed-radix code of a row's profile summary: one integer per row, so the distinct
    combinations are found by counting one column."""

    comps: tuple[_Component, ...]
    radices: tuple[int, ...]
    sizes: tuple[int, ...]
    space: int
    expr: pl.Expr
    name: str = _tmp("profile_key")

    @classmethod
    def for_instruments(cls, work: _Work, settings: Mapping[str, Any]) -> _ProfileKey | None:
        measures = {ic.instrument.measures for ic in work.found}
        if not measures & {"loneliness", "isolation", "duration"}:
            return None
        comps = tuple(_profile_components(work, settings))
        sizes = tuple(len(c.values) + 1 for c in comps)
        radices, r = [], 1
        for size in sizes:
            radices.append(r)
            r *= size
        if r >= 2**63:  # pragma: no cover - every instrument at once stays far below
            raise BulkInputError("too many profile inputs in one file")
        # Added up in the narrowest type that holds every key (no nulls: "+" is cheap).
        work = _signed_type(r)
        terms = [c.digit(k, work) for c, k in zip(comps, radices, strict=True)]
        expr = functools.reduce(operator.add, terms) if terms else pl.lit(0, work)
        return cls(comps, tuple(radices), sizes, r, expr)


def _profile_columns(
    keys: pl.Series, pkey: _ProfileKey, settings: Mapping[str, Any]
) -> tuple[list[pl.Series], pl.Series | None]:
    """isolated / duration_band / profile / route / underlying_route per row:
    :func:`verbind.core.profile.derive_inputs` and ``classify`` once per distinct key,
    the route as :func:`~verbind.core.profile.research_route` gives it. Also, when some
    row has neither loneliness nor isolation (no route), a boolean column saying where."""
    from verbind.core import profile

    codes = keys.rechunk().to_numpy()  # one buffer, no copy; keys are never null
    if pkey.space <= 1 << 20:
        # Small key space: which keys occur, by counting (no hashing, no sorting).
        distinct = np.flatnonzero(np.bincount(codes, minlength=pkey.space))
        if pkey.space <= 1 << 16:
            # The key indexes the result tables itself (keys are >= 0: same bits).
            index, slots = codes.astype(np.uint32, copy=False), distinct
        else:
            remap = np.zeros(pkey.space, dtype=np.uint32)
            remap[distinct] = np.arange(len(distinct), dtype=np.uint32)
            index, slots = remap[codes], np.arange(len(distinct))
    else:
        distinct, inverse = np.unique(codes, return_inverse=True)
        index, slots = inverse.astype(np.uint32), np.arange(len(distinct))
    radices = np.array(pkey.radices, dtype=np.int64)
    sizes = np.array(pkey.sizes, dtype=np.int64)
    digits = (distinct.astype(np.int64)[:, None] // radices[None, :]) % sizes[None, :]

    resolved = profile.resolved_settings(settings)
    size = int(slots[-1]) + 1 if len(slots) else 0
    out: dict[str, list[Any]] = {c: [None] * size for c in PROFILE_COLUMNS}
    no_data = [False] * size
    decided: dict[Any, Any] = {}
    for slot, row in zip(slots.tolist(), digits.tolist(), strict=True):
        inputs = profile.derive_inputs(_summary(pkey.comps, row), resolved)
        decision = decided.get(inputs)
        if decision is None:
            decision = decided[inputs] = profile.classify(inputs, resolved)
        out["isolated"][slot] = inputs.isolated
        out["duration_band"][slot] = decision.duration_band
        out["profile"][slot] = decision.quadrant
        out["route"][slot], out["underlying_route"][slot] = profile.research_route(inputs, decision)
        no_data[slot] = profile.nothing_measured(inputs)

    dtypes = {
        "isolated": pl.Boolean,
        "duration_band": pl.Enum(list(profile.DURATION_BANDS)),
        "profile": pl.Enum(list(profile.QUADRANTS)),
        "route": pl.Enum(list(profile.ROUTES)),
        "underlying_route": pl.Enum(list(profile.ROUTES)),
    }
    # A small table per column, indexed by the key: a gather, no hashing.
    frame = (
        pl.Series("key", index)
        .to_frame()
        .select(
            pl.lit(pl.Series(out[name], dtype=dtypes[name])).gather(pl.col("key")).alias(name)
            for name in PROFILE_COLUMNS
        )
    )
    mask = None
    if any(no_data):
        mask = (
            pl.Series("key", index)
            .to_frame()
            .select(pl.lit(pl.Series(no_data, dtype=pl.Boolean)).gather(pl.col("key")))
        )
        mask = mask.to_series().alias(NO_ROUTE_COLUMN)
    return frame.get_columns(), mask


NO_ROUTE_COLUMN = _tmp("no_route")
