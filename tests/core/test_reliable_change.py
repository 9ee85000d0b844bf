"""Reliable change (Jacobson & Truax 1991): hand-worked values, the 1.96 boundary, direction."""

import math
import statistics
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verbind.core import reliable_change as rc
from verbind.core.reliable_change import (
    DEFAULTS,
    MIN_COHORT,
    THRESHOLD,
    ReliableChangeError,
    classify,
    cohort_sd,
    reliable_change,
    reliable_change_for,
    reliable_change_index,
    s_diff,
    standard_error,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reliable-change.md"


# --- hand-worked ---------------------------------------------------------------------------


def test_hand_worked_round_values():
    # SD 2, r = .875: SE = 2 * sqrt(.125) = 0.70711; S_diff = sqrt(2) * SE = 1.0 exactly.
    assert standard_error(2, 0.875) == pytest.approx(0.7071068, abs=1e-7)
    assert s_diff(2, 0.875) == 1.0
    assert reliable_change_index(5, 3, 2, 0.875) == -2.0
    assert reliable_change_index(3, 5, 2, 0.875) == 2.0


def test_hand_worked_textbook_like_values():
    # SD 4.2, r = .80: SE = 4.2 * 0.4472136 = 1.8782971; S_diff = 1.8782971 * 1.4142136
    # = 2.6563132; a drop of 6 points: RCI = -6 / 2.6563132 = -2.2587.
    r = reliable_change(20, 14, sd=4.2, reliability=0.80)
    assert r.se == pytest.approx(1.8782971, abs=1e-6)
    assert r.s_diff == pytest.approx(2.6563132, abs=1e-6)
    assert r.rci == pytest.approx(-2.2587, abs=1e-4)
    assert r.verdict == "clearly_better"  # higher_is "worse" by default: a drop is better
    # The smallest change that counts: 1.96 * 2.6563132 = 5.2064 points.
    assert r.smallest_reliable_difference == pytest.approx(5.2064, abs=1e-4)
    r = reliable_change(20, 15, sd=4.2, reliability=0.80)  # 5 points: RCI -1.882
    assert r.rci == pytest.approx(-1.8823, abs=1e-4) and r.verdict == "no_clear_change"


def test_djg11_defaults_hand_worked():
    # Defaults: SD 11/4 = 2.75, r = .80 -> S_diff = 2.75 * sqrt(0.4) = 1.7393; 8 -> 4 points:
    # RCI = -4 / 1.7393 = -2.2998; 8 -> 5: -1.7248.
    r = reliable_change_for("djg11", 8, 4)
    assert r.sd == 2.75 and r.reliability == 0.80
    assert r.s_diff == pytest.approx(1.7393, abs=1e-4)
    assert r.rci == pytest.approx(-2.2998, abs=1e-4) and r.verdict == "clearly_better"
    assert reliable_change_for("djg11", 8, 5).verdict == "no_clear_change"
    assert not r.verified  # neither default value is verified: the result says so


def test_djg6_defaults_hand_worked():
    # SD 6/4 = 1.5, r = .73 (test-retest): S_diff = 1.5 * sqrt(0.54) = 1.10227; a change of
    # 3 points: RCI 2.7216 (reliable); 2 points: 1.8144 (not).
    assert reliable_change_for("djg6", 1, 4).rci == pytest.approx(2.7216, abs=1e-4)
    assert reliable_change_for("djg6", 1, 4).verdict == "clearly_worse"
    assert reliable_change_for("djg6", 4, 2).verdict == "no_clear_change"


# --- the boundary --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x2", "verdict"),
    [
        (1.96, "no_clear_change"),  # |RCI| = 1.96 is not more than 1.96
        (-1.96, "no_clear_change"),
        (1.9601, "clearly_worse"),
        (-1.9601, "clearly_better"),
        (0.0, "no_clear_change"),
    ],
)
def test_boundary_is_strictly_more_than_1_96(x2, verdict):
    r = reliable_change(0, x2, sd=2, reliability=0.875)  # S_diff exactly 1
    assert r.rci == x2
    assert r.verdict == verdict


def test_classify_reads_the_direction_of_the_scale():
    assert classify(2.5, "worse") == "clearly_worse"
    assert classify(-2.5, "worse") == "clearly_better"
    assert classify(2.5, "better") == "clearly_better"
    assert classify(-2.5, "better") == "clearly_worse"
    assert classify(1.0, "better") == "no_clear_change"
    with pytest.raises(ReliableChangeError, match="higher_is"):
        classify(2.5, "up")


def test_direction_comes_from_the_instrument_definition():
    # LSNS-6: a larger network is better. 8 -> 22 with the defaults (SD 7.5, r .82):
    # S_diff = 7.5 * sqrt(0.36) = 4.5, RCI = 14 / 4.5 = 3.1111.
    r = reliable_change_for("lsns6", 8, 22)
    assert r.higher_is == "better"
    assert r.rci == pytest.approx(3.1111, abs=1e-4) and r.verdict == "clearly_better"
    # Rosenberg: higher self-esteem is better; a reliable fall is clearly worse.
    assert reliable_change_for("rses", 22, 8).verdict == "clearly_worse"
    # DJG: higher is lonelier.
    assert reliable_change_for("djg11", 2, 9).verdict == "clearly_worse"


def test_verdict_in_words():
    r = reliable_change_for("djg11", 9, 2)
    assert r.words("nl") == "duidelijk beter" and r.words("en") == "clearly better"
    r = reliable_change_for("djg11", 2, 9)
    assert r.words("nl") == "duidelijk slechter" and r.words("en") == "clearly worse"
    r = reliable_change_for("djg11", 5, 5)
    assert r.words("nl") == "geen duidelijke verandering" and r.words("en") == "no clear change"


# --- where SD and r come from --------------------------------------------------------------


def test_the_cohort_baseline_sd_is_preferred_when_there_are_enough_scores():
    baseline = [3, 5, 7, 9] * 5  # 20 scores: mean 6, sample SD = sqrt(100/19) = 2.29416
    assert cohort_sd(baseline) == pytest.approx(2.29416, abs=1e-5)
    r = reliable_change_for("djg11", 9, 4, cohort_baseline=baseline)
    assert r.sd == pytest.approx(2.29416, abs=1e-5)
    assert "cohort" in r.sd_source and "n = 20" in r.sd_source
    assert r.sd_verified and not r.reliability_verified
    # S_diff = 2.29416 * sqrt(0.4) = 1.45097, RCI = -5 / 1.45097 = -3.4460
    assert r.rci == pytest.approx(-3.4460, abs=1e-4)


def test_too_small_or_uniform_cohort_falls_back_to_the_documented_default():
    few = [3, 5, 7, 9] * 4  # 16 < 20
    assert len(few) < MIN_COHORT and cohort_sd(few) is None
    r = reliable_change_for("djg11", 9, 4, cohort_baseline=few)
    assert r.sd == DEFAULTS[("djg11", "total")].sd and "NOT VERIFIED" in r.sd_source
    assert cohort_sd([4] * 30) is None  # SD 0 would make every change "reliable"
    assert cohort_sd(few, min_cohort=10) == pytest.approx(statistics.stdev(few))


def test_explicit_values_win_and_are_labelled():
    r = reliable_change_for("djg6", 4, 1, sd=1.2, reliability=0.76)
    assert (r.sd, r.reliability) == (1.2, 0.76)
    assert r.sd_source == r.reliability_source == "given by the caller"


def test_every_default_has_a_source_and_is_flagged_and_documented():
    docs = DOCS.read_text(encoding="utf-8")
    for (inst, scale), p in DEFAULTS.items():
        assert (p.instrument, p.scale) == (inst, scale)
        assert 0 < p.reliability < 1 and p.sd > 0
        assert p.reliability_source and p.sd_source
        # docs/reliable-change.md lists the same numbers.
        row = next(line for line in docs.splitlines() if line.startswith(f"| {inst} "))
        assert f"{p.reliability:.2f}" in row and f"{p.sd:g}" in row, row
    # No published SD was verified for any scale: the cohort's own SD comes first.
    assert not any(p.sd_verified for p in DEFAULTS.values())


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"sd": 0, "reliability": 0.8}, "sd must be above 0"),
        ({"sd": 2, "reliability": 1.0}, "below 1"),
        ({"sd": 2, "reliability": -0.1}, "at least 0"),
        ({"sd": float("nan"), "reliability": 0.8}, "sd must be a finite number"),
        ({"sd": 2, "reliability": "0.8"}, "reliability must be a finite number"),
    ],
)
def test_bad_parameters_are_named(kwargs, words):
    with pytest.raises(ReliableChangeError, match=words):
        reliable_change(1, 2, **kwargs)


def test_bad_scores_and_unknown_scales_are_named():
    with pytest.raises(ReliableChangeError, match="x2 must be a finite number"):
        reliable_change(1, math.inf, sd=2, reliability=0.8)
    with pytest.raises(ReliableChangeError, match="no default SD and reliability for ucla3"):
        reliable_change_for("ucla3", 6, 3)
    with pytest.raises(ReliableChangeError, match="has no scale 'bogus'"):
        reliable_change_for("djg11", 6, 3, scale="bogus", sd=2, reliability=0.8)
    with pytest.raises(ReliableChangeError, match="unknown instrument"):
        reliable_change_for("nope", 6, 3, sd=2, reliability=0.8)
    # Any scored scale works when the caller supplies the values.
    assert reliable_change_for("ucla3", 9, 3, sd=1.5, reliability=0.72).verdict == (
        "clearly_better"
    )


# --- properties ----------------------------------------------------------------------------

scores = st.floats(min_value=-50, max_value=50, allow_nan=False)
sds = st.floats(min_value=0.1, max_value=20)
rs = st.floats(min_value=0.0, max_value=0.99)


@given(scores, scores, sds, rs)
def test_swapping_the_measurements_flips_the_sign_and_the_verdict(x1, x2, sd, r):
    a = reliable_change(x1, x2, sd=sd, reliability=r)
    b = reliable_change(x2, x1, sd=sd, reliability=r)
    assert a.rci == pytest.approx(-b.rci)
    flip = {
        "clearly_better": "clearly_worse",
        "clearly_worse": "clearly_better",
        "no_clear_change": "no_clear_change",
    }
    if abs(abs(a.rci) - 1.96) > 1e-9:  # away from the boundary, where rounding could decide
        assert b.verdict == flip[a.verdict]


@given(scores, scores, sds, rs)
def test_a_change_within_the_margin_is_never_reliable(x1, x2, sd, r):
    res = reliable_change(x1, x2, sd=sd, reliability=r)
    if abs(x2 - x1) < 0.999 * res.smallest_reliable_difference:
        assert res.verdict == "no_clear_change"
    if abs(x2 - x1) > 1.001 * res.smallest_reliable_difference:
        assert res.reliable
    mirrored = reliable_change(x1, x2, sd=sd, reliability=r, higher_is="better")
    assert mirrored.reliable == res.reliable


# --- the margins the defaults give ------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "s_diff", "points"),
    [
        # SD 2.75 (range rule), r .80: 2.75 * sqrt(0.40) = 1.73925; 1.96 * that = 3.41.
        ("djg11", 1.73925, 4),
        # SD 1.5 (range rule), r .73: 1.5 * sqrt(0.54) = 1.10227; 1.96 * that = 2.16.
        ("djg6", 1.10227, 3),
        # SD 7.5 (range rule), r .82: 7.5 * sqrt(0.36) = 4.5 exactly; 1.96 * 4.5 = 8.82.
        ("lsns6", 4.5, 9),
        # SD 5.8 (Sinclair 2010), r .85: 5.8 * sqrt(0.30) = 3.17679; 1.96 * that = 6.23.
        ("rses", 3.17679, 7),
    ],
)
def test_smallest_reliable_change_in_points_per_scale(instrument, s_diff, points):
    change = reliable_change_for(instrument, 10, 10)
    assert change.s_diff == pytest.approx(s_diff, abs=1e-5)
    # The first whole number of points that counts, and the one below it does not.
    assert math.floor(change.smallest_reliable_difference) + 1 == points
    up = reliable_change_for(instrument, 10, 10 + points)
    assert abs(up.rci) > THRESHOLD and up.reliable
    assert not reliable_change_for(instrument, 10, 10 + points - 1).reliable
    assert rc.default_margin(instrument) == points


def test_a_cohort_sd_changes_the_margin():
    # 20 baseline scores: sample SD sqrt(100/19) = 2.29416.
    baseline = [3, 5, 7, 9] * 5
    sd = statistics.stdev(baseline)
    # r .85: S_diff = 2.29416 * sqrt(0.3) = 1.25657; 1.96 * that = 2.46 -> 3 points.
    assert rc.default_margin("rses", cohort_baseline=baseline) == 3
    assert reliable_change_for("rses", 10, 13, cohort_baseline=baseline).s_diff == pytest.approx(
        sd * math.sqrt(0.3)
    )


def test_each_default_says_whether_it_is_verified_and_the_docs_agree():
    docs = DOCS.read_text(encoding="utf-8")
    for (inst, _scale), p in DEFAULTS.items():
        row = next(line for line in docs.splitlines() if line.startswith(f"| {inst} "))
        cells = [c.strip() for c in row.strip("|").split("|")]
        # | instrument | r | r verified | source of r | SD | SD verified | source of SD |
        assert cells[2] == ("verified" if p.reliability_verified else "not verified"), row
        assert cells[5] == ("verified" if p.sd_verified else "not verified"), row
        assert ("NOT VERIFIED" in p.reliability_source) != p.reliability_verified
        assert ("NOT VERIFIED" in p.sd_source) != p.sd_verified
