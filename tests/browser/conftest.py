"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Never downloads a browser: Chromium is the system's (/usr/bin/chromium, or
VERBIND_CHROMIUM). Every page a test visits goes through :meth:`Visit.check`: axe-core
(vendored in vendor/axe.min.js, injected from disk) must report 0 WCAG 2.1 A/AA
violations, and the page must not scroll sideways at phone width (375 px). axe runs once per
page state (the check's name and the path, ids left out) in a test run, at both widths: the
same screen met again in another journey is not scanned again. Screenshots at phone and
desktop width are written to test-artifacts/browser/ (gitignored) only where a test asks
(``check(name, screenshot=True)``), or for every check with VERBIND_SCREENSHOTS=all.

axe is injected with ``add_script_tag``, which the site's Content-Security-Policy (no
inline scripts) would block, so these contexts bypass the CSP; ``test_csp_holds_in_the_
browser`` runs the self-test once with the CSP enforced and no violations.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
# plain synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("VERBIND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ALL_SCREENSHOTS = os.environ.get("VERBIND_SCREENSHOTS") == "all"
# Page states axe has passed in this test process: (check name, path with ids as N,
# language, width).
_AXE_PASSED: set[tuple[str, str, str, int]] = set()


def pytest_collection_modifyitems(items):
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class AccessibilityError(AssertionError):
    pass


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


class Visit:
    """One person's browser window, with the checks every visited page must pass."""

    def __init__(self, browser, base_url: str, test_name: str, who: str, *, strict_csp=False):
        self.base_url = base_url
        self.prefix = f"{_slug(test_name)}-{who}"
        self.context = browser.new_context(
            viewport=DESKTOP, locale="nl-NL", bypass_csp=not strict_csp
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        self.step = 0
        self.checked: list[str] = []

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        return response

    def check(self, name: str, *, screenshot: bool = False) -> None:
        """axe (0 violations) and no sideways scrolling at 375 px; screenshots when asked."""
        page = self.page
        # A click may have started a navigation: check the page it leads to, once it is there.
        page.wait_for_load_state("load")
        self.step += 1
        base = f"{self.prefix}-{self.step:02d}-{_slug(name)}"
        shoot = screenshot or ALL_SCREENSHOTS
        if shoot:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size(DESKTOP)
        if shoot:
            page.screenshot(path=str(ARTIFACTS / f"{base}-desktop.png"), full_page=True)
        self._axe(name)
        page.set_viewport_size(PHONE)
        if shoot:
            page.screenshot(path=str(ARTIFACTS / f"{base}-phone.png"), full_page=True)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px at 375px"
        self._axe(f"{name} (phone)")
        page.set_viewport_size(DESKTOP)
        self.checked.append(page.url)

    def _axe(self, name: str) -> None:
        page = self.page
        path = re.sub(r"/\d+(?=/|$)", "/N", page.url.removeprefix(self.base_url).split("?")[0])
        lang = page.evaluate("() => document.documentElement.lang")
        state = (name, path, lang, page.viewport_size["width"])
        if state in _AXE_PASSED:
            return
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async (tags) => await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS,
        )
        violations = result["violations"]
        if violations:
            lines = [f"{name} ({page.url}): {len(violations)} accessibility violation(s)"]
            for v in violations:
                lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
                for node in v["nodes"][:5]:
                    lines.append(f"    {node['target']}: {node['failureSummary']!r}"[:400])
            raise AccessibilityError("\n".join(lines))
        _AXE_PASSED.add(state)

    # --- the self-test, answered as a person would: by clicking the words on screen ---

    def take_test(self, answers: dict, battery_id: str = "short", *, check_every_page=True):
        """Choose the test, answer every screen by its label, and press the button.

        Stops on the page after the last answer (crisis help, or the result)."""
        from verbind.core.battery import get_battery

        page = self.page
        battery = get_battery(battery_id)
        self.goto("/test/")
        if check_every_page:
            self.check("self-test start")
        page.locator(
            "section.battery-choice",
            has=page.get_by_role("heading", name=battery.title.get("nl"), exact=True),
        ).get_by_role("button", name=t("Start this test")).click()
        total = len(battery.screens)
        for screen in battery.screens:
            heading = page.get_by_role("heading", level=1)
            assert heading.inner_text().strip() == screen.text("nl")
            assert page.locator("#progress-label").inner_text().strip() == t(
                "Question %(number)s of %(total)s"
            ) % {"number": screen.number, "total": total}
            if check_every_page:
                self.check(f"question {screen.number}")
            self.answer(screen, answers)
            last = screen.number == total
            button = page.locator("button[name=next]")
            expected = (
                {t("Save and see my result"), t("See my result")} if last else {t("Next question")}
            )
            assert button.inner_text().strip() in expected
            button.click()

    def answer(self, screen, answers: dict) -> None:
        page = self.page
        if screen.is_group:
            chosen = [i for i in screen.items if answers[screen.instrument.column(i.id)] == "yes"]
            for item in chosen:
                page.get_by_label(screen.item_label(item, "nl"), exact=True).check()
            if not chosen:
                page.get_by_label(t("None of these"), exact=True).check()
        else:
            key = answers[screen.columns[0]]
            label = next(c.label for c in screen.options("nl") if c.key == key)
            page.get_by_label(label, exact=True).check()

    def log_in(self, email: str, password: str) -> None:
        page = self.page
        self.goto("/account/login/")
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        page.get_by_role("main").get_by_role("button", name=t("Log in")).click()

    def close(self) -> None:
        self.context.close()


def t(msgid: str) -> str:
    """The Dutch words a person sees (from the project's catalogue)."""
    from django.utils import translation

    with translation.override("nl"):
        return translation.gettext(msgid)


@pytest.fixture
def visit(chromium, live_server, request):
    """``visit("participant")`` opens a fresh browser window (own cookies) for a person."""
    opened: list[Visit] = []

    def open_window(who: str = "person", **kw) -> Visit:
        v = Visit(chromium, live_server.url, request.node.name, who, **kw)
        opened.append(v)
        return v

    yield open_window
    for v in opened:
        v.close()


def download_json(download) -> object:
    return json.loads(Path(download.path()).read_text("utf-8"))
