"""The menu's course link (``course_menu`` from verbind.web.context_processors) costs its
queries only where a template reads it, and at most once per request.

base.html reads ``course_menu.status`` only for a logged-in person who is not a coach, so a
coach's pages must not touch the course's tables at all (the menu's first question would
be "is this person enrolled?")."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from verbind.course.domain.navigation import OFFERED, course_status

pytestmark = pytest.mark.django_db

COURSE_TABLES = tuple(m._meta.db_table for m in apps.get_app_config("course").get_models())


def _course_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if any(t in q["sql"] for t in COURSE_TABLES)]


# The coach's participant page shows the participant's course itself, so it is not here.
@pytest.mark.parametrize(
    "name", ["coaching:dashboard", "coaching:invite", "accounts:password_change"]
)
def test_a_coachs_pages_run_no_course_queries_for_the_menu(client_for, name):
    with CaptureQueriesContext(connection) as ctx:
        response = client_for("coach").get(reverse(name))
    assert response.status_code == 200
    assert "course_menu" in response.context  # offered to the template, never read
    assert _course_queries(ctx) == []


def _render(source: str, user) -> tuple[str, int]:
    request = RequestFactory().get("/")
    request.user = user
    template = engines["django"].from_string(source)
    with CaptureQueriesContext(connection) as ctx:
        html = template.render({}, request)  # with the request: context processors run
    return html, len(ctx.captured_queries)


def test_a_template_that_does_not_read_the_menu_runs_no_queries(people):
    html, queries = _render("{{ site_url }}", people.participant)
    assert html and queries == 0


def test_the_menu_asks_the_database_once_however_often_the_template_reads_it(people):
    with CaptureQueriesContext(connection) as direct:
        expected = course_status(people.participant)
    assert expected == OFFERED  # the participant's latest test has the course route
    html, queries = _render(
        "{{ course_menu.status }} {{ course_menu.status }} {% if course_menu.status %}x{% endif %}",
        people.participant,
    )
    assert html == f"{expected} {expected} x"  # the same answer as course_status
    assert queries == len(direct.captured_queries) <= 2


@pytest.mark.parametrize("state", ["offered", "enrolled", "other route", "no test"])
def test_the_home_page_answers_the_menu_from_its_course_card(people, client_for, state):
    """On the participant's home the course card has asked what the menu asks, so the
    menu runs no queries of its own there and gives course_status's answer."""
    from verbind.course.domain.enrolment import enrol
    from verbind.screening.models import Measurement

    person = people.participant
    if state == "enrolled":
        enrol(person)
    elif state == "other route":
        Measurement.objects.filter(participant=person).update(route="no_action", profile={})
    elif state == "no test":
        Measurement.objects.filter(participant=person).delete()
    expected = course_status(person)
    assert expected == {"offered": OFFERED, "enrolled": "enrolled"}.get(state)
    with CaptureQueriesContext(connection) as ctx:
        response = client_for("participant").get(reverse("accounts:home"))
    assert response.context["course_menu"].status == expected
    menu = response.content.decode().split('<ul class="menu">')[1].split("</ul>")[0]
    assert (reverse("course:overview") in menu) == bool(expected)
    # The card's one question about enrolments, and no question of the menu's own.
    enrolment_table = apps.get_model("course", "Enrolment")._meta.db_table
    assert sum(f'FROM "{enrolment_table}"' in q["sql"] for q in ctx.captured_queries) == 1
