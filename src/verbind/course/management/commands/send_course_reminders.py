"""Send the course reminders that are due (run by cron or a systemd timer; docs/course.md).

Safe to run as often as you like: a reminder's key is stored when it is sent, so running
it twice sends nothing twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from verbind.course.domain import reminders


class Command(BaseCommand):
    help = "Send due course reminders (week opened, inactive, follow-up, feedback waiting)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due without sending anything."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            due = reminders.due()
            for r in due:
                self.stdout.write(f"{r.kind} -> {r.recipient} {r.recipient_id} ({r.key})")
            self.stdout.write(f"{len(due)} reminder(s) due; nothing sent (dry run).")
            return
        sent = reminders.send_due()
        self.stdout.write(f"{len(sent)} reminder(s) sent.")
