"""``{% history_chart measurements %}``: one small chart per measure, with its table.

Usable on any page that has a participant's measurements (the participant's home, the
coach's participant page). Each measure gets its own chart in its own units
(``screening.charts.small_chart``): loneliness per questionnaire (the long and the short
one have different ranges, so they are not joined into one line) and the contacts score,
each saying in words which way is better. The markup is in the templates
(``screening/includes/history_chart.html``, ``includes/small_chart.html``); this tag only
groups the measurements and writes the words a screen reader reads. It reads only fields
those pages already load, so it adds no database queries.
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from verbind.core.instrument import registry
from verbind.screening.charts import measure_of, small_chart

register = template.Library()


def _title(instrument_id: str, shared: bool, lang: str) -> str:
    inst = registry()[instrument_id]
    label = inst.primary_scale.label.get(lang)
    if not shared:
        return label
    return _("%(label)s, %(n)s questions") % {"label": label, "n": len(inst.items)}


def describe(points: list[tuple], lo: int, hi: int, higher_is: str) -> str:
    """What one chart shows, in words (the SVG's description for screen readers)."""

    def date(when) -> str:
        return date_filter(when, "j F Y")

    first_when, first = points[0]
    last_when, last = points[-1]
    if len(points) == 1:
        when = _("One test, on %(date)s: score %(score)s.") % {
            "date": date(first_when),
            "score": first,
        }
    else:
        when = _(
            "%(count)s tests, from %(first)s to %(last)s. Score %(a)s at the first test, "
            "%(b)s at the latest test."
        ) % {
            "count": len(points),
            "first": date(first_when),
            "last": date(last_when),
            "a": first,
            "b": last,
        }
    scale = _("Scores from %(lo)s to %(hi)s.") % {"lo": lo, "hi": hi}
    direction = _("Lower is better.") if higher_is == "worse" else _("Higher is better.")
    return f"{when} {scale} {direction}"


def _chart(chart_id: str, title: str, measure, points: list[tuple]) -> dict:
    # Dutch writes month abbreviations in lower case ("3 okt"); Django's "M" capitalises.
    month = "b" if (get_language() or "nl").startswith("nl") else "M"
    chart = small_chart(
        [score for _when, score in points],
        [date_filter(when, f"j {month}") for when, _score in points],
        measure.min,
        measure.max,
        measure.higher_is,
    )
    return {
        "id": chart_id,
        "title": title,
        "chart": chart,
        "description": describe(points, measure.min, measure.max, measure.higher_is),
        "rows": [(date_filter(when, "j F Y, H:i"), score) for when, score in points],
        "moment_heading": _("Date"),
    }


def charts_of(measurements, chart_id: str = "history-chart") -> list[dict]:
    """The small charts for these measurements: loneliness per questionnaire, then contacts
    per questionnaire, each with its points oldest first."""
    ordered = sorted(measurements, key=lambda m: (m.created_at, m.pk or 0))
    lang = (get_language() or "nl")[:2]
    out = []
    for kind in ("loneliness", "isolation"):
        groups: dict[str, list[tuple]] = {}
        for m in ordered:
            inst, score = getattr(m, f"{kind}_instrument"), getattr(m, f"{kind}_score")
            if inst and score is not None and measure_of(inst) is not None:
                # Local time, as the table: a test at 00:30 in Amsterdam is on that day.
                groups.setdefault(inst, []).append((timezone.localtime(m.created_at), score))
        for inst, points in groups.items():
            title = _title(inst, len(groups) > 1, lang)
            out.append(_chart(f"{chart_id}-{inst}", title, measure_of(inst), points))
    return out


@register.inclusion_tag("screening/includes/history_chart.html")
def history_chart(measurements, chart_id: str = "history-chart"):
    return {"charts": charts_of(measurements, chart_id), "chart_id": chart_id}
