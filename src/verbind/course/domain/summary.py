"""The participant's personal summary at the end of the course, as a PDF (WeasyPrint).

Only what the participant chose goes in: their scores over time, the answers they picked
and their plan for after the course. Fonts come from the system; nothing is fetched from
the network (every URL is refused).

Making a PDF takes a worker seconds, so its work is bounded: each answer and the plan are
cut at PDF_TEXT_CHARS characters in the PDF, with a note that the full text is on the
summary page and in the data download, and a person can make at most
``SUMMARY_PDF_PER_HOUR`` PDFs an hour (``may_make_pdf``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from verbind.course.domain import progress
from verbind.course.domain.programmes import get_programme
from verbind.course.models import CheckIn, Enrolment, ExerciseAnswer, SummaryPdfMade

# About a page of text per answer; the whole answer stays on the page and in the download.
PDF_TEXT_CHARS = 3000
PDF_WINDOW = timedelta(hours=1)


def _capped(text: str) -> dict:
    """The text for the PDF, cut at a word boundary when it is longer than PDF_TEXT_CHARS."""
    if len(text) <= PDF_TEXT_CHARS:
        return {"text": text, "cut": False}
    cut = text[:PDF_TEXT_CHARS]
    space = cut.rfind(" ")
    if space > PDF_TEXT_CHARS * 0.8:
        cut = cut[:space]
    return {"text": cut.rstrip() + " …", "cut": True}


@transaction.atomic
def may_make_pdf(enrolment: Enrolment, now: datetime | None = None) -> bool:
    """True (and counted) when this person may make a PDF now; False over the limit."""
    now = now or timezone.now()
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    SummaryPdfMade.objects.filter(enrolment=enrolment, made_at__lte=now - PDF_WINDOW).delete()
    if SummaryPdfMade.objects.filter(enrolment=enrolment).count() >= settings.SUMMARY_PDF_PER_HOUR:
        return False
    SummaryPdfMade.objects.create(enrolment=enrolment, made_at=now)
    return True


class _NoNetwork(Exception):
    pass


def _refuse_urls(url, *args, **kwargs):
    raise _NoNetwork(f"the summary PDF does not load {url}")


def summary_context(enrolment: Enrolment, lang: str) -> dict:
    programme = get_programme(enrolment.programme)
    check_ins = list(CheckIn.objects.filter(enrolment=enrolment).order_by("created_at", "pk"))
    series = progress.series_of(check_ins, lang)
    chosen = []
    for a in (
        ExerciseAnswer.objects.filter(enrolment=enrolment, include_in_summary=True)
        .exclude(text="")
        .defer("image")
        .order_by("week", "pk")
    ):
        try:
            _week, exercise = programme.exercise(a.exercise_id)
        except KeyError:
            continue
        chosen.append(
            {"answer": a, "title": exercise.title.get(lang), "week": a.week, **_capped(a.text)}
        )
    return {
        "enrolment": enrolment,
        "programme_title": programme.title.get(lang),
        "series": series,
        "verdicts": progress.verdicts(enrolment, series, lang),
        "chosen": chosen,
        "plan": _capped(enrolment.plan_after_course or ""),
        "made_on": timezone.localdate(),
    }


def summary_pdf(enrolment: Enrolment, lang: str) -> bytes:
    from weasyprint import HTML

    with translation.override(lang):
        html = render_to_string("course/summary_pdf.html", summary_context(enrolment, lang))
    return HTML(string=html, url_fetcher=_refuse_urls).write_pdf()
