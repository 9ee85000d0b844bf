from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantConfig(AppConfig):
    """A person's own pages and data: home, data download, account deletion, the removal
    of inactive accounts and the demo data. It sits right below web, above every app it
    gathers from, and has no models of its own."""

    name = "verbind.participant"
    label = "participant"
    verbose_name = _("A person's own pages and data")

    def ready(self) -> None:
        from verbind.outbox.domain.mailing import message_sent
        from verbind.participant.domain import inactive_accounts

        # An inactive-account notice counts once it is really sent, also by a later retry.
        message_sent.connect(
            inactive_accounts.notice_sent, dispatch_uid="verbind.participant.notice_sent"
        )
