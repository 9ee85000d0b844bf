"""The summary PDF's work is bounded: long answers and a long plan are cut in the PDF with
a note where the full text is, and a person can make only a few PDFs an hour."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from test_course_web import course, login  # noqa: F401  (fixture)

from verbind.course.domain import summary
from verbind.course.domain.answers import MAX_TEXT
from verbind.course.domain.programmes import get_programme
from verbind.course.models import ExerciseAnswer


def _maximal(marker: str) -> str:
    """MAX_TEXT characters of words, with a marker at the very end."""
    words = "lang antwoord over mijn week "
    text = (words * (MAX_TEXT // len(words) + 1))[: MAX_TEXT - len(marker) - 1]
    return text + " " + marker


def _fill_every_exercise(enrolment) -> int:
    now = timezone.now()
    count = 0
    for week in get_programme(enrolment.programme).weeks:
        for e in week.exercises:
            ExerciseAnswer.objects.create(
                enrolment=enrolment,
                exercise_id=e.id,
                week=week.number,
                text=_maximal(f"EINDE{count}"),
                include_in_summary=True,
                created_at=now,
                updated_at=now,
            )
            count += 1
    return count


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in reader.pages))


def test_a_pdf_with_maximal_answers_shows_capped_text_and_a_note(course, people):  # noqa: F811
    answered = _fill_every_exercise(course)
    course.plan_after_course = _maximal("PLANEINDE")[:5000]
    course.save(update_fields=["plan_after_course"])
    started = time.monotonic()
    response = login(people.participant).get(reverse("course:summary_pdf"))
    took = time.monotonic() - started
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response)
    assert "lang antwoord over mijn week" in text
    # No answer is in the PDF in full: each ends before its marker, with the note.
    assert not re.search(r"EINDE\d", text)
    note = "Dit antwoord is te lang voor deze samenvatting."
    assert text.count(note) == answered
    assert "Uw plan is te lang voor deze samenvatting." in text
    # The full text itself is untouched.
    assert all(len(a.text) == MAX_TEXT for a in ExerciseAnswer.objects.all())
    assert len(text) < answered * (summary.PDF_TEXT_CHARS + 400) + 10_000
    assert took < 20, f"the PDF took {took:.1f} s"


def test_a_short_answer_is_whole_and_has_no_note(course, people):  # noqa: F811
    now = timezone.now()
    first = get_programme(course.programme).week(1).exercises[0]
    ExerciseAnswer.objects.create(
        enrolment=course, exercise_id=first.id, week=1, text="Kort en af.",
        include_in_summary=True, created_at=now, updated_at=now,
    )  # fmt: skip
    text = _pdf_text(login(people.participant).get(reverse("course:summary_pdf")))
    assert "Kort en af." in text and "te lang voor deze samenvatting" not in text


@pytest.mark.parametrize(("lang", "words"), [("nl", "Even geduld"), ("en", "Please wait")])
def test_too_many_pdfs_in_an_hour_get_a_friendly_429(course, people, settings, lang, words):  # noqa: F811
    settings.SUMMARY_PDF_PER_HOUR = 3
    client = login(people.participant)
    client.cookies["django_language"] = lang
    for _ in range(3):
        assert client.get(reverse("course:summary_pdf")).status_code == 200
    response = client.get(reverse("course:summary_pdf"))
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html") and response["Retry-After"]
    page = response.content.decode()
    assert words in page and reverse("course:summary") in page
    # Another participant is not affected.
    from test_course_support import measured

    from verbind.course.domain import enrolment as enrolment_domain

    measured(people.other_participant)
    enrolment_domain.enrol(people.other_participant)
    assert login(people.other_participant).get(reverse("course:summary_pdf")).status_code == 200


def test_the_limit_counts_only_the_last_hour(course):  # noqa: F811
    from datetime import timedelta

    from django.conf import settings

    start = timezone.now() - timedelta(hours=2)
    for n in range(settings.SUMMARY_PDF_PER_HOUR):
        assert summary.may_make_pdf(course, now=start + timedelta(minutes=n))
    assert not summary.may_make_pdf(course, now=start + timedelta(minutes=30))
    assert summary.may_make_pdf(course, now=start + timedelta(minutes=61))
