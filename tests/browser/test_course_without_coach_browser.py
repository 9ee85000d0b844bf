"""The course without a coach, in a real browser: someone takes the self-test on their own,
makes an account, starts the course, gets through week 3 without waiting for anyone
(the texts never speak of sending to a coach), then asks an organisation for a coach and
is told when the organisation's admin gives them one. Every page passes axe-core with 0
violations and is photographed at 375 and 1280 px (Visit.check, screenshot=True)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from test_measurements import answers_for
from web_base import PASSWORD, make_coach, make_user

from verbind.accounts.models import Membership, Organisation, Role, User
from verbind.coaching.models import CoachAssignment, CoachRequest
from verbind.course.models import Enrolment, ExerciseAnswer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "w1-where-i-stand"  # a feedback moment: with a coach, week 2 would wait for it
NEW_PASSWORD = "een lange zin als wachtwoord 7"


def t(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


def main_text(page) -> str:
    return re.sub(r"\s+", " ", page.get_by_role("main").inner_text())


def test_a_participant_without_a_coach_gets_through_week_three_and_asks_for_a_coach(visit):
    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    admin = make_user("beheer@example.org", "Beheerder Bea")
    Membership.objects.create(user=admin, organisation=org, role=Role.ORG_ADMIN)

    person = visit("participant")
    page = person.page
    # The self-test, alone: chronically lonely, wants to change, reads and writes.
    person.take_test(answers_for(lonely=True, isolated=True, duration="gt_2_years"),
                     check_every_page=False)  # fmt: skip
    person.check("result without an account", screenshot=True)
    assert "gesprek met een coach" not in main_text(page)
    page.get_by_role("link", name=t("Make an account and save my result")).click()
    page.fill("#id_email", "alleen@example.org")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    page.check("#id_consent_store")
    page.get_by_role("main").get_by_role("button").last.click()
    page.wait_for_url("**/account/")
    user = User.objects.get(email="alleen@example.org")

    # The course page: honest about doing it without a coach, and offers to ask for one.
    person.goto("/course/")
    person.check("course start without a coach", screenshot=True)
    text = main_text(page)
    assert "met een coach naast u" not in text
    assert t("Ask for a coach") in text
    page.get_by_role("button", name=t("Start the course")).click()
    enrolment = Enrolment.objects.get(participant=user)
    assert enrolment.feedback_blocks is False
    person.check("course overview without a coach", screenshot=True)

    # Week 1: the exercise is finished with "Klaar", not sent to a coach who is not there.
    person.goto("/course/week/1/")
    person.check("week 1 without a coach", screenshot=True)
    text = main_text(page)
    assert t("Send to my coach") not in text and t("your coach responds") not in text
    page.locator(f"#answer-{FIRST}").fill("Ik voel me vaak alleen, vooral op zondag.")
    page.locator(f"#exercise-{FIRST}").get_by_role("button", name=t("Done")).click()
    assert ExerciseAnswer.objects.get(exercise_id=FIRST).status == "submitted"
    text = main_text(page)
    assert (
        t("Done. Well done!") in text and "coach" not in text.split(t("Done. Well done!"))[0][-80:]
    )
    assert t("Sent to your coach. Well done!") not in text
    person.check("week 1 after finishing an exercise", screenshot=True)

    # Two weeks later (time moves on in the database): weeks 2 and 3 are open, no waiting.
    Enrolment.objects.filter(pk=enrolment.pk).update(started_at=timezone.now() - timedelta(days=15))
    person.goto("/course/")
    assert page.locator("a[href='/course/week/2/']").count() == 1
    assert page.locator("a[href='/course/week/3/']").count() == 1
    assert t("This week opens when your coach has responded to your exercise.") not in (
        main_text(page)
    )
    person.check("course overview in week 3", screenshot=True)
    for number in (2, 3):
        person.goto(f"/course/week/{number}/")
        assert (
            page.get_by_role("heading", level=1)
            .inner_text()
            .startswith(t("Week %(n)s") % {"n": number})
        )
        assert t("Send to my coach") not in main_text(page)
    person.check("week 3", screenshot=True)

    # Ask for a coach: what the organisation sees is said first; consent is asked.
    person.goto("/course/")
    page.get_by_role("link", name=t("Ask for a coach")).click()
    person.check("ask for a coach", screenshot=True)
    assert "Buurtkamer" in main_text(page)
    page.get_by_role("main").get_by_role("button", name=t("Ask for a coach")).click()
    assert not CoachRequest.objects.exists()  # no consent yet: the page says why
    person.check("ask for a coach without consent", screenshot=True)
    page.check("#id_consent_share")
    page.get_by_role("main").get_by_role("button", name=t("Ask for a coach")).click()
    request = CoachRequest.objects.get(participant=user)
    assert request.organisation == org and request.is_open
    person.check("course overview after asking for a coach", screenshot=True)
    assert t("I do not want a coach") in main_text(page)

    # The organisation's admin sees the request and gives a coach.
    office = visit("admin")
    office.log_in(admin.email, PASSWORD)
    office.goto("/organisation/")
    office.page.get_by_role("link", name=t("Give them a coach")).click()
    office.check("participants without a coach", screenshot=True)
    assert "alleen@example.org" in main_text(office.page)
    office.page.get_by_role("main").get_by_role("button").first.click()
    assert CoachAssignment.objects.filter(participant=user, coach=coach, active=True).exists()
    office.check("after giving a coach", screenshot=True)

    # The participant is told, and the open weeks stay open.
    person.goto("/course/")
    assert "Carla" in main_text(page)
    assert page.locator("a[href='/course/week/3/']").count() == 1
    person.check("course overview with the new coach", screenshot=True)
    person.goto("/course/week/3/")
    assert t("Send to my coach") in main_text(page)
