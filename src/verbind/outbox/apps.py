from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "verbind.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        from verbind.outbox.domain import mailing

        mailing.connect_request_signals()
