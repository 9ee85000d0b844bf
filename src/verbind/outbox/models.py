"""One row per e-mail: what to send and how sending went. Nothing else.

An e-mail of verbind carries only a link (no name, no answer, no score), so this table
holds no health data. The body is emptied once the message is sent, and a sent message is
deleted after ``OUTBOX_KEEP_SENT_DAYS`` (``manage.py send_outbox``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    QUEUED = "queued", "queued"  # waiting for its first or next attempt
    SENDING = "sending", "sending"  # claimed by one sender; nobody else touches it
    SENT = "sent", "sent"
    FAILED = "failed", "failed"  # given up: too many attempts, or too late to be useful


class Message(models.Model):
    # What caused it ("alert", "invitation", ...), for the operator and for an app that
    # wants to hear when its message went out (``mailing.message_sent``).
    kind = models.CharField(max_length=40)
    # Which thing it is about, e.g. "inactive_account:12"; one waiting message per key.
    key = models.CharField(max_length=100, blank=True, db_index=True)
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # After this moment the message is no use (a reset link that has expired): not sent.
    expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["status", "sent_at"], name="outbox_sent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} ({self.status}, {self.attempts} attempt(s))"
