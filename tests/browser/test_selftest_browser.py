"""An anonymous person takes the short self-test in a real browser and reads their profile.

What the result page must say is taken from the core for the same answers
(``verbind.core.profile.explain``), so these tests check that the browser shows the core's
profile, whatever its wording.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone, translation
from test_measurements import answers_for

from verbind.core import profile as core_profile
from verbind.core.battery import get_battery
from verbind.screening.models import Measurement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def t(msgid: str) -> str:
    """The Dutch words a person sees (from the project's catalogue)."""
    with translation.override("nl"):
        return translation.gettext(msgid)


def core_says(answers: dict, battery: str = "short"):
    results = get_battery(battery).score(answers)
    profile = core_profile.build_profile(results, today=timezone.localdate())
    return profile, core_profile.explain(profile, "nl")


def main_text(page) -> str:
    return re.sub(r"\s+", " ", page.get_by_role("main").inner_text())


def open_more(page) -> None:
    """Open "More about your result" (a <details>: the explanation and scores are in it)."""
    more = page.locator("details.result-more")
    if more.get_attribute("open") is None:
        more.locator("> summary").click()


PATTERNS = {
    "chosen_solitude": answers_for(lonely=False, isolated=True, wish="no"),
    "lonely_among_people": answers_for(lonely=True, isolated=False, duration="lt_6_months"),
    "chronic_lonely_and_isolated": answers_for(lonely=True, isolated=True, duration="gt_2_years"),
}
EXPECTED_QUADRANT = {
    "chosen_solitude": "chosen_solitude",
    "lonely_among_people": "lonely_among_people",
    "chronic_lonely_and_isolated": "lonely_and_isolated",
}


@pytest.mark.parametrize("pattern", PATTERNS)
def test_anonymous_short_test_shows_the_right_profile(visit, pattern):
    answers = PATTERNS[pattern]
    profile, explanation = core_says(answers)
    assert profile.quadrant == EXPECTED_QUADRANT[pattern]
    if pattern.startswith("chronic"):
        assert profile.duration_band == "chronic"

    person = visit("anonymous")
    # Every page of the first pattern is checked; the others check the pages that differ.
    person.take_test(answers, check_every_page=pattern == "chosen_solitude")
    page = person.page
    assert page.url.endswith("/test/result/")
    person.check(f"result {pattern}")
    open_more(page)
    text = main_text(page)
    assert explanation.headline in text
    assert explanation.route_title in text
    for paragraph in (*explanation.feeling, *explanation.situation, *explanation.duration):
        assert paragraph in text
    for paragraph in explanation.approach:
        assert paragraph.removeprefix("• ") in text
    assert t("This is not a diagnosis.") in text
    assert page.locator(".crisis-box").count() == 0
    # Offered, not done: nothing is stored without an account.
    assert page.get_by_role("link", name=t("Make an account and save my result")).is_visible()
    assert not Measurement.objects.exists()


def test_safety_yes_shows_crisis_help_before_anything_else(visit):
    answers = answers_for(lonely=True, isolated=True, safety="yes")
    _, explanation = core_says(answers)
    person = visit("anonymous")
    person.take_test(answers, check_every_page=False)
    page = person.page
    # The very next screen: crisis help, with numbers to call, and a way on.
    assert "/test/help/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == t("First this: help right now")
    for number in ("tel:113", "tel:08000113", "tel:112"):
        assert page.locator(f'main a[href="{number}"]').count() >= 1
    person.check("crisis help after the safety question")
    page.get_by_role("link", name=t("Go on to my result"), exact=True).click()
    assert page.url.endswith("/test/result/")
    # On the result, crisis help is the first thing in the content.
    first = page.locator("main > *").first
    assert "crisis-box" in first.get_attribute("class")
    assert explanation.crisis[0] in first.inner_text()
    person.check("result with crisis help")


def test_back_button_keeps_answers_and_validation_speaks_plainly(visit):
    person = visit("anonymous")
    page = person.page
    battery = get_battery("short")
    answers = answers_for(lonely=True, isolated=False)
    person.goto("/test/")
    page.get_by_role("button", name=t("Start this test")).first.click()
    # Pressing "next" without an answer: a clear message, still question 1.
    page.locator("button[name=next]").click()
    assert t("Please choose an answer to go on.") in main_text(page)
    assert page.locator("[role=alert]").count() >= 1
    person.check("question without an answer")
    for screen in battery.screens[:3]:
        person.answer(screen, answers)
        page.locator("button[name=next]").click()
    page.get_by_role("button", name=t("Back"), exact=True).click()
    page.get_by_role("button", name=t("Back"), exact=True).click()
    assert page.locator("#progress-label").inner_text().strip() == t(
        "Question %(number)s of %(total)s"
    ) % {"number": 2, "total": len(battery.screens)}
    screen = battery.screens[1]
    label = next(c.label for c in screen.options("nl") if c.key == answers[screen.columns[0]])
    assert page.get_by_label(label, exact=True).is_checked()


def test_keyboard_only_self_test(visit):
    """Tab, Space and Enter are enough to take the whole test; focus is always visible."""
    person = visit("keyboard")
    page = person.page
    battery = get_battery("short")
    answers = PATTERNS["lonely_among_people"]
    _, explanation = core_says(answers)
    person.goto("/test/")

    def tab_to(selector: str, limit: int = 40) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                outline = page.evaluate(
                    "() => getComputedStyle(document.activeElement).outlineStyle"
                )
                assert outline != "none", f"no visible focus on {selector}"
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to('section.battery-choice:first-of-type button[type="submit"]')
    page.keyboard.press("Enter")
    for screen in battery.screens:
        page.wait_for_selector("#progress-label")
        assert (
            page.locator("#progress-label")
            .inner_text()
            .strip()
            .startswith(t("Question %(number)s of %(total)s").split("%")[0].strip())
        )
        key = answers[screen.columns[0]]
        keys = [c.key for c in screen.options("nl")]
        # Tab into the radio group lands on the first option; Space chooses it; the
        # arrow keys move to the wanted one (and choose it).
        tab_to('input[name="answer"]')
        page.keyboard.press("Space")
        for _ in range(keys.index(key)):
            page.keyboard.press("ArrowDown")
        assert page.locator(f'input[name="answer"][value="{key}"]').is_checked()
        tab_to('button[name="next"]')
        page.keyboard.press("Enter")
    page.wait_for_url("**/test/result/")
    # "More about your result" opens from the keyboard too.
    tab_to("details.result-more > summary")
    page.keyboard.press("Enter")
    assert explanation.headline in main_text(page)


def test_csp_holds_in_the_browser(visit):
    """With the Content-Security-Policy enforced, the test works and nothing is refused."""
    person = visit("strict", strict_csp=True)
    violations: list[str] = []
    person.page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    answers = PATTERNS["chosen_solitude"]
    person.take_test(answers, check_every_page=False)
    assert person.page.url.endswith("/test/result/")
    assert violations == []
    assert person.console_errors == []


def test_full_test_with_the_grouped_question(visit):
    battery = get_battery("full")
    answers = {q.column: q.options[0].key for q in battery.questions("nl")}
    answers["context_safety"] = "no"
    group = next(s for s in battery.screens if s.is_group)
    for item in group.items[:2]:
        answers[group.instrument.column(item.id)] = "yes"
    for item in group.items[2:]:
        answers[group.instrument.column(item.id)] = "no"
    _, explanation = core_says(answers, "full")
    person = visit("anonymous")
    page = person.page
    person.goto("/test/")
    page.locator(
        "section.battery-choice",
        has=page.get_by_role("heading", name=battery.title.get("nl"), exact=True),
    ).get_by_role("button").click()
    for screen in battery.screens:
        if screen.is_group:
            # Ticking nothing is not an answer; "none of these" is.
            page.locator("button[name=next]").click()
            assert page.locator("[role=alert]").count() >= 1
            person.check("grouped question, no choice")
        person.answer(screen, answers)
        page.locator("button[name=next]").click()
    assert page.url.endswith("/test/result/")
    open_more(page)
    text = main_text(page)
    assert explanation.headline in text
    for paragraph in explanation.life_events:
        assert paragraph in text
    person.check("full test result")


def test_the_result_leads_to_the_tips_about_making_contact(visit):
    from verbind.core.tips import tips

    answers = PATTERNS["lonely_among_people"]
    assert core_says(answers)[0].route == "meaningful_connections"
    person = visit("anonymous")
    person.take_test(answers, check_every_page=False)
    page = person.page
    page.get_by_role("link", name=t("Read the tips about making contact")).click()
    assert page.url.endswith("/tips/")
    person.check("tips about making contact")
    text = main_text(page)
    for section in tips().shown("nl"):
        assert section.heading in text
