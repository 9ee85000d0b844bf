"""The forms that make an account say at the top of the page that something needs a look.

These forms are long (the consent text comes first). After "send", a phone shows the top
of the page again, where nothing would have changed: the error summary there names each
problem and links to its field, and the page title says so too.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from verbind.accounts.models import User
from verbind.coaching.domain import invitations

pytestmark = pytest.mark.django_db

SUMMARY_TITLE = {"nl": "Kijk na wat u heeft ingevuld", "en": "Please check what you filled in"}
TITLE_PREFIX = {"nl": "Kijk dit na", "en": "Please check"}


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def _check_summary(html: str, lang: str, fields: list[str]) -> None:
    main = html[html.index("<main") :]
    summary = _summary(main)
    # Before everything else in the content, so it is what the person sees first.
    assert main.index('class="error-summary"') < main.index("<h1")
    assert SUMMARY_TITLE[lang] in summary
    assert _title(html).startswith(TITLE_PREFIX[lang])
    for name in fields:
        # A link to the field, and the field is on the page with that id.
        assert f'href="#id_{name}"' in summary, name
        assert f'id="id_{name}"' in html, name


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_register_with_mistakes_shows_a_summary_at_the_top(client, lang):
    client.cookies["django_language"] = lang
    response = client.post(
        reverse("accounts:register"),
        {"email": "not an address", "password1": "een lange zin 12345", "password2": "anders"},
    )
    assert response.status_code == 200
    _check_summary(response.content.decode(), lang, ["email", "password2", "consent_store"])
    assert not User.objects.exists()


def test_register_without_mistakes_has_no_summary(client):
    html = client.get(reverse("accounts:register")).content.decode()
    assert "error-summary" not in html
    assert not _title(html).startswith(TITLE_PREFIX["nl"])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_invitation_with_mistakes_shows_a_summary_at_the_top(client, people, lang):
    invitation = invitations.invite_participant(people.coach, people.org, "nieuw@example.org", "nl")
    url = reverse("accounts:accept_invitation", args=[invitations.make_token(invitation)])
    client.cookies["django_language"] = lang
    assert "error-summary" not in client.get(url).content.decode()
    response = client.post(
        url, {"password1": "een lange zin 12345", "password2": "een lange zin 12345"}
    )
    assert response.status_code == 200
    _check_summary(response.content.decode(), lang, ["consent_store", "consent_share"])
    assert not User.objects.filter(email="nieuw@example.org").exists()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "nl",
            [
                "Dit wachtwoord is te kort. Gebruik minstens 10 tekens.",
                "Een e-mailadres ziet er zo uit: naam@voorbeeld.nl",
            ],
        ),
        (
            "en",
            [
                "This password is too short. Please use at least 10 characters.",
                "An e-mail address looks like this: name@example.com",
            ],
        ),
    ],
)
def test_register_names_a_short_password_and_a_wrong_address_in_the_page_language(
    client, lang, words
):
    client.cookies["django_language"] = lang
    response = client.post(
        reverse("accounts:register"),
        {"email": "piet@", "password1": "abc", "password2": "abc", "consent_store": "on"},
    )
    html = response.content.decode()
    for text in words:
        assert text in _summary(html)
    assert "It must contain at least" not in html


def test_a_password_like_the_address_is_named_with_the_right_words(client):
    client.cookies["django_language"] = "nl"
    response = client.post(
        reverse("accounts:register"),
        {
            "email": "pietjansen@voorbeeld.nl",
            "password1": "pietjansen1",
            "password2": "pietjansen1",
            "consent_store": "on",
        },
    )
    # Not Django's "lijkt te veel op de e-mailadres" (het e-mailadres).
    assert "Dit wachtwoord lijkt te veel op uw e-mailadres." in response.content.decode()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_register_page_title_is_its_heading_without_a_test_to_save(client, lang):
    client.cookies["django_language"] = lang
    html = client.get(reverse("accounts:register")).content.decode()
    heading = {"nl": "Maak een account", "en": "Make an account"}[lang]
    assert _title(html).startswith(heading)


@pytest.mark.parametrize(
    ("lang", "words"), [("nl", "Vul dit in, alstublieft."), ("en", "Please fill this in.")]
)
def test_an_empty_field_is_named_in_plain_words(client, lang, words):
    # Not Django's "Dit veld is verplicht." / "This field is required."
    client.cookies["django_language"] = lang
    response = client.post(reverse("accounts:register"), {"email": "piet@voorbeeld.nl"})
    summary = _summary(response.content.decode())
    assert summary.count(words) == 2  # both password fields
    assert "verplicht" not in summary and "required" not in summary


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "nl",
            [
                "De twee wachtwoorden zijn niet hetzelfde.",
                "Dit wachtwoord is te kort. Gebruik minstens 10 tekens.",
                "Veel mensen gebruiken dit wachtwoord.",
                "Dit wachtwoord heeft alleen cijfers. Gebruik ook letters.",
            ],
        ),
        (
            "en",
            [
                "The two passwords are not the same.",
                "This password is too short. Please use at least 10 characters.",
                "Many people use this password, so it is easy to guess.",
                "This password has only numbers. Please use letters too.",
            ],
        ),
    ],
)
@pytest.mark.parametrize("page", ["register", "invitation"])
def test_every_problem_with_the_password_is_named_at_once(client, people, lang, words, page):
    # Not one problem per try: a typing slip in the second field must not hide that the
    # password itself is too short, too common and only numbers.
    if page == "register":
        url = reverse("accounts:register")
        data = {"email": "piet@voorbeeld.nl", "consent_store": "on"}
    else:
        invitation = invitations.invite_participant(
            people.coach, people.org, "nieuw@example.org", "nl"
        )
        url = reverse("accounts:accept_invitation", args=[invitations.make_token(invitation)])
        data = {"consent_store": "on", "consent_share": "on"}
    client.cookies["django_language"] = lang
    response = client.post(url, {**data, "password1": "12345678", "password2": "12345679"})
    summary = _summary(response.content.decode())
    for text in words:
        assert text in summary
    # Each problem once, at the field it belongs to.
    assert summary.count('href="#id_password2"') == 1
    assert summary.count('href="#id_password1"') == 3


def test_a_password_like_the_address_is_named_with_a_typing_slip_too(client):
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("accounts:register"),
        {
            "email": "pietjansen@voorbeeld.nl",
            "password1": "pietjansen1",
            "password2": "pietjansen2",
            "consent_store": "on",
        },
    )
    summary = _summary(response.content.decode())
    assert "The two passwords are not the same." in summary
    assert "This password is too much like your e-mail address." in summary
