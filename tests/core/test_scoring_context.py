"""The intake context (our own questions): unscored, except the safety flag."""

import pytest

from verbind.core.instrument import get_instrument
from verbind.core.scoring import ScoringError, score

EVENTS = (
    "event_breakup",
    "event_job_loss",
    "event_bereavement",
    "event_moving",
    "event_retirement",
    "event_illness",
)


@pytest.mark.parametrize("answer", ["yes", "ja", "Yes", "j", 1, "1", True])
def test_yes_to_safety_raises_the_flag(answer):
    r = score("context", {"safety": answer})
    assert r.flags == ("safety",)
    assert r.answers["safety"] == "yes"


@pytest.mark.parametrize("answer", ["no", "nee", 0, False, None])
def test_no_or_no_answer_raises_no_flag(answer):
    assert score("context", {"safety": answer}).flags == ()


def test_nothing_is_scored_and_nothing_is_required():
    inst = get_instrument("context")
    assert not inst.scored
    r = score("context", {})
    assert r.scales == {}
    assert r.flags == ()
    assert len(r.missing) == len(inst.items)


def test_life_events_are_a_group():
    inst = get_instrument("context")
    assert tuple(i.id for i in inst.items if i.group == "life_events") == EVENTS


def test_three_way_answers():
    answers = {
        "wish_to_change": "weet ik niet zeker",
        "literacy": "met een beetje moeite",
        "open_to_learning": "ja",
    }
    r = score("context", answers)
    assert r.answers["wish_to_change"] == "not_sure"
    assert r.answers["literacy"] == "some_difficulty"
    assert r.answers["open_to_learning"] == "yes"
    # Codes: yes = 1, no = 0, the middle answer = 2.
    r = score("context", {"wish_to_change": 2, "literacy": 2, "living_alone": 0})
    assert (r.answers["wish_to_change"], r.answers["literacy"], r.answers["living_alone"]) == (
        "not_sure",
        "some_difficulty",
        "no",
    )


def test_a_middle_answer_only_where_it_exists():
    with pytest.raises(ScoringError) as err:
        score("context", {"living_alone": "not_sure"})
    assert "context, item living_alone" in str(err.value)
    assert "allowed: 1=yes/ja, 0=no/nee" in str(err.value)
    with pytest.raises(ScoringError):
        score("context", {"safety": True, "literacy": "maybe"})
