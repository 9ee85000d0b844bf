"""The coach dashboard's "Since the first test" and "loneliness since the start check-in"
on the coach's course overview use one rule (the core's ``loneliness_trend``: the same
questionnaire where both moments have it) and each names its starting point. The course
overview used to compare the start check-in's long list (DJG-11) with a week's short list
(DJG-6) as shares of their ranges, and called a participant whose short-list score had not
moved "worse"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from test_course_support import full_answers, measured, weekly_answers

from verbind.core.instrument import registry
from verbind.course.domain import checkins
from verbind.course.domain import enrolment as enrolment_domain


def _start_answers() -> dict:
    """A start check-in lonely on the six statements of the short list and not on the
    other five: long list 6 of 11, short list (derived) 6 of 6."""
    answers = full_answers(lonely=True)
    short = set(registry()["djg6"].derived_from.items.values())
    for item in registry()["djg11"].items:
        if item.id not in short:
            points = item.key
            answers[f"djg11_{item.id}"] = min(points, key=points.get)
    return answers


def _trend_cell(html: str, name: str) -> str:
    row = re.search(rf"<tr[^>]*>\s*<th scope=\"row\"><a [^>]*>{name}</a>.*?</tr>", html, re.S)
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    return re.sub(r"<[^>]+>|\s+", " ", cells[2]).strip()


@pytest.fixture
def in_course(people):
    measured(people.participant)
    start = timezone.now() - timedelta(days=8)
    e = enrolment_domain.enrol(people.participant, now=start)
    enrolment_domain.set_feedback_blocking(e, False)
    c0 = checkins.save_check_in(e, "week-0", _start_answers(), now=start + timedelta(hours=1))
    assert c0.results["djg11"]["scales"]["total"]["value"] == 6
    assert c0.results["djg6"]["scales"]["total"]["value"] == 6
    checkins.save_check_in(e, "week-1", weekly_answers(lonely=True),
                           now=start + timedelta(days=7, hours=1))  # fmt: skip
    return e, c0


def test_the_course_overview_compares_like_with_like_from_the_start_check_in(
    in_course, people, client_for
):
    _e, start = in_course
    html = client_for("coach").get(reverse("course:coach_overview")).content.decode()
    assert "Eenzaamheid sinds de check-in bij de start" in html
    day = timezone.localtime(start.created_at)
    cell = _trend_cell(html, people.participant.display_name)
    # The short list stayed at 6 of 6: the same, not "more lonely" (55 % -> 100 %).
    assert cell.startswith("gelijk"), cell
    assert f"check-in bij de start: {day.day} " in cell and str(day.year) in cell


def test_both_coach_pages_say_what_they_compare(in_course, client_for):
    dashboard = client_for("coach").get(reverse("coaching:dashboard")).content.decode()
    assert "Sinds de eerste test" in dashboard
    assert "sinds de eerste zelftest van de deelnemer, op dezelfde vragenlijst" in dashboard
    course = client_for("coach").get(reverse("course:coach_overview")).content.decode()
    assert "op dezelfde vragenlijst" in course and "Mijn deelnemers" in course
