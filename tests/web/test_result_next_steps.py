"""The result's next steps lead somewhere: the course route gives the way to the course
(or says that saving the result comes first)."""

from __future__ import annotations

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
