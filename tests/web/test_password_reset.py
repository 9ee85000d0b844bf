"""The forgotten-password form says "E-mail address" like every other form, in both
languages, and still sends the link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("lang", "label"), [("en", "E-mail address"), ("nl", "E-mailadres")])
def test_the_field_is_labelled_e_mail_address(client, lang, label):
    client.cookies["django_language"] = lang
    html = client.get(reverse("accounts:password_reset")).content.decode()
    labels = re.findall(r"<label[^>]*>\s*(.*?)\s*</label>", html, re.S)
    assert label in labels
    assert "Email" not in labels
    assert 'autocomplete="email"' in html


def test_the_link_is_still_sent(client, people):
    response = client.post(reverse("accounts:password_reset"), {"email": people.participant.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [people.participant.email]


def test_the_title_is_the_question_on_the_page_and_says_when_to_check(client):
    client.cookies["django_language"] = "nl"
    html = client.get(reverse("accounts:password_reset")).content.decode()
    assert "<title>Wachtwoord vergeten? · verbind</title>" in html
    html = client.post(reverse("accounts:password_reset"), {"email": "x@"}).content.decode()
    assert "<title>Kijk dit na: Wachtwoord vergeten? · verbind</title>" in html
    assert "Een e-mailadres ziet er zo uit: naam@voorbeeld.nl" in html


def _reset_link(client, people, host: str) -> str:
    response = client.post(
        reverse("accounts:password_reset"), {"email": people.participant.email}, HTTP_HOST=host
    )
    assert response.status_code == 302
    (link,) = re.findall(r"https?://\S+", mail.outbox[-1].body)
    return link


def test_in_production_the_link_uses_site_url_not_the_host_header(client, people, settings):
    settings.DEBUG = False
    settings.SITE_URL = "https://verbind.example.org"
    # A host the app answers to, but not the public address (e.g. an internal name).
    settings.ALLOWED_HOSTS = ["verbind.example.org", "evil.example.com"]
    link = _reset_link(client, people, "evil.example.com")
    assert link.startswith("https://verbind.example.org/account/password-reset/")
    assert "evil" not in link


def test_in_development_the_link_uses_the_address_the_app_is_reached_on(client, people, settings):
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["192.168.1.20"]
    link = _reset_link(client, people, "192.168.1.20")
    assert link.startswith("http://192.168.1.20/account/password-reset/")
