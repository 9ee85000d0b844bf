"""Exercise answers: autosaved drafts, submission, photos of creative work.

No written word is lost: a draft is saved as often as the browser sends it, and only a
week that is open takes answers (the core decides that). A submitted answer is final: it
is what the coach responds to.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verbind.course.domain.enrolment import touch
from verbind.course.domain.facts import situation
from verbind.course.domain.programmes import get_programme
from verbind.course.models import AnswerStatus, Enrolment, ExerciseAnswer

MAX_TEXT = 20_000
MAX_IMAGE_BYTES = 5 * 1024 * 1024
# Content type -> what the file must start with; checked on the bytes, not the file name.
IMAGE_TYPES = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
}


class AnswerError(ValueError):
    """An answer that cannot be saved; the message is for the person (translated)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def exercise_of(enrolment: Enrolment, exercise_id: str):
    """(week, exercise) of the enrolment's programme; AnswerError when there is none."""
    try:
        return get_programme(enrolment.programme).exercise(exercise_id)
    except KeyError:
        raise AnswerError(_("This exercise does not exist."), "unknown_exercise") from None


def _open_answer(enrolment: Enrolment, exercise_id: str, now: datetime) -> ExerciseAnswer:
    week, _exercise = exercise_of(enrolment, exercise_id)
    if not situation(enrolment, now).week_open(week.number):
        raise AnswerError(_("This week is not open yet."), "week_locked")
    answer, _created = ExerciseAnswer.objects.select_for_update().get_or_create(
        enrolment=enrolment,
        exercise_id=exercise_id,
        defaults={"week": week.number, "created_at": now, "updated_at": now},
    )
    return answer


def _check_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise AnswerError(
            _("Your answer is longer than %(max)s characters. Please make it shorter.")
            % {"max": MAX_TEXT},
            "too_long",
        )
    return text


@transaction.atomic
def save_draft(
    enrolment: Enrolment, exercise_id: str, text: str, now: datetime | None = None
) -> ExerciseAnswer:
    now = now or timezone.now()
    text = _check_text(text)
    answer = _open_answer(enrolment, exercise_id, now)
    if answer.status == AnswerStatus.SUBMITTED:
        if text == answer.text:
            return answer  # a late autosave of what was submitted: nothing to do
        raise AnswerError(
            _("This answer is finished already. It can no longer be changed."), "submitted"
        )
    answer.text = text
    answer.updated_at = now
    answer.save(update_fields=["text", "updated_at"])
    touch(enrolment, now)
    return answer


@transaction.atomic
def submit(
    enrolment: Enrolment, exercise_id: str, text: str, now: datetime | None = None
) -> ExerciseAnswer:
    now = now or timezone.now()
    text = _check_text(text)
    answer = _open_answer(enrolment, exercise_id, now)
    if answer.status == AnswerStatus.SUBMITTED:
        raise AnswerError(
            _("This answer is finished already. It can no longer be changed."), "submitted"
        )
    if not text.strip() and not answer.has_image:
        raise AnswerError(_("Write something first, or add a photo."), "empty")
    answer.text = text
    answer.status = AnswerStatus.SUBMITTED
    answer.updated_at = answer.submitted_at = now
    answer.save(update_fields=["text", "status", "updated_at", "submitted_at"])
    touch(enrolment, now)
    return answer


def check_image(data: bytes, declared_type: str | None) -> str:
    """The content type of an acceptable photo; AnswerError saying why otherwise."""
    if not data:
        raise AnswerError(_("The file is empty. Choose a photo."), "image_empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise AnswerError(
            _("The photo is too large (%(size)s MB). The limit is %(max)s MB.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "max": MAX_IMAGE_BYTES // 1024 // 1024},
            "image_too_large",
        )
    kind = next(
        (t for t, magics in IMAGE_TYPES.items() if any(data.startswith(m) for m in magics)), None
    )
    if kind == "image/webp" and data[8:12] != b"WEBP":
        kind = None
    if kind is None:
        raise AnswerError(
            _("This file is not a photo we can use. Choose a JPEG, PNG or WebP picture."),
            "image_type",
        )
    # Pillow reads the whole structure: a renamed or broken file is refused here.
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise AnswerError(
            _("This photo seems to be damaged. Try another photo."), "image_damaged"
        ) from None
    return kind


@transaction.atomic
def attach_image(
    enrolment: Enrolment, exercise_id: str, data: bytes, declared_type: str | None = None,
    now: datetime | None = None,
) -> ExerciseAnswer:  # fmt: skip
    now = now or timezone.now()
    _week, exercise = exercise_of(enrolment, exercise_id)
    if not exercise.accepts_photo:
        raise AnswerError(_("This exercise does not take a photo."), "no_photo")
    kind = check_image(data, declared_type)
    answer = _open_answer(enrolment, exercise_id, now)
    if answer.status == AnswerStatus.SUBMITTED:
        raise AnswerError(
            _("This answer is finished already. It can no longer be changed."), "submitted"
        )
    answer.image = data
    answer.image_type = kind
    answer.image_size = len(data)
    answer.updated_at = now
    answer.save(update_fields=["image", "image_type", "image_size", "updated_at"])
    touch(enrolment, now)
    return answer


@transaction.atomic
def remove_image(enrolment: Enrolment, exercise_id: str, now: datetime | None = None):
    now = now or timezone.now()
    answer = _open_answer(enrolment, exercise_id, now)
    if answer.status == AnswerStatus.SUBMITTED:
        raise AnswerError(
            _("This answer is finished already. It can no longer be changed."), "submitted"
        )
    answer.image, answer.image_type, answer.image_size = None, "", None
    answer.save(update_fields=["image", "image_type", "image_size"])
    return answer


@transaction.atomic
def choose_for_summary(enrolment: Enrolment, answer_ids) -> None:
    """Only the answers the participant picks go into their summary."""
    answers = ExerciseAnswer.objects.filter(enrolment=enrolment)
    answers.update(include_in_summary=False)
    answers.filter(pk__in=list(answer_ids)).update(include_in_summary=True)
