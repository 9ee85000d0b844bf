"""The errors report: one row per problem (unknown answer, too many missing, open
level, no route)."""

from __future__ import annotations

import polars as pl

from verbind.core.bulk.output import cutoff_column, level_column, scale_column
from verbind.core.bulk.plan import _ColumnPlan, _tmp, _Work
from verbind.core.bulk.problems import (
    ERROR_SCHEMA,
    INDETERMINATE_LEVEL,
    INVALID_ANSWER,
    NO_ROUTE,
    NO_ROUTE_WHY,
    ROW_BASE,
    TOO_MANY_MISSING,
)
from verbind.core.bulk.profile_key import NO_ROUTE_COLUMN
from verbind.core.instrument import (
    INDETERMINATE,
    Instrument,
    registry,
)


def _as_written(plan: _ColumnPlan, decimal_comma: bool) -> pl.Expr:
    """A column's value as text, with the file's decimal sign (``2,5`` in a Dutch Excel
    file, not polars' ``2.5``), so a researcher finds it in the file."""
    value = pl.col(plan.column).cast(pl.String)
    if decimal_comma and plan.dtype.is_float():
        value = value.str.replace(".", ",", literal=True)
    return value


def _collect_errors(scored: pl.DataFrame, work: _Work) -> pl.DataFrame:
    """One row per problem: an answer that cannot be interpreted, or too many missing."""
    # Filter first, then build the report columns: only problem rows pay for strings.
    lazy = scored.lazy().with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + ROW_BASE).alias("\0row")
    )
    parts: list[pl.LazyFrame] = []
    for ic in work.found:
        inst = ic.instrument
        inst_plans = work.plans[inst.id]
        for item_id, plan in inst_plans.items():
            if plan.invalid is None:
                continue
            parts.append(
                lazy.filter(pl.col(_tmp("bad", inst.id, item_id))).select(
                    pl.col("\0row").alias("row"),
                    pl.lit(inst.id).alias("instrument"),
                    pl.lit(plan.column).alias("column"),
                    pl.lit(inst.column(item_id)).alias("item"),
                    _as_written(plan, work.decimal_comma).alias("value"),
                    pl.lit(INVALID_ANSWER).alias("problem"),
                    pl.lit(plan.allowed).alias("allowed"),
                )
            )
        primary = inst.primary_scale
        if primary is not None and work.headroom_bound(inst, primary):
            parts.append(_indeterminate_errors(lazy, work, inst, primary))
        if primary is None or not work.missing_matters(inst, primary):
            continue
        missing_names = [
            pl.when(pl.col(_tmp("val", inst.id, i)).is_null()).then(pl.lit(inst_plans[i].column))
            if i in inst_plans
            else pl.lit(f"{inst.column(i)} (not in file)")
            for i in primary.items
        ]
        n_missing = pl.col(_tmp("missing", inst.id))
        too_many = (n_missing > primary.max_missing) & work.inst_bad(inst).not_()
        parts.append(
            lazy.filter(too_many).select(
                pl.col("\0row").alias("row"),
                pl.lit(inst.id).alias("instrument"),
                pl.concat_str(missing_names, separator=", ", ignore_nulls=True).alias("column"),
                pl.lit(None, pl.String).alias("item"),
                pl.lit(None, pl.String).alias("value"),
                pl.format(
                    "{}: {} of {} unanswered",
                    pl.lit(TOO_MANY_MISSING),
                    n_missing,
                    pl.lit(len(primary.items)),
                ).alias("problem"),
                pl.lit(
                    f"at most {primary.max_missing} unanswered for {inst.short_title} {primary.id}"
                ).alias("allowed"),
            )
        )
    if not parts:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    frames = pl.collect_all(parts)
    errors = pl.concat([f.cast(ERROR_SCHEMA) for f in frames])  # type: ignore[arg-type]
    return errors.sort("row", "instrument", maintain_order=True)


def _missing_names(work: _Work, inst: Instrument, scale) -> list[pl.Expr]:
    plans = work.plans[inst.id]
    return [
        pl.when(pl.col(_tmp("val", inst.id, i)).is_null()).then(pl.lit(plans[i].column))
        if i in plans
        else pl.lit(f"{inst.column(i)} (not in file)")
        for i in scale.items
    ]


def _indeterminate_errors(lazy: pl.LazyFrame, work: _Work, inst: Instrument, scale) -> pl.LazyFrame:
    """Rows scored with an unanswered item that could move the total into another band or
    across the cut-off: their level is "indeterminate" (and the cut-off empty). Reported,
    so a researcher sees why, and counted apart from the problems."""
    value = pl.col(scale_column(inst, scale.id))
    open_ = pl.lit(False)
    if scale.bands or (scale.cutoff is not None and scale.cutoff.level is not None):
        open_ = pl.col(level_column(inst)) == INDETERMINATE
    if scale.cutoff is not None:
        open_ = open_ | (value.is_not_null() & pl.col(cutoff_column(inst, scale.id)).is_null())
    n_missing = work.missing_count(inst, scale)
    if isinstance(n_missing, int):
        n_missing = pl.lit(n_missing, pl.Int16)
    return lazy.filter(open_.fill_null(False)).select(
        pl.col("\0row").alias("row"),
        pl.lit(inst.id).alias("instrument"),
        pl.concat_str(_missing_names(work, inst, scale), separator=", ", ignore_nulls=True).alias(
            "column"
        ),
        pl.lit(None, pl.String).alias("item"),
        pl.lit(None, pl.String).alias("value"),
        pl.format(
            "{}: {} of {} unanswered; with that answer the total ({} so far) could fall in "
            "another band or across the cut-off",
            pl.lit(INDETERMINATE_LEVEL),
            n_missing,
            pl.lit(len(scale.items)),
            value,
        ).alias("problem"),
        pl.lit(
            f"scored; level {INDETERMINATE!r} and, where the cut-off could be crossed, no "
            "cut-off verdict: the row counts on neither side"
        ).alias("allowed"),
    )


def _no_route_errors(route: pl.Series, no_route: pl.Series) -> pl.DataFrame:
    """One problem per row that has no route because neither loneliness nor social
    isolation could be scored (its other problems say why), or only crisis help."""
    from verbind.core import profile

    titles = registry()
    needs = (
        f"{' / '.join(titles[i].short_title for i in profile.LONELINESS_PREFERENCE)} "
        f"or {' / '.join(titles[i].short_title for i in profile.ISOLATION_INSTRUMENTS)} "
        "with enough valid answers"
    )
    return (
        pl.DataFrame([route, no_route])
        .with_row_index("row", offset=ROW_BASE)
        .filter(pl.col(NO_ROUTE_COLUMN))
        .select(
            pl.col("row").cast(pl.Int64),
            pl.lit("profile").alias("instrument"),
            pl.lit("route").alias("column"),
            pl.lit(None, pl.String).alias("item"),
            pl.lit(None, pl.String).alias("value"),
            pl.when(pl.col("route").is_null())
            .then(pl.lit(f"{NO_ROUTE}: {NO_ROUTE_WHY}"))
            .otherwise(pl.lit(f"{NO_ROUTE} beneath crisis help: {NO_ROUTE_WHY}"))
            .alias("problem"),
            pl.lit(needs).alias("allowed"),
        )
    )
