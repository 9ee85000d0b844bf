"""The participant's personal summary at the end of the course, as a PDF (WeasyPrint).

Only what the participant chose goes in: their scores over time, the answers they picked
and their plan for after the course. Fonts come from the system; nothing is fetched from
the network (every URL is refused).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from verbind.course.domain import progress
from verbind.course.domain.programmes import get_programme
from verbind.course.models import CheckIn, Enrolment, ExerciseAnswer


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
        chosen.append({"answer": a, "title": exercise.title.get(lang), "week": a.week})
    return {
        "enrolment": enrolment,
        "programme_title": programme.title.get(lang),
        "series": series,
        "verdicts": progress.verdicts(enrolment, series, lang),
        "chosen": chosen,
        "plan": enrolment.plan_after_course,
        "made_on": timezone.localdate(),
    }


def summary_pdf(enrolment: Enrolment, lang: str) -> bytes:
    from weasyprint import HTML

    with translation.override(lang):
        html = render_to_string("course/summary_pdf.html", summary_context(enrolment, lang))
    return HTML(string=html, url_fetcher=_refuse_urls).write_pdf()
