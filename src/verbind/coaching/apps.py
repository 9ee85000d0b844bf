from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "verbind.coaching"
    label = "coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from verbind.coaching.domain import alerts
        from verbind.screening.signals import measurement_saved

        # Screening sits below coaching: a saved measurement is signalled, and its alerts
        # (crisis ones too) are raised here in the same transaction (docs/decisions.md).
        measurement_saved.connect(alerts.on_measurement_saved, dispatch_uid="coaching.alerts")
