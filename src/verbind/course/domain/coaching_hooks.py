"""What the course does when coaching changes: the receivers of ``coaching.signals``,
connected in ``course/apps.py`` (docs/decisions.md, 24). Coaching
sits below the course and never imports it; it sends a signal and the course acts, in
the same transaction."""

from __future__ import annotations

from django.db import transaction

from verbind.coaching.models import Alert, CoachAssignment
from verbind.course.models import CheckIn, Enrolment


def hold_weeks_for_feedback(sender, participant, now, **kwargs) -> None:
    """A participant who had no coach did the course on their own, without waiting for
    feedback: with a coach, a feedback moment holds the next week back again, but a week
    that has opened stays open (``Enrolment.feedback_blocks_since``)."""
    Enrolment.objects.filter(
        participant=participant, ended_at__isnull=True, feedback_blocks=False
    ).update(feedback_blocks=True, feedback_blocks_since=now)


def on_coach_access_ended(sender, participant_ids, **kwargs) -> None:
    release_feedback_gates(participant_ids)


def release_feedback_gates(participant_ids) -> int:
    """In the course a feedback moment keeps the next week closed until a coach responds.
    A participant with no coach left would wait for nobody: their running course stops
    waiting, as when a coach turns feedback blocking off (a new coach can turn it on
    again). Stored, not derived, so a week that opened does not close again later."""
    coached = CoachAssignment.objects.filter(participant_id__in=participant_ids, active=True)
    return (
        Enrolment.objects.filter(
            participant_id__in=participant_ids, ended_at__isnull=True, feedback_blocks=True
        )
        .exclude(participant_id__in=coached.values("participant_id"))
        .update(feedback_blocks=False)
    )


@transaction.atomic
def mark_check_in_seen(sender, alert: Alert, by, now, **kwargs) -> None:
    """Every signal of a check-in handled: the check-in's signals are seen."""
    if alert.check_in_id is None:
        return
    if Alert.objects.filter(check_in_id=alert.check_in_id, resolved_at=None).exists():
        return
    CheckIn.objects.filter(pk=alert.check_in_id, flags_seen_at=None).update(
        flags_seen_at=now, flags_seen_by=by
    )


def unmark_check_in_seen(sender, alert: Alert, **kwargs) -> None:
    """An alert open again: so are its check-in's signals."""
    if alert.check_in_id is not None:
        CheckIn.objects.filter(pk=alert.check_in_id).update(flags_seen_at=None, flags_seen_by=None)
