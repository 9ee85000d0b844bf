"""A logged-in person can change their password; the old one stops working."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web_base import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "een heel nieuw wachtwoord 7"


@pytest.mark.parametrize("role", ["participant", "coach", "org_admin"])
def test_change_password_then_log_in_with_the_new_one(people, client_for, role):
    client = client_for(role)
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    # This session stays logged in.
    assert client.get(reverse("accounts:home")).status_code == 200
    user = people.user(role)
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert not user.check_password(PASSWORD)


def test_wrong_old_password_is_named_and_nothing_changes(people, client_for):
    client = client_for("participant")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not it", "new_password1": NEW, "new_password2": NEW},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "old password was entered incorrectly" in response.content.decode()
    dutch = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not it", "new_password1": NEW, "new_password2": NEW},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    # Plain words, not Django's "onjuist ingevoerd".
    assert "Uw oude wachtwoord klopt niet. Typ het nog een keer." in dutch.content.decode()
    people.participant.refresh_from_db()
    assert people.participant.check_password(PASSWORD)


def test_the_home_page_links_to_it(client_for):
    page = client_for("participant").get(reverse("accounts:home"))
    assert reverse("accounts:password_change") in page.content.decode()


def _field_error(html: str, field: str) -> str:
    """The text of the error block under one field (form_fields.html)."""
    import re

    match = re.search(rf'<div class="error" id="id_{field}_error">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


def test_the_fields_use_the_words_of_the_registration_form(client_for):
    client = client_for("participant")
    client.cookies["django_language"] = "nl"
    html = client.get(reverse("accounts:password_change")).content.decode()
    assert "Typ het nieuwe wachtwoord nog een keer" in html
    assert "Minstens 10 tekens. Een korte zin is makkelijk te onthouden." in html
    # Not Django's "Voer ter verificatie nogmaals het wachtwoord in." nor its list of rules.
    assert "ter verificatie" not in html
    assert "veelgebruikt wachtwoord" not in html


@pytest.mark.parametrize(
    ("lang", "short", "common"),
    [
        ("nl", "Dit wachtwoord is te kort. Gebruik minstens 10 tekens.", "Veel mensen gebruiken"),
        ("en", "This password is too short. Please use at least 10 characters.", "Many people"),
    ],
)
def test_a_weak_new_password_is_named_in_the_page_language_at_the_new_password(
    people, client_for, lang, short, common
):
    client = client_for("participant")
    client.cookies["django_language"] = lang
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Django 5.2's Dutch catalogue lacks this message: it used to show in English.
    assert "It must contain at least" not in html
    error = _field_error(html, "new_password1")
    assert short in error
    assert common in error
    assert _field_error(html, "new_password2") == ""
    people.participant.refresh_from_db()
    assert people.participant.check_password(PASSWORD)


def test_two_different_new_passwords_say_so_and_only_that(client_for):
    client = client_for("participant")
    client.cookies["django_language"] = "nl"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abd"},
    )
    html = response.content.decode()
    assert "De twee wachtwoorden zijn niet hetzelfde." in _field_error(html, "new_password2")
    assert "<title>Kijk dit na: Mijn wachtwoord veranderen · verbind</title>" in html
    assert _field_error(html, "new_password1") == ""
