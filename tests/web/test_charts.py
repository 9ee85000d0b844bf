"""Small charts, one measure each in its own units: geometry by hand-worked cases and
properties, and the rendered history charts (participant's home, coach's participant page)
with their words and tables."""

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

from verbind.screening.charts import (
    HEIGHT,
    WIDTH,
    label_indices,
    measure_of,
    small_chart,
    y_tick_values,
)
from verbind.screening.domain.measurements import save_measurement

# --- the scale comes from the definitions ---------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "lo", "hi", "higher_is"),
    [
        ("djg11", 0, 11, "worse"),
        ("djg6", 0, 6, "worse"),
        ("ucla3", 3, 9, "worse"),
        ("lsns6", 0, 30, "better"),  # contacts: more is better
        ("mood", 1, 5, "better"),
    ],
)
def test_a_measure_has_its_scales_real_range_and_direction(instrument, lo, hi, higher_is):
    m = measure_of(instrument)
    assert (m.min, m.max, m.higher_is) == (lo, hi, higher_is)


def test_an_unknown_instrument_has_no_measure():
    assert measure_of("no_such_scale") is None and measure_of("") is None


@pytest.mark.parametrize(
    ("lo", "hi", "ticks"),
    [(0, 11, (0, 5, 11)), (0, 6, (0, 3, 6)), (3, 9, (3, 6, 9)), (0, 30, (0, 15, 30)),
     (1, 5, (1, 3, 5)), (0, 1, (0, 1))],
)  # fmt: skip
def test_the_vertical_axis_is_in_the_scales_own_units(lo, hi, ticks):
    assert y_tick_values(lo, hi) == ticks


# --- geometry ---------------------------------------------------------------------------------


def test_two_points_hand_worked():
    # plot box: left 34, right 320-14=306, top 14, bottom 200-34=166 (height 152); inset 22
    chart = small_chart([3, 5], ["1 mrt", "2 mrt"], 0, 6)
    assert (chart.plot.left, chart.plot.right, chart.plot.top, chart.plot.bottom) == (
        34,
        306,
        14,
        166,
    )
    assert [(m.x, m.y) for m in chart.marks] == [(56, 90), (284, 39.33)]
    assert chart.path == "M56,90 L284,39.3"
    assert [(t.value, t.y) for t in chart.y_ticks] == [(0, 166), (3, 90), (6, 14)]
    # The first label starts at the plot's left edge, the last ends at its right edge.
    assert [(lb.x, lb.text, lb.anchor) for lb in chart.x_labels] == [
        (34, "1 mrt", "start"),
        (306, "2 mrt", "end"),
    ]


def test_a_single_point_is_drawn_in_the_middle():
    chart = small_chart([4], ["Start"], 0, 11)
    (m,) = chart.marks
    assert chart.single and chart.path == ""
    assert m.x == (34 + 306) / 2 and chart.plot.top < m.y < chart.plot.bottom
    assert chart.marker_radius >= 5  # a dot big enough to see
    assert [(lb.text, lb.anchor) for lb in chart.x_labels] == [("Start", "middle")]


def test_a_value_outside_the_scale_stays_on_the_chart():
    chart = small_chart([-3, 40], ["a", "b"], 0, 30)
    assert [m.y for m in chart.marks] == [chart.plot.bottom, chart.plot.top]


def test_many_points_label_the_first_and_the_last_and_not_all():
    labels = [f"Week {n}" for n in range(9)]
    chart = small_chart(list(range(9)), labels, 0, 11)
    assert [lb.text for lb in chart.x_labels] == ["Week 0", "Week 4", "Week 8"]
    assert label_indices(20, 6)[0] == 0 and label_indices(20, 6)[-1] == 19


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="one label per value"):
        small_chart([1, 2], ["a"], 0, 6)
    with pytest.raises(ValueError, match="highest score"):
        small_chart([1], ["a"], 6, 6)
    with pytest.raises(ValueError, match="too small"):
        small_chart([1], ["a"], 0, 6, width=60)
    with pytest.raises(ValueError, match="max_x_labels"):
        small_chart([1], ["a"], 0, 6, max_x_labels=1)


@given(st.lists(st.integers(-5, 40), max_size=30), st.sampled_from([(0, 6), (0, 30), (3, 9)]))
def test_every_point_lies_in_the_plot_in_order(values, scale):
    lo, hi = scale
    chart = small_chart(values, [str(i) for i in range(len(values))], lo, hi)
    xs = [m.x for m in chart.marks]
    assert xs == sorted(xs) and len(xs) == len(values)
    for m in chart.marks:
        assert chart.plot.left <= m.x <= chart.plot.right
        assert chart.plot.top - 1e-6 <= m.y <= chart.plot.bottom + 1e-6
    assert chart.path.count("L") == max(len(values) - 1, 0)
    if values:
        assert len(chart.x_labels) <= 3
        assert all(0 <= lb.x <= chart.width for lb in chart.x_labels)


# The drawing is shown 17.5rem to 20rem wide (it scrolls in its own box rather than being
# drawn smaller): at 100% text at least 280 px, so its labels at least 12 px.
SMALLEST_DRAWING = 17.5 * 16


def test_labels_are_at_least_12_px_however_narrow_the_screen():
    chart = small_chart([1, 2], ["a", "b"], 0, 6)
    assert (chart.width, chart.height) == (WIDTH, HEIGHT)
    assert chart.label_size * SMALLEST_DRAWING / chart.width >= 12
    # The labels fit under the plot, inside the drawing.
    assert chart.plot.bottom + chart.label_size < chart.x_label_y <= chart.height


# --- rendering --------------------------------------------------------------------------------


def _render(measurements, lang="nl") -> str:
    with translation.override(lang):
        return Template("{% load history_chart %}{% history_chart ms %}").render(
            Context({"ms": measurements})
        )


def _figures(html: str) -> list[str]:
    return re.findall(r'<figure class="small-chart".*?</figure>', html, re.S)


@pytest.mark.django_db
def test_one_chart_per_measure_in_its_own_units_with_its_direction_and_table(people):
    # add_measurement: DJG-6 3 then 5 (0 to 6), LSNS-6 8 (0 to 30, more is better)
    html = _render(list(people.participant.measurements.all()))
    lonely, contacts = _figures(html)
    assert "Eenzaamheid (totaal)" in lonely and "Lager is beter." in lonely
    assert "Scores van 0 tot 6." in lonely
    assert "Sociaal netwerk (totaal)" in contacts and "Hoger is beter." in contacts
    assert "Scores van 0 tot 30." in contacts
    for figure, ticks in ((lonely, ["0", "3", "6"]), (contacts, ["0", "15", "30"])):
        svg = re.search(r"<svg .*?</svg>", figure, re.S).group(0)
        assert re.findall(r'text-anchor="end" font-size="14">([^<]*)<', svg)[:3] == ticks
        assert "%" not in svg  # no percentages: the scale's own numbers
        assert svg.count("<circle") == 2
        # The table beside it gives the same numbers.
        assert figure.count('<th scope="row">') == 2
    assert "<td>3</td>" in lonely and "<td>5</td>" in lonely and "<td>8</td>" in contacts


@pytest.mark.django_db
def test_the_charts_are_accessible_images_with_decimal_points(people):
    html = _render(list(people.participant.measurements.all()))
    for svg in re.findall(r"<svg [^>]*role=\"img\"[^>]*>.*?</svg>", html, re.S):
        labelled = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        for element_id in labelled:
            assert f'id="{element_id}"' in svg
        # Dutch formats numbers with a comma; SVG must still get a decimal point.
        for value in re.findall(r' (?:x|y|cx|cy|x1|x2|y1|y2)="([^"]*)"', svg):
            float(value)
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


@pytest.mark.django_db
def test_a_single_test_is_a_visible_point(people):
    (first, _second) = people.participant.measurements.order_by("created_at")
    html = _render([first], lang="en")
    for figure in _figures(html):
        assert figure.count("<circle") == 1 and "<path" not in figure
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", html, re.S).group(1)
    assert desc.startswith("One test, on ") and ": score 3." in desc


@pytest.mark.django_db
def test_the_description_says_what_changed(people):
    m_old, m_new = people.participant.measurements.order_by("created_at")
    html = _render([m_new, m_old], lang="en")
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", html, re.S).group(1)
    assert "2 tests" in desc
    assert "Score 3 at the first test, 5 at the latest test." in desc
    assert desc.endswith("Scores from 0 to 6. Lower is better.")


@pytest.mark.django_db
def test_the_long_and_the_short_loneliness_list_are_not_joined(people):
    add_measurement(people.participant, days_ago=0, loneliness_instrument="djg11",
                    loneliness_score=9, loneliness_max=11)  # fmt: skip
    html = _render(list(people.participant.measurements.all()))
    figures = _figures(html)
    assert len(figures) == 3
    assert "Eenzaamheid (totaal), 6 vragen" in figures[0]
    assert "Eenzaamheid (totaal), 11 vragen" in figures[1] and "Scores van 0 tot 11." in figures[1]
    assert "DJG" not in html  # no questionnaire codes for a participant


@pytest.mark.django_db
def test_no_measurements_no_chart():
    assert _render([]).strip() == ""


@pytest.mark.django_db
def test_charts_on_participant_home_and_coach_page(people, client_for):
    save_measurement(people.participant, "short", answers_for(lonely=False, isolated=False))
    home = client_for("participant").get(reverse("accounts:home")).content.decode()
    coach = (
        client_for("coach")
        .get(reverse("coaching:participant", kwargs={"pk": people.participant.pk}))
        .content.decode()
    )
    for page in (home, coach):
        assert page.count('class="small-chart-svg"') == 2  # loneliness, contacts
        assert page.count('<circle class="chart-dot"') == 2 * 3


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
def test_dates_under_the_chart_follow_each_languages_spelling(people):
    ms = list(people.participant.measurements.order_by("created_at"))
    for m, when in zip(ms, (dt.datetime(2026, 10, 3, 10), dt.datetime(2026, 11, 5, 10)),
                       strict=True):  # fmt: skip
        m.created_at = timezone.make_aware(when)
    labels = re.compile(r'<text class="chart-label"[^>]*text-anchor="(?:start|end|middle)"'
                        r' font-size="14">([^<]*)<')  # fmt: skip
    first = _figures(_render(ms, "nl"))[0]
    assert [x for x in labels.findall(first) if not x.isdigit()] == ["3 okt", "5 nov"]
    first = _figures(_render(ms, "en"))[0]
    assert [x for x in labels.findall(first) if not x.isdigit()] == ["3 Oct", "5 Nov"]
