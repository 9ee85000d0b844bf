"""The rows of the tables of tests: ``{% home_history_rows history %}`` (the participant's
home) and ``{% coach_measurement_rows measurements %}`` (the coach's page of a participant).

Written in Python rather than a template loop: a loop with ``{% url %}``, filters and
``{% translate %}`` in every cell was most of those pages' rendering time. The words come
from ``measurement_labels`` (translated once per table), every value is escaped by
``format_html``, and the markup is the one the templates had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone
from django.utils.translation import gettext

from verbind.screening.templatetags.measurement_labels import Words

register = template.Library()

_MARKER = 2147483647  # a pk no row has: it marks where the pk goes in a reversed URL


def url_with_pk(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for many pks, reversing once (a reverse per row cost
    more than the rest of the row)."""
    marker = str(_MARKER)
    url = reverse(name, args=[_MARKER])
    if url.count(marker) != 1:  # a URL that shows its pk otherwise: reverse each time
        return lambda pk: reverse(name, args=[pk])
    before, _, after = url.partition(marker)
    return lambda pk: f"{before}{int(pk)}{after}"


def number(value) -> str:
    """What ``{{ value }}`` writes: a whole number as it is when the site writes no
    thousands separators (it does not), anything else localised as in a template."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return formats.localize(value)


class Dates:
    """``{{ when|date:fmt }}`` for many values, for the few formats these pages use.

    Django's formatter parses the format and looks up each letter for every value; the
    letters here (day, month name, year, hour, minute) are written straight from the
    value, with the month names translated once per table. Other formats go to Django.
    ``localtime=False`` formats the value in its own time zone, as the date filter does
    outside a template.
    """

    _LETTERS = {
        "j": "{0.day}",
        "Y": "{0.year:04d}",
        "H": "{0.hour:02d}",
        "i": "{0.minute:02d}",
        "F": "{1}",
        "M": "{2}",
        "b": "{3}",
    }

    def __init__(self, fmt: str, *, localtime: bool = True) -> None:
        self._fmt = fmt
        # template_localtime's conversion, with the time zone looked up once per table.
        self._zone = get_current_timezone() if localtime and settings.USE_TZ else None
        plain = all(c in self._LETTERS or c in " ,:" for c in fmt)
        self._pattern = "".join(self._LETTERS.get(c, c) for c in fmt) if plain else None
        self._with_time = "H" in fmt or "i" in fmt
        self._months: dict[int, tuple[str, str, str]] = {}

    def __call__(self, when) -> str:
        if when is None or when == "":
            return ""
        if (
            self._zone is not None
            and isinstance(when, dt.datetime)
            and when.utcoffset() is not None
            and getattr(when, "convert_to_local_time", True)
        ):
            when = when.astimezone(self._zone)
        if self._pattern is None or (self._with_time and not isinstance(when, dt.datetime)):
            return formats.date_format(when, self._fmt)
        names = self._months.get(when.month)
        if names is None:
            short = MONTHS_3[when.month]
            names = self._months[when.month] = (str(MONTHS[when.month]), short.title(), str(short))
        return self._pattern.format(when, *names)


def score_of(score, most) -> SafeString:
    """ "4 / 6" """
    return format_html("{} / {}", number(score), number(most))


@register.simple_tag
def home_history_rows(history) -> SafeString:
    """The participant's own tests, as the rows of "All my tests"."""
    words, dates = Words(), Dates("j F Y")
    result_url = url_with_pk("screening:saved_result")
    labels = (gettext("Date"), gettext("Loneliness score"), gettext("Contacts"))
    next_step = gettext("Next step")
    rows = [
        format_html(
            "<tr>\n"
            '        <td data-label="{}"><a href="{}">{}</a></td>\n'
            '        <td data-label="{}">{}</td>\n'
            '        <td data-label="{}">{}</td>\n'
            '        <td data-label="{}">{}</td>\n'
            "      </tr>",
            labels[0],
            result_url(m.pk),
            dates(m.created_at),
            labels[1],
            score_of(m.loneliness_score, m.loneliness_max)
            if m.loneliness_score is not None
            else "–",
            labels[2],
            words.isolation(m.isolated),
            next_step,
            words.route(m.route),
        )
        for m in history
    ]
    return mark_safe("\n    ".join(rows))  # noqa: S308 - each row is format_html output


@register.simple_tag
def coach_measurement_rows(measurements) -> SafeString:
    """A participant's tests on the coach's page of that participant, oldest first."""
    words, dates = Words(), Dates("j F Y")
    full, short = gettext("full"), gettext("short")
    rows = []
    for m in measurements:
        if m.loneliness_score is not None:
            level = words.level(m.loneliness_instrument, m.loneliness_level)
            score = score_of(m.loneliness_score, m.loneliness_max)
            lonely = format_html("{} ({})", level, score) if level else score
        else:
            lonely = "–"
        contacts = words.isolation(m.isolated)
        if m.isolation_score is not None:
            contacts = format_html(
                "{} ({} {})",
                contacts,
                words.instrument(m.isolation_instrument),
                score_of(m.isolation_score, m.isolation_max),
            )
        rows.append(
            format_html(
                "<tr>\n"
                "        <td>{}</td>\n"
                "        <td>{}</td>\n"
                "        <td>{}</td>\n"
                "        <td>{}</td>\n"
                "        <td>{}</td>\n"
                "        <td>{}</td>\n"
                "      </tr>",
                dates(m.created_at),
                full if m.battery == "full" else short,
                lonely,
                contacts,
                words.duration(m.duration_band),
                words.coach_route(m.route),
            )
        )
    return mark_safe("\n    ".join(rows))  # noqa: S308 - each row is format_html output
