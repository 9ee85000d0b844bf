"""The rows of the tables of tests: ``{% home_history_rows history %}`` (the participant's
home) and ``{% coach_measurement_rows measurements %}`` (the coach's page of a participant).

Written in Python rather than a template loop: a loop with ``{% url %}``, filters and
``{% translate %}`` in every cell was most of those pages' rendering time. The words come
from ``measurement_labels`` (translated once per table), every value is escaped by
``format_html``, and the markup is the one the templates had.
"""

from __future__ import annotations

from collections.abc import Callable

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
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
    """``{{ when|date:format }}`` for many values, formatted once per day: the formats used
    with it show no time of day."""

    def __init__(self, fmt: str) -> None:
        self._fmt = fmt
        self._seen: dict = {}

    def __call__(self, when) -> str:
        if not when:
            return ""
        local = template_localtime(when)
        day = local.date() if hasattr(local, "date") else local
        try:
            return self._seen[day]
        except KeyError:
            text = self._seen[day] = formats.date_format(local, self._fmt)
            return text


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
    return mark_safe("\n    ".join(rows))


@register.simple_tag
def coach_measurement_rows(measurements) -> SafeString:
    """A participant's tests on the coach's page of that participant, oldest first."""
    words, dates = Words(), Dates("j M Y")
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
                words.route(m.route),
            )
        )
    return mark_safe("\n    ".join(rows))
