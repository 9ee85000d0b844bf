"""A measurement: one completed self-test, as answered and as the core scored it.

The raw answers, the version of every instrument and the computed results are stored
together, so a measurement can always be explained and re-scored. The few columns that
dashboards sort and filter on (quadrant, route, duration band, levels, safety) are copied
out of the core's result when the measurement is made (screening.domain.measurements);
nothing here computes a score.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Measurement(models.Model):
    # Empty while a self-test result is not saved to an account.
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="measurements",
    )
    battery = models.CharField(max_length=20)  # "short" | "full"
    language = models.CharField(max_length=8, default="nl")
    # {instrument id: version} of every instrument used.
    instrument_versions = models.JSONField(default=dict)
    # {column: option key}, e.g. {"djg6_1": "yes", "context_safety": "no"}.
    answers = models.JSONField(default=dict)
    # {instrument id: InstrumentResult.to_dict()}.
    results = models.JSONField(default=dict)
    # Profile.to_dict() from verbind.core.profile.
    profile = models.JSONField(default=dict)

    # Copied from the core's profile for dashboards (ids as in core/profile and docs/profile.md).
    quadrant = models.CharField(max_length=40, blank=True)
    route = models.CharField(max_length=40, blank=True)
    duration_band = models.CharField(max_length=20, blank=True)
    loneliness_instrument = models.CharField(max_length=20, blank=True)
    loneliness_score = models.IntegerField(null=True, blank=True)
    loneliness_max = models.IntegerField(null=True, blank=True)
    loneliness_level = models.CharField(max_length=40, blank=True)
    isolation_instrument = models.CharField(max_length=20, blank=True)
    isolation_score = models.IntegerField(null=True, blank=True)
    isolation_max = models.IntegerField(null=True, blank=True)
    isolated = models.BooleanField(null=True)
    safety_flag = models.BooleanField(default=False)

    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["participant", "created_at"])]

    def __str__(self) -> str:
        return f"measurement {self.pk} ({self.battery}, {self.created_at:%Y-%m-%d})"

    @property
    def loneliness_fraction(self) -> float | None:
        """The loneliness score as a share of its range, so DJG-6 and DJG-11 compare."""
        if self.loneliness_score is None or not self.loneliness_max:
            return None
        return self.loneliness_score / self.loneliness_max
