"""The synthetic survey: realistic prevalence, seedable, valid unless asked otherwise."""

from __future__ import annotations

import polars as pl
import pytest

from verbind.core import bulk, demo_data


@pytest.fixture(scope="module")
def scored():
    frame = demo_data.generate(60_000, seed=7)
    return frame, bulk.score_frame(frame)


def test_prevalence_matches_the_health_monitor(scored):
    _, result = scored
    f = result.frame
    lonely = f["djg11_total_cutoff"].mean()
    severe = (f["djg11_total"] >= demo_data.SEVERE_FROM).mean()
    # GGD/RIVM 2022: 48.6% lonely, 14.2% severely lonely; 60,000 rows give +-0.4%.
    assert lonely == pytest.approx(0.486, abs=0.01)
    assert severe == pytest.approx(0.142, abs=0.01)
    by_region = f.group_by("region").agg(pl.col("djg11_total_cutoff").mean())["djg11_total_cutoff"]
    assert 0.40 <= by_region.min() < by_region.max() <= 0.60


def test_everything_scores_without_problems_and_isolation_goes_with_loneliness(scored):
    frame, result = scored
    assert result.errors.height == 0
    assert result.scored_rows == frame.height
    f = result.frame
    assert f.select(pl.corr("djg11_total", "lsns6_total")).item() < -0.2
    assert set(f["profile"].cast(pl.String).unique()) >= {
        "connected", "chosen_solitude", "lonely_among_people", "lonely_and_isolated",
    }  # fmt: skip


def test_same_seed_same_data_other_seed_other_data():
    a = demo_data.generate(500, seed=1)
    assert a.equals(demo_data.generate(500, seed=1))
    assert not a.equals(demo_data.generate(500, seed=2))


def test_invalid_and_missing_rates_are_reported_by_bulk_scoring():
    frame = demo_data.generate(5_000, seed=3, invalid_rate=0.01, missing_rate=0.01)
    result = bulk.score_frame(frame)
    problems = result.errors["problem"]
    assert (problems == bulk.INVALID_ANSWER).sum() > 0
    assert problems.str.starts_with(bulk.TOO_MANY_MISSING).sum() > 0
    assert result.scored_rows < frame.height


def test_labels_in_dutch_score_the_same_as_codes():
    codes = demo_data.generate(2_000, seed=5, instruments=["djg11", "duration"])
    labels = demo_data.generate(2_000, seed=5, instruments=["djg11", "duration"], labels="nl")
    assert labels["djg11_1"].dtype == pl.String
    a, b = bulk.score_frame(codes).frame, bulk.score_frame(labels).frame
    assert a["djg11_total"].equals(b["djg11_total"])
    assert a["duration_band"].equals(b["duration_band"])


def test_bad_arguments():
    with pytest.raises(demo_data.DemoDataError, match="unknown instrument"):
        demo_data.generate(10, instruments=["djg99"])
    with pytest.raises(demo_data.DemoDataError, match="invalid_rate"):
        demo_data.generate(10, invalid_rate=2)
    assert demo_data.generate(0).height == 0
