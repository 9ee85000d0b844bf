"""The language switch in a real browser: one button to the other language, reached and
pressed with the keyboard, named for screen readers in both languages, and whole at a
375 px phone and at 200% zoom (a 1280 px window shows 640 CSS px; WCAG reflow: 320 px)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch(page):
    return page.locator("form.language-switch button")


def _fits(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    box = _switch(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
    assert box["height"] >= 44, box  # big enough to tap


def test_one_keyboard_press_switches_the_language_and_back(visit):
    v = visit("visitor")
    page = v.page
    v.goto("/privacy/")
    assert page.locator("html").get_attribute("lang") == "nl"
    button = _switch(page)
    assert button.count() == 1 and page.locator("#language-select").count() == 0
    assert button.get_attribute("lang") == "en" and button.inner_text().strip().endswith("English")
    # The accessible name says what the button is about in both languages.
    assert page.get_by_role("button", name="Taal / Language: English").count() == 1
    v.check("dutch page with the switch")
    for width in (375, 640, 320):
        _fits(page, width)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Keyboard only: tab to the button (it has a visible focus) and press Enter.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('.language-switch') !== null"):
            break
    else:
        pytest.fail("the language button is not reachable with Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.url.endswith("/privacy/")
    button = _switch(page)
    assert button.get_attribute("lang") == "nl" and button.inner_text().strip().endswith(
        "Nederlands"
    )
    assert page.get_by_role("button", name="Taal / Language: Nederlands").count() == 1
    v.check("english page with the switch")
    for width in (375, 640, 320):
        _fits(page, width)

    button.click()
    page.wait_for_function("() => document.documentElement.lang === 'nl'")
    assert page.url.endswith("/privacy/")
