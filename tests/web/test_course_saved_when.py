"""A draft's "saved" line names the day when it was not saved today: "Bewaard om 16:21"
under a draft from yesterday read as if it was saved today."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from test_course_support import measured, week1_ids

from verbind.course.domain import answers
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.models import ExerciseAnswer


@pytest.fixture
def draft(people):
    measured(people.participant)
    e = enrolment_domain.enrol(people.participant)
    return answers.save_draft(e, week1_ids()[0], "Half af")


def status_line(user, lang="nl") -> str:
    c = Client()
    c.force_login(user)
    c.cookies["django_language"] = lang
    html = c.get(reverse("course:week", args=[1])).content.decode()
    start = html.index(f'id="status-{week1_ids()[0]}"')
    return html[html.index(">", start) + 1 : html.index("</p>", start)]


def set_saved(draft, moment) -> str:
    ExerciseAnswer.objects.filter(pk=draft.pk).update(updated_at=moment)
    return timezone.localtime(moment).strftime("%H:%M")


def test_saved_today_says_the_time_only(draft, people):
    time = set_saved(draft, timezone.now())
    assert status_line(people.participant) == f"Bewaard om {time}."


@pytest.mark.parametrize(
    ("lang", "words"), [("nl", "Gisteren bewaard om {}."), ("en", "Saved yesterday at {}.")]
)
def test_saved_yesterday_says_yesterday(draft, people, lang, words):
    now = timezone.localtime()
    yesterday = now.replace(hour=16, minute=21) - timedelta(days=1)
    time = set_saved(draft, yesterday)
    assert status_line(people.participant, lang) == words.format(time)


def test_saved_earlier_names_the_day_in_words(draft, people):
    earlier = timezone.localtime() - timedelta(days=9)
    time = set_saved(draft, earlier)
    month = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december"][earlier.month - 1]  # fmt: skip
    day = f"{earlier.day} {month}" + (
        f" {earlier.year}" if earlier.year != timezone.localtime().year else ""
    )
    assert status_line(people.participant) == f"Bewaard op {day} om {time}."
