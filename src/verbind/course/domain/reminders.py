"""Course reminders by e-mail: which are due is the core's (``due_reminders``), with keys
that are stored when the reminder is queued in the outbox (in the same transaction), so
running the command twice sends nothing twice; the outbox retries what fails.

An e-mail says nothing personal (no name, no week's theme, no score): only that there is
something waiting, and a link.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from verbind.accounts.models import User
from verbind.coaching.models import CoachAssignment
from verbind.core import course as core
from verbind.course.domain.facts import situations, snapshot
from verbind.course.domain.programmes import get_shape
from verbind.course.models import Enrolment, SentReminder
from verbind.outbox.domain import mailing

LINKS = {
    "week_opened": "course:overview",
    "inactive": "course:overview",
    "follow_up_due": "course:overview",
    "feedback_waiting": "course:inbox",
}


def due(now: datetime | None = None) -> list[core.Reminder]:
    """Reminders due now that were never sent."""
    now = now or timezone.now()
    enrolments = list(Enrolment.objects.filter(ended_at=None, participant__is_active=True))
    coach_of = dict(
        CoachAssignment.objects.filter(
            active=True, participant_id__in=[e.participant_id for e in enrolments]
        )
        .order_by("created_at")
        .values_list("participant_id", "coach_id")
    )
    by_programme = defaultdict(list)
    for s in situations(enrolments, now):
        by_programme[s.enrolment.programme].append(
            snapshot(s, coach_of.get(s.enrolment.participant_id))
        )
    out: list[core.Reminder] = []
    for slug, snaps in by_programme.items():
        # Sent keys are checked against the database below, not loaded here in full.
        out.extend(core.due_reminders(get_shape(slug), snaps, (), now))
    sent = set(
        SentReminder.objects.filter(key__in=[r.key for r in out]).values_list("key", flat=True)
    )
    seen: set[str] = set()
    fresh = []
    for r in out:
        if r.key not in sent and r.key not in seen:
            seen.add(r.key)
            fresh.append(r)
    return fresh


def _message(reminder: core.Reminder, user: User) -> tuple[str, str]:
    link = settings.SITE_URL + reverse(LINKS[reminder.kind])
    return mailing.compose(
        user.preferred_language or settings.LANGUAGE_CODE,
        "course/email/reminder_subject.txt",
        "course/email/reminder.txt",
        {"kind": reminder.kind, "link": link},
    )


def send_due(now: datetime | None = None) -> list[core.Reminder]:
    """Send every due reminder once: recorded and queued together, then sent; one that
    another run already recorded is skipped. A failed e-mail waits in the outbox, which
    tries again (``manage.py send_outbox``)."""
    now = now or timezone.now()
    reminders = due(now)
    users = User.objects.in_bulk([int(r.recipient_id) for r in reminders])
    sent = []
    for r in reminders:
        user = users.get(int(r.recipient_id))
        if user is None or not user.is_active:
            continue
        subject, body = _message(r, user)
        try:
            with transaction.atomic():
                SentReminder.objects.create(key=r.key, kind=r.kind, recipient=user, sent_at=now)
                message = mailing.queue(user.email, subject, body, kind="course_reminder")
        except IntegrityError:
            continue  # sent by a run at the same moment
        mailing.deliver([message.pk], wait=True)  # never raises; a failure is retried
        sent.append(r)
    return sent
