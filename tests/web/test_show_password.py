"""Every password field is ready for a "Show password" button, and the button itself comes
only from static/verbind/js/show-password.js: the server sends no button, so without
JavaScript nothing changes (the browser test, test_show_password_browser.py, presses it).
The field keeps its autocomplete, so password managers keep working."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from verbind.coaching.domain import invitations

pytestmark = pytest.mark.django_db

FIELD = re.compile(r"<input\b[^>]*\btype=\"password\"[^>]*>")
BOX = re.compile(
    r'<div class="password-input" data-password-toggle data-show-text="([^"]*)" '
    r'data-hide-text="([^"]*)">(<input\b[^>]*>)</div>'
)


def _reset_confirm_page(client: Client, user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = reverse("accounts:password_reset_confirm", args=[uid, token])
    return client.get(url, follow=True).content.decode()  # Django hides the token first


def _pages(people, client_for) -> dict[str, tuple[str, dict[str, str]]]:
    """The page (html) and the autocomplete each password field must keep, by page name."""
    invitation = invitations.invite_participant(
        people.coach, people.org, "new.person@example.org", "nl"
    )
    anonymous, participant = client_for("anonymous"), client_for("participant")
    return {
        "login": (
            anonymous.get(reverse("accounts:login")).content.decode(),
            {"id_password": "current-password"},
        ),
        "register": (
            anonymous.get(reverse("accounts:register")).content.decode(),
            {"id_password1": "new-password", "id_password2": "new-password"},
        ),
        "accept invitation": (
            anonymous.get(
                reverse("accounts:accept_invitation", args=[invitations.make_token(invitation)])
            ).content.decode(),
            {"id_password1": "new-password", "id_password2": "new-password"},
        ),
        "password change": (
            participant.get(reverse("accounts:password_change")).content.decode(),
            {
                "id_old_password": "current-password",
                "id_new_password1": "new-password",
                "id_new_password2": "new-password",
            },
        ),
        "password reset confirm": (
            _reset_confirm_page(Client(), people.other_participant),
            {"id_new_password1": "new-password", "id_new_password2": "new-password"},
        ),
        "delete account": (
            participant.get(reverse("accounts:delete_account")).content.decode(),
            {"id_password": "current-password"},
        ),
    }


def test_every_password_field_is_ready_for_the_button_and_keeps_its_autocomplete(
    people, client_for
):
    for name, (html, autocomplete) in _pages(people, client_for).items():
        fields = FIELD.findall(html)
        assert len(fields) == len(autocomplete), name
        boxes = BOX.findall(html)
        assert [field for _show, _hide, field in boxes] == fields, name
        for show, hide, field in boxes:
            assert (show, hide) == ("Toon wachtwoord", "Verberg wachtwoord"), name
            field_id = re.search(r'\bid="([^"]+)"', field).group(1)
            assert f'autocomplete="{autocomplete[field_id]}"' in field, (name, field)
        # No button from the server: show-password.js adds it, so without JavaScript
        # the page is as it was.
        assert 'class="password-toggle"' not in html, name
        assert "aria-pressed" not in html, name
        assert '<button type="button"' not in html, name
        assert '<script src="/static/verbind/js/show-password.js" defer></script>' in html, name


def test_the_button_words_are_in_the_language_of_the_page(client):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'data-show-text="Show password" data-hide-text="Hide password"' in html


def test_an_error_still_reaches_the_field(client, people):
    response = client.post(
        reverse("accounts:login"), {"username": people.participant.email, "password": "wrong"}
    )
    box = BOX.search(response.content.decode())
    assert box is not None and 'autocomplete="current-password"' in box.group(3)
