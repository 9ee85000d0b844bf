"""E-mails in the recipient's own language. The outbox (``verbind.outbox``, the lowest
app, so every app may use it) composes, stores, sends and retries them; this module keeps
the old import path working."""

from __future__ import annotations

from verbind.outbox.domain.mailing import compose, queue, send_after_commit

__all__ = ["compose", "queue", "send_after_commit"]
