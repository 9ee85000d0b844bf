"""Send the e-mails that wait in the outbox (run every few minutes by cron; see
docs/deployment.md).

Safe to run as often as you like, and two runs may overlap: each message is claimed by one
run before it is sent, so nothing is sent twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from verbind.outbox.domain import mailing


class Command(BaseCommand):
    help = (
        "Send the e-mails waiting in the outbox, try failed ones again after a growing pause "
        "(at most OUTBOX_MAX_ATTEMPTS times), and delete sent ones after OUTBOX_KEEP_SENT_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--failed",
            action="store_true",
            help="List the messages that were given up, with their last error; send nothing.",
        )
        parser.add_argument(
            "--retry",
            type=int,
            metavar="ID",
            help="Put the given-up message with this number back in the queue, then send.",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print only when this run gave a message up (for cron, which mails output).",
        )

    def handle(self, *args, failed: bool = False, retry: int | None = None, quiet=False, **opts):
        if failed:
            self._list_failed()
            return
        if retry is not None and not mailing.retry(retry):
            raise CommandError(f"There is no given-up message #{retry} (see --failed).")
        report = mailing.send_due()
        if not quiet or report.given_up:
            self.stdout.write(
                f"{report.sent} e-mail(s) sent, {report.waiting} waiting for a next attempt, "
                f"{report.given_up} given up in this run ({report.failed} in all; list them "
                f"with --failed), {report.deleted} old sent message(s) deleted."
            )

    def _list_failed(self) -> None:
        messages = list(mailing.failed_messages())
        for m in messages:
            created = timezone.localtime(m.created_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(
                f"#{m.pk} {m.kind} to {m.to}, queued {created}, {m.attempts} attempt(s): "
                f"{m.last_error}"
            )
        self.stdout.write(f"{len(messages)} message(s) given up.")
