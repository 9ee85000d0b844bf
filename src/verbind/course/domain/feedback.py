"""A coach's written feedback on submitted exercises, and the inbox of what waits for it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from verbind.coaching import permissions as coach_permissions
from verbind.course.models import AnswerStatus, ExerciseAnswer, Feedback

MAX_FEEDBACK = 10_000


class FeedbackError(ValueError):
    pass


def inbox(coach, organisation):
    """Submitted answers without feedback, of participants this coach may see; oldest first.

    One query whatever the number of participants (the caller iterates the queryset).
    """
    visible = coach_permissions.participants_for_coach(coach, organisation)
    answered = Feedback.objects.filter(answer=OuterRef("pk"))
    return (
        ExerciseAnswer.objects.filter(
            status=AnswerStatus.SUBMITTED,
            enrolment__ended_at=None,
            enrolment__participant__in=visible,
        )
        .exclude(Exists(answered))
        .select_related("enrolment__participant")
        .defer("image")
        .order_by("submitted_at", "pk")
    )


@transaction.atomic
def give_feedback(answer: ExerciseAnswer, coach, text: str, now: datetime | None = None):
    text = (text or "").strip()
    if not text:
        raise FeedbackError(_("Write your feedback first."))
    if len(text) > MAX_FEEDBACK:
        raise FeedbackError(
            _("Feedback can be at most %(max)s characters.") % {"max": MAX_FEEDBACK}
        )
    if answer.status != AnswerStatus.SUBMITTED:
        raise FeedbackError(_("This answer has not been sent yet."))
    return Feedback.objects.create(
        answer=answer, author=coach, text=text, created_at=now or timezone.now()
    )
