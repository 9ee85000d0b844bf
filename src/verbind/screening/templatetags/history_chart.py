"""``{% history_chart measurements %}``: the loneliness/contacts chart with its table.

Usable on any page that has a participant's measurements (the participant's home, the
coach's participant page). The geometry comes from ``screening.charts``; this tag only
turns Measurement rows into readings and writes the words a screen reader reads.
It reads only fields those pages already load, so it adds no database queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from verbind.screening.charts import NARROW, WIDE, Chart, Reading, chart_geometry, reading_of

register = template.Library()


@dataclass(frozen=True)
class TableRow:
    reading: Reading
    loneliness_percent: int | None
    isolation_percent: int | None


def _percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def _trend(series_id: str, chart: Chart) -> str:
    points = chart.get(series_id).points
    name = _("Loneliness") if series_id == "loneliness" else _("Few contacts")
    if not points:
        return _("%(name)s: not measured.") % {"name": name}
    first, last = points[0], points[-1]
    if first is last:
        return _("%(name)s: %(value)s percent.") % {"name": name, "value": _percent(last.share)}
    return _(
        "%(name)s: %(first)s percent at the first test, %(last)s percent at the latest test."
    ) % {
        "name": name,
        "first": _percent(first.share),
        "last": _percent(last.share),
    }


def describe(chart: Chart) -> str:
    """What the chart shows, in words (the SVG's description for screen readers)."""
    readings = chart.readings
    first, last = readings[0].when, readings[-1].when
    if len(readings) == 1:
        when = _("One test, on %(date)s.") % {"date": date_filter(first, "j F Y")}
    else:
        when = _("%(count)s tests, from %(first)s to %(last)s.") % {
            "count": len(readings),
            "first": date_filter(first, "j F Y"),
            "last": date_filter(last, "j F Y"),
        }
    return " ".join(
        [
            when,
            _trend("loneliness", chart),
            _trend("isolation", chart),
            _("Lower is better for both lines."),
        ]
    )


@dataclass(frozen=True)
class XLabel:
    x: float
    text: str


def x_labels(chart: Chart, *, with_time: bool = True) -> list[XLabel]:
    """Dates under the points; with the time of day when one day has several tests (not
    on the narrow drawing, where a longer label would run into the next one; the table
    gives every time)."""
    days = [date_filter(r.when, "Y-m-d") for r in chart.readings]
    # Dutch writes month abbreviations in lower case ("3 okt"); Django's "M" capitalises.
    month = "b" if (get_language() or "nl").startswith("nl") else "M"
    out = []
    for tick in chart.x_ticks:
        same_day = (
            with_time and days.count(days[tick.index]) > 1 and isinstance(tick.when, dt.datetime)
        )
        out.append(
            XLabel(tick.x, date_filter(tick.when, f"j {month} H:i" if same_day else f"j {month}"))
        )
    return out


@dataclass(frozen=True)
class Layout:
    """One of the chart's two drawings; the stylesheet shows one per screen width."""

    name: str  # "wide" | "narrow"
    chart: Chart
    x_labels: list[XLabel]
    id_suffix: str  # keeps element ids unique on the page


@register.inclusion_tag("screening/includes/history_chart.html")
def history_chart(measurements, chart_id: str = "history-chart"):
    readings = [
        reading_of(
            m.created_at,
            loneliness_instrument=m.loneliness_instrument,
            loneliness_score=m.loneliness_score,
            isolation_instrument=m.isolation_instrument,
            isolation_score=m.isolation_score,
        )
        for m in measurements
    ]
    if not readings:
        return {"chart": None, "chart_id": chart_id}
    chart = chart_geometry(readings, **WIDE)
    narrow = chart_geometry(readings, **NARROW)
    return {
        "chart": chart,
        "chart_id": chart_id,
        "description": describe(chart),
        "layouts": [
            Layout("wide", chart, x_labels(chart), ""),
            Layout("narrow", narrow, x_labels(narrow, with_time=False), "-narrow"),
        ],
        "rows": [
            TableRow(r, _percent(r.loneliness), _percent(r.isolation))
            for r in reversed(chart.readings)
        ],
    }
