"""result_in_short(): the result in three short lines (feeling, situation, next step)."""

import pytest

from verbind.core.instrument import LANGUAGES
from verbind.core.profile import ROUTES, ProfileInputs, profile_from_inputs, result_in_short

OK = {"wish_to_change": "yes", "open_to_learning": "yes", "literacy": "yes"}
CASES = {
    "no_action": ProfileInputs(lonely=False, isolated=False),
    "unknown": ProfileInputs(),
    "self_help": ProfileInputs(lonely=True, isolated=True, duration_answer="lt_6_months"),
    "meaningful_connections": ProfileInputs(
        lonely=True, isolated=False, emotional=True, duration_answer="lt_6_months"
    ),
    "course_chronic": ProfileInputs(
        lonely=True, isolated=True, social=True, duration_answer="gt_2_years", **OK
    ),
    "course_persistent": ProfileInputs(
        lonely=True, isolated=False, duration_answer="6_to_12_months", **OK
    ),
    "alternative_support": ProfileInputs(
        lonely=True, isolated=None, duration_answer="1_to_2_years"
    ),
    "respect_choice": ProfileInputs(
        lonely=True, isolated=True, duration_answer="gt_2_years", wish_to_change="no"
    ),
    "crisis_help": ProfileInputs(
        lonely=True, isolated=True, duration_answer="gt_2_years", safety="yes", **OK
    ),
}


def test_the_cases_reach_every_route_after_crisis_help():
    reached = {profile_from_inputs(i).classification.effective_route for i in CASES.values()}
    assert reached == set(ROUTES) - {"crisis_help"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_case_has_three_short_lines_in_both_languages(case, lang):
    profile = profile_from_inputs(CASES[case])
    summary = result_in_short(profile, lang)
    assert summary.route == profile.classification.effective_route
    assert len(summary.lines) == 3
    for line in summary.lines:
        assert line and len(line.split()) <= 15, line
        assert "{" not in line


def test_the_lines_follow_the_profile():
    chronic = result_in_short(profile_from_inputs(CASES["course_chronic"]), "nl")
    assert chronic.lines == (
        "U voelt zich al lang eenzaam.",
        "U heeft weinig contact met anderen.",
        "Wat u nu kunt doen: de cursus van 8 weken.",
    )
    fine = result_in_short(profile_from_inputs(ProfileInputs(lonely=False, isolated=False)), "en")
    assert fine.feeling == "You do not feel lonely."
    assert fine.situation == "You are in touch with people around you."


def test_after_crisis_help_the_next_step_is_the_route_underneath():
    profile = profile_from_inputs(CASES["crisis_help"])
    assert profile.classification.route == "crisis_help"
    assert result_in_short(profile, "en").route == "course"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="not supported"):
        result_in_short(profile_from_inputs(CASES["no_action"]), "de")


def test_a_course_that_needs_a_coach_first_says_so_in_the_next_step():
    """Reading with some difficulty (or persistent loneliness): the course fits only after
    a talk with a coach, so the three lines must not offer the course straight away."""
    some_difficulty = ProfileInputs(
        lonely=True,
        isolated=True,
        duration_answer="gt_2_years",
        **{**OK, "literacy": "some_difficulty"},
    )
    for inputs in (some_difficulty, CASES["course_persistent"]):
        profile = profile_from_inputs(inputs)
        assert profile.classification.effective_route == "course"
        assert "eerst met een coach" in result_in_short(profile, "nl").next_step
        assert "first talk with a coach" in result_in_short(profile, "en").next_step
    chronic = profile_from_inputs(CASES["course_chronic"])
    assert "coach" not in result_in_short(chronic, "nl").next_step
