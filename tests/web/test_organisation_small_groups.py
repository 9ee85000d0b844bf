"""The organisation page shows figures about participants' tests and signals only for a
group of at least 10 participants; below that it says why, and the figures are not even
counted."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web_base import add_measurement, make_participant

from verbind.accounts.models import User
from verbind.coaching.domain.organisation_admin import counts
from verbind.coaching.models import CoachAssignment
from verbind.core.privacy import MIN_GROUP_SIZE

pytestmark = pytest.mark.django_db


def _people_with_a_coach(org) -> int:
    return (
        CoachAssignment.objects.filter(organisation=org, active=True)
        .values("participant_id")
        .distinct()
        .count()
    )


def _page(client_for) -> str:
    response = client_for("org_admin").get(
        reverse("organisation:dashboard"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    return response.content.decode()


def _grow_to(people, size: int) -> None:
    n = 0
    while _people_with_a_coach(people.org) < size:
        n += 1
        person = make_participant(people.org, people.coach, f"extra{n}@example.org", f"Extra {n}")
        add_measurement(person)


def test_below_ten_participants_no_figures_about_tests_or_signals(people, client_for):
    _grow_to(people, MIN_GROUP_SIZE - 1)
    assert _people_with_a_coach(people.org) == MIN_GROUP_SIZE - 1
    figures = counts(people.org)
    assert figures.measurements is None and figures.open_alerts is None
    assert figures.participants_with_coach == MIN_GROUP_SIZE - 1
    html = _page(client_for)
    assert "Tests by these participants" not in html and "Open signals" not in html
    assert "shown from 10 participants on, so that nobody can be recognised" in html


def test_from_ten_participants_the_figures_are_shown(people, client_for):
    _grow_to(people, MIN_GROUP_SIZE)
    figures = counts(people.org)
    assert figures.measurements is not None and figures.open_alerts is not None
    assert figures.open_alerts >= 1  # the fixture's participant has an open safety alert
    html = _page(client_for)
    assert "Tests by these participants" in html and "Open signals" in html
    assert "nobody can be recognised" not in html
    # Still numbers only: no participant's name or address on the page.
    for person in User.objects.filter(email__startswith="extra"):
        assert person.display_name not in html and person.email not in html
