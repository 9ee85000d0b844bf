"""A participant's scores over the course: series for a chart and a table, and the core's
reliable-change verdict (Jacobson & Truax) in words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from verbind.core import reliable_change as rc
from verbind.core.instrument import registry
from verbind.course.models import CheckIn, Enrolment
from verbind.screening.charts import small_chart

# Scales shown, in this order: loneliness first (what the course is about).
SHOWN = ("djg11", "djg6", "lsns6", "rses", "mood")
# Reliable change is computed where the core documents an SD and a reliability.
WITH_RCI = tuple(i for i, scale in rc.DEFAULTS if scale == "total")


@dataclass(frozen=True)
class Point:
    label: str
    value: int
    check_in_key: str


@dataclass(frozen=True)
class Series:
    instrument: str
    title: str
    min: int
    max: int
    higher_is: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Verdict:
    instrument: str
    title: str
    first: Point
    last: Point
    change: rc.ReliableChange
    words: str


def moment_label(key: str, week: int | None) -> str:
    if week is None:
        return _("Follow-up")
    if week == 0:
        return _("Start")
    return _("Week %(n)s") % {"n": week}


def series_title(inst, lang: str) -> str:
    """The scale's name; where two shown scales share a name, the number of questions is
    added ("Eenzaamheid (totaal), 11 vragen" and "..., 6 vragen"): a participant reads no
    questionnaire codes."""
    label = inst.primary_scale.label.get(lang)
    shared = [
        i
        for i in SHOWN
        if i != inst.id
        and registry()[i].primary_scale is not None
        and registry()[i].primary_scale.label.get(lang) == label
    ]
    if not shared:
        return label
    with translation.override(lang):
        return _("%(label)s, %(n)s questions") % {"label": label, "n": len(inst.items)}


def series_of(check_ins: list[CheckIn], lang: str) -> list[Series]:
    out = []
    for inst_id in SHOWN:
        inst = registry()[inst_id]
        scale = inst.primary_scale
        points = []
        for c in check_ins:
            total = ((c.results.get(inst_id) or {}).get("scales") or {}).get("total") or {}
            if total.get("value") is not None:
                points.append(Point(moment_label(c.key, c.week), total["value"], c.key))
        if points and scale is not None:
            out.append(
                Series(
                    inst_id,
                    series_title(inst, lang),
                    scale.min,
                    scale.max,
                    scale.higher_is,
                    tuple(points),
                )
            )
    return out


def cohort_baselines(enrolment: Enrolment, instrument: str) -> list[int]:
    """Start scores on ``instrument`` of everyone in the same programme (the core uses
    their SD when there are enough). Read from each week-0 check-in's stored results: the
    ``loneliness_*`` columns hold only the one loneliness scale an overview sorts on."""
    scores = []
    for results in CheckIn.objects.filter(
        enrolment__programme=enrolment.programme, key="week-0"
    ).values_list("results", flat=True):
        total = ((results.get(instrument) or {}).get("scales") or {}).get("total") or {}
        if total.get("value") is not None:
            scores.append(total["value"])
    return scores


def verdicts(enrolment: Enrolment, series: list[Series], lang: str) -> list[Verdict]:
    out = []
    for s in series:
        if s.instrument not in WITH_RCI or len(s.points) < 2:
            continue
        first, last = s.points[0], s.points[-1]
        change = rc.reliable_change_for(
            s.instrument,
            first.value,
            last.value,
            cohort_baseline=cohort_baselines(enrolment, s.instrument),
        )
        out.append(Verdict(s.instrument, s.title, first, last, change, change.words(lang)))
    return out


def charts_for(series: list[Series]) -> list[dict]:
    """One small chart per measure, each on its own scale with its own direction (the
    template ``includes/small_chart.html`` draws it with its table beside it)."""
    out = []
    for s in series:
        labels = [p.label for p in s.points]
        chart = small_chart([p.value for p in s.points], labels, s.min, s.max, s.higher_is)
        out.append(
            {
                "id": f"progress-{s.instrument}",
                "title": s.title,
                "chart": chart,
                "description": describe(s),
                "rows": [(p.label, p.value) for p in s.points],
                "moment_heading": _("Moment"),
            }
        )
    return out


def describe(s: Series) -> str:
    """What one chart shows, in words (its description for screen readers)."""
    values = "; ".join(f"{p.label}: {p.value}" for p in s.points)
    direction = _("Lower is better.") if s.higher_is == "worse" else _("Higher is better.")
    scale = _("Scores from %(lo)s to %(hi)s.") % {"lo": s.min, "hi": s.max}
    return f"{values}. {scale} {direction}"
