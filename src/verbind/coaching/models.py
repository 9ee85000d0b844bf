"""Coaching: which coach follows which participant, sharing, coach notes and alerts.

Visibility is decided in ``verbind.accounts.permissions`` only: a coach sees a participant
while an active CoachAssignment links them, or while an active share of such an
assignment names the coach (both coaches in the same organisation).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verbind.accounts.models import Organisation


class CoachAssignment(models.Model):
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_assignments"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assigned_participants"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="coach_assignments"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the participant (or the organisation) ends the coach's access.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # At most one active link between the same two people.
            models.UniqueConstraint(
                fields=["participant", "coach"],
                condition=Q(active=True),
                name="assignment_one_active_per_pair",
            )
        ]
        indexes = [models.Index(fields=["coach", "active"])]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.participant}"


class CoachShare(models.Model):
    """The primary coach lets a colleague of the same organisation follow a participant."""

    assignment = models.ForeignKey(CoachAssignment, on_delete=models.CASCADE, related_name="shares")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_participants"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "coach"],
                condition=Q(active=True),
                name="share_one_active_per_coach",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} shared with {self.coach}"


class CoachNote(models.Model):
    """A coach's note about a participant. Among coaches only its author sees it; the
    participant can read it in their data download (their right of access)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_notes_written"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_notes_about"
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["author", "participant"])]

    def __str__(self) -> str:
        return f"note by {self.author_id} about {self.participant_id}"


class AlertKind(models.TextChoices):
    SAFETY = "safety", _("safety question answered yes")
    WORSENING = "worsening", _("strong worsening")
    LOW_MOOD = "low_mood", _("mood very bad at several check-ins in a row")


class Alert(models.Model):
    """Something a coach should look at first: sorted to the top of the dashboard.

    Raised by a self-test (``measurement``) or by a course check-in (``check_in``):
    exactly one of the two is set.
    """

    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts"
    )
    measurement = models.ForeignKey(
        "screening.Measurement",
        on_delete=models.CASCADE,
        related_name="alerts",
        null=True,
        blank=True,
    )
    check_in = models.ForeignKey(
        "course.CheckIn",
        on_delete=models.CASCADE,
        related_name="alerts",
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts_resolved",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measurement", "kind"], name="alert_once_per_kind"),
            models.UniqueConstraint(
                fields=["check_in", "kind"], name="alert_once_per_kind_per_check_in"
            ),
            models.CheckConstraint(
                condition=Q(measurement__isnull=False, check_in__isnull=True)
                | Q(measurement__isnull=True, check_in__isnull=False),
                name="alert_from_measurement_or_check_in",
            ),
        ]
        indexes = [models.Index(fields=["participant", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.kind} alert for {self.participant}"

    @property
    def source(self):
        """The self-test or the course check-in that raised this alert."""
        return self.measurement if self.measurement_id is not None else self.check_in

    @property
    def raised_at(self):
        """When the answers that raised it were given."""
        return self.source.created_at


class CoachRequestReason(models.TextChoices):
    ASKED = "asked", _("asked for a coach")
    COACH_LEFT = "coach_left", _("their coach stopped")


class CoachRequest(models.Model):
    """A participant without a coach, for an organisation admin to hand to a coach.

    Made when a person asks an organisation for a coach, or when their last coach of an
    organisation stops (deactivated): the admin of that organisation sees the person's
    name and e-mail address on the list of participants without a coach (nothing of
    their answers) and chooses a coach. Closed when a coach is assigned (``assignment``)
    or when the participant no longer wants one (``cancelled_at``).
    """

    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_requests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="coach_requests"
    )
    reason = models.CharField(max_length=20, choices=CoachRequestReason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    assignment = models.ForeignKey(
        CoachAssignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The participant saw the news that a coach was assigned (shown once on the course page).
    participant_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(closed_at=None),
                name="coach_request_one_open_per_participant",
            )
        ]
        indexes = [models.Index(fields=["organisation", "closed_at"])]

    def __str__(self) -> str:
        return f"coach request of {self.participant_id} at {self.organisation_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
