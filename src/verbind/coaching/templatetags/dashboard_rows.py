"""``{% dashboard_rows rows %}``: the rows of the coach dashboard's table.

Written in Python rather than a template loop: fifty rows with ``{% url %}``, label
filters, a date and several ``{% translate %}`` in every row were most of the page's
rendering time. Each word is translated once per page (``measurement_labels.Words``), the
URL reversed once, every value escaped by ``format_html``; the markup is the template's.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from verbind.screening.templatetags.measurement_labels import Words
from verbind.screening.templatetags.measurement_rows import Dates, number, score_of, url_with_pk

register = template.Library()


@register.simple_tag
def dashboard_rows(rows) -> SafeString:
    words, dates = Words(), Dates("j F Y")
    participant_url = url_with_pk("coaching:participant")
    shared = format_html(' <span class="tag">{}</span>', gettext("shared"))
    trends = {
        "better": gettext("less lonely"),
        "worse": gettext("more lonely"),
        "same": gettext("the same"),
    }
    no_test = gettext("no test yet")
    signals: dict[int, SafeString] = {}
    # A safety signal is named in words and with an icon, not by colour alone (the same
    # icon as coaching/_signal_icon.html on the participant page).
    icon = mark_safe(render_to_string("coaching/_signal_icon.html").strip())  # noqa: S308 - our template
    safety = format_html("{} {}: ", icon, gettext("Safety"))
    out = []
    for row in rows:
        latest = row.latest
        count = row.open_alerts
        if count:
            signal = signals.get(count)
            if signal is None:
                # As {% blocktranslate count %}: the translation as it is, the number escaped.
                text = ngettext("%(counter)s signal", "%(counter)s signals", count)
                signal = signals[count] = format_html(
                    '<strong class="alert-text">{}</strong>',
                    mark_safe(text % {"counter": format_html("{}", number(count))}),  # noqa: S308
                )
            if row.open_safety:
                signal = format_html('<strong class="alert-text">{}</strong>{}', safety, signal)
        else:
            signal = "–"
        score = latest.get("loneliness_score")
        if score is not None:
            level = words.level(latest.get("loneliness_instrument"), latest.get("loneliness_level"))
            fraction = score_of(score, latest.get("loneliness_max"))
            lonely = format_html("{} ({})", level, fraction) if level else fraction
        else:
            lonely = "–"
        when = latest.get("created_at")
        person = row.participant
        out.append(
            format_html(
                "<tr{}>\n"
                '      <th scope="row"><a href="{}">{}</a>{}</th>\n'
                "      <td>{}</td>\n"
                "      <td>{}</td>\n"
                "      <td>{}</td>\n"
                "      <td>{}</td>\n"
                "      <td>{}</td>\n"
                "      <td>{}</td>\n"
                "      <td>{}</td>\n"
                "    </tr>",
                mark_safe(' class="has-alert"') if count else "",
                participant_url(person.pk),
                person.display_name,
                "" if row.is_own else shared,
                signal,
                lonely,
                words.isolation(latest.get("isolated")),
                words.duration(latest.get("duration_band")),
                words.coach_route(latest.get("route")),
                trends.get(row.trend, "–"),
                dates(when) if when else no_test,
            )
        )
    return mark_safe("\n  ".join(out))  # noqa: S308 - each row is format_html output
