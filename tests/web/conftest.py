"""Fixtures of the shared test base; the people and helpers are in web_base.py."""

from __future__ import annotations

import pytest
from django.test import Client
from web_base import People, add_measurement, make_coach, make_participant, make_user

from verbind.accounts.models import Membership, Organisation, Role
from verbind.coaching.models import Alert, AlertKind, CoachAssignment, CoachNote


@pytest.fixture
def people(db) -> People:
    org = Organisation.objects.create(name="Org A", slug="org-a")
    other_org = Organisation.objects.create(name="Org B", slug="org-b")
    coach = make_coach(org, "coach@example.org", "Coach Carla")
    other_coach = make_coach(org, "other.coach@example.org", "Coach Otto")
    foreign_coach = make_coach(other_org, "foreign.coach@example.org", "Coach Frank")
    org_admin = make_user("admin@example.org", "Admin Anna")
    Membership.objects.create(user=org_admin, organisation=org, role=Role.ORG_ADMIN)
    participant = make_participant(org, coach, "pietje.xylofoon@example.org", "Pietje Xylofoon")
    other_participant = make_participant(org, other_coach, "other.participant@example.org", "Olga")
    add_measurement(participant, days_ago=30, loneliness_score=3)
    measurement = add_measurement(participant, days_ago=1, safety_flag=True)
    add_measurement(other_participant, days_ago=2, quadrant="connected", route="no_action")
    alert = Alert.objects.create(
        participant=participant, measurement=measurement, kind=AlertKind.SAFETY
    )
    note = CoachNote.objects.create(
        author=coach, participant=participant, text="Secret note about Pietje"
    )
    return People(
        org=org,
        other_org=other_org,
        participant=participant,
        other_participant=other_participant,
        coach=coach,
        other_coach=other_coach,
        foreign_coach=foreign_coach,
        org_admin=org_admin,
        assignment=CoachAssignment.objects.get(participant=participant),
        other_assignment=CoachAssignment.objects.get(participant=other_participant),
        measurement=measurement,
        alert=alert,
        note=note,
    )


@pytest.fixture
def client_for(people):
    def make(role: str) -> Client:
        client = Client()
        user = people.user(role)
        if user is not None:
            client.force_login(user)
        return client

    return make
