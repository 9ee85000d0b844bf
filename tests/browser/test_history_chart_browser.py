"""The history charts' labels are readable on a phone: at 375 px (also with the browser's
text size at 200%) and at 1280 px every axis label is at least 12 px on screen (font size
times the SVG's scale) and inside its drawing, and the page passes Visit.check (axe, no
sideways scrolling)."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_base import PASSWORD, add_measurement, make_coach, make_participant

from verbind.accounts.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

# For every visible label: its font size in SVG units times the drawn/viewBox width ratio,
# and whether it lies inside the drawing (not cut off at the sides).
EFFECTIVE_LABEL_SIZES = """() => {
  const out = [];
  for (const svg of document.querySelectorAll(".small-chart svg[role=img]")) {
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    for (const label of svg.querySelectorAll("text.chart-label")) {
      const r = label.getBoundingClientRect();
      const inside = r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
      out.push({size: parseFloat(getComputedStyle(label).fontSize) * scale, inside});
    }
  }
  return out;
}"""


@pytest.fixture
def participant_with_history(db):
    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    person = make_participant(org, coach, "pieter@example.org", "Pieter")
    # The last two on one day: their dates get the time too, the longest labels.
    for n, days in enumerate((200, 150, 100, 60, 1, 1)):
        add_measurement(person, days_ago=days, loneliness_score=5 - n % 4, isolation_score=8 + n)
    return person


def test_chart_labels_are_at_least_12_px_on_a_phone_and_a_desktop(visit, participant_with_history):
    v = visit("participant")
    v.log_in(participant_with_history.email, PASSWORD)
    v.goto("/account/")
    page = v.page
    for size, name, text_px in ((PHONE, "phone", 16), (PHONE, "phone-200", 32),
                                (DESKTOP, "desktop", 16)):  # fmt: skip
        cdp = v.context.new_cdp_session(page)
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": text_px, "fixed": 13}})
        page.set_viewport_size(size)
        labels = page.evaluate(EFFECTIVE_LABEL_SIZES)
        # Two charts (loneliness, contacts): 3 numbers and at least 2 dates each.
        assert len(labels) >= 2 * 5, (name, labels)
        assert min(label["size"] for label in labels) >= 12, (name, labels)
        assert all(label["inside"] for label in labels), (name, labels)  # none cut off
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (name, overflow)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator(".history-charts").first.screenshot(
            path=str(ARTIFACTS / f"history-chart-{name}.png")
        )
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
    v.check("home with a history chart")


# Per table of the participant: does it fit its box without sideways scrolling, and which
# column names does a stacked row show (the generated text before each value)?
TABLES = """() => [...document.querySelectorAll("main table")].map(t => {
  const wrap = t.closest(".table-wrap");
  const row = t.querySelector("tbody tr");
  const names = row ? [...row.querySelectorAll("[data-label]")].map(
    c => getComputedStyle(c, "::before").content) : [];
  return {fits: !wrap || wrap.scrollWidth <= wrap.clientWidth + 1,
          stacked: row ? getComputedStyle(row).display === "block" : false, names};
})"""


def test_a_participants_tables_show_every_column_on_a_phone(visit, participant_with_history):
    """At 375 px every row of "All my tests" is a block with each value under its column
    name: nothing hidden off to the side; the charts' own two-column tables fit as they
    are. On a desktop they stay ordinary tables. Visit.check runs axe at both widths."""
    v = visit("participant")
    v.log_in(participant_with_history.email, PASSWORD)
    v.goto("/account/")
    page = v.page
    page.set_viewport_size(PHONE)
    tables = page.evaluate(TABLES)
    assert len(tables) == 3, tables  # two charts' tables and "All my tests"
    assert all(table["fits"] for table in tables), tables
    home_table = next(t for t in tables if t["stacked"])
    assert any("Volgende stap" in n for n in home_table["names"]), tables
    assert any("Contacten" in n for n in home_table["names"]), tables
    page.set_viewport_size(DESKTOP)
    assert not any(t["stacked"] for t in page.evaluate(TABLES))
    v.check("home with stacked tables")
