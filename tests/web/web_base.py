"""The shared test base (fixtures in conftest.py): a person for every kind of access.

``people`` gives (all in organisation "Org A" unless said otherwise):

* ``participant``        coached by ``coach``; has measurements, an open safety alert
* ``other_participant``  coached by ``other_coach``
* ``coach``              coach of ``participant``
* ``other_coach``        another coach of the SAME organisation (not shared)
* ``foreign_coach``      a coach of ANOTHER organisation ("Org B")
* ``org_admin``          organisation admin of Org A (not a coach)

``client_for(role)`` returns a Django test client logged in as that person (or anonymous
for ``"anonymous"``). ROLES lists every role the access-control matrix checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from verbind.accounts.domain.consent import record_consent
from verbind.accounts.models import ConsentPurpose, Membership, Organisation, Role, User
from verbind.coaching.models import Alert, CoachAssignment, CoachNote
from verbind.screening.models import Measurement

ROLES = (
    "anonymous",
    "participant",
    "other_participant",
    "coach",
    "other_coach",
    "foreign_coach",
    "org_admin",
)
PASSWORD = "a long test password 1"


@dataclass
class People:
    org: Organisation
    other_org: Organisation
    participant: User
    other_participant: User
    coach: User
    other_coach: User
    foreign_coach: User
    org_admin: User
    assignment: CoachAssignment
    other_assignment: CoachAssignment
    measurement: Measurement
    alert: Alert
    note: CoachNote

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def make_user(email: str, name: str = "") -> User:
    return User.objects.create_user(email, PASSWORD, name=name)


def make_coach(org: Organisation, email: str, name: str) -> User:
    user = make_user(email, name)
    Membership.objects.create(user=user, organisation=org, role=Role.COACH)
    return user


def make_participant(org: Organisation, coach: User, email: str, name: str = "") -> User:
    user = make_user(email, name)
    record_consent(user, ConsentPurpose.STORE_MEASUREMENTS, "nl")
    record_consent(user, ConsentPurpose.SHARE_WITH_COACH, "nl")
    Membership.objects.create(user=user, organisation=org, role=Role.PARTICIPANT)
    CoachAssignment.objects.create(participant=user, coach=coach, organisation=org)
    return user


def add_measurement(participant: User, *, days_ago: int = 0, **fields) -> Measurement:
    """A stored measurement row with dashboard fields (for access tests; scoring through
    the core is tested in test_measurements.py)."""
    values = {
        "battery": "short",
        "quadrant": "lonely_and_isolated",
        "route": "course",
        "duration_band": "chronic",
        "loneliness_instrument": "djg6",
        "loneliness_score": 5,
        "loneliness_max": 6,
        "loneliness_level": "severely_lonely",
        "isolation_instrument": "lsns6",
        "isolation_score": 8,
        "isolation_max": 30,
        "isolated": True,
        "answers": {"djg6_1": "yes"},
        "results": {},
        "profile": {},
    }
    values.update(fields)
    return Measurement.objects.create(
        participant=participant, created_at=timezone.now() - timedelta(days=days_ago), **values
    )
