"""``{% history_chart measurements %}``: the loneliness/contacts chart with its table.

Usable on any page that has a participant's measurements (the participant's home, the
coach's participant page). The geometry comes from ``screening.charts``; this tag only
turns Measurement rows into readings and writes the words a screen reader reads.
It reads only fields those pages already load, so it adds no database queries.

The drawings and the table rows are written here in Python (``format_html``, so every
value is escaped) rather than in template loops: on the participant's home the chart's
loops were about half of the page's rendering time. The template keeps the parts that
appear once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from verbind.screening.charts import NARROW, WIDE, Chart, Reading, chart_geometry, reading_of
from verbind.screening.templatetags.measurement_rows import Dates, number

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
    date_filter = Dates("j F Y", localtime=False)
    if len(readings) == 1:
        when = _("One test, on %(date)s.") % {"date": date_filter(first)}
    else:
        when = _("%(count)s tests, from %(first)s to %(last)s.") % {
            "count": len(readings),
            "first": date_filter(first),
            "last": date_filter(last),
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
    # The calendar day of each reading, as the date filter's "Y-m-d" would write it (in the
    # value's own time zone), without formatting it.
    days = [r.when.date() if isinstance(r.when, dt.datetime) else r.when for r in chart.readings]
    # Dutch writes month abbreviations in lower case ("3 okt"); Django's "M" capitalises.
    month = "b" if (get_language() or "nl").startswith("nl") else "M"
    day, day_and_time = (
        Dates(f"j {month}", localtime=False),
        Dates(f"j {month} H:i", localtime=False),
    )
    out = []
    for tick in chart.x_ticks:
        same_day = (
            with_time and days.count(days[tick.index]) > 1 and isinstance(tick.when, dt.datetime)
        )
        out.append(XLabel(tick.x, day_and_time(tick.when) if same_day else day(tick.when)))
    return out


@dataclass(frozen=True)
class Layout:
    """One of the chart's two drawings; the stylesheet shows one per screen width."""

    name: str  # "wide" | "narrow"
    chart: Chart
    x_labels: list[XLabel]
    id_suffix: str  # keeps element ids unique on the page


def _n(value: float) -> str:
    """A number in an SVG attribute: always with a decimal point, as ``{% localize off %}``
    writes it (``str``, except in the rare exponent notation)."""
    if type(value) not in (int, float):
        raise TypeError(f"not a number: {value!r}")  # only numbers go unescaped
    text = str(value)
    return formats.localize(value, use_l10n=False) if "e" in text else text


def _svg(layout: Layout, chart_id: str, description: str) -> SafeString:
    """One drawing: an image with a title and a description for screen readers."""
    chart, sfx = layout.chart, layout.id_suffix
    plot, size = chart.plot, _n(chart.label_size)
    left, right, top, bottom = _n(plot.left), _n(plot.right), _n(plot.top), _n(plot.bottom)
    parts = [
        format_html(
            '<svg class="chart-{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}"'
            ' role="img" aria-labelledby="{}{}-title {}{}-desc" focusable="false">\n'
            '    <title id="{}{}-title">{}</title>\n'
            '    <desc id="{}{}-desc">{}</desc>',
            layout.name,
            _n(chart.width),
            _n(chart.height),
            chart_id,
            sfx,
            chart_id,
            sfx,
            chart_id,
            sfx,
            _("Chart: loneliness and few contacts, per test"),
            chart_id,
            sfx,
            description,
        )
    ]
    # From here on most elements hold only numbers (_n: digits, a point, a minus sign), so
    # they need no escaping; text goes through format_html.
    label_x = _n(chart.y_label_x)
    for tick in chart.y_ticks:
        y = _n(tick.y)
        parts.append(
            f'<line class="chart-grid" x1="{left}" x2="{right}" y1="{y}" y2="{y}"'
            ' stroke="#d5dae1" stroke-width="1"/>\n'
            f'    <text class="chart-label" x="{label_x}" y="{y}" dy="4" text-anchor="end"'
            f' fill="#4a5563" font-size="{size}">{_n(tick.percent)}%</text>'
        )
    parts.append(
        f'<line class="chart-axis" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"'
        ' stroke="#4a5563" stroke-width="1.5"/>\n'
        f'    <line class="chart-axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"'
        ' stroke="#4a5563" stroke-width="1.5"/>'
    )
    label_y = _n(chart.x_label_y)
    for label in layout.x_labels:
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle" fill="#4a5563"'
                ' font-size="{}">{}</text>',
                _n(label.x),
                label_y,
                size,
                label.text,
            )
        )
    # Loneliness first: the dashed line on top lets both show where they meet.
    lonely = chart.loneliness
    if lonely.points:
        parts.append(
            format_html(
                '<path class="chart-line chart-line-loneliness" d="{}" fill="none"'
                ' stroke="#1f5f8b" stroke-width="3"/>',
                lonely.path,
            )
        )
        parts.append(
            "".join(
                f'<circle class="chart-dot-loneliness" cx="{_n(p.x)}" cy="{_n(p.y)}" r="7"'
                ' fill="#1f5f8b"/>'
                for p in lonely.points
            )
        )
    few = chart.isolation
    if few.points:
        parts.append(
            format_html(
                '<path class="chart-line chart-line-isolation" d="{}" fill="none"'
                ' stroke="#8a4500" stroke-width="3" stroke-dasharray="8 5"/>',
                few.path,
            )
        )
        parts.append(
            "".join(
                f'<rect class="chart-dot-isolation" x="{_n(p.marker_left)}"'
                f' y="{_n(p.marker_top)}" width="10" height="10" fill="#8a4500"'
                ' stroke="#ffffff" stroke-width="1.5"/>'
                for p in few.points
            )
        )
    return mark_safe("\n    ".join(parts) + "\n  </svg>")  # noqa: S308 - see above


def _score_help(words: str, score, low, high) -> SafeString:
    """ "score 5, from 0 to 6" as ``{% blocktranslate %}`` writes it: ``words`` (the
    translation) as it is, the values escaped."""
    values = {"score": score, "min": low, "max": high}
    return mark_safe(  # noqa: S308 - our catalogue's words, the values escaped
        words % {k: conditional_escape(number(v)) for k, v in values.items()}
    )


def _table_rows(rows: list[TableRow]) -> SafeString:
    """The rows of the chart's table, newest first."""
    loneliness, few_contacts = _("Loneliness"), _("Few contacts")
    more_contacts = _("a higher score means more contacts")
    score_words = _("score %(score)s, from %(min)s to %(max)s")
    when = Dates("j F Y, H:i")
    out = []
    for row in rows:
        r = row.reading
        if row.loneliness_percent is not None:
            lonely = format_html(
                '{}% <span class="help">({})</span>',
                number(row.loneliness_percent),
                _score_help(score_words, r.loneliness_score, r.loneliness_min, r.loneliness_max),
            )
        else:
            lonely = "–"
        if row.isolation_percent is not None:
            few = format_html(
                '{}% <span class="help">({}{})</span>',
                number(row.isolation_percent),
                _score_help(score_words, r.isolation_score, r.isolation_min, r.isolation_max),
                format_html("; {}", more_contacts) if r.isolation_higher_is == "better" else "",
            )
        else:
            few = "–"
        out.append(
            format_html(
                '<tr>\n        <th scope="row">{}</th>\n'
                '        <td data-label="{}">{}</td>\n'
                '        <td data-label="{}">{}</td>\n      </tr>',
                when(r.when),
                loneliness,
                lonely,
                few_contacts,
                few,
            )
        )
    return mark_safe("\n    ".join(out))  # noqa: S308 - each row is format_html output


@register.inclusion_tag("screening/includes/history_chart.html")
def history_chart(measurements, chart_id: str = "history-chart"):
    readings = [
        reading_of(
            # Local time, as the table under the chart: a test at 00:30 in Amsterdam is
            # on that day, not on the day before (UTC).
            timezone.localtime(m.created_at),
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
    description = describe(chart)
    layouts = [
        Layout("wide", chart, x_labels(chart), ""),
        Layout("narrow", narrow, x_labels(narrow, with_time=False), "-narrow"),
    ]
    rows = [
        TableRow(r, _percent(r.loneliness), _percent(r.isolation)) for r in reversed(chart.readings)
    ]
    return {
        "chart": chart,
        "chart_id": chart_id,
        "description": description,
        "drawings": [_svg(layout, chart_id, description) for layout in layouts],
        "table_rows": _table_rows(rows),
    }
