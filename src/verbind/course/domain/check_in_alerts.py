"""A course check-in's signals become alerts for the coach, as a self-test's do.

The course decides what a check-in signals (a "yes" to the safety question, a strong
worsening, mood that stays "very bad"); coaching opens the alerts
(``coaching.domain.alerts.open_alert``) and tells the coaches."""

from __future__ import annotations

from django.db import transaction

from verbind.coaching.domain.alerts import open_alert
from verbind.coaching.models import Alert, AlertKind
from verbind.core import change
from verbind.course.models import CheckIn


@transaction.atomic
def raise_alerts_for_check_in(check_in: CheckIn) -> list[Alert]:
    """A course check-in's safety answer or strong worsening (already decided and stored
    on the check-in by the course) becomes an alert, as a self-test's does."""
    raised = []
    if check_in.safety_flag:
        raised.append(open_alert(check_in, AlertKind.SAFETY))
    if check_in.worsening_flag:
        raised.append(open_alert(check_in, AlertKind.WORSENING))
    if is_persistent_low_mood(check_in):
        raised.append(open_alert(check_in, AlertKind.LOW_MOOD))
    return raised


def is_persistent_low_mood(check_in: CheckIn) -> bool:
    """The core's rule (verbind.core.change.is_persistent_low_mood) on the moods of this
    enrolment's check-ins up to and including ``check_in``."""
    if check_in.mood is None:
        return False
    earlier = (
        CheckIn.objects.filter(
            enrolment_id=check_in.enrolment_id, created_at__lte=check_in.created_at
        )
        .exclude(pk=check_in.pk)
        .order_by("created_at", "pk")
        .values_list("mood", flat=True)
    )
    return change.is_persistent_low_mood([*earlier, check_in.mood])
