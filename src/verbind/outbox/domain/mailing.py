"""Store an e-mail, send it after the commit, retry it later: mail never breaks a request.

How an app sends an e-mail::

    message = mailing.queue(to, subject, body, kind="alert")  # inside its transaction
    mailing.send_after_commit([message])

``queue`` writes the message in the same transaction as the thing that causes it, so a
rolled-back alert sends nothing and a committed one is never lost. After the commit one
attempt is made; every failure is caught and logged, never raised. What failed waits for
``manage.py send_outbox`` (cron), which tries again after a pause that doubles each time
(``OUTBOX_RETRY_MINUTES``, ``OUTBOX_RETRY_MINUTES`` x 2, ...) up to ``OUTBOX_MAX_ATTEMPTS``
attempts; then the message stays as failed, with its last error, for the operator
(``send_outbox --failed``).

During a web request the attempt waits until the page has gone to the browser (Django's
``request_finished``), so a page such as crisis help never waits for a mail server. A
caller that must tell the person whether the e-mail went out (an invitation) passes
``wait=True`` and reads :func:`was_sent`.

A message is sent at most once: a sender first claims it with one conditional UPDATE
(queued -> sending); two overlapping runs cannot both claim it. A claim left behind by a
process that died is taken over after ``CLAIM_LEASE``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation

from verbind.outbox.models import Message, Status

log = logging.getLogger(__name__)

# Sent after a message went out: ``message`` (its body already emptied) and ``sent_at``.
# An app that must know its e-mail was really sent (not only queued) listens to this.
message_sent = Signal()

# A claim older than this belongs to a sender that died; another run may take it over.
# Much longer than any SMTP timeout, so a slow but living sender is never overtaken.
CLAIM_LEASE = dt.timedelta(minutes=15)
MAX_PAUSE = dt.timedelta(hours=24)
_ERROR_LENGTH = 1000


def compose(lang: str, subject_template: str, body_template: str, context: dict) -> tuple[str, str]:
    """Subject (one line) and body, rendered in ``lang``: words, dates and month names."""
    with translation.override(lang):
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
    return " ".join(subject.split()), body


def queue(
    to: str,
    subject: str,
    body: str,
    *,
    kind: str,
    key: str = "",
    expires_at: dt.datetime | None = None,
) -> Message:
    """Store one e-mail to send. With a ``key``, a message with that key that still waits
    is returned instead of a second one (the same notice is never queued twice)."""
    if key:
        waiting = Message.objects.filter(key=key, status__in=[Status.QUEUED, Status.SENDING])
        existing = waiting.first()
        if existing is not None:
            return existing
    return Message.objects.create(
        kind=kind, key=key, to=to, subject=subject, body=body, expires_at=expires_at
    )


def send_after_commit(messages: Iterable[Message], *, wait: bool = False) -> None:
    """Try to send these once the current transaction commits (at once outside one)."""
    ids = [m.pk for m in messages]
    if ids:
        transaction.on_commit(lambda: deliver(ids, wait=wait))


def was_sent(message: Message | None) -> bool:
    return (
        message is not None
        and Message.objects.filter(pk=message.pk, sent_at__isnull=False).exists()
    )


# --- during a web request: after the response ----------------------------------------------

_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.active = True
    _request.pending = []  # anything left from a request that never finished: cron sends it


def _request_finished(**kwargs) -> None:
    pending = getattr(_request, "pending", [])
    _request.active = False
    _request.pending = []
    if pending:
        _deliver_now(pending)
        # Leave the database connection as Django would at the end of a request.
        close_old_connections()


def connect_request_signals() -> None:
    request_started.connect(_request_started, dispatch_uid="verbind.outbox.request_started")
    request_finished.connect(_request_finished, dispatch_uid="verbind.outbox.request_finished")


def deliver(ids: Iterable[int], *, wait: bool = False) -> int:
    """Try to send these messages now (or, during a request and without ``wait``, right
    after its response). Never raises; returns how many went out now."""
    ids = list(ids)
    if not wait and getattr(_request, "active", False):
        _request.pending.extend(ids)
        return 0
    return _deliver_now(ids)


def _deliver_now(ids: list[int]) -> int:
    sent = 0
    for pk in ids:
        try:
            sent += _attempt(pk, timezone.now(), due_only=False) == Status.SENT
        except Exception:  # a database error too: the message waits for the next cron run
            log.exception("outbox: message %s could not be handled; send_outbox tries again", pk)
    return sent


# --- one attempt ------------------------------------------------------------------------


def max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


def pause_after(attempts: int) -> dt.timedelta:
    """The wait before the next attempt, after ``attempts`` failed ones: 1x, 2x, 4x, ..."""
    pause = dt.timedelta(minutes=settings.OUTBOX_RETRY_MINUTES) * 2 ** max(attempts - 1, 0)
    return min(pause, MAX_PAUSE)


def _claim(pk: int, now: dt.datetime, *, due_only: bool) -> Message | None:
    """Take the message for this sender alone, or None if it is not ours to send."""
    free = Q(status=Status.QUEUED) | Q(status=Status.SENDING, claimed_at__lt=now - CLAIM_LEASE)
    mine = Message.objects.filter(free, pk=pk)
    if due_only:
        mine = mine.filter(next_attempt_at__lte=now)
    if not mine.update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1):
        return None
    return Message.objects.get(pk=pk)


def _attempt(pk: int, now: dt.datetime, *, due_only: bool) -> str | None:
    """One attempt; the message's status afterwards, or None if it was not ours."""
    message = _claim(pk, now, due_only=due_only)
    if message is None:
        return None
    mine = Message.objects.filter(pk=pk, status=Status.SENDING, claimed_at=now)
    if message.expires_at is not None and message.expires_at <= now:
        mine.update(status=Status.FAILED, body="", last_error="expired before it could be sent")
        log.warning("outbox: message %s (%s) expired unsent", pk, message.kind)
        return Status.FAILED
    try:
        EmailMessage(message.subject, message.body, None, [message.to]).send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:_ERROR_LENGTH]
        if message.attempts >= max_attempts():
            mine.update(status=Status.FAILED, last_error=error)
            outcome = Status.FAILED
            log.error(
                "outbox: message %s (%s) failed %s times and is given up: %s",
                pk, message.kind, message.attempts, error,
            )  # fmt: skip
        else:
            mine.update(
                status=Status.QUEUED,
                next_attempt_at=timezone.now() + pause_after(message.attempts),
                last_error=error,
            )
            outcome = Status.QUEUED
            log.warning(
                "outbox: message %s (%s) not sent (attempt %s), tried again later: %s",
                pk, message.kind, message.attempts, error,
            )  # fmt: skip
        return outcome
    sent_at = timezone.now()
    mine.update(status=Status.SENT, sent_at=sent_at, body="", last_error="")
    message.status, message.sent_at, message.body = Status.SENT, sent_at, ""
    for receiver, result in message_sent.send_robust(Message, message=message, sent_at=sent_at):
        if isinstance(result, Exception):
            log.error("outbox: after sending message %s, %r failed: %r", pk, receiver, result)
    return Status.SENT


# --- the cron run -------------------------------------------------------------------------


@dataclass
class RunReport:
    sent: int = 0
    waiting: int = 0  # still queued after this run (not due yet, or failed again)
    given_up: int = 0  # given up in this run
    failed: int = 0  # given up, in total (visible with --failed)
    deleted: int = 0  # sent messages removed after OUTBOX_KEEP_SENT_DAYS


def send_due(now: dt.datetime | None = None) -> RunReport:
    """Send every message whose time has come; delete old sent ones."""
    now = now or timezone.now()
    report = RunReport()
    due = Q(status=Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )
    for pk in (
        Message.objects.filter(due).order_by("next_attempt_at", "pk").values_list("pk", flat=True)
    ):
        try:
            outcome = _attempt(pk, now, due_only=True)
            report.sent += outcome == Status.SENT
            report.given_up += outcome == Status.FAILED
        except Exception:
            log.exception("outbox: message %s could not be handled", pk)
    report.deleted = purge_sent(now)
    report.waiting = Message.objects.filter(status=Status.QUEUED).count()
    report.failed = Message.objects.filter(status=Status.FAILED).count()
    return report


def purge_sent(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.OUTBOX_KEEP_SENT_DAYS)
    deleted, _ = Message.objects.filter(status=Status.SENT, sent_at__lt=cutoff).delete()
    return deleted


def failed_messages():
    return Message.objects.filter(status=Status.FAILED).order_by("-created_at")


def retry(pk: int) -> bool:
    """Put a failed message back in the queue, for one more round of attempts."""
    return bool(
        Message.objects.filter(pk=pk, status=Status.FAILED).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
    )


def cancel(key: str) -> int:
    """Drop the waiting messages with this key (what they say no longer holds, such as the
    link of a revoked invitation). A message being sent right now is left alone."""
    deleted, _ = Message.objects.filter(key=key, status=Status.QUEUED).delete()
    return deleted


def messages_to(address: str):
    """Every stored message to this address (for the person's data download)."""
    return Message.objects.filter(to__iexact=address).order_by("created_at", "pk")


def forget_address(address: str) -> int:
    """Remove every message to this address (the account is deleted)."""
    deleted, _ = Message.objects.filter(to__iexact=address).delete()
    return deleted
