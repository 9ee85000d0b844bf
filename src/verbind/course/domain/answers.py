"""Exercise answers: autosaved drafts, submission, photos of creative work.

No written word is lost: a draft is saved as often as the browser sends it, and only a
week that is open takes answers (the core decides that). A submitted answer is final: it
is what the coach responds to.
"""

from __future__ import annotations

import io
import warnings
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
# Checked in the file's header, before any pixel is decoded (a 50-megapixel photo needs
# about 150 MB of memory to decode). Stored photos are at most MAX_IMAGE_SIDE pixels wide
# and high, re-encoded without metadata.
MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_SIDE = 2560
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


def too_large(size: int) -> AnswerError:
    """The refusal for a photo of ``size`` bytes, above MAX_IMAGE_BYTES."""
    return AnswerError(
        _("The photo is too large (%(size)s MB). The limit is %(max)s MB.")
        % {"size": f"{size / 1024 / 1024:.1f}", "max": MAX_IMAGE_BYTES // 1024 // 1024},
        "image_too_large",
    )


def _damaged() -> AnswerError:
    return AnswerError(_("This photo seems to be damaged. Try another photo."), "image_damaged")


def _too_many_pixels() -> AnswerError:
    return AnswerError(
        _(
            "This photo has too many pixels. The limit is %(max)s megapixels. "
            "Choose a smaller photo."
        )
        % {"max": MAX_IMAGE_PIXELS // 1_000_000},
        "image_too_many_pixels",
    )


def _open_image(data: bytes):
    """The image, opened from its header only (nothing is decoded yet).

    A file that claims more than MAX_IMAGE_PIXELS is refused before any pixel is decoded:
    a small file can claim a huge picture that would fill all memory when decoded.
    """
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _damaged() from None
    width, height = img.size
    if width * height > MAX_IMAGE_PIXELS:
        img.close()
        raise _too_many_pixels()
    return img


def check_image(data: bytes, declared_type: str | None) -> str:
    """The content type of an acceptable photo; AnswerError saying why otherwise."""
    if not data:
        raise AnswerError(_("The file is empty. Choose a photo."), "image_empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise too_large(len(data))
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
    with _open_image(data) as img:
        try:
            img.verify()
        except (OSError, SyntaxError, ValueError):
            raise _damaged() from None
    return kind


def clean_image(data: bytes, kind: str) -> bytes:
    """The photo re-encoded without its metadata (place, time, camera; EXIF, XMP, text).

    The picture is turned upright the way the camera recorded (EXIF orientation) before
    that information is dropped, and it is made at most MAX_IMAGE_SIDE pixels on its
    longest side. Only the colour profile is kept, so colours stay as they were.
    """
    from PIL import Image, ImageOps

    with _open_image(data) as img:
        if img.format == "JPEG":
            # Decode at a reduced scale straight away when the photo is much larger.
            img.draft(img.mode, (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
        try:
            img.load()
            upright = ImageOps.exif_transpose(img)
        except (OSError, SyntaxError, ValueError):
            raise _damaged() from None
        icc = img.info.get("icc_profile")
    if upright.mode == "P" and kind != "image/png":
        upright = upright.convert("RGBA" if kind == "image/webp" else "RGB")
    if kind == "image/jpeg" and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    upright.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    options: dict = {"icc_profile": icc} if icc else {}
    out = io.BytesIO()
    if kind == "image/jpeg":
        upright.save(out, "JPEG", quality=88, optimize=True, **options)
    elif kind == "image/webp":
        upright.save(out, "WEBP", quality=88, **options)
    else:
        upright.save(out, "PNG", optimize=True, **options)
    return out.getvalue()


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
    data = clean_image(data, kind)
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
