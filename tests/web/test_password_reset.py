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
