"""DJG-6 scored by hand (De Jong Gierveld & Van Tilburg 2006; manual's SPSS syntax).

Items 1-3 are DJG-11 items 3, 9, 10 (negative, emotional): 1 point for ja!/ja/min of meer.
Items 4-6 are DJG-11 items 4, 7, 8 (positive, social): 1 point for min of meer/nee/nee!.
"""

import pytest

from verbind.core.scoring import ScoringError, score

ITEMS = ["1", "2", "3", "4", "5", "6"]


def djg6(labels, **kw):
    return score("djg6", dict(zip(ITEMS, labels, strict=True)), **kw)


@pytest.mark.parametrize(
    ("labels", "emotional", "social", "total", "level"),
    [
        (("nee!", "nee", "nee", "ja", "ja!", "ja"), 0, 0, 0, "not_lonely"),
        # 1: item 1 "min of meer". Upper edge of not lonely.
        (("min of meer", "nee", "nee", "ja", "ja!", "ja"), 1, 0, 1, "not_lonely"),
        # 2: + item 4 "nee". Lower edge of moderately lonely.
        (("min of meer", "nee", "nee", "nee", "ja!", "ja"), 1, 1, 2, "moderately_lonely"),
        # 4: items 1, 2 and 4, 5. Upper edge of moderately lonely.
        (("min of meer", "ja!", "nee", "nee", "min of meer", "ja"), 2, 2, 4, "moderately_lonely"),
        # 5: items 1, 2, 3 and 4, 5. Lower edge of severely lonely.
        (("min of meer", "ja!", "ja", "nee", "min of meer", "ja"), 3, 2, 5, "severely_lonely"),
        # 6: all lonely.
        (("ja", "ja", "ja", "nee!", "nee", "min of meer"), 3, 3, 6, "severely_lonely"),
    ],
)
def test_band_boundaries(labels, emotional, social, total, level):
    r = djg6(labels)
    assert (r.scales["emotional"].value, r.scales["social"].value) == (emotional, social)
    assert r.total.value == total
    assert r.total.level == level
    assert r.total.meets_cutoff is (total >= 2)


@pytest.mark.parametrize(
    ("labels", "emotional_lonely", "social_lonely"),
    [
        (("nee", "nee", "nee", "ja", "ja", "ja"), False, False),  # 0 and 0
        (("ja", "nee", "nee", "ja", "ja", "nee"), True, True),  # 1 and 1: lonely from 1
        (("nee", "nee", "nee", "ja", "min of meer", "ja"), False, True),  # 0 and 1
    ],
)
def test_subscale_boundary_0_1(labels, emotional_lonely, social_lonely):
    r = djg6(labels)
    assert r.scales["emotional"].meets_cutoff is emotional_lonely
    assert r.scales["social"].meets_cutoff is social_lonely
    assert r.scales["emotional"].level == ("lonely" if emotional_lonely else "not_lonely")
    assert r.scales["social"].level == ("lonely" if social_lonely else "not_lonely")


def test_cutoffs_are_settings():
    labels = ("ja", "nee", "nee", "nee", "ja", "ja")  # emotional 1, social 1, total 2
    r = djg6(labels, settings={"djg6_lonely_cutoff": 3, "djg6_subscale_cutoff": 2})
    assert r.total.value == 2
    assert r.total.meets_cutoff is False
    assert r.scales["emotional"].meets_cutoff is False
    assert djg6(labels).total.meets_cutoff is True


def test_three_point_form_codes():
    # 1 = ja, 2 = min of meer, 3 = nee.
    r = djg6([1, 1, 1, 3, 3, 3], form="three_point")  # all lonely
    assert r.total.value == 6
    r = djg6([3, 3, 3, 1, 1, 1], form="three_point")  # none lonely
    assert r.total.value == 0
    r = djg6([2] * 6, form="three_point")  # more or less: always lonely
    assert r.total.value == 6


def test_five_point_form_codes():
    # 1 = ja!, 2 = ja, 3 = min of meer, 4 = nee, 5 = nee!
    assert djg6([1, 2, 3, 4, 5, 3]).total.value == 6
    assert djg6([5, 4, 4, 1, 2, 1]).total.value == 0
    assert djg6([2] * 6).total.value == 3  # ja: negatives lonely, positives not


@pytest.mark.parametrize("missing_item", ITEMS)
def test_one_missing_item_total_is_the_answered_sum(missing_item):
    labels = ["ja", "ja", "ja", "nee", "nee", "nee"]  # everything lonely: 6
    labels[ITEMS.index(missing_item)] = None
    r = djg6(labels)
    assert r.total.value == 5
    assert r.total.answered == 5
    missing_scale = "emotional" if missing_item in ("1", "2", "3") else "social"
    other = "social" if missing_scale == "emotional" else "emotional"
    assert r.scales[missing_scale].value is None
    assert r.scales[missing_scale].meets_cutoff is None
    assert r.scales[other].value == 3


def test_two_missing_items_leave_no_total():
    with pytest.raises(ScoringError) as err:
        djg6(["ja", None, "ja", "nee", None, "nee"])
    assert "djg6" in str(err.value)
    assert "2, 5" in str(err.value)
    r = djg6(["ja", None, "ja", "nee", None, "nee"], strict=False)
    assert r.total.value is None
    assert r.scales["emotional"].value is None
    assert r.scales["social"].value is None


def test_nothing_answered():
    r = score("djg6", {}, strict=False)
    assert r.total.value is None
    assert r.missing == tuple(ITEMS)
    with pytest.raises(ScoringError):
        score("djg6", {})
