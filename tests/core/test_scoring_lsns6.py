"""LSNS-6 (Lubben et al. 2006) scored by hand: none 0, one 1, two 2, three or four 3,
five to eight 4, nine or more 5. Items 1-3 family, 4-6 friends. Higher is a larger network."""

import pytest

from verbind.core.scoring import ScoringError, score


def lsns6(*answers, **kw):
    return score("lsns6", dict(zip("123456", answers, strict=True)), **kw)


@pytest.mark.parametrize(
    ("answers", "family", "friends", "total", "at_risk"),
    [
        (("none",) * 6, 0, 0, 0, True),
        # 11 = family 2+2+2, friends 2+2+1: upper edge of "at risk".
        (("two", "two", "two", "two", "two", "one"), 6, 5, 11, True),
        # 12 = family 2+2+2, friends 2+2+2: not at risk.
        (("two", "two", "two", "two", "two", "two"), 6, 6, 12, False),
        # 12 from an uneven network: family 5+4+3, friends none.
        (("9+", "5-8", "3-4", "none", "none", "none"), 12, 0, 12, False),
        (("nine or more",) * 6, 15, 15, 30, False),
    ],
)  # fmt: skip
def test_total_boundary_11_12(answers, family, friends, total, at_risk):
    r = lsns6(*answers)
    assert r.scales["family"].value == family
    assert r.scales["friends"].value == friends
    assert r.total.value == total
    assert r.total.meets_cutoff is at_risk
    assert r.total.level == ("at_risk" if at_risk else "not_at_risk")


@pytest.mark.parametrize(
    ("answers", "value", "limited"),
    [
        (("two", "two", "one"), 5, True),  # 2+2+1
        (("two", "two", "two"), 6, False),  # 2+2+2
        (("three or four", "two", "none"), 5, True),  # 3+2+0
        (("one", "none", "five to eight"), 5, True),  # 1+0+4
        (("one", "none", "nine or more"), 6, False),  # 1+0+5
    ],
)
def test_subscale_boundary_5_6(answers, value, limited):
    r = lsns6(*answers, *answers)
    for sub in ("family", "friends"):
        assert r.scales[sub].value == value
        assert r.scales[sub].meets_cutoff is limited
        assert r.scales[sub].level == ("limited" if limited else "not_limited")


def test_lubben_codes_and_text_aliases():
    # Lubben's codes are the points.
    assert lsns6(0, 1, 2, 3, 4, 5).total.value == 15
    aliases = ("niemand", "een", "2 personen", "3-4", "5-8", "9+")
    r = lsns6(*aliases)
    assert r.total.value == 15
    keys = ["none", "one", "two", "three_four", "five_eight", "nine_plus"]
    assert list(r.answers.values()) == keys
    dutch = ("geen", "één", "twee", "drie of vier", "vijf tot acht", "negen of meer")
    assert lsns6(*dutch).total.value == 15
    assert lsns6("None", "One", "Two", "3 or 4", "5 to 8", "9 or more").total.value == 15


def test_cutoffs_are_settings():
    r = lsns6(*(["two"] * 6), settings={"lsns6_isolation_cutoff": 13, "lsns6_subscale_cutoff": 7})
    assert r.total.value == 12
    assert r.total.meets_cutoff is True
    assert r.total.level == "at_risk"
    assert r.scales["family"].meets_cutoff is True


def test_an_actual_count_is_not_a_code():
    with pytest.raises(ScoringError) as err:
        lsns6(6, 0, 0, 0, 0, 0)
    msg = str(err.value)
    assert "lsns6, item 1" in msg
    assert "0=none/geen" in msg
    assert "5=nine or more/negen of meer" in msg


def test_every_answer_is_needed():
    # A missing answer would lower the total and suggest isolation that may not be there.
    with pytest.raises(ScoringError):
        lsns6("two", "two", "two", "two", "two", None)
    r = lsns6("two", "two", "two", "two", "two", None, strict=False)
    assert r.total.value is None
    assert r.scales["family"].value == 6
    assert r.scales["friends"].value is None
