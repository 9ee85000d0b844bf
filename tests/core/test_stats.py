"""Wilson intervals: published values, properties, and the per-group table."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from verbind.core import stats


@pytest.mark.parametrize(
    "x, n, low, high",
    [
        # Brown, Cai & DasGupta (2001) / Newcombe (1998) worked values.
        (5, 10, 0.2366, 0.7634),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),
    ],
)
def test_known_wilson_values(x, n, low, high):
    lo, hi = stats.wilson_interval(x, n)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_interval_contains_the_estimate_and_stays_in_0_1(case):
    x, n = case
    lo, hi = stats.wilson_interval(x, n)
    assert 0.0 <= lo <= x / n <= hi <= 1.0


@given(st.integers(0, 200), st.integers(1, 200))
def test_wider_confidence_gives_a_wider_interval(x, extra):
    n = x + extra
    lo95, hi95 = stats.wilson_interval(x, n, 0.95)
    lo99, hi99 = stats.wilson_interval(x, n, 0.99)
    assert lo99 <= lo95 and hi95 <= hi99


def test_empty_group_and_bad_arguments():
    assert all(math.isnan(v) for v in stats.wilson_interval(0, 0))
    with pytest.raises(ValueError, match="successes <= n"):
        stats.wilson_interval(3, 2)
    with pytest.raises(ValueError, match="confidence"):
        stats.wilson_interval(1, 2, confidence=1.5)


def test_prevalence_table_per_group_leaves_unknowns_out_of_the_denominator():
    frame = pl.DataFrame(
        {
            "region": ["a", "a", "a", "b", "b", None],
            "lonely": [True, False, None, True, True, False],
        }
    )
    table = stats.prevalence_table(frame, [stats.Indicator("lonely", "lonely")], "region")
    rows = {r["group"]: r for r in table.to_dicts()}
    assert list(rows) == ["a", "b", None, stats.TOTAL_GROUP]
    assert (rows["a"]["n"], rows["a"]["cases"], rows["a"]["unknown"]) == (2, 1, 1)
    assert rows["a"]["prevalence"] == 0.5
    assert (rows["a"]["ci_low"], rows["a"]["ci_high"]) == pytest.approx(stats.wilson_interval(1, 2))
    assert rows["b"]["prevalence"] == 1.0 and rows["b"]["ci_high"] == 1.0
    assert (rows[stats.TOTAL_GROUP]["n"], rows[stats.TOTAL_GROUP]["cases"]) == (5, 3)


def test_prevalence_table_errors_name_the_column():
    frame = pl.DataFrame({"x": [True]})
    with pytest.raises(KeyError, match="group column 'region'"):
        stats.prevalence_table(frame, [stats.Indicator("x", "x")], "region")
    with pytest.raises(KeyError, match="indicator column"):
        stats.prevalence_table(frame, [stats.Indicator("y", "y")])


def test_z_for_matches_the_normal_quantile_to_double_precision():
    from scipy.stats import norm

    from verbind.core.stats import z_for

    for confidence in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999):
        assert z_for(confidence) == pytest.approx(float(norm.ppf(0.5 + confidence / 2)), rel=1e-12)
