"""The course inside the platform, in a real browser, Dutch and English, at phone and
desktop width (Visit.check: axe-core 0 violations, no sideways scrolling):
the menu and the home card lead a participant to the course; a safety check-in flags the
coach, whose participant page shows the signal and leads to the course."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation
from test_course_support import NOT_WILLING_ANSWERS, full_answers, measured
from web_base import PASSWORD, make_coach, make_participant

from verbind.accounts.models import Organisation
from verbind.coaching.models import Alert
from verbind.course.domain import checkins
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.models import Enrolment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def t(msgid: str, lang: str = "nl") -> str:
    with translation.override(lang):
        return translation.gettext(msgid)


def switch_language(v, code: str) -> None:
    v.page.locator(f"form.language-switch button[lang={code}]").click()


@pytest.fixture
def world(db):
    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    offered = make_participant(org, coach, "pieter@example.org", "Pieter")
    measured(offered)
    return org, coach, offered


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_menu_and_home_card_lead_a_participant_into_the_course(visit, world, lang):
    _org, _coach, participant = world
    p = visit(f"participant-{lang}")
    page = p.page
    p.log_in(participant.email, PASSWORD)
    if lang == "en":
        switch_language(p, "en")
    p.goto("/account/")
    menu = page.get_by_role("navigation", name=t("Main menu", lang))
    assert menu.get_by_role("link", name=t("Course", lang), exact=True).is_visible()
    card = page.locator("section.course-card")
    assert t("You decide. If now is not the right time, that is fine too.", lang) in (
        card.inner_text()
    )
    p.check(f"home, course offered ({lang})")

    card.get_by_role("button", name=t("Start the course", lang)).click()
    assert Enrolment.objects.filter(participant=participant).exists()
    p.goto("/account/")
    card = page.locator("section.course-card")
    assert t("A check-in is waiting.", lang) in card.inner_text()
    p.check(f"home, in the course ({lang})")
    week1 = t("Go to week %(n)s", lang) % {"n": 1}
    card.get_by_role("link", name=week1).click()
    assert page.url.endswith("/course/week/1/")

    # At phone width the menu still shows the course link without sideways scrolling.
    page.set_viewport_size({"width": 375, "height": 812})
    menu = page.get_by_role("navigation", name=t("Main menu", lang))
    menu.get_by_role("link", name=t("Course", lang), exact=True).click()
    assert page.url.endswith("/course/")


def test_a_safety_check_in_flags_the_coach_who_finds_it_and_the_course(visit, world):
    org, coach, participant = world
    calm = make_participant(org, coach, "anna@example.org", "Anna")
    measured(calm)
    e = enrolment_domain.enrol(participant)
    checkins.save_check_in(e, "week-0", full_answers(lonely=True, safety="yes"))
    assert Alert.objects.filter(check_in__enrolment=e, resolved_at=None).count() == 1
    assert [m.to for m in mail.outbox] == [[coach.email]]
    not_enrolled = make_participant(org, coach, "bram@example.org", "Bram")
    measured(not_enrolled, NOT_WILLING_ANSWERS)

    for lang in ("nl", "en"):
        c = visit(f"coach-{lang}")
        page = c.page
        c.log_in(coach.email, PASSWORD)
        if lang == "en":
            switch_language(c, "en")
        c.goto("/coach/")
        first_row = page.locator("table.dashboard tbody tr").first
        assert "Pieter" in first_row.inner_text() and "has-alert" in (
            first_row.get_attribute("class") or ""
        )
        c.check(f"dashboard with a check-in signal ({lang})")
        first_row.get_by_role("link", name="Pieter").click()
        signals = page.locator("section.alert-card").inner_text()
        assert t("course check-in at the start", lang) in signals
        c.check(f"participant page with a check-in signal ({lang})")
        page.get_by_role("link", name=t("Open the course overview", lang)).click()
        assert f"/course/coach/enrolment/{e.pk}/" in page.url

        c.goto(f"/coach/participant/{not_enrolled.pk}/")
        assert page.get_by_role("link", name=t("Enrol in the course", lang)).is_visible()
        c.check(f"participant page, not in the course ({lang})")
