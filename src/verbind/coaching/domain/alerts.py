"""Alerts for coaches: a "yes" to the safety question, a strong worsening, and mood that
stays "very bad" over several course check-ins in a row.

Raised by a saved self-test (``screening.Measurement``) and by a course check-in
(``course.CheckIn``), through one function, :func:`open_alert`. A coach marks an alert
handled (who and when are kept) and can undo that (:func:`reopen_alert`). Only a participant with a
coach matters to coaches, but alerts are raised for every saved measurement and check-in
so a coach who is added later sees open ones too.
"""

from __future__ import annotations

from fractions import Fraction

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from verbind.accounts.models import User
from verbind.coaching import signals
from verbind.coaching.models import Alert, AlertKind, CoachAssignment, CoachShare
from verbind.core import change
from verbind.core.instrument import registry
from verbind.outbox.domain import mailing
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


def coaches_of(participant_id: int):
    """Every coach who may see this participant now: the assigned coach and active shares."""
    assigned = CoachAssignment.objects.filter(participant_id=participant_id, active=True)
    shared = CoachShare.objects.filter(
        assignment__participant_id=participant_id, assignment__active=True, active=True
    )
    return User.objects.filter(is_active=True).filter(
        pk__in=assigned.values("coach_id").union(shared.values("coach_id"))
    )


@transaction.atomic
def notify_coaches(participant_id: int) -> int:
    """Tell the participant's coaches at once that something needs their attention.

    The e-mail holds no personal content (no name, no answer, not even the kind of alert):
    only a link to the coach's page, behind a login. It is stored in the outbox in the
    caller's transaction and sent after the commit (after the page, during a request); a
    mail server that fails never reaches the participant, and the outbox tries again.
    Returns the number of e-mails queued.
    """
    queued = []
    path = reverse("coaching:participant", args=[participant_id])
    for coach in coaches_of(participant_id):
        subject, body = mailing.compose(
            coach.preferred_language,
            "email/alert_subject.txt",
            "email/alert.txt",
            {"url": f"{settings.SITE_URL}{path}"},
        )
        # One waiting e-mail per coach and participant: a second signal before the first
        # e-mail went out (a safety answer and a worsening at once) adds nothing to its link.
        key = f"alert:{participant_id}:{coach.pk}"
        queued.append(mailing.queue(coach.email, subject, body, kind="alert", key=key))
    mailing.send_after_commit(queued)
    return len(queued)


def open_alert(source, kind: str, participant_id: int | None = None) -> Alert:
    """Open an alert once per source and kind; the coaches hear of a new one at once
    (queued in this transaction, sent after it commits: nothing goes out for something
    rolled back, and nothing committed is lost).

    ``source`` is what raised it: a self-test (``screening.Measurement``) or a course
    check-in (``course.CheckIn``). ``participant_id`` defaults to the source's participant.
    """
    if isinstance(source, Measurement):
        lookup = {"measurement": source}
        owner = source.participant_id
    elif isinstance(source, Alert._meta.get_field("check_in").related_model):
        # A course check-in: coaching knows the model only through the Alert's foreign key.
        lookup = {"check_in": source}
        owner = source.enrolment.participant_id
    else:
        raise TypeError(f"an alert is raised by a Measurement or a CheckIn, not {source!r}")
    if participant_id is None:
        participant_id = owner
    elif participant_id != owner:
        raise ValueError("the alert's participant must be the participant of its source")
    alert, created = Alert.objects.get_or_create(
        **lookup, kind=kind, defaults={"participant_id": participant_id}
    )
    if created:
        notify_coaches(participant_id)
    return alert


@transaction.atomic
def raise_alerts_for(measurement: Measurement) -> list[Alert]:
    raised = []
    if measurement.participant_id is None:
        return raised
    if measurement.safety_flag:
        raised.append(open_alert(measurement, AlertKind.SAFETY, measurement.participant_id))
    previous = (
        Measurement.objects.filter(
            participant_id=measurement.participant_id, created_at__lt=measurement.created_at
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if is_strong_worsening(previous, measurement):
        raised.append(open_alert(measurement, AlertKind.WORSENING, measurement.participant_id))
    return raised


@transaction.atomic
def resolve_alert(alert: Alert, by) -> None:
    now = timezone.now()
    if alert.resolved_at is None:
        alert.resolved_at = now
        alert.resolved_by = by
        alert.save(update_fields=["resolved_at", "resolved_by"])
    # The course keeps "seen" on the check-in too: every signal handled is seen.
    signals.alert_resolved.send(sender=Alert, alert=alert, by=by, now=now)


@transaction.atomic
def reopen_alert(alert: Alert) -> None:
    """Undo "handled": the alert is open again, and so are its check-in's signals."""
    if alert.resolved_at is None:
        return
    alert.resolved_at = None
    alert.resolved_by = None
    alert.save(update_fields=["resolved_at", "resolved_by"])
    signals.alert_reopened.send(sender=Alert, alert=alert)


def on_measurement_saved(sender, measurement: Measurement, **kwargs) -> None:
    """Receiver of ``screening.signals.measurement_saved`` (connected in apps.py): a saved
    self-test raises its alerts in the same transaction."""
    raise_alerts_for(measurement)
