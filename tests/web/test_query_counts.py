"""SQL queries per page do not grow with participants, measurements, alerts, notes or
colleagues: participant home, coach dashboard, coach participant page.

``test_pages.py`` checks this with rows inserted directly and both sizes grown together.
Here every measurement is made by the core (``save_measurement``: real profiles, history
and the alerts it raises), and each kind of growth is checked on its own, for every page,
so a query inside a loop over any of them shows up.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from web_base import make_coach, make_participant

from verbind.accounts.models import User
from verbind.coaching.domain import assignments, notes
from verbind.coaching.models import Alert, AlertKind, CoachAssignment
from verbind.screening.domain import measurements
from verbind.screening.models import Measurement

pytestmark = pytest.mark.django_db


def short_answers(lonely: bool, *, safety: str = "no") -> dict[str, str]:
    """The short self-test's answers (option keys from the definitions). DJG-6 items 1-3
    are emotional (a "yes" is lonely), 4-6 social (a "no" is lonely)."""
    agree, disagree = ("yes_strong", "no_strong") if lonely else ("no_strong", "yes_strong")
    answers = {f"djg6_{i}": agree for i in (1, 2, 3)}
    answers.update({f"djg6_{i}": disagree for i in (4, 5, 6)})
    answers.update({f"lsns6_{i}": "one" for i in range(1, 7)})
    answers.update(
        {
            "duration": "gt_2_years",
            "context_wish_to_change": "yes",
            "context_open_to_learning": "yes",
            "context_literacy": "yes",
            "context_safety": safety,
        }
    )
    return answers


def add_tests(person: User, count: int, *, start_days_ago: int = 400) -> None:
    """``count`` self-tests a week apart, alternating not lonely / lonely (so every lonely
    one after a calm one is a strong worsening), every fourth with a safety "yes"."""
    before = Measurement.objects.filter(participant=person).count()
    for k in range(count):
        n = before + k
        measurements.save_measurement(
            person,
            "short",
            short_answers(lonely=n % 2 == 1, safety="yes" if n % 4 == 3 else "no"),
            when=timezone.now() - timedelta(days=start_days_ago - 7 * n),
        )


def add_participants(people, count: int, tests_each: int, *, coach=None) -> None:
    coach = coach or people.coach
    start = User.objects.count()
    for i in range(count):
        person = make_participant(
            people.org, coach, f"grown{start + i}@example.org", f"Grown {start + i}"
        )
        add_tests(person, tests_each)


def add_notes(people, count: int) -> None:
    for i in range(count):
        notes.add_note(people.coach, people.participant, f"Note {i}")


def add_colleagues(people, count: int) -> None:
    start = User.objects.count()
    for i in range(count):
        make_coach(people.org, f"colleague{start + i}@example.org", f"Colleague {start + i}")


def share_colleagues_participants(people, count: int) -> None:
    """Participants of another coach, shared with ``coach``: on the dashboard too."""
    start = User.objects.count()
    for i in range(count):
        person = make_participant(
            people.org, people.other_coach, f"shared{start + i}@example.org", f"Shared {i}"
        )
        add_tests(person, 3)
        assignment = CoachAssignment.objects.get(participant=person)
        assignments.share_with_colleague(assignment, people.coach)


PAGES = {
    "participant home": ("participant", lambda people: reverse("accounts:home")),
    "coach dashboard": ("coach", lambda people: reverse("coaching:dashboard")),
    "coach participant page": (
        "coach",
        lambda people: reverse("coaching:participant", args=[people.participant.pk]),
    ),
}

GROWTH = {
    "participants": lambda people: add_participants(people, 15, 8),
    "their measurements": lambda people: add_tests(people.participant, 16, start_days_ago=900),
    "other coaches' participants": lambda people: add_participants(
        people, 10, 4, coach=people.other_coach
    ),
    "shared participants": lambda people: share_colleagues_participants(people, 6),
    "notes": lambda people: add_notes(people, 12),
    "colleagues": lambda people: add_colleagues(people, 8),
}


def count_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


@pytest.fixture
def small_world(people):
    """Every page has something of every kind before growing: measurements made by the
    core (with alerts), another participant, a note, a share."""
    add_tests(people.participant, 2)
    add_participants(people, 2, 2)
    add_notes(people, 1)
    share_colleagues_participants(people, 1)
    return people


@pytest.mark.parametrize("growth", list(GROWTH))
@pytest.mark.parametrize("page", list(PAGES))
def test_queries_per_page_do_not_grow(small_world, client_for, page, growth):
    role, url_of = PAGES[page]
    client = client_for(role)
    url = url_of(small_world)
    before, _ = count_queries(client, url)
    GROWTH[growth](small_world)
    after, _ = count_queries(client, url)
    assert after == before, f"{page}: {before} queries before {growth} grew, {after} after"


def test_the_grown_data_is_on_the_pages(small_world, client_for):
    """The counts above compare pages that really show what grew."""
    people = small_world
    add_participants(people, 3, 8)
    add_tests(people.participant, 6, start_days_ago=900)
    coach = client_for("coach")
    _, dashboard = count_queries(coach, reverse("coaching:dashboard"))
    for person in User.objects.filter(email__startswith="grown"):
        assert person.display_name in dashboard
    assert "Shared 0" in dashboard
    _, page = count_queries(coach, reverse("coaching:participant", args=[people.participant.pk]))
    tests_of_participant = Measurement.objects.filter(participant=people.participant).count()
    assert page.count("<tr>") - 1 >= tests_of_participant  # a row per test, plus the header
    worsening = Alert.objects.filter(
        participant=people.participant, kind=AlertKind.WORSENING, resolved_at=None
    )
    assert worsening.count() >= 3
