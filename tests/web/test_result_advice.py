"""The result page gives advice that fits: a strong network is not called isolation, very
severe loneliness is offered a conversation on every route, loneliness scales that
disagree are said in neutral words (and flagged for the coach), and the short test never
speaks of living alone. What the page says is compared with what the core says."""

from __future__ import annotations

import pytest
from django.urls import reverse
from test_measurements import answers_for, short_answers
from test_selftest import core_explanation, full_answers, take_test, text_of

from verbind.core.crisis import crisis_help
from verbind.core.profile import profile_texts
from verbind.screening.domain import measurements

pytestmark = pytest.mark.django_db


def full(*, djg11_lonely: int, lsns: str, ucla: str = "hardly_ever", **over) -> dict:
    """Full-test answers: ``djg11_lonely`` lonely emotional items (0-6), every LSNS-6 item
    ``lsns``, every UCLA-3 item ``ucla``; a single, childless person without a club."""
    answers = full_answers(
        duration="lt_6_months",
        context_living_alone="no",
        context_wish_to_change="yes",
        context_open_to_learning="yes",
        context_literacy="yes",
        context_safety="no",
        steptoe_partner="no",
        steptoe_children="no_children",
        steptoe_family="yes",
        steptoe_friends="yes",
        steptoe_organisation="no",
    )
    # Emotional items (2, 3, 5, 6, 9, 10): "yes" is lonely; social items: "yes" is not.
    for n, item in enumerate((2, 3, 5, 6, 9, 10)):
        answers[f"djg11_{item}"] = "yes" if n < djg11_lonely else "no_strong"
    for item in (1, 4, 7, 8, 11):
        answers[f"djg11_{item}"] = "yes_strong"
    answers.update({f"lsns6_{n}": lsns for n in range(1, 7)})
    answers.update({f"ucla3_{n}": ucla for n in range(1, 4)})
    for event in ("breakup", "job_loss", "bereavement", "moving", "retirement", "illness"):
        answers[f"context_event_{event}"] = "no"
    answers.update(over)
    return answers


def result_page(client, answers, battery, lang="nl") -> str:
    client.cookies["django_language"] = lang
    take_test(client, answers, battery)
    return text_of(client.get(reverse("screening:result")).content.decode())


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_strong_network_is_not_called_little_contact(client, lang):
    answers = full(djg11_lonely=0, lsns="three_four")  # LSNS-6 18, Steptoe 2
    profile, _ = core_explanation(answers, lang, battery="full")
    assert profile.quadrant == "connected" and profile.isolation_disagrees
    page = result_page(client, answers, "full", lang)
    assert ("weinig contact" if lang == "nl" else "little contact") not in page
    key = "situation.disagree_network_enough"
    assert profile_texts().text(key, lang) in page


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_very_severe_short_loneliness_is_offered_a_conversation(client, lang):
    answers = answers_for(lonely=True, isolated=True, duration="lt_6_months")  # DJG-6 6
    profile, explanation = core_explanation(answers, lang)
    assert profile.route == "self_help" and profile.inputs.severity == "severely_lonely"
    html_page = result_page(client, answers, "short", lang)
    assert explanation.titles["conversation"] in html_page
    for paragraph in explanation.conversation:
        assert paragraph.removeprefix("• ") in html_page
    assert crisis_help().service("luisterlijn").sentence(lang) in html_page
    assert ("huisarts" if lang == "nl" else "GP") in html_page


def test_the_listening_line_on_the_result_page_is_a_link_to_call(client):
    take_test(client, answers_for(lonely=True, isolated=True, duration="lt_6_months"))
    html = client.get(reverse("screening:result")).content.decode()
    assert 'href="tel:0880767000"' in html


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_disagreeing_loneliness_scales_are_not_told_all_is_well(client, lang):
    answers = full(djg11_lonely=0, lsns="three_four", ucla="often")  # DJG-11 0, UCLA-3 9
    profile, explanation = core_explanation(answers, lang, battery="full")
    assert profile.inputs.loneliness_disagrees and profile.route == "alternative_support"
    page = result_page(client, answers, "full", lang)
    assert ("Het gaat goed met u" if lang == "nl" else "You are doing well") not in page
    assert profile_texts().text("feeling.scales_disagree", lang) in page
    assert explanation.headline in page and explanation.route_title in page


def test_the_short_test_does_not_speak_of_living_alone(client):
    answers = short_answers(djg="no", lsns="none", duration="not_lonely", wish="no")
    answers.update({f"djg6_{i}": "no_strong" for i in (1, 2, 3)})
    answers.update({f"djg6_{i}": "yes_strong" for i in (4, 5, 6)})
    profile, _ = core_explanation(answers)
    assert profile.quadrant == "chosen_solitude"
    page = result_page(client, answers, "short")
    assert "alleen wonen" not in page.lower() and "uw keuze" not in page


def test_the_coach_sees_disagreeing_scales_as_a_flag(client, people):
    answers = full(djg11_lonely=0, lsns="three_four", ucla="often")
    measurements.save_measurement(people.participant, "full", answers)
    client.force_login(people.coach)
    page = text_of(
        client.get(
            reverse("coaching:participant", kwargs={"pk": people.participant.pk})
        ).content.decode()
    )
    for flag in ("loneliness_scales_disagree", "isolation_scales_disagree"):
        assert profile_texts().text(f"coach_flag.{flag}", "nl") in page


def test_a_result_without_disagreement_shows_the_coach_no_flag(client, people):
    measurements.save_measurement(people.participant, "short", answers_for(False, False))
    client.force_login(people.coach)
    html = client.get(
        reverse("coaching:participant", kwargs={"pk": people.participant.pk})
    ).content.decode()
    assert 'class="result-flags"' not in html
