"""How long a participant's account is kept when they no longer use it.

Health data may not be kept longer than needed (GDPR art. 5(1)(e)). A participant who has
not logged in for ``inactive_months`` gets an e-mail: log in before a date, or the account
and everything in it is deleted. Logging in keeps it. Only after ``notice_days`` without a
login is the account deleted, and never without that e-mail having been sent.

This module only decides, for one account, what is due; the web app finds the accounts,
sends the e-mails and deletes. Pure Python: no Django imports.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_INACTIVE_MONTHS = 24
DEFAULT_NOTICE_DAYS = 30
MIN_NOTICE_DAYS = 7


class Step(StrEnum):
    KEEP = "keep"  # in use, or retention is switched off
    WARN = "warn"  # send the e-mail now
    WAIT = "wait"  # e-mail sent, the notice period is running
    CAME_BACK = "came_back"  # logged in after the e-mail: forget the warning
    DELETE = "delete"  # e-mail sent, notice period over, no login since


@dataclass(frozen=True)
class RetentionRule:
    inactive_months: int = DEFAULT_INACTIVE_MONTHS  # 0: never delete for inactivity
    notice_days: int = DEFAULT_NOTICE_DAYS

    def __post_init__(self) -> None:
        for name in ("inactive_months", "notice_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name} must be a whole number, got {value!r}")
        if self.inactive_months < 0:
            raise ValueError(f"inactive_months must be 0 (off) or more, got {self.inactive_months}")
        if self.notice_days < MIN_NOTICE_DAYS:
            raise ValueError(
                f"notice_days must be at least {MIN_NOTICE_DAYS} (time to read the e-mail and "
                f"log in), got {self.notice_days}"
            )

    @property
    def enabled(self) -> bool:
        return self.inactive_months > 0


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time ``months`` calendar months earlier (the 31st becomes the last
    day of a shorter month)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def last_active(last_login: dt.datetime | None, joined: dt.datetime) -> dt.datetime:
    """When the person last used their account: the last login, or joining if never since."""
    return max(joined, last_login) if last_login else joined


def deletion_date(warned_at: dt.datetime, rule: RetentionRule) -> dt.datetime:
    """The moment from which a warned account may be deleted."""
    return warned_at + dt.timedelta(days=rule.notice_days)


def step(
    *,
    last_login: dt.datetime | None,
    joined: dt.datetime,
    warned_at: dt.datetime | None,
    now: dt.datetime,
    rule: RetentionRule,
) -> Step:
    """What is due for one participant's account at ``now``."""
    active = last_active(last_login, joined)
    if warned_at is not None and active > warned_at:
        return Step.CAME_BACK
    if not rule.enabled:
        # Switched off: nobody is warned or deleted, a pending warning is simply not acted on.
        return Step.KEEP
    if warned_at is not None:
        return Step.DELETE if now >= deletion_date(warned_at, rule) else Step.WAIT
    if active <= months_before(now, rule.inactive_months):
        return Step.WARN
    return Step.KEEP
