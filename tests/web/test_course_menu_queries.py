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
