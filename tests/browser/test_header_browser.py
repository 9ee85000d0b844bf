"""The header on a phone with large text: 'Need help now?' first after the skip link, and
the logo, the menu, that link and the language button wrap instead of making the page
scroll sideways, at 320 px and at 375 px with the browser's text size at 200%. On a
1280 px screen the header is tidy: the help link on its own line, the rest on one line.

The browser's text size is its default font size (Chrome: Settings, Appearance, Font
size), set here through the DevTools protocol: 32 px instead of 16 px is 200%. The site's
sizes are in rem, so all text grows with it."""

from __future__ import annotations

import pytest
from django.utils import translation
from web_base import PASSWORD, make_coach, make_participant

from verbind.accounts.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def t(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


# (width, default font size in px): 100% and 200% text.
SMALL = [(320, 16), (320, 32), (375, 32)]
PAGES = ["/", "/privacy/", "/crisis/", "/test/"]


def _text_size(window, px: int) -> None:
    cdp = getattr(window, "cdp", None) or window.context.new_cdp_session(window.page)
    window.cdp = cdp
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": px, "fixed": px * 13 // 16}})


def _header_fits(page, width: int, where: str) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{where}: the page scrolls sideways by {overflow}px"
    outside = page.evaluate(
        """(width) => [...document.querySelectorAll('.site-header a, .site-header button')]
              .filter(e => e.getClientRects().length)
              .map(e => [e.textContent.trim(), e.getBoundingClientRect()])
              .filter(([, r]) => r.left < 0 || r.right > width)
              .map(([name, r]) => `${name}: ${Math.round(r.left)}..${Math.round(r.right)}`)""",
        width,
    )
    assert outside == [], f"{where}: outside the screen: {outside}"
    box = page.locator(".help-now").bounding_box()
    assert box["height"] >= 44, (where, box)  # big enough to tap


def _tidy_on_a_desktop(page, where: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    tops = page.evaluate(
        """() => [...document.querySelectorAll(
                '.header-row > .brand, .header-row .menu > li, .header-row > .language-switch')]
              .map(e => e.getBoundingClientRect())
              .map(r => Math.round(r.top + r.height / 2))"""
    )
    assert max(tops) - min(tops) <= 4, f"{where}: the header takes more than one line: {tops}"
    help_box = page.locator(".help-now").bounding_box()
    brand_box = page.locator(".brand").bounding_box()
    assert help_box["y"] + help_box["height"] <= brand_box["y"], where  # its own line, on top


def _tab_reaches_the_help_link_right_after_the_skip_link(page) -> None:
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "help-now"
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"


def _check_pages(window, pages, who: str) -> None:
    page = window.page
    for path in pages:
        for px in (16, 32):
            _text_size(window, px)
            window.goto(path)
            for width, size in SMALL:
                if size == px:
                    _header_fits(page, width, f"{who} {path} at {width}px, text {px}px")
            if px == 16:
                _tidy_on_a_desktop(page, f"{who} {path}")
        _text_size(window, 16)
        window.goto(path)
        window.check(f"{who} {path}")  # axe: 0 violations, at 1280 and 375 px


def test_anonymous_visitor(visit):
    window = visit("visitor")
    page = window.page
    _check_pages(window, [*PAGES, "/account/login/"], "visitor")

    window.goto("/privacy/")
    _tab_reaches_the_help_link_right_after_the_skip_link(page)
    help_link = page.locator(".help-now")
    assert help_link.inner_text().strip() == t("Need help now?") == "Hulp nodig?"
    page.keyboard.press("Enter")
    page.wait_for_url("**/crisis/")
    assert page.get_by_role("heading", level=1).inner_text().strip() == t("Help right now")
    assert page.locator(".help-now").get_attribute("aria-current") == "page"
    window.check("crisis page from the header link")


def test_logged_in_participant_and_coach(visit):
    org = Organisation.objects.create(name="Wijkteam Zuid", slug="wijkteam-zuid")
    coach = make_coach(org, "coach.zuid@example.org", "Coach Zus")
    person = make_participant(org, coach, "deelnemer.zuid@example.org", "Dirk")
    for who, user, pages in (
        ("participant", person, ["/account/", "/account/coach/", "/account/data/", "/crisis/"]),
        ("coach", coach, ["/coach/", "/privacy/"]),
    ):
        window = visit(who)
        window.log_in(user.email, PASSWORD)
        window.page.wait_for_url(lambda url: "/login/" not in url)
        assert window.page.locator(".menu").get_by_role("button", name=t("Log out")).count() == 1
        _check_pages(window, pages, who)
        window.goto("/privacy/")
        _tab_reaches_the_help_link_right_after_the_skip_link(window.page)
