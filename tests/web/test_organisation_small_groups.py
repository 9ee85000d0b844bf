"""The organisation page shows figures about participants' tests and signals only for a
group of at least 10 participants with a test; below that it says why, and the figures are
not even counted. Padding the group with accounts the admin controls, or working back from
what the admin sees as a coach, shows nothing either."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web_base import add_measurement, make_participant

from verbind.accounts.models import Membership, Role, User
from verbind.coaching.domain.organisation_admin import contributors, counts
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
    while contributors(people.org).count() < size:
        n += 1
        person = make_participant(people.org, people.coach, f"extra{n}@example.org", f"Extra {n}")
        add_measurement(person)


def test_below_ten_participants_no_figures_about_tests_or_signals(people, client_for):
    _grow_to(people, MIN_GROUP_SIZE - 1)
    assert contributors(people.org).count() == MIN_GROUP_SIZE - 1
    figures = counts(people.org)
    assert figures.measurements is None and figures.open_alerts is None
    assert figures.participants_with_coach == _people_with_a_coach(people.org)
    html = _page(client_for)
    assert "Tests by these participants" not in html and "Open signals" not in html
    assert "at least 10 participants with a test" in html


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


def _admin_coaches_too(people) -> None:
    Membership.objects.create(
        user=people.org_admin, organisation=people.org, role=Role.COACH, is_active=True
    )


def test_padding_with_accounts_without_a_test_shows_nothing(people, client_for):
    """The attack: an admin makes themself a coach and invites addresses they control, to
    lift one real participant's group to 10. Accounts without a test add nothing."""
    _admin_coaches_too(people)
    real = contributors(people.org).count()
    assert real >= 1  # the fixture's participant, with a test and an open signal
    for n in range(MIN_GROUP_SIZE - real):
        make_participant(people.org, people.org_admin, f"pad{n}@example.org", f"Pad {n}")
    assert _people_with_a_coach(people.org) >= MIN_GROUP_SIZE
    figures = counts(people.org, viewer=people.org_admin)
    assert figures.measurements is None and figures.open_alerts is None
    html = _page(client_for)
    assert "Tests by these participants" not in html and "Open signals" not in html


def test_padding_with_tests_cannot_be_worked_back_either(people, client_for):
    """The padded accounts take a test too: the group has 10 people with a test, but the
    admin sees 9 of them as their coach, so the figure would describe the one real person."""
    _admin_coaches_too(people)
    real = contributors(people.org).count()
    for n in range(MIN_GROUP_SIZE - real):
        padded = make_participant(people.org, people.org_admin, f"pad{n}@example.org", "Pad")
        add_measurement(padded)
    assert contributors(people.org).count() == MIN_GROUP_SIZE
    assert counts(people.org).measurements is not None  # for someone who coaches nobody
    figures = counts(people.org, viewer=people.org_admin)
    assert figures.measurements is None and figures.open_alerts is None
    assert "Open signals" not in _page(client_for)


def test_a_coach_with_few_participants_shows_fewer_than_ten(people, client_for):
    html = _page(client_for)
    assert "fewer than 10" in html


def test_nobody_waiting_for_a_coach_is_said_without_an_empty_list_to_open(people, client_for):
    from verbind.coaching.models import CoachRequest

    CoachRequest.objects.all().delete()
    html = _page(client_for)
    assert "Nobody is waiting for a coach now." in html
    assert "Give them a coach" not in html
