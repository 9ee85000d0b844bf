"""One row of the coach dashboard, worked by hand: the LATEST measurement's loneliness,
contacts, duration and route, and the trend since the FIRST measurement (not the
previous one)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from web_base import add_measurement, make_participant

pytestmark = pytest.mark.django_db


def _row(html: str, name: str) -> list[str]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    (row,) = [r for r in body.split("<tr")[1:] if name in r]
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def _dashboard(client) -> str:
    return client.get(reverse("coaching:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_row_shows_the_latest_test_and_the_trend_since_the_first(people, client_for):
    person = make_participant(people.org, people.coach, "row@example.org", "Rowena Rij")
    # DJG-6 from 0 to 6: first 3, then 6 (worse), last 4. Since the FIRST test: more
    # lonely (3 -> 4), although compared with the test before it is better (6 -> 4).
    add_measurement(person, days_ago=60, loneliness_score=3)
    add_measurement(person, days_ago=20, loneliness_score=6)
    add_measurement(
        person,
        days_ago=1,
        loneliness_score=4,
        loneliness_level="moderately_lonely",
        isolated=False,
        duration_band="persistent",
        route="meaningful_connections",
        quadrant="lonely_among_people",
    )
    cells = _row(_dashboard(client_for("coach")), "Rowena Rij")
    name, signals, loneliness, contacts, how_long, route, trend, last = cells
    assert name == "Rowena Rij"
    assert signals == "–"
    assert loneliness == "moderately lonely (4 / 6)"  # the level's words from djg6.yaml
    assert contacts == "Enough contacts"
    assert how_long == "For some time"
    assert route == "Contact that means something"  # its title on the result page
    assert trend == "more lonely"
    assert last  # a date
    page = client_for("coach").get(
        reverse("coaching:participant", args=[person.pk]), HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert "matig eenzaam (4 / 6)" in page.content.decode()  # the same words on their page


def test_one_test_has_no_trend_and_a_signal_row_comes_first(people, client_for):
    person = make_participant(people.org, people.coach, "once@example.org", "Oona Eenmaal")
    add_measurement(person, days_ago=0, loneliness_score=1)
    html = _dashboard(client_for("coach"))
    assert _row(html, "Oona Eenmaal")[6] == "–"
    # Pietje has an open safety signal and tested before Oona: still the first row.
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "Pietje Xylofoon" in first_row and 'class="has-alert"' in first_row
    assert (
        _row(html, "Pietje Xylofoon")[1] == "Safety: 1 signal"
    )  # named in words, not only by colour
