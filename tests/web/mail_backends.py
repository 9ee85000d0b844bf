"""Real e-mail backends for tests of mail that fails: configured with override_settings
(``EMAIL_BACKEND="mail_backends.RefusingBackend"``), they fail as an unreachable or
unwilling SMTP server makes Django's own backend fail."""

from __future__ import annotations

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class RefusingBackend(BaseEmailBackend):
    """As an SMTP server nobody listens for: the connection is refused."""

    calls = 0

    def send_messages(self, email_messages):
        type(self).calls += 1
        raise ConnectionRefusedError(111, "Connection refused")


class SMTPErrorBackend(BaseEmailBackend):
    """As an SMTP server that answers, then refuses the message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"Temporary local problem, try again later")


class OverlappingRunBackend(LocmemBackend):
    """A working backend during whose sending a second run of the send command starts, as
    when two cron runs overlap: the second run must not send the same message again."""

    def send_messages(self, email_messages):
        from django.core.management import call_command

        if not getattr(OverlappingRunBackend, "_inside", False):
            OverlappingRunBackend._inside = True
            try:
                call_command("send_outbox", "--quiet")
            finally:
                OverlappingRunBackend._inside = False
        return super().send_messages(email_messages)
