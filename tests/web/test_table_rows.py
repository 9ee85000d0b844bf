"""The tables of tests and the coach dashboard's rows, rendered by their templates on
awkward data: names and stored values escaped, local dates (a test late in the evening
in UTC is the next day in Amsterdam), the number of signals in words, values no longer
known in words, in both languages."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

LATE = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)  # 1 April, 01:30 in Amsterdam


def _render(source: str, lang: str, **context) -> str:
    with translation.override(lang):
        return Template(source).render(Context(context))


def _measurement(**fields) -> SimpleNamespace:
    base = {
        "pk": 1001,
        "created_at": LATE,
        "battery": "short",
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
    }
    return SimpleNamespace(**{**base, **fields})


GONE = _measurement(
    pk=1002,
    loneliness_instrument="gone",
    loneliness_level="x<y",
    loneliness_max=None,
    loneliness_score=2,
    isolation_instrument="old<scale>",
    isolated=None,
    route="no such route",
    duration_band=None,
    battery="full",
)
EMPTY = _measurement(pk=1003, loneliness_score=None, isolation_score=None, isolated=None)


def test_the_home_rows_link_each_test_and_write_its_local_date():
    html = _render(
        "{% load measurement_rows %}{% home_history_rows ms %}", "nl", ms=[_measurement()]
    )
    assert '<td data-label="Datum"><a href="/test/result/1001/">1 april 2026</a></td>' in html
    assert '<td data-label="Score eenzaamheid">4 / 6</td>' in html
    assert '<td data-label="Contacten">Weinig contacten</td>' in html
    assert '<td data-label="Volgende stap">De cursus van 8 weken</td>' in html


def test_the_home_rows_say_what_is_not_known():
    html = _render("{% load measurement_rows %}{% home_history_rows ms %}", "en", ms=[EMPTY, GONE])
    assert '<td data-label="Loneliness score">–</td>' in html
    assert '<td data-label="Contacts">Not known</td>' in html
    assert '<td data-label="Next step">Not known</td>' in html  # a route no longer used
    assert html.count("<tr>") == 2


def test_the_coach_rows_escape_stored_values_and_name_the_questionnaire():
    html = _render(
        "{% load measurement_rows %}{% coach_measurement_rows ms %}",
        "en",
        ms=[_measurement(), GONE, EMPTY],
    )
    assert "<td>1 April 2026</td>" in html
    assert "<td>moderately lonely (4 / 6)</td>" in html
    assert "<td>Few contacts (LSNS-6 8 / 30)</td>" in html
    assert "<td>full</td>" in html and "<td>short</td>" in html
    assert "<td>2 / None</td>" in html  # an unknown level: the score alone
    assert "old&lt;scale&gt;" in html and "old<scale>" not in html
    assert "<td>For some time</td>" in html and "<td>Not known</td>" in html


def _dashboard_row(n: int, **fields) -> SimpleNamespace:
    latest = {k: v for k, v in vars(_measurement()).items() if k not in ("pk", "battery")}
    row = {
        "participant": SimpleNamespace(pk=7 + n, display_name=f'Ann <b>&</b> "{n}"'),
        "is_own": True,
        "open_alerts": 0,
        "open_safety": 0,
        "latest": latest,
        "trend": None,
    }
    return SimpleNamespace(**{**row, **fields})


def test_the_dashboard_rows_escape_names_and_count_signals_in_words():
    rows = [
        _dashboard_row(0, open_alerts=1, trend="better"),
        _dashboard_row(1, open_alerts=21, open_safety=2, is_own=False, trend="worse"),
        _dashboard_row(2, latest=dict.fromkeys(_dashboard_row(0).latest), trend="same"),
    ]
    for lang, one, many, no_test in (
        ("nl", "1 signaal", "21 signalen", "nog geen test"),
        ("en", "1 signal", "21 signals", "no test yet"),
    ):
        html = _render("{% load dashboard_rows %}{% dashboard_rows rows %}", lang, rows=rows)
        assert html.count('<tr class="has-alert">') == 2 and html.count("<tr") == 3
        assert (
            '<a href="/coach/participant/7/">Ann &lt;b&gt;&amp;&lt;/b&gt; &quot;0&quot;</a>' in html
        )
        assert f'<strong class="alert-text">{one}</strong>' in html
        assert f'<strong class="alert-text">{many}</strong>' in html
        assert html.count('class="signal-icon"') == 1  # a safety signal has its icon
        assert html.count('<span class="tag">') == 1  # shared by a colleague
        assert f"<td>{no_test}</td>" in html
    assert "<td>1 April 2026</td>" in html


def test_the_chart_writes_local_dates_like_its_table():
    html = _render("{% load history_chart %}{% history_chart ms %}", "en", ms=[_measurement()])
    assert "One test, on 1 April 2026:" in html
    assert "31 March" not in html and "31 Mar" not in html
