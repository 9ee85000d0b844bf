from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "verbind.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from verbind.accounts.domain import retention
        from verbind.outbox.domain.mailing import message_sent

        # An inactive-account notice counts once it is really sent, also by a later retry.
        message_sent.connect(retention.notice_sent, dispatch_uid="verbind.accounts.notice_sent")
