"""UCLA-3 (Hughes et al. 2004) scored by hand: hardly ever = 1, some of the time = 2, often = 3."""

import pytest

from verbind.core.scoring import ScoringError, score


def ucla3(a, b, c, **kw):
    return score("ucla3", {"1": a, "2": b, "3": c}, **kw)


@pytest.mark.parametrize(
    ("answers", "total", "lonely"),
    [
        (("hardly ever", "hardly ever", "hardly ever"), 3, False),
        (("some of the time", "some of the time", "hardly ever"), 5, False),  # 2+2+1
        (("some of the time", "some of the time", "some of the time"), 6, True),  # 2+2+2
        (("often", "hardly ever", "some of the time"), 6, True),  # 3+1+2
        (("often", "often", "often"), 9, True),
    ],
)
def test_boundary_5_6(answers, total, lonely):
    r = ucla3(*answers)
    assert r.total.value == total
    assert r.total.meets_cutoff is lonely
    assert r.total.level == ("lonely" if lonely else "not_lonely")
    assert r.total.level_label.en == ("lonely" if lonely else "not lonely")


def test_codes_and_dutch_labels():
    assert ucla3(1, 2, 3).total.value == 6
    assert ucla3("bijna nooit", "soms", "vaak").total.value == 6
    assert ucla3("Hardly ever (or never)", "sometimes", "OFTEN").total.value == 6
    assert ucla3("hardly_ever", "some_of_the_time", "often").answers == {
        "1": "hardly_ever",
        "2": "some_of_the_time",
        "3": "often",
    }


def test_cutoff_is_a_setting_and_the_level_follows_it():
    r = ucla3(2, 2, 2, settings={"ucla3_lonely_cutoff": 7})
    assert r.total.value == 6
    assert r.total.meets_cutoff is False
    assert r.total.level == "not_lonely"


def test_no_missing_answer_allowed():
    with pytest.raises(ScoringError) as err:
        ucla3(3, None, 3)
    assert "ucla3, item 2" in str(err.value)
    r = ucla3(3, None, 3, strict=False)
    assert r.total.value is None
    assert r.total.level is None


def test_code_zero_is_not_an_answer():
    with pytest.raises(ScoringError) as err:
        ucla3(0, 1, 1)
    assert "1=hardly ever/bijna nooit, 2=some of the time/soms, 3=often/vaak" in str(err.value)
