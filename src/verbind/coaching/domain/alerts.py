"""Alerts for coaches: a "yes" to the safety question, and a strong worsening.

Only measurements of a participant with a coach matter to coaches, but alerts are raised
for every saved measurement so a coach who is added later sees open ones too.
"""

from __future__ import annotations

from fractions import Fraction

from django.db import transaction
from django.utils import timezone

from verbind.coaching.models import Alert, AlertKind
from verbind.core import change
from verbind.core.instrument import registry
from verbind.screening.models import Measurement

# The default threshold as a share of the range, for code that read it here before the
# rule moved to the core (the setting ``strong_worsening_percent`` decides).
WORSENING_SHARE = float(change.worsening_threshold())


def share_of(instrument: str, score: int | None, top: int | None) -> Fraction | None:
    """A stored loneliness score as a share of its scale's range (the core's definition);
    a scale the registry does not know counts from 0 to the stored maximum."""
    if score is None or not top:
        return None
    if instrument in registry():
        return change.loneliness_share(instrument, score)
    return change.share_of_range(score, 0, top)


def loneliness_share_of(measurement) -> Fraction | None:
    """The loneliness of a Measurement (or CheckIn) as a share of its scale's range."""
    return share_of(
        measurement.loneliness_instrument,
        measurement.loneliness_score,
        measurement.loneliness_max,
    )


def is_strong_worsening(previous, current) -> bool:
    """The core's rule (verbind.core.change), applied to two stored measurements."""
    if previous is None:
        return False
    return change.is_strong_worsening(loneliness_share_of(previous), loneliness_share_of(current))


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
