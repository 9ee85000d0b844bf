"""Course pages for an older reader on a phone: at 375 px and 320 px with the browser's
text size at 200% (its default font size 32 px instead of 16 px; the site's sizes are in
rem), and with the page zoomed to 200% on a 375 px phone (188 CSS px wide), week 4 (with
its photo field) and the summary (with its list of answers) do not scroll sideways; the
summary's ticks and plan survive leaving the page without pressing "Save"; the progress
charts and the check-in in steps work on a phone."""

from __future__ import annotations

import time

import pytest
from django.utils import translation
from test_course_support import full_answers, measured
from web_base import PASSWORD, make_coach, make_participant

from verbind.accounts.models import Organisation
from verbind.course.domain import answers, checkins
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.domain.programmes import get_programme
from verbind.course.models import ExerciseAnswer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (width in CSS px, default font size in px): text at 200%, and page zoom at 200% on a
# 375 px phone (half the width in CSS px, text as it is).
SIZES = [(375, 32), (320, 32), (188, 16)]


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


@pytest.fixture
def in_week_4(db):
    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    participant = make_participant(org, coach, "pieter@example.org", "Pieter")
    measured(participant)
    e = enrolment_domain.enrol(participant)
    enrolment_domain.open_week(e, 4, coach)
    for week in (1, 2, 3, 4):
        for ex in get_programme().week(week).exercises[:2]:
            answers.save_draft(e, ex.id, "Een antwoord van een paar woorden.")
    return participant, e


def _text_size(window, px: int) -> None:
    cdp = getattr(window, "cdp", None) or window.context.new_cdp_session(window.page)
    window.cdp = cdp
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": px, "fixed": px * 13 // 16}})


def _fits(page, width: int, where: str) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{where}: the page scrolls sideways by {overflow}px"
    outside = page.evaluate(
        """(width) => [...document.querySelectorAll('main input, main fieldset, main button')]
              .filter(e => e.getClientRects().length && e.type !== 'hidden')
              .map(e => [e.tagName + (e.id ? '#' + e.id : ''), e.getBoundingClientRect()])
              .filter(([, r]) => r.left < -1 || r.right > width + 1)
              .map(([name, r]) => `${name}: ${Math.round(r.left)}..${Math.round(r.right)}`)""",
        width,
    )
    assert outside == [], f"{where}: outside the screen: {outside}"


def test_week_4_and_the_summary_fit_a_phone_at_200_percent_text(visit, in_week_4):
    participant, _e = in_week_4
    window = visit("participant")
    window.log_in(participant.email, PASSWORD)
    for width, px in SIZES:
        _text_size(window, px)
        for path in ("/course/week/4/", "/course/summary/"):
            window.page.set_viewport_size({"width": width, "height": 800})
            window.goto(path)
            _fits(window.page, width, f"{path} at {width}px, text {px}px")


def test_the_summary_keeps_ticks_and_plan_without_pressing_save(visit, in_week_4):
    participant, e = in_week_4
    window = visit("participant")
    page = window.page
    window.log_in(participant.email, PASSWORD)
    window.goto("/course/summary/")
    first = ExerciseAnswer.objects.filter(enrolment=e).order_by("week", "pk").first()
    page.locator(f"#include-{first.pk}").check()
    page.get_by_label(t("My plan for after the course")).fill("Elke week de buurvrouw bellen.")
    wait_for(
        lambda: t("Saved at %(time)s.").split("%")[0] in page.locator(".save-status").inner_text(),
        what="the autosave",
    )
    e.refresh_from_db()
    assert e.plan_after_course == "Elke week de buurvrouw bellen."
    assert list(ExerciseAnswer.objects.filter(include_in_summary=True)) == [first]
    window.goto("/course/")  # leave without pressing a button, and come back
    window.goto("/course/summary/")
    assert page.locator(f"#include-{first.pk}").is_checked()
    assert page.get_by_label(t("My plan for after the course")).input_value() == (
        "Elke week de buurvrouw bellen."
    )


LABELS = """() => [...document.querySelectorAll(".small-chart svg[role=img]")].map(svg => {
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const dots = [...svg.querySelectorAll("circle")].map(c => c.getBoundingClientRect().width);
  const labels = [...svg.querySelectorAll("text.chart-label")].map(t => {
    const r = t.getBoundingClientRect();
    return {size: parseFloat(getComputedStyle(t).fontSize) * scale,
            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5};
  });
  const figure = svg.closest("figure");
  return {dots, labels, caption: figure.querySelector("figcaption").innerText,
          table: !!figure.querySelector("table")};
})"""


@pytest.fixture
def after_the_start_check_in(db):
    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    participant = make_participant(org, coach, "pieter@example.org", "Pieter")
    measured(participant)
    e = enrolment_domain.enrol(participant)
    checkins.save_check_in(e, "week-0", full_answers(lonely=True))
    return participant, e


def test_the_progress_charts_after_the_first_check_in_on_a_phone(visit, after_the_start_check_in):
    """After the start check-in each measure has one point: it is drawn, its labels are at
    least 12 px at 375 px (also with 200% text), its direction is said in words, and its
    table is beside it."""
    participant, _e = after_the_start_check_in
    window = visit("participant")
    window.log_in(participant.email, PASSWORD)
    for px in (16, 32):
        _text_size(window, px)
        window.page.set_viewport_size({"width": 375, "height": 800})
        window.goto("/course/progress/")
        charts = window.page.evaluate(LABELS)
        assert len(charts) == 5, charts  # mood, loneliness (2), contacts, self-esteem
        for c in charts:
            assert len(c["dots"]) == 1 and c["dots"][0] >= 10, c  # the single point shows
            assert min(label["size"] for label in c["labels"]) >= 12, c
            assert all(label["inside"] for label in c["labels"]), c
            assert t("Lower is better.") in c["caption"] or t("Higher is better.") in c["caption"]
            assert c["table"]
        _fits(window.page, 375, f"progress, text {px}px")
    window.check("progress after the start check-in")


@pytest.fixture
def just_enrolled(db):
    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    participant = make_participant(org, coach, "pieter@example.org", "Pieter")
    measured(participant)
    return participant, enrolment_domain.enrol(participant)


def test_the_start_check_in_in_steps_keeps_answers_chosen_before_leaving(visit, just_enrolled):
    """Step by step with "Stap n van 5"; answers chosen on a step are kept at once, so a
    participant who leaves halfway through a step finds them again; nothing is a check-in
    until the last step."""
    from verbind.course.models import CheckIn, CheckInDraft

    participant, _e = just_enrolled
    window = visit("participant")
    page = window.page
    window.log_in(participant.email, PASSWORD)
    window.goto("/course/check-in/week-0/")
    main = page.get_by_role("main")
    assert t("Step %(n)s of %(total)s") % {"n": 1, "total": 5} in main.inner_text()
    assert "29 vragen, ongeveer 10 minuten." in main.inner_text()
    window.check("check-in step 1")
    page.locator("input[name=mood][value=okay]").check()
    with page.expect_navigation():
        page.get_by_role("button", name=t("Next step")).click()
    assert t("Step %(n)s of %(total)s") % {"n": 2, "total": 5} in main.inner_text()
    page.locator("input[name=djg11_1][value=no]").check()
    page.locator("input[name=djg11_2][value=yes]").check()
    wait_for(
        lambda: CheckInDraft.objects.filter(answers__djg11_2="yes").exists(),
        what="the chosen answers to be kept",
    )
    window.goto("/course/")  # leave halfway through the step
    window.goto("/course/check-in/week-0/")
    assert page.locator("input[name=djg11_1][value=no]").is_checked()
    assert page.locator("input[name=djg11_2][value=yes]").is_checked()
    assert not CheckIn.objects.exists()


def test_the_pdf_holds_ticks_and_plan_made_just_before_downloading(visit, in_week_4):
    """Tick, write the plan and press "Download" at once, before any autosave: the PDF
    holds them, and so does the page afterwards."""
    import io
    import re
    from pathlib import Path

    from pypdf import PdfReader

    participant, e = in_week_4
    window = visit("participant")
    page = window.page
    window.log_in(participant.email, PASSWORD)
    window.goto("/course/summary/")
    first = ExerciseAnswer.objects.filter(enrolment=e).order_by("week", "pk").first()
    first.text = "Samen koken met de buren."
    first.save(update_fields=["text"])
    page.locator(f"#include-{first.pk}").check()
    page.get_by_label(t("My plan for after the course")).fill("Op dinsdag naar het buurthuis.")
    with page.expect_download() as download:
        page.get_by_role("button", name=t("Download my summary (PDF)")).click()
    data = Path(download.value.path()).read_bytes()
    pages = PdfReader(io.BytesIO(data)).pages
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pages))
    assert "Op dinsdag naar het buurthuis." in text and "Samen koken met de buren." in text
    window.goto("/course/summary/")
    assert page.locator(f"#include-{first.pk}").is_checked()
