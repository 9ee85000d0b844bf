"""Alerts for coaches: a "yes" to the safety question, and a strong worsening.

Only measurements of a participant with a coach matter to coaches, but alerts are raised
for every saved measurement so a coach who is added later sees open ones too.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from verbind.coaching.models import Alert, AlertKind
from verbind.screening.models import Measurement

# A strong worsening: loneliness rose by at least this share of the scale's range since the
# previous measurement (e.g. 3 of 11 points on the DJG-11, 2 of 6 on the DJG-6).
WORSENING_SHARE = 0.25


def is_strong_worsening(previous: Measurement | None, current: Measurement) -> bool:
    if previous is None:
        return False
    before, now = previous.loneliness_fraction, current.loneliness_fraction
    if before is None or now is None:
        return False
    return now - before >= WORSENING_SHARE - 1e-9


@transaction.atomic
def raise_alerts_for(measurement: Measurement) -> list[Alert]:
    raised = []
    if measurement.participant_id is None:
        return raised
    if measurement.safety_flag:
        alert, _ = Alert.objects.get_or_create(
            measurement=measurement,
            kind=AlertKind.SAFETY,
            defaults={"participant_id": measurement.participant_id},
        )
        raised.append(alert)
    previous = (
        Measurement.objects.filter(
            participant_id=measurement.participant_id, created_at__lt=measurement.created_at
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if is_strong_worsening(previous, measurement):
        alert, _ = Alert.objects.get_or_create(
            measurement=measurement,
            kind=AlertKind.WORSENING,
            defaults={"participant_id": measurement.participant_id},
        )
        raised.append(alert)
    return raised


@transaction.atomic
def resolve_alert(alert: Alert, by) -> None:
    if alert.resolved_at is None:
        alert.resolved_at = timezone.now()
        alert.resolved_by = by
        alert.save(update_fields=["resolved_at", "resolved_by"])
