"""The weekly mood question: 1 (very bad) ... 5 (very good), higher is better."""

import pytest

from verbind.core.scoring import ScoringError, score


@pytest.mark.parametrize(
    ("code", "nl", "en", "key"),
    [
        (1, "heel slecht", "very bad", "very_bad"),
        (2, "slecht", "bad", "bad"),
        (3, "gaat wel", "okay", "okay"),
        (4, "goed", "good", "good"),
        (5, "heel goed", "very good", "very_good"),
    ],
)
def test_each_answer(code, nl, en, key):
    for answer in (code, nl, en, key):
        r = score("mood", {"mood": answer})
        assert r.total.value == code
        assert r.answers == {"mood": key}


def test_mood_is_better_when_higher():
    from verbind.core.instrument import get_instrument

    assert get_instrument("mood").scales["total"].higher_is == "better"


def test_unknown_mood():
    with pytest.raises(ScoringError) as err:
        score("mood", {"mood": 0})
    assert "mood, item mood" in str(err.value)
