"""Change in loneliness: the strong-worsening rule and the trend, with hand-worked boundaries.

25% of the DJG-11's range (0-11) is 2.75 points, so a rise of 3 is strong and 2 is not;
25% of the DJG-6's range (0-6) is 1.5, so 2 is strong and 1 is not. Between instruments
the shares are compared: DJG-6 1 (1/6) -> DJG-11 5 (5/11) rose 19/66 = 0.288.
"""

from __future__ import annotations

import ast
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verbind.core import change
from verbind.core.change import (
    ChangeError,
    is_strong_worsening,
    loneliness_share,
    share_of_range,
    trend,
    worsening_threshold,
)
from verbind.core.rule_settings import SettingsError


def djg11(score):
    return loneliness_share("djg11", score)


def djg6(score):
    return loneliness_share("djg6", score)


# --- the setting ------------------------------------------------------------------------------


def test_threshold_is_a_setting_of_25_percent_by_default():
    assert worsening_threshold() == Fraction(1, 4)
    assert worsening_threshold({"strong_worsening_percent": "40"}) == Fraction(2, 5)


@pytest.mark.parametrize("bad", [0, 101, "a quarter", 2.5])
def test_a_bad_threshold_is_refused_naming_the_setting(bad):
    with pytest.raises(SettingsError, match="strong_worsening_percent"):
        is_strong_worsening(djg11(0), djg11(3), {"strong_worsening_percent": bad})


# --- shares of the range ----------------------------------------------------------------------


def test_shares_come_from_the_definitions_range():
    assert djg11(0) == 0 and djg11(11) == 1 and djg11(3) == Fraction(3, 11)
    assert djg6(2) == Fraction(1, 3)
    # UCLA-3 runs from 3 to 9: its lowest score is the least lonely answer, share 0.
    assert loneliness_share("ucla3", 3) == 0
    assert loneliness_share("ucla3", 6) == Fraction(1, 2)
    assert djg11(None) is None


def test_a_scale_where_higher_is_better_is_turned_round():
    assert share_of_range(0, 0, 30, higher_is="better") == 1
    assert share_of_range(30, 0, 30, higher_is="better") == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: djg11(12), "djg11 total: score 12 is outside the scale's range 0..11"),
        (lambda: djg6(-1), "score -1 is outside"),
        (lambda: loneliness_share("nope", 1), "unknown loneliness instrument 'nope'"),
        (lambda: share_of_range(1, 5, 5), "range 5..5 is empty"),
        (lambda: is_strong_worsening(0.1, 1.5), "from 0 to 1, got 1.5"),
        (lambda: trend("low", 0.5), "must be a number"),
    ],
)
def test_impossible_values_are_refused_with_a_clear_message(call, message):
    with pytest.raises(ChangeError, match=message.replace(".", r"\.").replace("(", r"\(")):
        call()


# --- strong worsening: hand-worked boundaries -------------------------------------------------


@pytest.mark.parametrize(
    ("before", "now", "strong"),
    [
        # DJG-11: 3 points (3/11 = 0.273) is strong, 2 (0.182) is not.
        (0, 2, False),
        (0, 3, True),
        (8, 11, True),
        (8, 10, False),
        (5, 4, False),  # better
        (4, 4, False),
    ],
)
def test_djg11_boundary_is_three_points(before, now, strong):
    assert is_strong_worsening(djg11(before), djg11(now)) is strong


@pytest.mark.parametrize(
    ("before", "now", "strong"),
    [(0, 1, False), (0, 2, True), (4, 6, True), (5, 6, False), (3, 1, False)],
)
def test_djg6_boundary_is_two_points(before, now, strong):
    assert is_strong_worsening(djg6(before), djg6(now)) is strong


@pytest.mark.parametrize(
    ("before", "now", "strong"),
    [
        (djg6(1), djg11(5), True),  # 5/11 - 1/6 = 19/66 = 0.288
        (djg6(2), djg11(6), False),  # 6/11 - 1/3 = 7/33 = 0.212
        (djg11(2), djg6(3), True),  # 1/2 - 2/11 = 7/22 = 0.318
        (djg11(3), djg6(3), False),  # 1/2 - 3/11 = 5/22 = 0.227
    ],
)
def test_djg6_and_djg11_compare_as_a_share_of_their_range(before, now, strong):
    assert is_strong_worsening(before, now) is strong


def test_a_rise_of_exactly_the_threshold_counts():
    # Range 0..8: 2 points is exactly 25%.
    assert is_strong_worsening(share_of_range(0, 0, 8), share_of_range(2, 0, 8))
    assert not is_strong_worsening(share_of_range(0, 0, 8), share_of_range(1, 0, 8))
    # In floating point 7/20 - 2/20 is 0.24999999999999997; the rule still sees 25%.
    assert 7 / 20 - 2 / 20 < 0.25
    assert is_strong_worsening(2 / 20, 7 / 20)


def test_nothing_to_compare_is_no_worsening():
    assert not is_strong_worsening(None, djg11(11))
    assert not is_strong_worsening(djg11(0), None)


@pytest.mark.parametrize(
    ("percent", "before", "now", "strong"),
    [
        (50, 0, 5, False),  # 5/11 = 0.45
        (50, 0, 6, True),  # 6/11 = 0.55
        (100, 0, 10, False),
        (100, 0, 11, True),
        (1, 0, 1, True),  # 1/11 = 9%
    ],
)
def test_the_setting_moves_the_boundary(percent, before, now, strong):
    settings = {"strong_worsening_percent": percent}
    assert is_strong_worsening(djg11(before), djg11(now), settings) is strong


# --- trend -----------------------------------------------------------------------------------


def test_trend_hand_worked():
    assert trend(djg11(5), djg11(3)) == "better"
    assert trend(djg11(3), djg11(4)) == "worse"  # any rise, however small
    assert trend(djg11(3), djg11(3)) == "same"
    assert trend(djg6(6), djg11(11)) == "same"  # both the loneliest answer
    assert trend(djg6(3), 0.5) == "same"  # a float quotient equals its fraction
    assert trend(djg6(3), djg11(5)) == "better"  # 5/11 < 1/2
    assert trend(None, djg6(1)) is None
    assert trend(djg6(1), None) is None


# --- properties ------------------------------------------------------------------------------

ranges = st.integers(min_value=1, max_value=60)


@st.composite
def two_scores(draw):
    top = draw(ranges)
    return top, draw(st.integers(0, top)), draw(st.integers(0, top))


@given(two_scores(), st.integers(1, 100))
def test_strong_worsening_is_the_whole_number_rule(case, percent):
    """On one scale: strong exactly when 100 x rise >= percent x range (all integers)."""
    top, a, b = case
    got = is_strong_worsening(
        share_of_range(a, 0, top), share_of_range(b, 0, top), {"strong_worsening_percent": percent}
    )
    assert got is ((b - a) * 100 >= percent * top)


@given(two_scores())
def test_float_shares_give_the_same_answers_as_exact_ones(case):
    top, a, b = case
    exact = share_of_range(a, 0, top), share_of_range(b, 0, top)
    floats = a / top, b / top
    assert is_strong_worsening(*floats) is is_strong_worsening(*exact)
    assert trend(*floats) == trend(*exact)


@given(two_scores())
def test_trend_is_antisymmetric_and_a_strong_worsening_is_worse(case):
    top, a, b = case
    x, y = share_of_range(a, 0, top), share_of_range(b, 0, top)
    opposite = {"better": "worse", "worse": "better", "same": "same"}
    assert trend(y, x) == opposite[trend(x, y)]
    if is_strong_worsening(x, y):
        assert trend(x, y) == "worse"


def test_the_core_module_does_not_import_django():
    tree = ast.parse(Path(change.__file__).read_text(encoding="utf-8"))
    imported = [
        name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
    ]
    assert imported and not [n for n in imported if n.split(".")[0] == "django"]


# --- like with like (the coach dashboard and the course overview) ---------------------------


def test_loneliness_trend_compares_the_same_questionnaire_when_both_have_it():
    from verbind.core.change import loneliness_trend

    # A start check-in: DJG-11 6 of 11 (55 %), its DJG-6 6 of 6; a week: DJG-6 6 of 6. The
    # DJG-6 did not move: the same (the shares 55 % -> 100 % would have said "worse").
    assert loneliness_trend({"djg11": 6, "djg6": 6}, {"djg6": 6}) == "same"
    assert loneliness_trend({"djg11": 6, "djg6": 6}, {"djg6": 4}) == "better"
    assert loneliness_trend({"djg11": 6, "djg6": 2}, {"djg11": 9, "djg6": 1}) == "worse"  # DJG-11


def test_loneliness_trend_falls_back_to_shares_and_knows_no_start():
    from verbind.core.change import loneliness_trend

    assert loneliness_trend({"djg11": 11}, {"djg6": 3}) == "better"  # 100 % -> 50 %
    assert loneliness_trend({"ucla3": 3}, {"djg6": 0}) == "same"  # both the least lonely
    assert loneliness_trend({}, {"djg6": 3}) is None
    assert loneliness_trend({"djg6": None}, {"djg6": 3}) is None
