"""Planning: each column's distinct values interpreted once, as a map to option
positions; and what the plans tell about the work columns of one run."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from verbind.core.bulk.codings import Coding, _ColumnResolver, _declared_allowed
from verbind.core.bulk.lookup import _code_in, _lookup
from verbind.core.bulk.mapping import InstrumentColumns, _item_option_keys
from verbind.core.bulk.output import scale_column
from verbind.core.instrument import (
    Instrument,
    Item,
)
from verbind.core.scoring import ScoringError, allowed_answers

# Integer columns whose codes span at most this many values are mapped through a dense
# lookup table (one gather, no hashing); wider ones through their distinct values.
_DENSE_RANGE = 4096


@dataclass
class _ColumnPlan:
    """How one file column maps to the item's options (by position in ``keys``).

    ``dense``: an integer column whose codes span ``span`` (min, max), mapped through a
    table indexed by ``code - offset``; otherwise the distinct values ``old`` map to
    ``positions`` through replace_strict.
    """

    item: Item
    column: str
    keys: tuple[str, ...]  # the item's option keys; position = index here
    allowed: str
    dtype: pl.DataType  # the file column's type
    invalid: pl.Expr | None = None  # True where the value could not be interpreted
    invalid_values: list[Any] = field(default_factory=list)
    dense: list[int | None] | None = None
    offset: int = 0
    span: tuple[int, int] = (0, 0)
    # Codes inside ``span`` with no option (invalid, or a coding that means missing).
    no_option: list[int] = field(default_factory=list)
    old: pl.Series | None = None
    positions: list[int] = field(default_factory=list)
    empty: bool = False  # every value missing
    nullable: bool = True  # some row may have no option (missing or invalid)

    def map(self, per_option: Sequence[int], dtype: pl.DataType) -> pl.Expr:
        """The column mapped to ``per_option[position]`` (whole numbers), as a signed
        integer type at least ``dtype``; null when the answer is missing or invalid."""
        col = pl.col(self.column)
        if self.empty:
            return pl.lit(None, dtype)
        if self.dense is not None:
            table = [None if p is None else per_option[p] for p in self.dense]
            expr = _lookup(col, table, self.offset, self.span, self.dtype, dtype)
            if self.no_option:
                # The formula is exact on codes with an option only: mask the others.
                expr = pl.when(_code_in(col, self.no_option, self.span).not_()).then(expr)
            return expr
        if self.old is None or not len(self.old):
            return pl.lit(None, dtype)
        new = pl.Series([per_option[p] for p in self.positions], dtype=dtype)
        return col.replace_strict(self.old, new, default=None, return_dtype=dtype)


def _column_stats(frame: pl.DataFrame, columns: Sequence[str]) -> dict[str, Any]:
    """One pass over the data: min/max of integer columns, distinct values of others."""
    exprs: list[pl.Expr] = []
    for col in columns:
        dtype = frame.schema[col]
        if dtype.is_integer():
            exprs += [
                pl.col(col).min().alias(f"{col}\0min"),
                pl.col(col).max().alias(f"{col}\0max"),
            ]
        elif dtype == pl.Null:
            continue
        else:
            exprs.append(pl.col(col).unique().implode().alias(f"{col}\0unique"))
    row = frame.select(exprs).row(0, named=True) if exprs else {}
    return row


def _plan_column(
    frame: pl.DataFrame,
    stats: Mapping[str, Any],
    inst: Instrument,
    item: Item,
    column: str,
    form: str | None,
    coding: Coding | None,
    labels: Mapping[Any, str] | None,
    decimal_comma: bool = False,
) -> _ColumnPlan:
    keys = _item_option_keys(inst, item)
    pos_of = {k: n for n, k in enumerate(keys)}
    resolver = _ColumnResolver(inst, item, form, coding, labels, decimal_comma)
    allowed = "; ".join(allowed_answers(inst, item, form))
    if resolver.declared_only:
        # The definition's codes do not apply to this file: list the codes it declared.
        allowed = _declared_allowed(inst, item, coding, labels) or allowed
    series = frame.get_column(column)
    dtype = series.dtype
    has_nulls = series.null_count() > 0  # known without a pass over the data

    def interpret(value: Any) -> tuple[int | None, bool]:
        try:
            key = resolver(value)
        except ScoringError:
            return None, True
        return (None if key is None else pos_of[key]), False

    col = pl.col(column)
    plan = _ColumnPlan(item, column, keys, allowed, dtype)
    if dtype == pl.Null:
        plan.empty = True
        return plan
    if dtype.is_integer():
        lo, hi = stats[f"{column}\0min"], stats[f"{column}\0max"]
        if lo is None:  # every value missing
            plan.empty = True
            return plan
        if hi - lo < _DENSE_RANGE:
            # Only the codes that occur between min and max are interpreted.
            table = [interpret(v) for v in range(lo, hi + 1)]
            plan.dense, plan.offset, plan.span = [p for p, _ in table], lo, (lo, hi)
            plan.no_option = [lo + n for n, (p, _) in enumerate(table) if p is None]
            bad = [lo + n for n, (_, b) in enumerate(table) if b]
            if bad:
                plan.invalid = _code_in(col, bad, plan.span)
                # Codes in the range that are invalid may not occur; the report lists real ones.
                plan.invalid_values = bad
            plan.nullable = has_nulls or bool(plan.no_option)
            return plan
        distinct = frame.select(col.unique()).to_series().to_list()
    else:
        distinct = stats[f"{column}\0unique"]
    table = {v: interpret(v) for v in distinct if v is not None}
    good = {v: p for v, (p, b) in table.items() if not b and p is not None}
    bad = [v for v, (_, b) in table.items() if b]
    plan.old = pl.Series(list(good), dtype=dtype)
    plan.positions = list(good.values())
    plan.nullable = has_nulls or len(good) < len(table)
    if bad:
        # NaN is never "bad" (it is missing), so is_in on the real values is exact.
        plan.invalid = col.is_in(pl.lit(pl.Series(bad, dtype=dtype)).implode()).fill_null(False)
        plan.invalid_values = bad
    return plan


def _tmp(*parts: str) -> str:
    # Internal work columns; the NUL byte keeps them apart from any real column name.
    return "\0" + "\0".join(parts)


def _points_dtype(points: Iterable[int]) -> pl.DataType:
    return pl.Int8 if all(-128 <= p <= 127 for p in points) else pl.Int32


@dataclass(frozen=True)
class _Work:
    """The plans of one scoring run, and what they tell about the work columns."""

    found: Sequence[InstrumentColumns]
    plans: Mapping[str, Mapping[str, _ColumnPlan]]
    decimal_comma: bool = False

    def value(self, inst: Instrument, item_id: str) -> pl.Expr:
        """Points (or option position) of an item; null literal for a column not in the file."""
        if item_id not in self.plans[inst.id]:
            return pl.lit(None, pl.Int8)
        return pl.col(_tmp("val", inst.id, item_id))

    def measures_loneliness_or_isolation(self) -> bool:
        """Whether the file holds a scale the profile reads loneliness or isolation from."""
        from verbind.core.profile import VERDICT_INSTRUMENTS

        return any(ic.instrument.id in VERDICT_INSTRUMENTS for ic in self.found)

    def may_be_invalid(self, inst: Instrument) -> bool:
        return any(p.invalid is not None for p in self.plans[inst.id].values())

    def inst_bad(self, inst: Instrument) -> pl.Expr:
        """True where an answer of the instrument could not be interpreted."""
        if not self.may_be_invalid(inst):
            return pl.lit(False)
        return pl.col(_tmp("inst_bad", inst.id))

    def missing_count(self, inst: Instrument, scale) -> pl.Expr | int:
        """Unanswered items of a scale per row (a column not in the file counts as
        unanswered); a plain number when no answer of the scale can be missing."""
        plans = self.plans[inst.id]
        absent = sum(1 for i in scale.items if i not in plans)
        can_miss = [i for i in scale.items if i in plans and plans[i].nullable]
        if not can_miss:
            return absent
        # when/then on literals and "+": far cheaper than summing booleans.
        one, zero = pl.lit(1, pl.Int16), pl.lit(0, pl.Int16)
        flags = [pl.when(self.value(inst, i).is_null()).then(one).otherwise(zero) for i in can_miss]
        total = functools.reduce(operator.add, flags)
        return total + absent if absent else total

    def headroom_bound(self, inst: Instrument, scale) -> int:
        """The most points the unanswered items of a row with a value could add to the
        scale (0 when the scale allows no missing answer or none can be missing)."""
        if not scale.max_missing:
            return 0
        count = self.missing_count(inst, scale)
        if isinstance(count, int) and count == 0:
            return 0
        maxima = sorted((max(inst.item(i).key.values()) for i in scale.items), reverse=True)  # type: ignore[union-attr]
        return sum(maxima[: scale.max_missing])

    def headroom(self, inst: Instrument, scale) -> pl.Expr:
        """Per row, the points the unanswered items could add (scoring.headroom_points):
        the highest points of each item that is missing or not in the file."""
        plans = self.plans[inst.id]
        top = {i: max(inst.item(i).key.values()) for i in scale.items}  # type: ignore[union-attr]
        absent = sum(top[i] for i in scale.items if i not in plans)
        zero = pl.lit(0, pl.Int16)
        terms = [
            pl.when(self.value(inst, i).is_null()).then(pl.lit(top[i], pl.Int16)).otherwise(zero)
            for i in scale.items
            if i in plans and plans[i].nullable
        ]
        total = functools.reduce(operator.add, terms) if terms else zero
        return total + pl.lit(absent, pl.Int16) if absent else total

    def nullable(self, inst: Instrument, item_id: str) -> bool:
        plan = self.plans[inst.id].get(item_id)
        return plan is not None and plan.nullable

    def missing_matters(self, inst: Instrument, scale) -> bool:
        """Whether some row may have too many answers missing for the scale."""
        count = self.missing_count(inst, scale)
        return not isinstance(count, int) or count > scale.max_missing


def _headroom(inst: Instrument, scale) -> str:
    return _tmp("headroom", inst.id, scale.id)


def _pair_index(inst: Instrument, scale, bound: int) -> pl.Expr:
    """(value - min) * (bound + 1) + headroom: one index per (value, headroom) pair."""
    value = pl.col(scale_column(inst, scale.id))
    if scale.min:
        value = value - scale.min
    return value * pl.lit(bound + 1, pl.Int16) + pl.col(_headroom(inst, scale))
