"""The coach dashboard in pages: signals first across all pages, then the most recent
test; every participant on exactly one page; plain links between the pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from web_base import add_measurement, make_participant

from verbind.coaching.domain.dashboard import PAGE_SIZE, page_for_coach, rows_for_coach
from verbind.coaching.models import Alert, AlertKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(people):
    """PAGE_SIZE + 6 more participants for the coach: one a day, newest first by name
    number; "Flagged Late" tested longest ago but has an open signal; "Never Tested"
    has no test at all."""
    for i in range(PAGE_SIZE + 3):
        person = make_participant(people.org, people.coach, f"many{i}@example.org", f"Many {i:03d}")
        add_measurement(person, days_ago=2 + i)
    flagged = make_participant(people.org, people.coach, "late@example.org", "Flagged Late")
    old = add_measurement(flagged, days_ago=900)
    Alert.objects.create(participant=flagged, measurement=old, kind=AlertKind.WORSENING)
    make_participant(people.org, people.coach, "never@example.org", "Never Tested")
    return people


def names_in(html: str) -> list[str]:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', body)


def test_pages_together_are_the_whole_list_in_the_dashboard_order(many):
    everyone = rows_for_coach(many.coach, many.org)
    # Hand-checked order: the two with a signal (most recent test first), then by the
    # date of the last test, newest first; no test at all comes last.
    names = [r.participant.display_name for r in everyone]
    assert names[:2] == ["Pietje Xylofoon", "Flagged Late"]
    assert names[2:5] == ["Many 000", "Many 001", "Many 002"]
    assert names[-1] == "Never Tested"
    assert len(names) == PAGE_SIZE + 6

    paged = []
    first = page_for_coach(many.coach, many.org, 1, per_page=7)
    assert (first.total, first.page_count) == (len(everyone), -(-len(everyone) // 7))
    for number in range(1, first.page_count + 1):
        page = page_for_coach(many.coach, many.org, number, per_page=7)
        assert len(page.rows) == (7 if number < page.page_count else len(everyone) % 7 or 7)
        paged += [r.participant.pk for r in page.rows]
    assert paged == [r.participant.pk for r in everyone]
    past = page_for_coach(many.coach, many.org, first.page_count + 1, per_page=7)
    assert past.rows == []


def test_the_dashboard_shows_signals_on_page_one_and_links_the_pages(many, client_for):
    coach = client_for("coach")
    url = reverse("coaching:dashboard")
    one = coach.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    shown = names_in(one)
    assert len(shown) == PAGE_SIZE
    assert shown[:2] == ["Pietje Xylofoon", "Flagged Late"]
    assert "Page 1 of 2" in one
    assert 'rel="next" href="?page=2"' in one and 'rel="prev"' not in one

    two = coach.get(url, {"page": 2}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rest = names_in(two)
    assert rest[-1] == "Never Tested"
    assert len(rest) == 6 and not set(rest) & set(shown)
    assert "Page 2 of 2" in two
    assert 'rel="prev" href="?page=1"' in two and 'rel="next"' not in two
    assert 'class="has-alert"' not in two  # every signal is on the first page

    # A page that no longer exists, or a mistyped number, goes back to the first page.
    assert coach.get(url, {"page": 9}).url == url
    assert names_in(coach.get(url, {"page": "x"}).content.decode()) == shown


def test_one_page_has_no_page_links(people, client_for):
    html = client_for("coach").get(reverse("coaching:dashboard")).content.decode()
    assert names_in(html) and 'rel="next"' not in html and "?page=" not in html
