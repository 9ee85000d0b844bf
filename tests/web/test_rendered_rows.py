"""The tables of tests and the coach dashboard's rows are written in Python
(``measurement_rows``, ``dashboard_rows``) for speed. They must give the HTML the template
loops gave: here each is rendered next to the loop it replaced (kept below as the
reference), on awkward data, in both languages, and compared. (The history charts are
drawn by templates again: ``includes/small_chart.html``.)"""

# ruff: noqa: E501 - the reference loops are kept as the templates had them, one line a row
from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from verbind.screening.templatetags.measurement_rows import Dates

LANGUAGES = ("nl", "en")

# --- the template loops as they were ------------------------------------------------------

DASHBOARD_LOOP = """{% load i18n measurement_labels %}{% for row in rows %}
    <tr{% if row.open_alerts %} class="has-alert"{% endif %}>
      <th scope="row"><a href="{% url 'coaching:participant' row.participant.pk %}">{{ row.participant.display_name }}</a>{% if not row.is_own %} <span class="tag">{% translate "shared" %}</span>{% endif %}</th>
      <td>{% if row.open_alerts %}{% if row.open_safety %}<strong class="alert-text">{% include "coaching/_signal_icon.html" %} {% translate "Safety" %}: </strong>{% endif %}<strong class="alert-text">{% blocktranslate count counter=row.open_alerts %}{{ counter }} signal{% plural %}{{ counter }} signals{% endblocktranslate %}</strong>{% else %}–{% endif %}</td>
      <td>{% if row.latest.loneliness_score is not None %}{% with level=row.latest|loneliness_level_label %}{% if level %}{{ level }} ({{ row.latest.loneliness_score }} / {{ row.latest.loneliness_max }}){% else %}{{ row.latest.loneliness_score }} / {{ row.latest.loneliness_max }}{% endif %}{% endwith %}{% else %}–{% endif %}</td>
      <td>{{ row.latest.isolated|isolation_label }}</td>
      <td>{{ row.latest.duration_band|duration_label }}</td>
      <td>{{ row.latest.route|coach_route_label }}</td>
      <td>{% if row.trend == "better" %}{% translate "less lonely" %}{% elif row.trend == "worse" %}{% translate "more lonely" %}{% elif row.trend == "same" %}{% translate "the same" %}{% else %}–{% endif %}</td>
      <td>{% if row.latest.created_at %}{{ row.latest.created_at|date:"j F Y" }}{% else %}{% translate "no test yet" %}{% endif %}</td>
    </tr>
  {% endfor %}"""

HOME_LOOP = """{% load i18n measurement_labels %}{% for m in history %}
      <tr>
        <td data-label="{% translate 'Date' %}"><a href="{% url 'screening:saved_result' m.pk %}">{{ m.created_at|date:"j F Y" }}</a></td>
        <td data-label="{% translate 'Loneliness score' %}">{% if m.loneliness_score is not None %}{{ m.loneliness_score }} / {{ m.loneliness_max }}{% else %}–{% endif %}</td>
        <td data-label="{% translate 'Contacts' %}">{{ m.isolated|isolation_label }}</td>
        <td data-label="{% translate 'Next step' %}">{{ m.route|route_label }}</td>
      </tr>
    {% endfor %}"""

COACH_LOOP = """{% load i18n measurement_labels %}{% for m in measurements %}
      <tr>
        <td>{{ m.created_at|date:"j F Y" }}</td>
        <td>{% if m.battery == "full" %}{% translate "full" %}{% else %}{% translate "short" %}{% endif %}</td>
        <td>{% if m.loneliness_score is not None %}{% with level=m|loneliness_level_label %}{% if level %}{{ level }} ({{ m.loneliness_score }} / {{ m.loneliness_max }}){% else %}{{ m.loneliness_score }} / {{ m.loneliness_max }}{% endif %}{% endwith %}{% else %}–{% endif %}</td>
        <td>{{ m.isolated|isolation_label }}{% if m.isolation_score is not None %} ({{ m.isolation_instrument|instrument_short_title }} {{ m.isolation_score }} / {{ m.isolation_max }}){% endif %}</td>
        <td>{{ m.duration_band|duration_label }}</td>
        <td>{{ m.route|coach_route_label }}</td>
      </tr>
    {% endfor %}"""


def _same(html: str) -> str:
    html = re.sub(r">\s+<", "><", html.strip())
    return re.sub(r"\s+", " ", html)


def _render(source: str, lang: str, **context) -> str:
    with translation.override(lang):
        return Template(source).render(Context(context))


# --- awkward data -------------------------------------------------------------------------

AMS = timezone.get_default_timezone()


def _when(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


# Every month (month names in both languages), a time just before midnight in UTC that is
# the next day in Amsterdam, and two tests on one day.
WHENS = [_when(2025, month, 28 if month == 2 else 30, 23, 30) for month in range(1, 13)] + [
    _when(2026, 3, 2, 9, 5),
    _when(2026, 3, 2, 15, 45),
]


def _measurement(n: int, when: dt.datetime, **fields) -> SimpleNamespace:
    kinds = [
        {
            "loneliness_instrument": "djg6",
            "loneliness_score": 4,
            "loneliness_max": 6,
            "loneliness_level": "moderately_lonely",
            "isolation_instrument": "lsns6",
            "isolation_score": 8,
            "isolation_max": 30,
            "isolated": True,
            "route": "course",
            "duration_band": "persistent",
            "quadrant": "lonely_and_isolated",
            "battery": "short",
        },
        {
            "loneliness_instrument": "djg11",
            "loneliness_score": 9,
            "loneliness_max": 11,
            "loneliness_level": "",
            "isolation_instrument": "steptoe",
            "isolation_score": 3,
            "isolation_max": 5,
            "isolated": False,
            "route": "crisis_help",
            "duration_band": "chronic",
            "quadrant": "lonely_among_people",
            "battery": "full",
        },
        {
            "loneliness_instrument": "",
            "loneliness_score": None,
            "loneliness_max": None,
            "loneliness_level": "",
            "isolation_instrument": "",
            "isolation_score": None,
            "isolation_max": None,
            "isolated": None,
            "route": "",
            "duration_band": "",
            "quadrant": "",
            "battery": "short",
        },
        {
            "loneliness_instrument": "gone",
            "loneliness_score": 2,
            "loneliness_max": None,
            "loneliness_level": "x<y",
            "isolation_instrument": "old<scale>",
            "isolation_score": 0,
            "isolation_max": None,
            "isolated": None,
            "route": "no such route",
            "duration_band": None,
            "quadrant": None,
            "battery": "full",
        },
        {
            "loneliness_instrument": "ucla3",
            "loneliness_score": 3,
            "loneliness_max": 9,
            "loneliness_level": "not_lonely",
            "isolation_instrument": "lsns6",
            "isolation_score": 30,
            "isolation_max": 30,
            "isolated": False,
            "route": "no_action",
            "duration_band": "none",
            "quadrant": "connected",
            "battery": "short",
        },
    ]
    return SimpleNamespace(pk=1000 + n, created_at=when, **{**kinds[n % len(kinds)], **fields})


MEASUREMENTS = [_measurement(n, when) for n, when in enumerate(WHENS)]


def _dashboard_rows() -> list[SimpleNamespace]:
    rows = []
    trends = ["better", "worse", "same", None]
    for n, m in enumerate(MEASUREMENTS):
        latest = {k: v for k, v in vars(m).items() if k not in ("pk", "battery")}
        rows.append(
            SimpleNamespace(
                participant=SimpleNamespace(pk=7 + n, display_name=f'Ann <b>&</b> "{n}"'),
                is_own=n % 3 != 0,
                open_alerts=(0, 1, 2, 21)[n % 4],
                open_safety=(0, 1, 0, 2)[n % 4],
                latest=latest,
                trend=trends[n % 4],
            )
        )
    no_test = dict.fromkeys(rows[0].latest)
    rows.append(
        SimpleNamespace(
            participant=SimpleNamespace(pk=99, display_name="Nobody yet"),
            is_own=True,
            open_alerts=0,
            open_safety=0,
            latest=no_test,
            trend=None,
        )
    )
    return rows


# --- the comparisons ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dashboard_rows_are_the_loops_rows(lang):
    rows = _dashboard_rows()
    new = _render("{% load dashboard_rows %}{% dashboard_rows rows %}", lang, rows=rows)
    assert _same(new) == _same(_render(DASHBOARD_LOOP, lang, rows=rows))
    assert "&lt;b&gt;&amp;&lt;/b&gt; &quot;" in new  # names are escaped
    assert new.count("<tr") == len(rows)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_rows_are_the_loops_rows(lang):
    new = _render("{% load measurement_rows %}{% home_history_rows ms %}", lang, ms=MEASUREMENTS)
    assert _same(new) == _same(_render(HOME_LOOP, lang, history=MEASUREMENTS))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_coach_rows_are_the_loops_rows(lang):
    new = _render(
        "{% load measurement_rows %}{% coach_measurement_rows ms %}", lang, ms=MEASUREMENTS
    )
    assert _same(new) == _same(_render(COACH_LOOP, lang, measurements=MEASUREMENTS))
    assert "old&lt;scale&gt;" in new


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    "fmt", ["j F Y", "j M Y", "j b", "j M", "j b H:i", "j F Y, H:i", "D j N Y", "Y-m-d"]
)
def test_dates_are_written_as_the_date_filter_writes_them(lang, fmt):
    naive = [w.replace(tzinfo=None) for w in WHENS]
    days = [w.date() for w in WHENS]
    with translation.override(lang):
        for zone in (None, "America/New_York", "Asia/Kolkata"):  # the site's, and others
            with timezone.override(zone or timezone.get_default_timezone()):
                for localtime in (True, False):
                    dates = Dates(fmt, localtime=localtime)
                    for when in WHENS + naive:
                        expected = date_filter(
                            timezone.template_localtime(when) if localtime else when, fmt
                        )
                        assert dates(when) == expected, (when, localtime, zone)
        if "H" not in fmt:
            assert [Dates(fmt, localtime=False)(d) for d in days] == [
                date_filter(d, fmt) for d in days
            ]
        assert Dates(fmt)(None) == "" == date_filter(None, fmt)


def test_the_chart_writes_local_dates_like_its_table():
    # 23:30 UTC on 31 March is 01:30 on 1 April in Amsterdam: the chart says 1 April too.
    late = _measurement(0, dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC))
    html = _render("{% load history_chart %}{% history_chart ms %}", "en", ms=[late])
    assert "One test, on 1 April 2026:" in html
    assert "31 March" not in html and "31 Mar" not in html
