"""The ONS direct question: codes 1 = often/always ... 5 = never; points 4 ... 0."""

import pytest

from verbind.core.scoring import ScoringError, score


@pytest.mark.parametrize(
    ("code", "label_nl", "label_en", "points", "level"),
    [
        (1, "vaak of altijd", "often/always", 4, "often_always"),
        (2, "een deel van de tijd", "some of the time", 3, "some_of_the_time"),
        (3, "af en toe", "occasionally", 2, "occasionally"),
        (4, "bijna nooit", "hardly ever", 1, "hardly_ever"),
        (5, "nooit", "never", 0, "never"),
    ],
)
def test_each_answer_is_its_own_level(code, label_nl, label_en, points, level):
    for answer in (code, str(code), label_nl, label_en, level):
        r = score("ons", {"ons": answer})
        assert r.total.value == points
        assert r.total.level == level
        assert r.answers == {"ons": level}


def test_column_is_just_ons():
    from verbind.core.instrument import get_instrument

    assert get_instrument("ons").column("ons") == "ons"
    assert score("ons", {"ons": "Often or always"}).total.value == 4


def test_unanswered_or_unknown():
    with pytest.raises(ScoringError):
        score("ons", {"ons": None})
    with pytest.raises(ScoringError) as err:
        score("ons", {"ons": 6})
    assert "ons, item ons" in str(err.value)
    assert "5=never/nooit" in str(err.value)
