"""The history chart: geometry by hand-worked cases and properties, and the rendered SVG
with its text and table alternatives on the participant's and the coach's pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st
from test_measurements import answers_for
from web_base import add_measurement

from verbind.screening.charts import NARROW, WIDE, Reading, chart_geometry, reading_of, share_of
from verbind.screening.domain.measurements import save_measurement

D = dt.date


def r(day: int, lonely: float | None, isolated: float | None) -> Reading:
    return Reading(D(2026, 1, day), lonely, isolated)


# --- shares: ranges and directions come from the definitions ---------------------------------


def test_share_of_hand_worked():
    assert share_of(3, 0, 6) == 0.5
    assert share_of(0, 0, 30, "better") == 1.0  # no contacts at all: fully "few contacts"
    assert share_of(30, 0, 30, "better") == 0.0
    assert share_of(6, 3, 9) == 0.5  # a scale that does not start at 0 (UCLA-3)
    assert share_of(None, 0, 6) is None
    assert share_of(12, 0, 6) == 1.0  # clamped, never off the chart


@pytest.mark.parametrize(
    ("instrument", "score", "share"),
    [("djg6", 3, 0.5), ("djg11", 11, 1.0), ("djg11", 0, 0.0), ("ucla3", 3, 0.0)],
)
def test_loneliness_reading_uses_the_scale_range(instrument, score, share):
    reading = reading_of(
        D(2026, 1, 1),
        loneliness_instrument=instrument,
        loneliness_score=score,
        isolation_instrument="",
        isolation_score=None,
    )
    assert reading.loneliness == pytest.approx(share)
    assert reading.isolation is None


@pytest.mark.parametrize(
    ("instrument", "score", "share"),
    # LSNS-6 counts contacts (higher is better): turned round. Steptoe counts isolation.
    [("lsns6", 30, 0.0), ("lsns6", 0, 1.0), ("lsns6", 12, 0.6), ("steptoe", 2, 0.4)],
)
def test_isolation_reading_is_few_contacts(instrument, score, share):
    reading = reading_of(
        D(2026, 1, 1),
        loneliness_instrument="djg6",
        loneliness_score=None,
        isolation_instrument=instrument,
        isolation_score=score,
    )
    assert reading.isolation == pytest.approx(share)
    assert reading.loneliness is None


def test_unknown_instrument_gives_no_share():
    reading = reading_of(
        D(2026, 1, 1),
        loneliness_instrument="no_such_scale",
        loneliness_score=4,
        isolation_instrument=None,
        isolation_score=4,
    )
    assert reading.loneliness is None and reading.isolation is None


# --- geometry ----------------------------------------------------------------------------------


def test_two_readings_hand_worked():
    # plot box: left 52, right 640-20=620, top 16, bottom 260-44=216 (height 200); inset 24
    chart = chart_geometry([r(2, 0.0, 1.0), r(1, 1.0, 0.5)])
    assert (chart.plot.left, chart.plot.right, chart.plot.top, chart.plot.bottom) == (
        52,
        620,
        16,
        216,
    )
    lon = chart.loneliness.points
    # sorted oldest first: day 1 (share 1.0) left and at the top, day 2 right at the bottom
    assert [(p.x, p.y) for p in lon] == [(76, 16), (596, 216)]
    assert chart.loneliness.path == "M76,16 L596,216"
    assert [(p.x, p.y) for p in chart.isolation.points] == [(76, 116), (596, 16)]
    assert [t.percent for t in chart.y_ticks] == [0, 25, 50, 75, 100]
    assert [t.y for t in chart.y_ticks] == [216, 166, 116, 66, 16]
    assert [t.when for t in chart.x_ticks] == [D(2026, 1, 1), D(2026, 1, 2)]


def test_one_reading_is_in_the_middle():
    chart = chart_geometry([r(5, 0.5, None)])
    (p,) = chart.loneliness.points
    assert p.x == (52 + 620) / 2 and p.y == 116
    assert chart.isolation.empty and chart.isolation.path == ""


def test_a_missing_score_breaks_the_line():
    chart = chart_geometry([r(1, 0.5, 0.5), r(2, None, 0.5), r(3, 0.25, 0.5), r(4, 0.0, 0.5)])
    assert chart.loneliness.path.count("M") == 2
    assert chart.loneliness.path.split(" ")[1].startswith("M")
    assert chart.isolation.path.count("M") == 1
    # the gap keeps its place: the third point is where the third reading is
    assert chart.loneliness.points[1].index == 2


def test_many_readings_label_first_and_last_and_not_all():
    chart = chart_geometry([r(d, 0.5, 0.5) for d in range(1, 21)], max_x_labels=6)
    indices = [t.index for t in chart.x_ticks]
    assert indices[0] == 0 and indices[-1] == 19
    assert len(indices) <= 6
    assert indices == sorted(set(indices))


def test_same_day_measurements_stay_apart():
    morning = timezone.make_aware(dt.datetime(2026, 3, 1, 9, 0))
    evening = timezone.make_aware(dt.datetime(2026, 3, 1, 21, 0))
    chart = chart_geometry([Reading(evening, 0.2, 0.2), Reading(morning, 0.8, 0.8)])
    a, b = chart.loneliness.points
    assert a.share == 0.8 and b.share == 0.2  # the morning test comes first
    assert b.x - a.x > 100


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="positive"):
        chart_geometry([], width=0)
    with pytest.raises(ValueError, match="too small"):
        chart_geometry([], width=100)
    with pytest.raises(ValueError, match="max_x_labels"):
        chart_geometry([], max_x_labels=1)


shares = st.one_of(st.none(), st.floats(min_value=0, max_value=1, allow_nan=False))


@given(st.lists(st.tuples(st.integers(1, 28), shares, shares), max_size=30))
def test_every_point_lies_in_the_plot_in_order(rows):
    chart = chart_geometry([r(day, a, b) for day, a, b in rows])
    assert len(chart.readings) == len(rows)
    for series in chart.series:
        xs = [p.x for p in series.points]
        assert xs == sorted(xs)
        for p in series.points:
            assert chart.plot.left <= p.x <= chart.plot.right
            assert chart.plot.top - 1e-6 <= p.y <= chart.plot.bottom + 1e-6
        # one "M" per run of consecutive readings that have this score
        values = [getattr(x, series.id) for x in chart.readings]
        runs = sum(
            1 for i, v in enumerate(values) if v is not None and (i == 0 or values[i - 1] is None)
        )
        assert series.path.count("M") == runs
        assert series.path.count("L") == len(series.points) - runs
    if rows:
        assert chart.x_ticks[0].index == 0 and chart.x_ticks[-1].index == len(rows) - 1


# The stylesheet shows the narrow drawing below 40rem (640 px) and the wide one from there;
# the chart sits in the page (1rem padding each side) and may sit in a card (1.25rem and a
# border). The narrowest box each drawing is shown in, in CSS px:
NARROWEST_BOX = {"narrow": 375 - 2 * 16 - 2 * 21, "wide": 640 - 2 * 16 - 2 * 21}


@pytest.mark.parametrize(("name", "layout"), [("narrow", NARROW), ("wide", WIDE)])
def test_labels_are_at_least_12_px_where_each_drawing_is_shown(name, layout):
    chart = chart_geometry([r(1, 0.5, 0.5), r(2, 0.4, 0.6)], **layout)
    # An SVG is drawn at (box width / viewBox width) of its size, and its text with it.
    assert chart.label_size * NARROWEST_BOX[name] / chart.width >= 12
    # The dates fit under the plot, inside the drawing.
    assert chart.plot.bottom + chart.label_size < chart.x_label_y <= chart.height


def test_the_narrow_drawing_labels_fewer_dates():
    chart = chart_geometry([r(d, 0.5, 0.5) for d in range(1, 9)], **NARROW)
    assert [t.index for t in chart.x_ticks] == [0, 4, 7]  # first, last, one between


# --- rendering -----------------------------------------------------------------------------------


def _render(measurements, lang="nl") -> str:
    with translation.override(lang):
        return Template("{% load history_chart %}{% history_chart ms %}").render(
            Context({"ms": measurements})
        )


@pytest.mark.django_db
def test_rendered_chart_is_an_accessible_image_with_a_table(people):
    html = _render(list(people.participant.measurements.all()))
    svg = re.search(r"<svg [^>]*role=\"img\"[^>]*>.*?</svg>", html, re.S).group(0)
    labelled = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    for element_id in labelled:
        assert f'id="{element_id}"' in svg
    assert "<title" in svg and "<desc" in svg
    # Dutch formats numbers with a comma; SVG must still get a decimal point.
    for value in re.findall(r' (?:x|y|cx|cy|x1|x2|y1|y2)="([^"]*)"', svg):
        float(value)
    assert re.search(r'd="M[\d.]+,[\d.]+', svg)
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # two drawings, no id twice
    # the table alternative has one row per measurement
    table = html[html.index("<table") :]
    assert table.count('<th scope="row">') == 2


@pytest.mark.django_db
def test_description_says_what_changed(people):
    m_old, m_new = people.participant.measurements.order_by("created_at")
    html = _render([m_new, m_old], lang="en")
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", html, re.S).group(1)
    # add_measurement: DJG-6 3 then 5 of 0-6 (50 % then 83 %), LSNS-6 8 of 30 (73 % few)
    assert "2 tests" in desc
    assert "Loneliness: 50 percent at the first test, 83 percent at the latest test." in desc
    assert "Few contacts: 73 percent at the first test, 73 percent at the latest test." in desc


@pytest.mark.django_db
def test_no_measurements_no_chart():
    assert _render([]).strip() == ""


@pytest.mark.django_db
def test_chart_on_participant_home_and_coach_page(people, client_for):
    save_measurement(people.participant, "short", answers_for(lonely=False, isolated=False))
    home = client_for("participant").get(reverse("accounts:home")).content.decode()
    coach = (
        client_for("coach")
        .get(reverse("coaching:participant", kwargs={"pk": people.participant.pk}))
        .content.decode()
    )
    for page in (home, coach):
        # Two drawings, wide and narrow; the stylesheet shows one of them.
        assert page.count('role="img"') == 2
        assert page.count('<circle class="chart-dot-loneliness"') == 2 * 3


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["home", "coach"])
def test_chart_adds_no_queries_per_measurement(people, client_for, page):
    def count() -> int:
        client = client_for("participant" if page == "home" else "coach")
        url = (
            reverse("accounts:home")
            if page == "home"
            else reverse("coaching:participant", kwargs={"pk": people.participant.pk})
        )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for days in range(3, 10):
        add_measurement(people.participant, days_ago=days, loneliness_score=days % 6)
    assert count() == before


@pytest.mark.django_db
def test_dates_under_the_chart_show_the_time_when_a_day_has_two_tests(people):
    base = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30))
    ms = list(people.participant.measurements.all())
    for m, when in zip(ms, (base, base.replace(hour=15)), strict=True):
        m.created_at = when
    html = _render(ms)
    labels = re.findall(r'<text class="chart-label"[^>]*text-anchor="middle"[^>]*>([^<]*)<', html)
    # The wide drawing gives the time; the narrow one has no room (the table has it).
    assert [label[-5:] for label in labels[:2]] == ["09:30", "15:30"]
    assert labels[0][:-5] == labels[1][:-5]  # the same day
    assert labels[2:] == [labels[0][:-6]] * 2
    ms[0].created_at = base.replace(day=1)
    labels = re.findall(
        r'<text class="chart-label"[^>]*text-anchor="middle"[^>]*>([^<]*)<', _render(ms)
    )
    assert len(labels) == 2 * 2 and not any(":" in label for label in labels)
    assert labels[0].startswith("1 ") and labels[1].startswith("2 ")


def test_dates_under_the_chart_follow_each_languages_spelling():
    """Dutch writes month abbreviations in lower case ("3 okt"), English capitalises them."""
    from verbind.screening.templatetags.history_chart import x_labels

    when = [
        dt.datetime(2026, 10, 3, 10, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC),
    ]
    chart = chart_geometry([Reading(when=w, loneliness=0.5, isolation=0.5) for w in when])
    with translation.override("nl"):
        assert [label.text for label in x_labels(chart)] == ["3 okt", "5 nov"]
    with translation.override("en"):
        assert [label.text for label in x_labels(chart)] == ["3 Oct", "5 Nov"]
