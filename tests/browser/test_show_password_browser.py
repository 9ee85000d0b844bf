"""'Show password' on the password fields, in a real browser: typing, then pressing the
button shows what was typed (the field becomes a text field); pressing again hides it.
The button never sends the form, keeps the keyboard focus, and its words say what a press
does (no aria-pressed beside changing words, which a screen reader would read as "Hide
password, pressed"); aria-controls names the field. The form still sends the password. Without
JavaScript there is no button and the field works as before."""

from __future__ import annotations

import pytest
from django.utils import translation
from web_base import PASSWORD, make_coach, make_participant

from verbind.accounts.models import Organisation, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "een lange zin als wachtwoord 7"


def t(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


def _toggle(page, field_id: str):
    return page.locator(f"button.password-toggle[aria-controls='{field_id}']")


def _press_and_check(page, field_id: str, typed: str) -> None:
    """Show, then hide again, with the keyboard; the page and its focus stay."""
    field = page.locator(f"#{field_id}")
    button = _toggle(page, field_id)
    url = page.url
    assert field.get_attribute("type") == "password"
    assert button.get_attribute("type") == "button"
    assert button.get_attribute("aria-pressed") is None
    assert button.inner_text().strip() == t("Show password") == "Toon wachtwoord"

    button.focus()
    page.keyboard.press("Enter")
    assert field.get_attribute("type") == "text"
    assert field.input_value() == typed
    assert button.inner_text().strip() == t("Hide password") == "Verberg wachtwoord"
    assert page.evaluate("() => document.activeElement.className") == "password-toggle"
    assert page.url == url  # the form was not sent

    page.keyboard.press("Space")
    assert field.get_attribute("type") == "password"
    assert field.input_value() == typed
    assert button.inner_text().strip() == t("Show password")
    assert page.evaluate("() => document.activeElement.className") == "password-toggle"
    assert page.url == url


def test_log_in_with_the_password_shown(visit):
    org = Organisation.objects.create(name="Wijkteam Midden", slug="wijkteam-midden")
    coach = make_coach(org, "coach.midden@example.org", "Coach Mia")
    person = make_participant(org, coach, "deelnemer.midden@example.org", "Door")

    window = visit("participant")
    page = window.page
    window.goto("/account/login/")
    page.fill("#id_username", person.email)
    page.fill("#id_password", PASSWORD)
    # Both fields keep what a password manager looks for.
    assert page.locator("#id_password").get_attribute("autocomplete") == "current-password"
    assert page.locator("#id_username").get_attribute("autocomplete") == "email"
    _press_and_check(page, "id_password", PASSWORD)
    _toggle(page, "id_password").click()  # shown while the person checks it
    assert page.locator("#id_password").get_attribute("type") == "text"
    assert page.locator("#id_password").get_attribute("autocomplete") == "current-password"
    window.check("login with the password shown")
    # Sent as a password field again (so a browser offers to save it as a password).
    page.evaluate(
        """() => { const f = document.getElementById('id_password');
                 f.form.addEventListener('submit',
                   () => sessionStorage.setItem('sent', f.type)); }"""
    )
    page.get_by_role("main").get_by_role("button", name=t("Log in")).click()
    page.wait_for_url("**/account/")
    assert page.evaluate("() => sessionStorage.getItem('sent')") == "password"
    assert page.locator(".menu").get_by_role("button", name=t("Log out")).count() == 1

    # A logged-in person changes the password: three fields, a button each.
    window.goto("/account/password/")
    fields = ["id_old_password", "id_new_password1", "id_new_password2"]
    for field_id, typed in zip(fields, [PASSWORD, NEW_PASSWORD, NEW_PASSWORD], strict=True):
        page.fill(f"#{field_id}", typed)
        assert page.locator(f"#{field_id}").get_attribute("autocomplete") == (
            "current-password" if field_id == "id_old_password" else "new-password"
        )
    assert page.locator("button.password-toggle").count() == 3
    for field_id, typed in zip(fields, [PASSWORD, NEW_PASSWORD, NEW_PASSWORD], strict=True):
        _press_and_check(page, field_id, typed)
    _toggle(page, "id_new_password1").click()
    window.check("password change with one password shown")
    page.get_by_role("main").get_by_role("button", name=t("Save the new password")).click()
    page.wait_for_url("**/done/")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_register_with_the_passwords_shown(visit):
    window = visit("new person")
    page = window.page
    window.goto("/account/register/")
    page.fill("#id_email", "nieuw.wachtwoord@example.org")
    page.fill("#id_password1", NEW_PASSWORD)
    page.fill("#id_password2", NEW_PASSWORD)
    for field_id in ("id_password1", "id_password2"):
        _press_and_check(page, field_id, NEW_PASSWORD)
        _toggle(page, field_id).click()
    assert page.locator("input[type=text][id^='id_password']").count() == 2
    window.check("register with both passwords shown")
    page.check("#id_consent_store")
    page.get_by_role("main").get_by_role("button", name=t("Make my account")).click()
    page.wait_for_url("**/account/")
    assert User.objects.get(email="nieuw.wachtwoord@example.org").check_password(NEW_PASSWORD)


def test_without_javascript_there_is_no_button(chromium, live_server):
    context = chromium.new_context(java_script_enabled=False, locale="nl-NL")
    try:
        page = context.new_page()
        page.goto(live_server.url + "/account/login/")
        assert page.locator("#id_password").get_attribute("type") == "password"
        assert page.locator("button.password-toggle").count() == 0
        assert page.locator("main button").count() == 1  # only "Log in"
    finally:
        context.close()
