"""A participant's scores over the course: series for a chart and a table, and the core's
reliable-change verdict (Jacobson & Truax) in words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from verbind.core import reliable_change as rc
from verbind.core.instrument import registry
from verbind.course.models import CheckIn, Enrolment

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
    """The scale's name; the questionnaire's short name is added only where two shown
    scales share a name ("Eenzaamheid (totaal), DJG-11" and "..., DJG-6"). Elsewhere it
    added nothing for a participant but a code or, for the mood question, an English word
    ("Stemming (Mood)")."""
    label = inst.primary_scale.label.get(lang)
    shared = [
        i
        for i in SHOWN
        if i != inst.id
        and registry()[i].primary_scale is not None
        and registry()[i].primary_scale.label.get(lang) == label
    ]
    return f"{label}, {inst.short_title}" if shared else label


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


@dataclass(frozen=True)
class Chart:
    """Geometry of a small line chart (SVG user units), computed here so the template only
    draws. Values are placed on the scale's full range, so a line never exaggerates."""

    width: int
    height: int
    left: int
    top: int
    plot_w: int
    plot_h: int
    x_labels: tuple[tuple[float, str], ...]
    y_ticks: tuple[tuple[float, int], ...]
    lines: tuple[dict, ...]


def chart_for(series: list[Series]) -> Chart | None:
    """One chart per scale is clearer than mixing ranges; this draws them as fractions of
    their range on one 0-100% axis, each series its own line with its own marker."""
    if not series:
        return None
    labels: list[str] = []
    for s in series:
        for p in s.points:
            if p.label not in labels:
                labels.append(p.label)
    # Room on the right for half of the last label, centred on the last point ("Week 8",
    # "Na drie maanden" at 12 units is about 100 wide): with 16 it was cut off.
    width, height, left, top, right, bottom = 640, 300, 48, 16, 60, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(labels) - 1, 1)
    xs = {label: left + i * step for i, label in enumerate(labels)}
    lines = []
    for n, s in enumerate(series):
        span = (s.max - s.min) or 1
        pts = [
            (round(xs[p.label], 1), round(top + plot_h * (1 - (p.value - s.min) / span), 1), p)
            for p in s.points
        ]
        lines.append(
            {
                "series": s,
                "style": n % 5,
                "path": " ".join(f"{x},{y}" for x, y, _p in pts),
                "points": pts,
            }
        )
    y_ticks = tuple((round(top + plot_h * (1 - f / 100), 1), f) for f in (0, 25, 50, 75, 100))
    return Chart(
        width, height, left, top, plot_w, plot_h,
        tuple((round(xs[lb], 1), lb) for lb in labels), y_ticks, tuple(lines),
    )  # fmt: skip
