"""A person's own data: everything we hold about them, as JSON and CSV, and deleting it all.

Coaches' private notes are a coach's working notes and are not part of the export (they
are deleted with the account).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from verbind.accounts.models import ConsentRecord, Invitation, Membership, User
from verbind.coaching.models import Alert, CoachAssignment, CoachNote, CoachShare
from verbind.screening.models import Measurement

EXPORT_FORMAT_VERSION = 1


def _dt(value) -> str | None:
    return value.isoformat() if value else None


def export_data(user: User) -> dict[str, Any]:
    """Everything verbind stores about this person (plain JSON-able data)."""
    measurements = Measurement.objects.filter(participant=user).order_by("created_at", "pk")
    return {
        "format": "verbind-personal-data",
        "format_version": EXPORT_FORMAT_VERSION,
        "account": {
            "email": user.email,
            "name": user.name,
            "preferred_language": user.preferred_language,
            "date_joined": _dt(user.date_joined),
            "last_login": _dt(user.last_login),
        },
        "consents": [
            {
                "purpose": c.purpose,
                "version": c.version,
                "language": c.language,
                "text": c.text,
                "given_at": _dt(c.given_at),
                "withdrawn_at": _dt(c.withdrawn_at),
            }
            for c in ConsentRecord.objects.filter(user=user).order_by("given_at", "pk")
        ],
        "memberships": [
            {
                "organisation": m.organisation.name,
                "role": m.role,
                "active": m.is_active,
                "since": _dt(m.created_at),
            }
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "coaches": [
            {
                "coach": a.coach.display_name,
                "organisation": a.organisation.name,
                "active": a.active,
                "since": _dt(a.created_at),
                "withdrawn_at": _dt(a.withdrawn_at),
            }
            for a in CoachAssignment.objects.filter(participant=user).select_related(
                "coach", "organisation"
            )
        ],
        "measurements": [
            {
                "created_at": _dt(m.created_at),
                "battery": m.battery,
                "language": m.language,
                "instrument_versions": m.instrument_versions,
                "answers": m.answers,
                "results": m.results,
                "profile": m.profile,
            }
            for m in measurements
        ],
    }


CSV_FIXED_COLUMNS = [
    "created_at",
    "battery",
    "quadrant",
    "duration_band",
    "route",
    "loneliness_instrument",
    "loneliness_score",
    "loneliness_level",
    "isolation_instrument",
    "isolation_score",
    "safety_flag",
]


def export_measurements_csv(user: User) -> str:
    """One row per measurement: the headline results and every answer (by column name)."""
    measurements = list(Measurement.objects.filter(participant=user).order_by("created_at", "pk"))
    answer_columns: list[str] = []
    for m in measurements:
        for column in m.answers:
            if column not in answer_columns:
                answer_columns.append(column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIXED_COLUMNS + answer_columns)
    for m in measurements:
        fixed = [
            _dt(m.created_at),
            m.battery,
            m.quadrant,
            m.duration_band,
            m.route,
            m.loneliness_instrument,
            m.loneliness_score,
            m.loneliness_level,
            m.isolation_instrument,
            m.isolation_score,
            m.safety_flag,
        ]
        writer.writerow(
            [_csv_safe(v) for v in fixed]
            + [_csv_safe(m.answers.get(c, "")) for c in answer_columns]
        )
    return out.getvalue()


def _csv_safe(value: Any) -> Any:
    # A spreadsheet must never run a cell as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the person and everything about them. Nothing is kept."""
    Alert.objects.filter(participant=user).delete()
    CoachNote.objects.filter(participant=user).delete()
    CoachShare.objects.filter(assignment__participant=user).delete()
    CoachAssignment.objects.filter(participant=user).delete()
    Measurement.objects.filter(participant=user).delete()
    ConsentRecord.objects.filter(user=user).delete()
    Invitation.objects.filter(email=user.email).delete()
    Membership.objects.filter(user=user).delete()
    # Login-throttling records carry the e-mail address too.
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username=user.email).delete()
    user.delete()
