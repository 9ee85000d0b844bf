"""The 8-week course as the web app stores it: facts only.

Which week is open, which check-in is due, who is inactive and which reminder is due are
decided by the pure rules in ``verbind.core.course`` from these facts (see
``verbind.course.domain.facts``); nothing here decides a course rule. Scores of a
check-in come from ``verbind.core`` scoring, stored like a Measurement: raw answers,
instrument versions and computed results.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    programme = models.CharField(max_length=100)  # the programme's slug
    programme_version = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments_made",
    )
    # The route of the latest measurement when enrolling ("" when there was none).
    route_at_enrolment = models.CharField(max_length=40, blank=True)
    # Why a coach enrolled someone the route did not offer the course to (or the coach's
    # agreement note for persistent loneliness).
    reason = models.TextField(blank=True, max_length=2000)
    # The coach can turn "feedback moments block the next week" off for this participant.
    feedback_blocks = models.BooleanField(default=True)
    # Waiting for feedback (re)started at this moment (a coach joined a course that ran
    # without one): weeks that had opened by then stay open (verbind.core.course).
    feedback_blocks_since = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    # What the participant plans after the course (in their summary).
    plan_after_course = models.TextField(blank=True, max_length=5000)
    # Stopped before the end: by the participant (ended_by is themselves) or by a coach,
    # who writes down why. What was written in the course stays with the participant.
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrolments_ended",
    )
    end_reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(ended_at=None),
                name="enrolment_one_active_per_participant",
            )
        ]
        indexes = [models.Index(fields=["participant", "ended_at"])]

    def __str__(self) -> str:
        return f"enrolment {self.pk} of {self.participant_id} in {self.programme}"


class Pause(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(ended_at=None), name="pause_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"pause of enrolment {self.enrolment_id} from {self.started_at:%Y-%m-%d}"


class WeekOpening(models.Model):
    """A coach opened a week before its time."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="openings")
    week = models.PositiveSmallIntegerField()
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "week"], name="opening_once_per_week")
        ]

    def __str__(self) -> str:
        return f"week {self.week} opened for enrolment {self.enrolment_id}"


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class ExerciseAnswer(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="answers")
    week = models.PositiveSmallIntegerField()
    exercise_id = models.CharField(max_length=100)
    text = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=AnswerStatus.choices, default="draft")
    # A photo of something made (creative exercises). Kept in the database, not on disk,
    # so every app instance behind a load balancer can serve it.
    image = models.BinaryField(null=True, blank=True, editable=False)
    image_type = models.CharField(max_length=40, blank=True)
    image_size = models.PositiveIntegerField(null=True, blank=True)
    include_in_summary = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "exercise_id"], name="answer_once_per_exercise"
            )
        ]
        indexes = [models.Index(fields=["status", "submitted_at"])]

    def __str__(self) -> str:
        return f"answer {self.exercise_id} ({self.status})"

    @property
    def has_image(self) -> bool:
        return bool(self.image_size)


class Feedback(models.Model):
    answer = models.ForeignKey(ExerciseAnswer, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"feedback on answer {self.answer_id}"


class CheckIn(models.Model):
    """One completed check-in, stored like a Measurement: raw answers, instrument versions
    and the core's results, plus the few numbers overviews sort on."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="check_ins")
    key = models.CharField(max_length=40)  # "week-0".."week-8" or a follow-up id
    week = models.PositiveSmallIntegerField(null=True, blank=True)
    language = models.CharField(max_length=8, default="nl")
    instrument_versions = models.JSONField(default=dict)
    answers = models.JSONField(default=dict)
    results = models.JSONField(default=dict)
    loneliness_instrument = models.CharField(max_length=20, blank=True)
    loneliness_score = models.IntegerField(null=True, blank=True)
    loneliness_max = models.IntegerField(null=True, blank=True)
    mood = models.IntegerField(null=True, blank=True)
    safety_flag = models.BooleanField(default=False)
    worsening_flag = models.BooleanField(default=False)
    # A coach looked at the flags of this check-in.
    flags_seen_at = models.DateTimeField(null=True, blank=True)
    flags_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "key"], name="check_in_once_per_key")
        ]

    def __str__(self) -> str:
        return f"check-in {self.key} of enrolment {self.enrolment_id}"

    @property
    def loneliness_fraction(self) -> float | None:
        if self.loneliness_score is None or not self.loneliness_max:
            return None
        return self.loneliness_score / self.loneliness_max

    @property
    def flagged(self) -> bool:
        return self.safety_flag or self.worsening_flag


class CheckInDraft(models.Model):
    """The answers of a check-in that is not finished yet, kept step by step so that
    leaving and coming back loses nothing. It is not a measurement: nothing is scored,
    shown to a coach or compared until the last step makes it a CheckIn (and this row
    is deleted)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="check_in_drafts"
    )
    key = models.CharField(max_length=40)
    answers = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "key"], name="check_in_draft_once_per_key")
        ]

    def __str__(self) -> str:
        return f"unfinished check-in {self.key} of enrolment {self.enrolment_id}"


class SentReminder(models.Model):
    """A reminder that went out; its key (from verbind.core.course) is never sent twice."""

    key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key


class SummaryPdfMade(models.Model):
    """When a participant's summary PDF was made: making one takes seconds of a worker, so
    only a few are made per person per hour (course/domain/summary.py). Kept an hour."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    made_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"summary PDF of enrolment {self.enrolment_id} at {self.made_at:%Y-%m-%d %H:%M}"
