"""The result page leads somewhere and speaks plainly: the course route gives the way to
the course (or says that saving the result comes first), self-help and meaningful
connections link to the tips page, and the scores table names each score in words."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from test_measurements import answers_for
from test_selftest import core_explanation, take_test, text_of

from verbind.screening.models import Measurement

pytestmark = pytest.mark.django_db

COURSE = answers_for(lonely=True, isolated=True, duration="gt_2_years")
NOT_COURSE = answers_for(lonely=False, isolated=False, duration="not_lonely")


def route_card(html: str) -> str:
    card = html[html.index('class="card route-card"') :]
    return card[: card.index("</section>")]


def test_the_answers_mean_what_the_tests_say():
    assert core_explanation(COURSE)[0].route == "course"
    assert core_explanation(NOT_COURSE)[0].route != "course"


def test_a_saved_course_result_has_a_button_to_the_course(client, people):
    client.force_login(people.participant)
    response = take_test(client, COURSE)
    m = Measurement.objects.filter(participant=people.participant).latest("created_at")
    assert response["Location"] == reverse("screening:saved_result", kwargs={"pk": m.pk})
    card = route_card(client.get(response["Location"]).content.decode())
    assert f'class="button" href="{reverse("course:overview")}"' in card
    assert "Naar de cursus: aanmelden" in text_of(card)
    # The course page it leads to offers the enrolment.
    course_page = client.get(reverse("course:overview")).content.decode()
    assert reverse("course:enrol") in course_page


@pytest.mark.parametrize(
    ("lang", "words", "sign_up"),
    [
        ("nl", "U doet al mee aan de cursus. U bent in week 1 van 8.", "Meld u aan"),
        ("en", "You already take part in the course. You are in week 1 of 8.", "Sign up"),
    ],
)
def test_someone_already_in_the_course_is_not_asked_to_sign_up_again(
    client, people, lang, words, sign_up
):
    from verbind.course.domain import enrolment as enrolment_domain

    client.force_login(people.participant)
    client.cookies["django_language"] = lang
    response = take_test(client, COURSE)
    enrolment_domain.enrol(people.participant)
    html = client.get(response["Location"]).content.decode()
    card = route_card(html)
    text = text_of(card)
    # The core's advice (the course) stays; the way on is the week they are in.
    assert core_explanation(COURSE, lang)[1].route_title in text_of(html)
    assert words in text
    week = reverse("course:week", args=[1])
    go_on = "Ga verder met week 1" if lang == "nl" else "Go on with week 1"
    assert f'class="button" href="{week}">{go_on}</a>' in card
    assert sign_up not in text and reverse("course:enrol") not in card
    assert "aanmelden" not in text and "sign up" not in text.lower()


def test_someone_whose_course_is_paused_is_led_to_the_course_page(client, people):
    from verbind.course.domain import enrolment as enrolment_domain

    client.force_login(people.participant)
    response = take_test(client, COURSE)
    enrolment_domain.pause(enrolment_domain.enrol(people.participant))
    card = route_card(client.get(response["Location"]).content.decode())
    assert "U doet al mee aan de cursus. De cursus staat op pauze." in text_of(card)
    assert f'class="button" href="{reverse("course:overview")}">Naar de cursus</a>' in card
    assert "Meld u aan" not in text_of(card)


def test_the_home_page_of_someone_in_the_course_does_not_ask_to_sign_up(client, people):
    from verbind.course.domain import enrolment as enrolment_domain

    client.force_login(people.participant)
    take_test(client, COURSE)
    enrolment_domain.enrol(people.participant)
    home = text_of(client.get(reverse("accounts:home")).content.decode())
    assert "U bent in week 1 van 8." in home
    assert "Meld u aan" not in home and "aanmelden" not in home


def test_a_saved_course_result_after_crisis_help_still_leads_to_the_course(client, people):
    client.force_login(people.participant)
    take_test(client, COURSE | {"context_safety": "yes"})
    m = Measurement.objects.filter(participant=people.participant).latest("created_at")
    html = client.get(reverse("screening:saved_result", kwargs={"pk": m.pk})).content.decode()
    assert reverse("course:overview") in route_card(html)


def test_an_anonymous_course_result_says_saving_comes_first(client):
    client.cookies["django_language"] = "en"
    take_test(client, COURSE)
    html = client.get(reverse("screening:result")).content.decode()
    card = route_card(html)
    assert reverse("course:overview") not in card
    assert "first save this result in an account" in text_of(card)
    assert 'href="#save-title"' in card and 'id="save-title"' in html


@pytest.mark.parametrize(
    ("lang", "words"),
    [("nl", "Log in om uw uitslag te bewaren"), ("en", "Log in to save your result")],
)
def test_the_login_link_says_what_it_saves(client, lang, words):
    client.cookies["django_language"] = lang
    take_test(client, COURSE)
    html = client.get(reverse("screening:result")).content.decode()
    login = reverse("accounts:login")
    assert re.search(rf'<a href="{login}\?next=[^"]+">{words}</a>', html)
    assert "hem te bewaren" not in html


def test_other_routes_get_no_course_button(client, people):
    client.force_login(people.participant)
    response = take_test(client, NOT_COURSE)
    card = route_card(client.get(response["Location"]).content.decode())
    assert reverse("course:overview") not in card and "#save-title" not in card


def test_an_account_that_keeps_no_results_gets_neither(client, people):
    client.force_login(people.coach)
    take_test(client, COURSE)
    card = route_card(client.get(reverse("screening:result")).content.decode())
    assert reverse("course:overview") not in card and "#save-title" not in card


# --- tips about making contact ----------------------------------------------------------

SELF_HELP = answers_for(lonely=True, isolated=True, duration="lt_6_months")
MEANINGFUL = answers_for(lonely=True, isolated=False, duration="lt_6_months")


@pytest.mark.parametrize(
    ("answers", "route"), [(SELF_HELP, "self_help"), (MEANINGFUL, "meaningful_connections")]
)
def test_self_help_and_meaningful_connections_link_to_the_tips(client, answers, route):
    assert core_explanation(answers)[0].route == route
    take_test(client, answers)
    card = route_card(client.get(reverse("screening:result")).content.decode())
    assert f'href="{reverse("tips")}"' in card
    assert "Lees de tips over contact maken" in text_of(card)


def test_the_course_route_does_not_link_to_the_tips(client):
    take_test(client, COURSE)
    card = route_card(client.get(reverse("screening:result")).content.decode())
    assert reverse("tips") not in card


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_tips_page_is_public_and_shows_every_tip(client, lang):
    from verbind.core.tips import tips

    client.cookies["django_language"] = lang
    response = client.get(reverse("tips"))
    assert response.status_code == 200
    html = response.content.decode()
    page = text_of(html)
    data = tips()
    assert data.title[lang] in page and data.closing[lang] in page
    for section in data.shown(lang):
        assert section.heading in page
        for tip in section.tips:
            assert tip in page, tip
        for link in section.links:
            assert f'href="{link.url}" rel="noopener"' in html
    # Crisis numbers in a tip can be tapped; nothing is loaded from another site.
    assert 'href="tel:0880767000"' in html
    assert '<script src="http' not in html


# --- the scores table ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_score_rows_are_named_in_words_with_the_questionnaire_in_small_print(client, lang):
    from verbind.core.battery import get_battery
    from verbind.core.instrument import registry

    client.cookies["django_language"] = lang
    take_test(client, COURSE)
    html = client.get(reverse("screening:result")).content.decode()
    table = html[html.index('aria-labelledby="scores-title"') :]
    heads = re.findall(r'<th scope="row">(.*?)</th>', table[: table.index("</table>")], re.S)
    expected = [
        f'{scale.label.get(lang)} <small class="scale-source">{inst.short_title}</small>'
        for inst_id, result in get_battery("short").score(COURSE).items()
        for inst in [registry()[inst_id]]
        for scale in (inst.scales[s] for s in result.scales)
    ]
    assert heads == expected and len(heads) >= 2
    assert not any(head.startswith(("DJG", "LSNS")) for head in heads)


@pytest.mark.parametrize(
    ("lang", "column"), [("nl", "Laagst – hoogst"), ("en", "Lowest – highest")]
)
def test_the_range_column_says_what_its_two_numbers_are(client, lang, column):
    # Not "Mogelijk" ("Possible"): a phone shows it before each range, as "Mogelijk: 0–6".
    client.cookies["django_language"] = lang
    take_test(client, COURSE)
    html = client.get(reverse("screening:result")).content.decode()
    assert f'<th scope="col">{column}</th>' in html
    assert f'data-label="{column}">0–' in html
    assert "Mogelijk" not in html
