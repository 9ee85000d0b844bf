"""Prevalence with 95% Wilson confidence intervals, overall and per group.

Wilson's score interval (Wilson 1927; recommended over the simple Wald interval by
Brown, Cai & DasGupta 2001) stays inside 0-100% and behaves well for small groups and
prevalences near 0 or 1, which survey subgroups often have.

Only rows with a known value count: a person whose scale could not be scored is left
out of the denominator (and the count of those left out is reported), never counted as
"not lonely".

Pure Python + polars/numpy: no Django imports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import polars as pl

TOTAL_GROUP = "(all)"


def z_for(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    # The standard library's normal quantile is exact to double precision; importing
    # scipy.stats for this one number cost every command about half a second at start-up.
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``successes / n``; (nan, nan) when n is 0."""
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes}, n={n}")
    if n == 0:
        return (math.nan, math.nan)
    lo, hi = wilson_arrays(np.array([successes]), np.array([n]), confidence)
    return float(lo[0]), float(hi[0])


def wilson_arrays(
    successes: np.ndarray, n: np.ndarray, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised Wilson interval; NaN where n is 0."""
    z = z_for(confidence)
    x = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / m
        denom = 1 + z * z / m
        centre = (p + z * z / (2 * m)) / denom
        half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / denom
        lo = np.clip(centre - half, 0.0, 1.0)
        hi = np.clip(centre + half, 0.0, 1.0)
    # At p = 0 or 1 the bound equals the estimate exactly; avoid -0.0 / rounding noise.
    lo = np.where(x == 0, 0.0, lo)
    hi = np.where(x == m, 1.0, hi)
    return lo, hi


@dataclass(frozen=True)
class Indicator:
    """A yes/no column to report, with a readable name (e.g. "lonely (DJG-11 >= 3)")."""

    column: str
    label: str


def prevalence_table(
    frame: pl.DataFrame,
    indicators: Sequence[Indicator],
    group: str | None = None,
    *,
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Long table: group, indicator, n (known), cases, unknown, prevalence, ci_low, ci_high.

    With ``group`` the rows are per group value (sorted; a missing group value is its own
    group, shown as null) followed by the total row ``(all)``; without it only the total.
    """
    if group is not None and group not in frame.columns:
        raise KeyError(f"group column {group!r} is not in the data")
    missing = [i.column for i in indicators if i.column not in frame.columns]
    if missing:
        raise KeyError(f"indicator column(s) {', '.join(missing)} not in the data")
    aggs = []
    for n, ind in enumerate(indicators):
        col = pl.col(ind.column).cast(pl.Boolean)
        aggs += [
            col.count().alias(f"n{n}"),
            col.sum().alias(f"x{n}"),
            col.null_count().alias(f"u{n}"),
        ]
    parts = []
    if group is not None:
        by = frame.group_by(pl.col(group).cast(pl.String)).agg(aggs).sort(group, nulls_last=True)
        parts.append(by)
    total = frame.select(aggs).with_columns(pl.lit(TOTAL_GROUP).alias(group or "group"))
    parts.append(total.select(group or "group", pl.exclude(group or "group")))
    wide = pl.concat(parts, how="vertical_relaxed")
    name = group or "group"
    rows = []
    for n, ind in enumerate(indicators):
        rows.append(
            wide.select(
                pl.col(name).alias("group"),
                pl.lit(ind.column).alias("indicator"),
                pl.lit(ind.label).alias("label"),
                pl.col(f"n{n}").cast(pl.Int64).alias("n"),
                pl.col(f"x{n}").cast(pl.Int64).alias("cases"),
                pl.col(f"u{n}").cast(pl.Int64).alias("unknown"),
            )
        )
    long = pl.concat(rows)
    lo, hi = wilson_arrays(long["cases"].to_numpy(), long["n"].to_numpy(), confidence)
    prevalence = np.where(long["n"].to_numpy() > 0, long["cases"] / long["n"], np.nan)
    return long.with_columns(
        pl.Series("prevalence", prevalence).fill_nan(None),
        pl.Series("ci_low", lo).fill_nan(None),
        pl.Series("ci_high", hi).fill_nan(None),
    )
