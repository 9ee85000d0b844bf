"""Delete the accounts of participants who stopped using verbind, after an e-mail.

The rule (what is due for one account) is ``verbind.core.retention_rules``; this module finds the
accounts, sends the e-mails and deletes. Run daily by ``manage.py delete_inactive_accounts``.

The notice goes through the outbox. An account counts as warned (``deletion_warned_at``)
only once the notice was really sent: at once if the mail server takes it, else when
``manage.py send_outbox`` gets it out later (:func:`notice_sent`). A notice that waits in
the outbox is not a sent one, so nobody is deleted on the strength of it.

Work accounts (anyone who is or was a coach or organisation admin) and staff are left
alone: their organisation manages them, and deleting a coach would take their notes about
participants with it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from verbind.accounts.models import Membership, Role, User
from verbind.core import retention_rules
from verbind.outbox.domain import mailing
from verbind.outbox.models import Message
from verbind.participant.domain.personal_data import delete_account

log = logging.getLogger(__name__)


def rule() -> retention_rules.RetentionRule:
    return retention_rules.RetentionRule(
        inactive_months=settings.INACTIVE_ACCOUNT_MONTHS,
        notice_days=settings.INACTIVE_ACCOUNT_NOTICE_DAYS,
    )


@dataclass
class RetentionReport:
    """What one run did (or, in a dry run, would do). Counts only: no addresses."""

    warned: int = 0
    waiting: int = 0
    came_back: int = 0
    deleted: int = 0
    # user ids whose notice is not sent yet (it waits in the outbox, which tries again)
    not_warned: list[int] = field(default_factory=list)


def participant_accounts():
    """Accounts the retention rule applies to: participants only."""
    work = Membership.objects.filter(role__in=[Role.COACH, Role.ORG_ADMIN]).values("user_id")
    return User.objects.exclude(pk__in=work).filter(is_staff=False, is_superuser=False)


def candidates(now: dt.datetime, rule: retention_rules.RetentionRule):
    """Only accounts something may be due for: warned ones, and long-unused ones."""
    due = Q(deletion_warned_at__isnull=False)
    if rule.enabled:
        cutoff = retention_rules.months_before(now, rule.inactive_months)
        due |= Q(last_login__lte=cutoff) | Q(last_login__isnull=True, date_joined__lte=cutoff)
    return participant_accounts().filter(due).order_by("pk")


NOTICE_KIND = "inactive_account"


def notice_key(user_id: int) -> str:
    return f"{NOTICE_KIND}:{user_id}"


def send_notice(user: User, warned_at: dt.datetime, rule: retention_rules.RetentionRule) -> Message:
    """Queue the notice (once: a notice still waiting is not queued again) and try to send
    it now. Returns the outbox message; :func:`mailing.was_sent` says whether it went."""
    subject, body = mailing.compose(
        user.preferred_language,
        "email/inactive_account_subject.txt",
        "email/inactive_account.txt",
        {
            "months": rule.inactive_months,
            "date": retention_rules.deletion_date(warned_at, rule),
            "login_url": f"{settings.SITE_URL}{reverse('accounts:login')}",
            "my_data_url": f"{settings.SITE_URL}{reverse('accounts:my_data')}",
        },
    )
    with transaction.atomic():
        message = mailing.queue(
            user.email, subject, body, kind=NOTICE_KIND, key=notice_key(user.pk)
        )
    mailing.deliver([message.pk], wait=True)
    return message


def notice_sent(sender, message: Message, sent_at: dt.datetime, **kwargs) -> None:
    """The outbox sent a notice: from now on the account counts as warned. Not for someone
    who logged in after it was queued (they came back; the notice was no longer due)."""
    if message.kind != NOTICE_KIND:
        return
    user_id = int(message.key.removeprefix(f"{NOTICE_KIND}:"))
    User.objects.filter(pk=user_id, deletion_warned_at=None).filter(
        Q(last_login=None) | Q(last_login__lte=message.created_at)
    ).update(deletion_warned_at=sent_at)


def apply_retention(now: dt.datetime | None = None, *, dry_run: bool = False) -> RetentionReport:
    """Warn, forget warnings of people who came back, and delete, as the rule says."""
    now = now or timezone.now()
    current = rule()
    report = RetentionReport()
    for user in candidates(now, current):
        due = retention_rules.step(
            last_login=user.last_login,
            joined=user.date_joined,
            warned_at=user.deletion_warned_at,
            now=now,
            rule=current,
        )
        if due == retention_rules.Step.CAME_BACK:
            report.came_back += 1
            if not dry_run:
                User.objects.filter(pk=user.pk).update(deletion_warned_at=None)
        elif due == retention_rules.Step.WAIT:
            report.waiting += 1
        elif due == retention_rules.Step.WARN:
            if dry_run:
                report.warned += 1
                continue
            message = send_notice(user, now, current)
            if not mailing.was_sent(message):
                # Not warned: the outbox tries again, and without a sent e-mail the
                # account is never deleted.
                log.warning("retention: the notice to user %s is not sent yet", user.pk)
                report.not_warned.append(user.pk)
                continue
            # Sent: warned as of this run (notice_sent stored the moment it went out).
            User.objects.filter(pk=user.pk).update(deletion_warned_at=now)
            report.warned += 1
        elif due == retention_rules.Step.DELETE:
            report.deleted += 1
            if not dry_run:
                with transaction.atomic():
                    delete_account(user)
    return report
