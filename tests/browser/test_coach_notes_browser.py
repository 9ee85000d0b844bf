"""A coach's private note with htmx in a real browser: the note comes into the list without
reloading the page, the form is empty again, focus and the status line say it is saved,
a mistake shows in the form; axe reports 0 violations. Once more with the site's own
Content-Security-Policy enforced: htmx needs no eval, no inline script or style."""

from __future__ import annotations

import pytest
from web_base import PASSWORD, make_coach, make_participant

from verbind.accounts.models import Organisation
from verbind.coaching.models import CoachNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = "Uw notitie is bewaard. Alleen u kunt hem zien."


@pytest.fixture
def world(db):
    org = Organisation.objects.create(name="Buurtkamer", slug="buurtkamer")
    coach = make_coach(org, "coach.carla@example.org", "Carla")
    participant = make_participant(org, coach, "pieter@example.org", "Pieter")
    return coach, participant


def _open(v, coach, participant):
    v.log_in(coach.email, PASSWORD)
    v.goto(f"/coach/participant/{participant.pk}/")
    page = v.page
    page.wait_for_function("() => typeof window.htmx !== 'undefined'")
    # Set on this page: it survives only if the page does not reload.
    page.evaluate("() => { window.verbindSamePage = 'yes'; }")
    return page


def _same_page(page) -> bool:
    return page.evaluate("() => window.verbindSamePage === 'yes'")


def _wait_for_focus(page, element_id: str) -> None:
    """htmx moves the focus after it settles the swap (about 20 ms after the new part
    appears), so wait for it rather than read it at once; fails after 5 s."""
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id",
        arg=element_id,
        timeout=5000,
    )


def test_a_note_comes_in_without_reloading_the_page(visit, world):
    coach, participant = world
    v = visit("coach")
    page = _open(v, coach, participant)
    assert page.locator("#notes-body").inner_text().strip().endswith("Nog geen notities.")
    v.check("participant page, no notes yet")

    box = page.get_by_label("Nieuwe notitie")
    # A mistake (only spaces) shows in the form, as without JavaScript; focus on the field.
    box.fill("   ")
    page.get_by_role("button", name="Bewaar notitie").click()
    page.wait_for_selector("#id_text_error")
    assert _same_page(page)
    _wait_for_focus(page, "id_text")
    assert box.get_attribute("aria-invalid") == "true"
    assert not CoachNote.objects.exists()
    v.check("participant page, empty note")

    box.fill("Maandag gebeld.\nGaat wat beter.")
    page.get_by_role("button", name="Bewaar notitie").click()
    page.wait_for_selector("#saved-note")
    assert _same_page(page), "the page reloaded"
    assert page.url.endswith(f"/coach/participant/{participant.pk}/")
    note = page.locator("#saved-note")
    assert "Maandag gebeld." in note.inner_text() and "Gaat wat beter." in note.inner_text()
    assert page.locator("#notes-status").get_attribute("role") == "status"
    assert page.locator("#notes-status").inner_text().strip() == SAVED
    _wait_for_focus(page, "saved-note")
    box = page.get_by_label("Nieuwe notitie")
    assert box.input_value() == "" and box.get_attribute("aria-invalid") is None
    assert CoachNote.objects.get(author=coach).text == "Maandag gebeld.\nGaat wat beter."
    v.check("participant page, note saved")

    # A second note goes on top; the first is no longer the new one.
    box.fill("Dinsdag samen koffie.")
    page.get_by_role("button", name="Bewaar notitie").click()
    page.wait_for_function(
        "() => document.getElementById('saved-note')?.innerText.includes('Dinsdag')"
    )
    assert _same_page(page)
    notes = page.locator("article.note")
    assert notes.count() == 2 and "Dinsdag" in notes.first.inner_text()
    v.check("participant page, two notes")
    # The browser logs the 400 of the empty note itself; nothing else went wrong.
    errors = [e for e in v.console_errors if "status of 400" not in e]
    assert not errors, errors


def test_htmx_works_under_the_sites_own_csp(visit, world):
    coach, participant = world
    v = visit("coach-csp", strict_csp=True)
    page = _open(v, coach, participant)
    page.get_by_label("Nieuwe notitie").fill("Met de echte CSP.")
    page.get_by_role("button", name="Bewaar notitie").click()
    page.wait_for_selector("#saved-note")
    assert _same_page(page)
    assert "Met de echte CSP." in page.locator("#saved-note").inner_text()
    assert not v.console_errors, v.console_errors  # a CSP violation is a console error


def test_when_saving_fails_the_text_stays_and_the_status_says_so(visit, world):
    coach, participant = world
    v = visit("coach-logged-out")
    page = _open(v, coach, participant)
    v.context.clear_cookies()  # logged out meanwhile (and no CSRF cookie any more)
    box = page.get_by_label("Nieuwe notitie")
    box.fill("Deze tekst mag niet verloren gaan.")
    page.get_by_role("button", name="Bewaar notitie").click()
    status = page.locator("#notes-status")
    page.wait_for_function("() => document.getElementById('notes-status').innerText.trim()")
    assert status.inner_text().strip() == (
        "De notitie is niet bewaard. Laad de pagina opnieuw en probeer het nog een keer."
    )
    assert _same_page(page)
    assert box.input_value() == "Deze tekst mag niet verloren gaan."
    assert page.get_by_role("button", name="Bewaar notitie").is_enabled()
    assert not CoachNote.objects.exists()
    v.check("participant page, note not saved")
