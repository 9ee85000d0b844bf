"""Warn participants who stopped using verbind, and delete their accounts after the notice
period (run daily by cron or a systemd timer; docs/deployment.md).

Safe to run as often as you like: a warning is stored when its e-mail is sent (by this
command or, after a failure, by ``send_outbox``), so nobody gets it twice, and nobody is
deleted before the notice period after that e-mail is over.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from verbind.participant.domain import inactive_accounts


class Command(BaseCommand):
    help = (
        "Warn participants who have not logged in for INACTIVE_ACCOUNT_MONTHS by e-mail, and "
        "delete their accounts INACTIVE_ACCOUNT_NOTICE_DAYS later unless they log in."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what is due without sending or deleting anything.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        rule = inactive_accounts.rule()
        if not rule.enabled:
            self.stdout.write(
                "Switched off (INACTIVE_ACCOUNT_MONTHS=0): nobody is warned or deleted."
            )
        report = inactive_accounts.apply_retention(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{report.warned} participant(s) {verb} sent the notice, {report.waiting} "
            f"waiting for the notice period to end, {report.came_back} came back (notice "
            f"withdrawn), {report.deleted} account(s) {verb} deleted."
            + (" Nothing was changed (dry run)." if dry_run else "")
        )
        if report.not_warned:
            raise CommandError(
                f"The notice could not be sent yet to {len(report.not_warned)} participant(s) "
                f"(user ids {', '.join(map(str, report.not_warned))}). It waits in the outbox, "
                "which tries again (manage.py send_outbox); they count as warned only once it "
                "is sent. Check the e-mail settings."
            )
