"""The duration question (our own): not scored; the profile reads the option key."""

import pytest

from verbind.core.instrument import get_instrument
from verbind.core.scoring import ScoringError, score


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        ((0, "Ik voel me niet eenzaam", "I don't feel lonely", "niet eenzaam"), "not_lonely"),
        ((1, "korter dan 6 maanden", "Less than 6 months", "<6 months"), "lt_6_months"),
        ((2, "6 maanden tot 1 jaar", "6 months to 1 year", "6-12 maanden"), "6_to_12_months"),
        ((3, "1 tot 2 jaar", "1 to 2 years", "1-2 years"), "1_to_2_years"),
        ((4, "langer dan 2 jaar", "More than 2 years", ">2 jaar"), "gt_2_years"),
    ],
)
def test_codes_and_labels_give_the_option_key(answers, key):
    for answer in (*answers, key, str(answers[0])):
        r = score("duration", {"duration": answer})
        assert r.answers == {"duration": key}
        assert r.scales == {}
        assert r.total is None


def test_column_is_just_duration_and_it_is_not_scored():
    inst = get_instrument("duration")
    assert inst.column("duration") == "duration"
    assert not inst.scored


def test_unanswered_is_allowed_and_reported():
    r = score("duration", {})
    assert r.answers == {"duration": None}
    assert r.missing == ("duration",)


def test_unknown_answer():
    with pytest.raises(ScoringError) as err:
        score("duration", {"duration": "a while"})
    assert "duration, item duration" in str(err.value)
    assert "4=More than 2 years/Langer dan 2 jaar" in str(err.value)
