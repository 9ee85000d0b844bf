"""Scoring a frame: every instrument found, in one polars pass."""

from __future__ import annotations

import functools
import operator
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from verbind.core.bulk.checks import _reversed_pattern, _short_form_codes
from verbind.core.bulk.codings import UndeclaredCoding, undeclared_coding_message
from verbind.core.bulk.mapping import (
    ColumnMapping,
    InstrumentColumns,
    _coding_for,
    find_instruments,
)
from verbind.core.bulk.output import cutoff_column, level_column, scale_column
from verbind.core.bulk.plan import (
    _column_stats,
    _ColumnPlan,
    _headroom,
    _pair_index,
    _plan_column,
    _points_dtype,
    _tmp,
    _Work,
)
from verbind.core.bulk.problems import ERROR_SCHEMA, INDETERMINATE_LEVEL, NO_ROUTE, BulkInputError
from verbind.core.bulk.profile_key import PROFILE_COLUMNS, _profile_columns, _ProfileKey
from verbind.core.bulk.report import _collect_errors, _no_route_errors
from verbind.core.instrument import (
    INDETERMINATE,
    Instrument,
    registry,
)

Progress = Callable[[str, int, int], None]
# Called with a phase of scoring and its seconds (benchmarks only).
PhaseTimer = Callable[[str, float], None]


@dataclass
class BulkResult:
    """The scored frame plus everything a report needs."""

    frame: pl.DataFrame
    errors: pl.DataFrame
    instruments: tuple[InstrumentColumns, ...]
    result_columns: tuple[str, ...]
    rows: int
    scored_rows: int  # rows where every instrument present got a result
    unscored_rows: int  # rows where no instrument got a result
    invalid_rows: int  # rows with at least one answer that could not be interpreted
    incomplete_rows: int  # rows with too many missing answers (and no invalid answer)
    # Rows scored with a missing answer that leaves the level (or the cut-off) open.
    indeterminate_rows: int = 0
    # Rows with neither loneliness nor social isolation scored: no route (crisis help only
    # when the safety question says so). 0 without profile columns.
    no_route_rows: int = 0
    warnings: list[str] = field(default_factory=list)
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def anything_scored(self) -> bool:
        return self.rows > self.unscored_rows


def score_frame(
    frame: pl.DataFrame,
    mapping: ColumnMapping | None = None,
    *,
    value_labels: Mapping[str, Mapping[Any, str]] | None = None,
    progress: Progress | None = None,
    decimal_comma: bool = False,
    on_phase_done: PhaseTimer | None = None,
) -> BulkResult:
    """Score every instrument found in ``frame``; see the module docstring.

    ``decimal_comma``: the file writes numbers with the decimal comma (a Dutch Excel CSV,
    :attr:`Survey.dutch_excel`): a text cell ``"2,0"`` is code 2, as the number cells of
    such a file are, and unknown answers are reported as the file wrote them (``2,5``).

    ``on_phase_done``: for a benchmark, called with each phase's name (plan, pass,
    report, profile) and its seconds; scoring itself keeps no timings.
    """
    from verbind.core.profile import resolved_settings

    mapping = mapping or ColumnMapping()
    try:
        settings = dict(resolved_settings(mapping.settings))
    except ValueError as exc:
        raise BulkInputError(str(exc)) from exc
    labels = (value_labels or {}) if mapping.value_labels else {}
    found, warnings = find_instruments(frame.columns, mapping)
    if not found:
        examples = ", ".join(
            inst.column(inst.items[0].id) for inst in list(registry().values())[:4]
        )
        shown = ", ".join(frame.columns[:12]) + (" ..." if frame.width > 12 else "")
        raise BulkInputError(
            "no instrument columns found. Standard names are <instrument>_<item> "
            f"(e.g. {examples}); rename others with a mapping file. "
            f"Columns in the file: {shown or '(none)'}"
        )
    steps = len(found) + 2
    tick = progress or (lambda stage, done, total: None)
    tick("reading answers", 0, steps)

    clock = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal clock
        if on_phase_done is not None:
            now = time.perf_counter()
            on_phase_done(phase, now - clock)
            clock = now

    all_columns = [c for ic in found for c in ic.columns.values()]
    stats = _column_stats(frame, all_columns)

    plans: dict[str, dict[str, _ColumnPlan]] = {}
    undeclared: list[str] = []
    for ic in found:
        inst = ic.instrument
        inst_plans: dict[str, _ColumnPlan] = {}
        uncoded: list[str] = []
        for item_id, col in ic.columns.items():
            coding = _coding_for(mapping, inst, item_id)
            try:
                inst_plans[item_id] = _plan_column(
                    frame, stats, inst, inst.item(item_id), col, ic.form, coding,
                    labels.get(col), decimal_comma,
                )  # fmt: skip
            except UndeclaredCoding:
                uncoded.append(col)
        if uncoded:
            undeclared.append(undeclared_coding_message(inst, str(ic.form), uncoded))
        plans[inst.id] = inst_plans
    if undeclared:
        raise BulkInputError("\n".join(undeclared))
    work = _Work(found, plans, decimal_comma)

    # Pass 1: per item its points (scored items) or its option position (the others);
    # null = missing or invalid. Then per instrument: any invalid answer, missing counts.
    value_exprs: list[pl.Expr] = []
    for ic in found:
        inst = ic.instrument
        for item_id, plan in plans[inst.id].items():
            item = inst.item(item_id)
            if item.key is not None:
                points = [item.key[k] for k in plan.keys]
                value = plan.map(points, _points_dtype(points))
                value_exprs.append(value.alias(_tmp("val", inst.id, item_id)))
            if plan.invalid is not None:
                value_exprs.append(plan.invalid.alias(_tmp("bad", inst.id, item_id)))
    bad_exprs: list[pl.Expr] = []
    for ic in found:
        inst = ic.instrument
        bad_cols = [
            _tmp("bad", inst.id, i) for i, p in plans[inst.id].items() if p.invalid is not None
        ]
        if bad_cols:
            bad_exprs.append(pl.any_horizontal(bad_cols).alias(_tmp("inst_bad", inst.id)))
        primary = inst.primary_scale
        if primary is not None and work.missing_matters(inst, primary):
            n_missing = work.missing_count(inst, primary)
            if isinstance(n_missing, int):
                n_missing = pl.lit(n_missing, pl.Int16)
            bad_exprs.append(n_missing.alias(_tmp("missing", inst.id)))

    # Pass 2: scale values; pass 3: what derives from them (levels, cut-offs, profile key).
    result_columns: list[str] = []
    score_exprs: list[pl.Expr] = []
    derived_exprs: list[pl.Expr] = []
    for ic in found:
        inst = ic.instrument
        for scale in inst.scales.values():
            values, derived = _scale_exprs(work, inst, scale, settings)
            score_exprs += values
            derived_exprs += derived
            # Work columns (the headroom of missing answers) start with NUL: not output.
            result_columns += [
                name
                for e in values + derived
                if not (name := e.meta.output_name()).startswith("\0")
            ]
    flag_exprs = _flag_exprs(found, plans)
    result_columns += [e.meta.output_name() for e in flag_exprs]
    profile_key = _ProfileKey.for_instruments(work, settings)
    if profile_key is not None:
        derived_exprs.append(profile_key.expr.alias(profile_key.name))

    lazy = frame.lazy().with_columns(value_exprs)
    if bad_exprs:
        lazy = lazy.with_columns(bad_exprs)
    lazy = lazy.with_columns(score_exprs).with_columns(*derived_exprs, *flag_exprs)
    tick("scoring", 1, steps)
    lap("plan")
    scored = lazy.collect()
    lap("pass")
    tick("scoring", len(found) + 1, steps)

    errors = _collect_errors(scored, work)

    # Which rows got results: from the primary scale of each scored instrument.
    primaries = [
        scale_column(ic.instrument, ic.instrument.primary_scale.id)
        for ic in found
        if ic.instrument.primary_scale is not None
    ]
    nullable = [c for c in primaries if scored.get_column(c).null_count()]
    inst_bads = [
        c for c in (_tmp("inst_bad", ic.instrument.id) for ic in found) if c in scored.columns
    ]
    # Null counts are known without a pass over the data: rows are counted only when
    # some result can be missing.
    counts: dict[str, Any] = {"scored": scored.height, "unscored": 0, "invalid": 0}
    count_exprs: list[pl.Expr] = []
    if not primaries:
        counts["scored"], counts["unscored"] = 0, scored.height
    else:
        if nullable:
            ok = pl.all_horizontal([pl.col(c).is_not_null() for c in nullable])
            count_exprs.append(ok.sum().alias("scored"))
        if nullable and len(nullable) == len(primaries):
            none = pl.all_horizontal([pl.col(c).is_null() for c in primaries])
            count_exprs.append(none.sum().alias("unscored"))
    if inst_bads:
        count_exprs.append(pl.any_horizontal(inst_bads).sum().alias("invalid"))
    if count_exprs:
        counts.update(scored.select(count_exprs).row(0, named=True))
    open_rows = errors.filter(pl.col("problem").str.starts_with(INDETERMINATE_LEVEL))
    indeterminate_rows = open_rows.get_column("row").n_unique() if open_rows.height else 0
    problems = errors.filter(pl.col("problem").str.starts_with(INDETERMINATE_LEVEL).not_())
    err_rows = problems.select(pl.col("row").n_unique()).item() if problems.height else 0

    reversed_rows: list[dict[str, Any]] = []
    for ic in found:
        for finding in (_short_form_codes(frame, stats, ic), _reversed_pattern(scored, work, ic)):
            if finding is not None:
                warnings.append(finding["problem"])
                reversed_rows.append(finding)

    lap("report")
    columns = {name: scored.get_column(name) for name in (*frame.columns, *result_columns)}
    no_route_rows = 0
    if profile_key is not None:
        profile_series, no_route = _profile_columns(
            scored.get_column(profile_key.name), profile_key, settings
        )
        for series in profile_series:
            columns[series.name] = series
        result_columns += list(PROFILE_COLUMNS)
        if no_route is not None:
            no_route_rows = int(no_route.sum())
            if not work.measures_loneliness_or_isolation():
                # The file has no scale to base a route on: one warning, not one per row.
                warnings.append(
                    f"{NO_ROUTE}: the file has no loneliness or social isolation questions, "
                    "so the route column is empty (crisis help only where the safety "
                    "question was answered yes)"
                )
            else:
                extra = _no_route_errors(columns["route"], no_route)
                errors = pl.concat([errors, extra.cast(ERROR_SCHEMA)])  # type: ignore[arg-type]
                errors = errors.sort("row", maintain_order=True)
    if reversed_rows:
        # File-wide findings: no row number, after the row problems.
        errors = pl.concat([errors, pl.DataFrame(reversed_rows, schema=ERROR_SCHEMA)])
    tick("profile", steps, steps)

    # Output: every input column unchanged, then the results (replacing same-named ones).
    clashes = [c for c in result_columns if c in frame.columns]
    if clashes:
        warnings.append(
            f"input column(s) {', '.join(clashes)} replaced by freshly computed results"
        )
    keep = [c for c in frame.columns if c not in set(result_columns)]
    # Assembled from the computed columns as they are: no copy of a million rows.
    out = pl.DataFrame([columns[c] for c in keep + result_columns])
    lap("profile")
    return BulkResult(
        frame=out,
        errors=errors,
        instruments=tuple(found),
        result_columns=tuple(result_columns),
        rows=frame.height,
        scored_rows=int(counts["scored"] or 0),
        unscored_rows=int(counts["unscored"] or 0),
        invalid_rows=int(counts["invalid"] or 0),
        incomplete_rows=int(err_rows - (counts["invalid"] or 0)),
        indeterminate_rows=int(indeterminate_rows),
        no_route_rows=no_route_rows,
        warnings=warnings,
        settings=settings,
    )


def _scale_exprs(
    work: _Work, inst: Instrument, scale, settings: Mapping[str, Any]
) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """(the scale value, then what derives from it: level and cut-off)."""
    present = [i for i in scale.items if i in work.plans[inst.id]]
    # Answered items are summed, nothing imputed: the same rule as scoring.score. "+"
    # after fill_null: summing columns that hold nulls is several times slower.
    points = [
        work.value(inst, i).fill_null(0) if work.nullable(inst, i) else work.value(inst, i)
        for i in present
    ]
    # polars adds small integers in their own type: widen when the sum could overflow.
    bound = sum(max(abs(v) for v in inst.item(i).key.values()) for i in scale.items)  # type: ignore[union-attr]
    if bound > 127:
        points = [p.cast(pl.Int32) for p in points]
    total = functools.reduce(operator.add, points).cast(pl.Int16) if points else pl.lit(0, pl.Int16)
    n_missing = work.missing_count(inst, scale)
    if isinstance(n_missing, int) and n_missing > scale.max_missing:
        value = pl.lit(None, pl.Int16)
    else:
        ok = work.inst_bad(inst).not_() if work.may_be_invalid(inst) else None
        if not isinstance(n_missing, int):
            enough = n_missing <= scale.max_missing
            ok = enough if ok is None else ok & enough
        value = total if ok is None else pl.when(ok).then(total)
    name = scale_column(inst, scale.id)
    derived: list[pl.Expr] = []
    bound = work.headroom_bound(inst, scale)
    if bound:
        # Unanswered items could add up to ``bound`` points: level and cut-off are read
        # from (value, headroom) through the same Scale.read as scoring one person, one
        # table entry per pair, so "indeterminate" and an unknown cut-off agree with it.
        return [value.alias(name), work.headroom(inst, scale).alias(_headroom(inst, scale))], (
            _read_exprs(inst, scale, settings, bound)
        )
    if scale is inst.primary_scale and scale.bands:
        levels = list(dict.fromkeys(b.level for b in scale.bands))
        if scale.max_missing:
            # The same column type whether or not this file has missing answers.
            levels.append(INDETERMINATE)
        lut: list[str | None] = [None] * (scale.max - scale.min + 1)
        for band in scale.bands:
            for v in range(band.min, band.max + 1):
                lut[v - scale.min] = band.level
        index = pl.col(name) - scale.min if scale.min else pl.col(name)
        # gather takes the Int16 value as it is (a cast to UInt32 first costs more).
        derived.append(
            pl.lit(pl.Series(lut, dtype=pl.Enum(levels))).gather(index).alias(level_column(inst))
        )
    cutoff = scale.cutoff
    if cutoff is not None:
        threshold = settings.get(cutoff.setting, cutoff.default)
        meets = pl.col(name) >= threshold if cutoff.op == ">=" else pl.col(name) < threshold
        derived.append(meets.alias(cutoff_column(inst, scale.id)))
        if scale is inst.primary_scale and not scale.bands and cutoff.level is not None:
            # No bands: the level follows the (possibly overridden) cut-off, as in score().
            levels = pl.Enum([cutoff.level, cutoff.otherwise_level])
            derived.append(
                pl.when(meets)
                .then(pl.lit(cutoff.level, levels))
                .when(meets.not_())
                .then(pl.lit(cutoff.otherwise_level, levels))
                .alias(level_column(inst))
            )
    return [value.alias(name)], derived


def _pair_readings(scale, settings: Mapping[str, Any], bound: int) -> list:
    """Scale.read for every (value, headroom) pair, in :func:`_pair_index` order."""
    threshold = settings.get(scale.cutoff.setting) if scale.cutoff is not None else None
    return [
        scale.read(v, v + h if h else None, threshold)
        for v in range(scale.min, scale.max + 1)
        for h in range(bound + 1)
    ]


def _read_exprs(inst: Instrument, scale, settings: Mapping[str, Any], bound: int) -> list[pl.Expr]:
    """Level (primary scale) and cut-off columns of a scale that allows missing answers."""
    readings = _pair_readings(scale, settings, bound)
    index = _pair_index(inst, scale, bound)
    out: list[pl.Expr] = []
    if scale is inst.primary_scale and (
        scale.bands or (scale.cutoff is not None and scale.cutoff.level is not None)
    ):
        levels = [b.level for b in scale.bands] or [
            scale.cutoff.level,  # type: ignore[union-attr]
            scale.cutoff.otherwise_level,  # type: ignore[union-attr]
        ]
        enum = pl.Enum([*dict.fromkeys(levels), INDETERMINATE])
        table = pl.Series([r.level for r in readings], dtype=enum)
        out.append(pl.lit(table).gather(index).alias(level_column(inst)))
    if scale.cutoff is not None:
        table = pl.Series([r.meets_cutoff for r in readings], dtype=pl.Boolean)
        out.append(pl.lit(table).gather(index).alias(cutoff_column(inst, scale.id)))
    return out


def _flag_exprs(
    found: Sequence[InstrumentColumns], plans: Mapping[str, Mapping[str, _ColumnPlan]]
) -> list[pl.Expr]:
    """One column per flag an item can raise (``safety``): True when an answer raises it.

    Read per item, whatever the other answers of the row: one unreadable answer
    elsewhere must never hide a "yes" to the safety question. Null when no item that can
    raise the flag has a valid answer.
    """
    raised: dict[str, list[pl.Expr]] = {}
    for ic in found:
        inst = ic.instrument
        for plan in plans[inst.id].values():
            for flag, keys in plan.item.flags.items():
                table = [1 if k in keys else 0 for k in plan.keys]
                raised.setdefault(flag, []).append(plan.map(table, pl.Int8))
    return [
        ((exprs[0] if len(exprs) == 1 else pl.max_horizontal(exprs)) == 1).alias(flag)
        for flag, exprs in raised.items()
    ]
