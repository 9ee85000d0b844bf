"""Room under the header: a page that starts with a way back or a message (not a heading)
does not touch the header's border, on a phone and on a desktop."""

from __future__ import annotations

import pytest
from test_course_support import measured
from web_base import PASSWORD, add_measurement, make_coach, make_participant, make_user

from verbind.accounts.models import Membership, Organisation, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _gap_under_header(page) -> float:
    return page.evaluate(
        """() => document.querySelector('main').firstElementChild.getBoundingClientRect().top
                 - document.querySelector('.site-header').getBoundingClientRect().bottom"""
    )


def test_a_way_back_and_a_message_keep_room_under_the_header(visit):
    org = Organisation.objects.create(name="Wijkteam Noord", slug="wijkteam-noord")
    coach = make_coach(org, "coach.ruimte@example.org", "Coach Cor")
    person = make_participant(org, coach, "deelnemer.ruimte@example.org", "Dina")
    add_measurement(person, days_ago=3)

    window = visit("coach")
    window.log_in(coach.email, PASSWORD)
    window.page.wait_for_url(lambda url: "/login/" not in url)
    page = window.page
    window.goto(f"/coach/participant/{person.pk}/")
    # The page starts with "Back to my participants".
    back = page.locator("main > :first-child a")
    assert back.get_attribute("href") == "/coach/"
    assert back.bounding_box()["height"] >= 44  # a way back that stands alone: tap-sized
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert _gap_under_header(page) >= 12, size
    window.check("participant page starts with a way back")

    # After saving a note without JavaScript, the page starts with the message. (With
    # JavaScript, htmx puts the note in without reloading; form.submit() sends the form
    # the plain way, as a browser without JavaScript does.)
    page.get_by_role("textbox").first.fill("Eerste gesprek")
    with page.expect_navigation():
        page.evaluate("document.querySelector(\"form[action$='/notes/']\").submit()")
    page.wait_for_load_state()
    assert "message" in page.locator("main > :first-child").get_attribute("class")
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert _gap_under_header(page) >= 12, size


def test_the_organisation_sees_each_coach_and_the_link_without_scrolling_sideways(visit):
    org = Organisation.objects.create(name="Wijkteam Oost", slug="wijkteam-oost")
    coach = make_coach(org, "coach.met.een.lang.adres@example.org", "Coach Constantijn")
    admin = make_user("beheer.oost@example.org", "Beheer Bo")
    Membership.objects.create(user=admin, organisation=org, role=Role.ORG_ADMIN)

    window = visit("admin")
    window.log_in(admin.email, PASSWORD)
    window.page.wait_for_url(lambda url: "/login/" not in url)
    page = window.page
    window.goto("/organisation/")
    page.set_viewport_size(PHONE)
    link = page.locator("main table a", has_text="Coach Constantijn uitschakelen")
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    row = page.locator("main table tbody tr").first.inner_text()
    assert coach.email in row
    assert "{#" not in page.locator("main").inner_text()
    window.check("organisation dashboard, a coach per block on a phone")

    # The link asks first; going back changes nothing, confirming deactivates.
    link.click()
    page.wait_for_url("**/deactivate/confirm/")
    assert "Coach Constantijn heeft hier nu geen deelnemers." in page.locator("main").inner_text()
    page.set_viewport_size(PHONE)
    confirm = page.get_by_role("button", name="Ja, Coach Constantijn uitschakelen")
    box = confirm.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    window.check("confirmation before deactivating a coach, on a phone")
    page.get_by_role("link", name="Nee, ga terug").click()
    page.wait_for_url("**/organisation/")
    assert Membership.objects.get(user=coach, role=Role.COACH).is_active
    page.locator("main table a", has_text="Coach Constantijn uitschakelen").click()
    page.get_by_role("button", name="Ja, Coach Constantijn uitschakelen").click()
    page.wait_for_url("**/organisation/")
    assert "uitgeschakeld" in page.locator("main table tbody tr").first.inner_text()
    assert not Membership.objects.get(user=coach, role=Role.COACH).is_active


def test_the_largest_course_text_keeps_the_reading_tools_on_a_small_phone(visit):
    from verbind.course.domain import enrolment as enrolment_domain

    org = Organisation.objects.create(name="Wijkteam West", slug="wijkteam-west")
    coach = make_coach(org, "coach.west@example.org", "Coach Wim")
    person = make_participant(org, coach, "lezer.west@example.org", "Lies")
    measured(person)
    enrolment_domain.enrol(person)

    window = visit("participant")
    window.log_in(person.email, PASSWORD)
    window.page.wait_for_url(lambda url: "/login/" not in url)
    page = window.page
    page.set_viewport_size({"width": 320, "height": 700})
    window.goto("/course/week/1/")
    page.locator(".reading-tools button.size-xlarge").click()
    assert "course-text-xlarge" in page.evaluate("document.documentElement.className")
    # The chosen size button wraps to the next line instead of leaving the screen.
    box = page.locator(".reading-tools button.size-xlarge").bounding_box()
    assert box["x"] + box["width"] <= 320, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
