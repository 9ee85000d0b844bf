"""Delete the accounts of participants who stopped using verbind, after an e-mail.

The rule (what is due for one account) is ``verbind.core.retention``; this module finds the
accounts, sends the e-mails and deletes. Run daily by ``manage.py delete_inactive_accounts``.

Work accounts (anyone who is or was a coach or organisation admin) and staff are left
alone: their organisation manages them, and deleting a coach would take their notes about
participants with it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from verbind.accounts.domain.personal_data import delete_account
from verbind.accounts.models import Membership, Role, User
from verbind.core import retention
from verbind.web.mail import compose

log = logging.getLogger(__name__)


def rule() -> retention.RetentionRule:
    return retention.RetentionRule(
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
    not_warned: list[int] = field(default_factory=list)  # user ids whose e-mail failed


def participant_accounts():
    """Accounts the retention rule applies to: participants only."""
    work = Membership.objects.filter(role__in=[Role.COACH, Role.ORG_ADMIN]).values("user_id")
    return User.objects.exclude(pk__in=work).filter(is_staff=False, is_superuser=False)


def candidates(now: dt.datetime, rule: retention.RetentionRule):
    """Only accounts something may be due for: warned ones, and long-unused ones."""
    due = Q(deletion_warned_at__isnull=False)
    if rule.enabled:
        cutoff = retention.months_before(now, rule.inactive_months)
        due |= Q(last_login__lte=cutoff) | Q(last_login__isnull=True, date_joined__lte=cutoff)
    return participant_accounts().filter(due).order_by("pk")


def send_notice(user: User, warned_at: dt.datetime, rule: retention.RetentionRule) -> None:
    subject, body = compose(
        user.preferred_language,
        "email/inactive_account_subject.txt",
        "email/inactive_account.txt",
        {
            "months": rule.inactive_months,
            "date": retention.deletion_date(warned_at, rule),
            "login_url": f"{settings.SITE_URL}{reverse('accounts:login')}",
            "my_data_url": f"{settings.SITE_URL}{reverse('accounts:my_data')}",
        },
    )
    send_mail(subject, body, None, [user.email])


def apply_retention(now: dt.datetime | None = None, *, dry_run: bool = False) -> RetentionReport:
    """Warn, forget warnings of people who came back, and delete, as the rule says."""
    now = now or timezone.now()
    current = rule()
    report = RetentionReport()
    for user in candidates(now, current):
        due = retention.step(
            last_login=user.last_login,
            joined=user.date_joined,
            warned_at=user.deletion_warned_at,
            now=now,
            rule=current,
        )
        if due == retention.Step.CAME_BACK:
            report.came_back += 1
            if not dry_run:
                User.objects.filter(pk=user.pk).update(deletion_warned_at=None)
        elif due == retention.Step.WAIT:
            report.waiting += 1
        elif due == retention.Step.WARN:
            if dry_run:
                report.warned += 1
                continue
            try:
                send_notice(user, now, current)
            except Exception:  # one failed e-mail must not stop the others
                # Not marked as warned: the next run tries again, and without a sent
                # e-mail the account is never deleted.
                log.exception("retention: the notice to user %s could not be sent", user.pk)
                report.not_warned.append(user.pk)
                continue
            User.objects.filter(pk=user.pk).update(deletion_warned_at=now)
            report.warned += 1
        elif due == retention.Step.DELETE:
            report.deleted += 1
            if not dry_run:
                with transaction.atomic():
                    delete_account(user)
    return report
