"""Steptoe social isolation index (Steptoe et al. 2013) scored by hand.

1 point each: not married/cohabiting; less than monthly contact with children, with other
family, with friends; no membership of any organisation. Our choice: no children = 0 points.
"""

import pytest

from verbind.core.scoring import ScoringError, score

PARTS = ("partner", "children", "family", "friends", "organisation")
CONNECTED = dict.fromkeys(PARTS, "yes")


def steptoe(**changes):
    return score("steptoe", {**CONNECTED, **changes})


@pytest.mark.parametrize(
    ("changes", "total", "isolated"),
    [
        ({}, 0, False),
        ({"partner": "no"}, 1, False),
        ({"partner": "no", "organisation": "no"}, 2, True),
        ({"children": "no", "friends": "no"}, 2, True),
        ({"family": "nee", "friends": "nee", "organisation": "nee"}, 3, True),
        (dict.fromkeys(PARTS, "no"), 5, True),
    ],
)
def test_boundary_1_2(changes, total, isolated):
    r = steptoe(**changes)
    assert r.total.value == total
    assert r.total.meets_cutoff is isolated
    assert r.total.level == ("isolated" if isolated else "not_isolated")


def test_no_children_scores_no_point():
    r = steptoe(children="I have no children")
    assert r.answers["children"] == "no_children"
    assert r.item_scores["children"] == 0
    # Single without children, but in monthly contact with family and friends: not isolated.
    r = steptoe(partner="nee", children="ik heb geen kinderen")
    assert r.total.value == 1
    assert r.total.meets_cutoff is False


def test_codes_and_booleans():
    # yes = 1, no = 0; children: no children = 2.
    r = score("steptoe", dict(zip(PARTS, (0, 2, 1, 0, 1), strict=True)))
    assert r.total.value == 2  # partner 1 + friends 1
    r = score("steptoe", dict(zip(PARTS, (False, True, True, False, True), strict=True)))
    assert r.total.value == 2


def test_no_children_is_only_an_answer_to_the_children_question():
    with pytest.raises(ScoringError) as err:
        steptoe(partner="no_children")
    assert "steptoe, item partner" in str(err.value)
    assert "1=yes/ja, 0=no/nee" in str(err.value)


def test_threshold_is_a_setting():
    r = score(
        "steptoe",
        {**CONNECTED, "partner": "no", "organisation": "no"},
        settings={"steptoe_isolation_cutoff": 3},
    )
    assert r.total.value == 2
    assert r.total.meets_cutoff is False
    assert r.total.level == "not_isolated"


def test_every_part_is_needed():
    with pytest.raises(ScoringError):
        score("steptoe", {"partner": "no", "children": "no"})
