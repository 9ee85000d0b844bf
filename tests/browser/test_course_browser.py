"""The course in a real browser: a participant enrols, works through week 1 (autosave
survives going offline and reloading), sends an exercise; the coach gives feedback; week 2
opens; a check-in with a safety answer shows crisis help at once and flags the coach.
Every course page visited passes axe-core with 0 violations (Visit.check)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect
from test_course_support import full_answers, measured, weekly_answers
from web_base import PASSWORD, make_coach, make_participant

from verbind.accounts.models import Organisation
from verbind.course.models import CheckIn, Enrolment, ExerciseAnswer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "w1-where-i-stand"  # a writing exercise and a feedback moment


def t(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


def wait_for(condition, timeout: float = 10.0, what: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def answer_check_in(page, answers: dict) -> None:
    """Answer the questions of each step shown and go on, up to the last step (which the
    caller sends: it may want to look first)."""
    while True:
        for column, key in answers.items():
            radio = page.locator(f"input[type=radio][name='{column}'][value='{key}']")
            if radio.count():
                radio.check()
        next_step = page.get_by_role("button", name=t("Next step"))
        if not next_step.count():
            return
        with page.expect_navigation():
            next_step.click()


def saved_text() -> str | None:
    a = ExerciseAnswer.objects.filter(exercise_id=FIRST).first()
    return a.text if a else None


@pytest.fixture
def people_in_course(db):
    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    participant = make_participant(org, coach, "pieter@example.org", "Pieter")
    measured(participant)
    return participant, coach


def test_a_participant_goes_through_week_one_with_a_coach(visit, people_in_course):
    participant, coach = people_in_course
    p = visit("participant")
    page = p.page
    p.log_in(participant.email, PASSWORD)

    # Enrol from the course page (the core's route offers the course).
    p.goto("/course/")
    p.check("course start")
    page.get_by_role("button", name=t("Start the course")).click()
    enrolment = Enrolment.objects.get(participant=participant)
    p.check("course overview")

    # The check-in at the start: generated from the definitions, full set.
    page.get_by_role("link", name=t("Check-in at the start")).click()
    p.check("check-in at the start")
    answer_check_in(page, full_answers(lonely=True))
    page.get_by_role("button", name=t("Send my answers")).click()
    assert CheckIn.objects.filter(enrolment=enrolment, key="week-0").exists()
    p.check("check-in thanks")

    # Week 1: reading, tools, exercises.
    p.goto("/course/week/1/")
    p.check("week 1")
    read = page.locator("[data-read-aloud]")
    assert read.is_visible() and read.get_attribute("data-lang") == "nl"
    page.get_by_role("button", name=t("High contrast")).click()
    assert "course-contrast" in page.evaluate("document.documentElement.className")
    p.check("week 1 in high contrast")
    page.reload()
    assert "course-contrast" in page.evaluate("document.documentElement.className")
    page.get_by_role("button", name=t("High contrast")).click()

    box = page.locator(f"#answer-{FIRST}")
    status = page.locator(f"#status-{FIRST}")
    box.fill("Ik voel me vaak alleen.")
    wait_for(lambda: saved_text() == "Ik voel me vaak alleen.", what="the first autosave")
    wait_for(lambda: "Bewaard" in status.inner_text() or "Saved" in status.inner_text())

    # The connection drops while typing: nothing reaches the server, nothing is lost.
    p.context.set_offline(True)
    box.press("End")
    box.type(" Vooral op zondag.")
    full = "Ik voel me vaak alleen. Vooral op zondag."
    wait_for(lambda: box.input_value() == full)
    time.sleep(1.5)  # past the autosave delay
    assert saved_text() == "Ik voel me vaak alleen."
    assert full in page.evaluate(f"localStorage.getItem('verbind:answer:{enrolment.pk}:{FIRST}')")

    # Back online but the server still unreachable: a reload puts the text back.
    page.route("**/course/exercise/**", lambda route: route.abort())
    p.context.set_offline(False)
    page.reload()
    assert page.locator(f"#answer-{FIRST}").input_value() == full
    assert saved_text() == "Ik voel me vaak alleen."

    # The server is reachable again: the restored text is saved.
    page.unroute("**/course/exercise/**")
    p.console_errors.clear()  # the aborted requests above were logged on purpose
    page.reload()
    assert page.locator(f"#answer-{FIRST}").input_value() == full
    wait_for(lambda: saved_text() == full, what="the restored text to be saved")
    wait_for(
        lambda: (
            page.evaluate(f"localStorage.getItem('verbind:answer:{enrolment.pk}:{FIRST}')") is None
        ),
        what="the browser copy to be cleared once saved",
    )

    # Send it to the coach.
    page.locator(f"#exercise-{FIRST}").get_by_role("button", name=t("Send to my coach")).click()
    assert ExerciseAnswer.objects.get(exercise_id=FIRST).status == "submitted"
    p.check("week 1 after sending")

    # A week later (time moves on in the database): week 2 waits for the coach.
    Enrolment.objects.filter(pk=enrolment.pk).update(started_at=timezone.now() - timedelta(days=8))
    p.goto("/course/")
    assert page.locator("a[href='/course/week/2/']").count() == 0
    assert t("This week opens when your coach has responded to your exercise.") in (
        page.get_by_role("main").inner_text()
    )

    # The coach gives feedback from the inbox.
    c = visit("coach")
    c.log_in(coach.email, PASSWORD)
    c.goto("/course/coach/inbox/")
    c.check("feedback inbox")
    c.page.get_by_role("link", name=re.compile("Pieter")).click()
    c.check("give feedback")
    c.page.get_by_label(t("Your feedback")).fill("Dank je, Pieter. Wat fijn dat je dit deelt.")
    c.page.get_by_role("button", name=t("Send feedback")).click()
    c.check("inbox after feedback")

    # Week 2 is open now, with the coach's words in week 1.
    p.goto("/course/")
    p.check("overview with week 2 open")
    page.locator("a[href='/course/week/2/']").click()
    p.check("week 2")
    p.goto("/course/week/1/")
    assert "Wat fijn dat je dit deelt." in page.get_by_role("main").inner_text()

    # The check-in of week 1 with a "yes" to the safety question.
    p.goto("/course/")
    page.get_by_role("link", name=re.compile("1")).filter(has_text=t("Check-in")).first.click()
    p.check("check-in of week 1")
    crisis = page.locator("[data-crisis-now]")
    assert crisis.is_hidden()
    answers = weekly_answers(safety="yes")
    answer_check_in(page, {k: v for k, v in answers.items() if k != "context_safety"})
    page.locator("input[name=context_safety][value=yes]").check()
    assert crisis.is_visible() and "113" in crisis.inner_text()  # at once, before sending
    p.check("check-in with crisis help shown")
    page.get_by_role("button", name=t("Send my answers")).click()
    first = page.get_by_role("main").locator("> *").first
    # Wait for the answer's page (the click only starts the navigation), then read it.
    expect(first).to_contain_text("0800-0113")
    assert "113" in first.inner_text()
    p.check("crisis help after the check-in")
    assert CheckIn.objects.get(key="week-1").safety_flag

    # The coach sees the flag.
    c.goto("/course/coach/")
    c.check("course overview for the coach")
    row = c.page.locator("tr.has-alert")
    assert row.count() == 1 and "Pieter" in row.inner_text()
    row.get_by_role("link").click()
    c.check("participant's course")
    assert t("Answered yes to the safety question") in c.page.get_by_role("main").inner_text()

    # Progress and summary pages.
    p.goto("/course/progress/")
    p.check("progress")
    # One chart per questionnaire, each with its table.
    charts = page.locator(".small-chart svg[role=img]").count()
    assert charts >= 2 and page.locator(".small-chart table").count() == charts
    p.goto("/course/summary/")
    p.check("summary")
    assert not p.console_errors, p.console_errors


def test_read_aloud_uses_a_dutch_voice_from_the_browser(visit, people_in_course):
    participant, _coach = people_in_course
    from verbind.course.domain import enrolment as enrolment_domain

    enrolment_domain.enrol(participant)
    p = visit("participant")
    # Record what would be spoken instead of relying on voices installed in the container.
    p.context.add_init_script(
        "window.__spoken = [];"
        "if (window.speechSynthesis) { window.speechSynthesis.speak = function (u) {"
        " window.__spoken.push({lang: u.lang, text: u.text}); }; }"
    )
    p.log_in(participant.email, PASSWORD)
    p.goto("/course/week/1/")
    button = p.page.locator("[data-read-aloud]")
    button.click()
    spoken = p.page.evaluate("window.__spoken")
    assert spoken and spoken[0]["lang"] == "nl-NL"
    assert "Alleen zijn is niet hetzelfde als eenzaam zijn" in spoken[0]["text"]
    assert button.get_attribute("aria-pressed") == "true"


def test_autosave_works_under_the_content_security_policy(visit, people_in_course):
    participant, _coach = people_in_course
    from verbind.course.domain import enrolment as enrolment_domain

    enrolment_domain.enrol(participant)
    p = visit("participant", strict_csp=True)
    violations = []
    p.page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    p.log_in(participant.email, PASSWORD)
    p.goto("/course/week/1/")
    p.page.locator(f"#answer-{FIRST}").fill("Met de echte CSP.")
    wait_for(lambda: saved_text() == "Met de echte CSP.", what="autosave under the CSP")
    assert not violations


def test_stopping_the_course_and_a_coach_ending_one(visit, people_in_course):
    """The participant finds "Stop the course", is asked once (a pause offered instead) and
    lands on their page; later a coach ends a second course with a reason. Every page
    passes axe at both widths."""
    from verbind.course.domain import enrolment as enrolment_domain

    participant, coach = people_in_course
    first = enrolment_domain.enrol(participant, now=timezone.now() - timedelta(days=3))
    p = visit("participant")
    page = p.page
    p.log_in(participant.email, PASSWORD)
    p.goto("/course/")
    page.get_by_role("link", name=t("Stop the course")).click()
    p.check("stop: asked once")
    assert page.get_by_role("button", name=t("Pause the course")).is_visible()
    # Keyboard only: the button that stops is reachable and works with Enter.
    page.get_by_role("button", name=t("Yes, stop the course")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/account/$"))
    p.check("home after stopping")
    assert t("The course has stopped. What you wrote stays saved. Take good care of yourself.") in (
        page.get_by_role("status").first.inner_text()
    )
    first.refresh_from_db()
    assert first.ended_by == participant
    p.goto("/course/")
    p.check("course page after stopping")
    assert page.get_by_role("button", name=t("Start the course")).is_visible()

    # A new course, ended by the coach, who must give a reason.
    second = enrolment_domain.enrol(participant)
    c = visit("coach")
    c.log_in(coach.email, PASSWORD)
    c.goto(f"/course/coach/enrolment/{second.pk}/")
    c.page.get_by_role("link", name=t("End the course")).click()
    c.check("coach: end the course")
    reason = c.page.get_by_label(t("Why does the course stop?"))
    c.page.get_by_role("button", name=t("End the course")).click()
    # Without a reason the browser itself holds the form back (the server checks too).
    assert reason.evaluate("el => el.validity.valueMissing")
    second.refresh_from_db()
    assert second.ended_at is None
    c.page.get_by_label(t("Why does the course stop?")).fill("We spraken af om te stoppen.")
    c.page.get_by_role("button", name=t("End the course")).click()
    c.page.wait_for_url(re.compile(r"/course/coach/$"))
    c.check("coach overview with stopped courses")
    assert "We spraken af om te stoppen." in c.page.get_by_role("main").inner_text()
    p.goto("/course/")
    assert t("Your coach ended it. Your coach can tell you why.") in (
        page.get_by_role("main").inner_text()
    )
    assert not p.console_errors and not c.console_errors
