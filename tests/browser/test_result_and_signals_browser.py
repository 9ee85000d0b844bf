"""Two walkthroughs in a real browser (Visit.check: axe-core 0 violations, no sideways
scrolling, screenshots at 375 and 1280 px):

* a participant who takes part in the course does the test again and reads one honest
  next step, on the first screen of a phone; the details open without JavaScript help;
* a coach handles a safety signal: it is on top, marked in words, with the participant's
  contact details; marked handled, it is in the history; undone, it is open again.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from test_course_support import COURSE_ANSWERS, measured
from test_measurements import answers_for
from web_base import PASSWORD, add_measurement, make_coach, make_participant

from verbind.accounts.domain.consent import record_consent
from verbind.accounts.models import ConsentPurpose, Organisation
from verbind.coaching.models import Alert, AlertKind
from verbind.course.domain import enrolment as enrolment_domain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


def t(msgid: str) -> str:
    from django.utils import translation

    with translation.override("nl"):
        return translation.gettext(msgid)


def on_first_phone_screen(page, locator) -> bool:
    page.set_viewport_size(PHONE)
    page.evaluate("() => window.scrollTo(0, 0)")
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_a_participant_in_the_course_retests_and_sees_one_honest_next_step(visit):
    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    person = make_participant(org, coach, "pieter@example.org", "Pieter")
    measured(person)
    enrolment_domain.enrol(person)

    window = visit("participant")
    page = window.page
    window.log_in(person.email, PASSWORD)
    page.wait_for_url("**/account/")
    window.take_test(COURSE_ANSWERS, check_every_page=False)
    page.wait_for_url("**/test/result/*/")
    window.check("result of someone in the course", screenshot=True)

    main = page.get_by_role("main")
    text = main.inner_text()
    assert "U doet al mee aan de cursus. U bent in week 1 van 8." in text
    for words in ("Meld u aan", "aanmelden", "Eerst heeft u een gesprek met een coach"):
        assert words not in page.content()
    # One way on, the week they are in, on the first screen of a phone.
    go_on = main.get_by_role("link", name="Ga verder met week 1")
    assert go_on.count() == 1
    assert on_first_phone_screen(page, go_on)
    # The scores are behind "Meer over uw uitslag", closed at first; it opens by a tap.
    scores = page.locator("#scores-title")
    assert not scores.is_visible()
    page.locator("details.result-more > summary").click()
    assert scores.is_visible()
    assert "Meld u aan" not in main.inner_text()
    window.check("result details opened", screenshot=True)
    assert main.get_by_role("link", name=t("Do the test again")).count() == 1

    go_on.click()
    page.wait_for_url("**/course/week/1/")
    assert window.console_errors == []


def test_an_anonymous_result_shows_the_next_step_on_the_first_phone_screen(visit):
    window = visit("anonymous")
    page = window.page
    window.take_test(
        answers_for(lonely=True, isolated=True, duration="lt_6_months"), check_every_page=False
    )
    page.wait_for_url("**/test/result/")
    window.check("result in short", screenshot=True)
    tips = page.get_by_role("main").get_by_role(
        "link", name=t("Read the tips about making contact")
    )
    assert tips.count() == 1
    assert on_first_phone_screen(page, tips)


def test_a_coach_handles_a_safety_signal_and_undoes_it(visit):
    org = Organisation.objects.create(name="Wijkteam Zuid", slug="wijkteam-zuid")
    coach = make_coach(org, "coach.sanne@example.org", "Sanne")
    person = make_participant(org, coach, "mila@example.org", "Mila")
    record_consent(person, ConsentPurpose.SHARE_CONTACT_WITH_COACH, "nl")
    older = add_measurement(person, days_ago=20, loneliness_score=6)
    Alert.objects.create(
        participant=person,
        measurement=older,
        kind=AlertKind.WORSENING,
        created_at=timezone.now() - timedelta(days=20),
    )
    newer = add_measurement(person, days_ago=1, safety_flag=True)
    safety = Alert.objects.create(participant=person, measurement=newer, kind=AlertKind.SAFETY)

    window = visit("coach")
    page = window.page
    window.log_in(coach.email, PASSWORD)
    page.wait_for_url("**/coach/")  # a coach lands on their participants
    window.check("dashboard with a signal", screenshot=True)
    page.get_by_role("link", name="Mila").click()
    page.wait_for_url(f"**/coach/participant/{person.pk}/")
    window.check("participant with a safety signal", screenshot=True)

    signals = page.locator("section.alert-card li.signal")
    assert signals.count() == 2
    first = signals.first
    assert "signal-safety" in first.get_attribute("class")
    assert first.inner_text().startswith(t("Safety: needs your attention now"))
    assert first.locator("svg.signal-icon").count() == 1
    contact = page.locator(".signal-contact")
    assert contact.get_by_role("link", name=person.email).get_attribute("href") == (
        f"mailto:{person.email}"
    )

    first.get_by_role("button", name=t("Mark as handled")).click()
    page.wait_for_load_state()
    assert t("The signal is marked as handled.") in page.locator("main").inner_text()
    history = page.locator("section", has=page.locator("#handled-title"))
    assert "Sanne" in history.inner_text() and t("Safety") in history.inner_text()
    assert page.locator("section.alert-card li.signal").count() == 1
    window.check("signal handled, in the history", screenshot=True)
    safety.refresh_from_db()
    assert safety.resolved_by == coach

    history.get_by_role("button", name=t("Undo: open the signal again")).click()
    page.wait_for_load_state()
    assert t("The signal is open again.") in page.locator("main").inner_text()
    assert "signal-safety" in page.locator("section.alert-card li.signal").first.get_attribute(
        "class"
    )
    assert page.locator("#handled-title").count() == 0
    window.check("signal open again", screenshot=True)
    assert window.console_errors == []
