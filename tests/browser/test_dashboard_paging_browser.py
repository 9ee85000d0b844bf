"""The coach dashboard's page links in a real browser: with more participants than fit on
one page, both pages pass Visit.check (axe 0 WCAG 2.1 A/AA violations at 375 px and
1280 px, no sideways scrolling), a keyboard user reaches "Next page" and "Previous page"
with Tab and follows them with Enter, and participants with a signal are on page 1."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation
from web_base import PASSWORD, add_measurement, make_coach, make_participant

from verbind.accounts.domain.consent import CONSENT_VERSION, consent_text
from verbind.accounts.models import (
    ConsentPurpose,
    ConsentRecord,
    Membership,
    Organisation,
    Role,
    User,
)
from verbind.coaching.domain.dashboard import PAGE_SIZE
from verbind.coaching.models import Alert, AlertKind, CoachAssignment
from verbind.screening.models import Measurement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
UNFLAGGED = PAGE_SIZE + 10
FLAGGED = ("Flora Signaal", "Frits Signaal")


def t(msgid: str) -> str:
    """The Dutch words the coach sees (the browser asks for nl-NL)."""
    with translation.override("nl"):
        return translation.gettext(msgid)


def _bulk_participants(org, coach, count: int) -> None:
    """``count`` participants exactly as web_base.make_participant makes them (consents,
    membership, assignment) plus one measurement each, in a handful of bulk inserts."""
    password = make_password(PASSWORD)  # hashed once, not once per person
    users = User.objects.bulk_create(
        User(email=f"many{i:03d}@example.org", name=f"Many {i:03d}", password=password)
        for i in range(count)
    )
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            user=u,
            purpose=purpose,
            version=CONSENT_VERSION,
            language="nl",
            text=consent_text(purpose, "nl"),
        )
        for u in users
        for purpose in (ConsentPurpose.STORE_MEASUREMENTS, ConsentPurpose.SHARE_WITH_COACH)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=org, role=Role.PARTICIPANT) for u in users
    )
    CoachAssignment.objects.bulk_create(
        CoachAssignment(participant=u, coach=coach, organisation=org) for u in users
    )
    # Newest first by number; all more recent than the flagged participants' tests, so
    # only the signal can put those on page 1.
    template = add_measurement(users[0], days_ago=1)
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Measurement._meta.concrete_fields
        if f.attname not in ("id", "participant_id", "created_at")
    }
    now = timezone.now()
    Measurement.objects.bulk_create(
        Measurement(participant=u, created_at=now - timedelta(days=2 + i), **fields)
        for i, u in enumerate(users[1:])
    )


@pytest.fixture
def coach_with_many(db):
    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    with transaction.atomic():
        _bulk_participants(org, coach, UNFLAGGED)
        for n, name in enumerate(FLAGGED):
            person = make_participant(org, coach, f"flagged{n}@example.org", name)
            old = add_measurement(person, days_ago=800 + n)  # the oldest tests of all
            Alert.objects.create(participant=person, measurement=old, kind=AlertKind.WORSENING)
    assert CoachAssignment.objects.filter(coach=coach).count() == UNFLAGGED + len(FLAGGED)
    return coach


def _rows(page) -> list[tuple[str, bool]]:
    """(name, has a signal) for every row of the dashboard table, top to bottom."""
    return page.evaluate(
        """() => [...document.querySelectorAll("table.dashboard tbody tr")].map(tr =>
            [tr.querySelector("th a").textContent.trim(), tr.classList.contains("has-alert")])"""
    )


def _tab_to_and_press_enter(page, name: str, limit: int = 150) -> int:
    """Press Tab from the top of the page until the link called ``name`` has the focus,
    then Enter. Returns how many Tabs it took."""
    page.locator("body").evaluate("b => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? [e.tagName, e.textContent.trim(), getComputedStyle(e).outlineStyle]"
            " : null; }"
        )
        if focused and focused[0] == "A" and focused[1] == name:
            # The site's :focus-visible outline shows where the keyboard is.
            assert focused[2] != "none", f"{name!r} has the focus but no visible outline"
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return presses
    raise AssertionError(f"{name!r} not reached with {limit} presses of Tab")


def _page_links_fit(page, size) -> None:
    page.set_viewport_size(size)
    nav = page.get_by_role("navigation", name=t("Pages of participants"))
    assert nav.is_visible()
    box = nav.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= size["width"], (size, box)


def test_keyboard_user_pages_through_the_dashboard_with_signals_on_page_one(visit, coach_with_many):
    v = visit("coach")
    v.log_in(coach_with_many.email, PASSWORD)
    v.goto("/coach/")
    page = v.page
    total = UNFLAGGED + len(FLAGGED)
    pages = -(-total // PAGE_SIZE)
    assert pages == 2

    one = _rows(page)
    assert len(one) == PAGE_SIZE
    assert [name for name, _ in one[: len(FLAGGED)]] == list(FLAGGED)  # newest test first
    assert all(flag for _, flag in one[: len(FLAGGED)])
    assert not any(flag for _, flag in one[len(FLAGGED) :])
    text = page.get_by_role("navigation", name=t("Pages of participants")).inner_text()
    assert t("Page %(number)s of %(total)s") % {"number": 1, "total": pages} in text
    assert page.get_by_role("link", name=t("Previous page")).count() == 0
    for size in (PHONE, DESKTOP):
        _page_links_fit(page, size)
    v.check("dashboard page 1")

    page.set_viewport_size(DESKTOP)
    _tab_to_and_press_enter(page, t("Next page"))
    assert page.url.endswith("?page=2")
    two = _rows(page)
    assert len(two) == total - PAGE_SIZE
    assert not any(flag for _, flag in two)  # every signal is on page 1
    assert not {name for name, _ in two} & {name for name, _ in one}
    assert two[-1][0] == f"Many {UNFLAGGED - 1:03d}"  # the oldest test is last
    text = page.get_by_role("navigation", name=t("Pages of participants")).inner_text()
    assert t("Page %(number)s of %(total)s") % {"number": 2, "total": pages} in text
    assert page.get_by_role("link", name=t("Next page")).count() == 0
    for size in (PHONE, DESKTOP):
        _page_links_fit(page, size)
    v.check("dashboard page 2")

    # Back at phone width, again by keyboard only.
    page.set_viewport_size(PHONE)
    _tab_to_and_press_enter(page, t("Previous page"))
    assert page.url.endswith("?page=1")
    assert _rows(page) == one
