"""Error pages (400, 403, 404, 500, a failed CSRF check) in the person's language, with
crisis help from its one source, and without the database: a test here has no database
(pytest-django refuses every query), so a page that needed one would fail.

Django runs these tests with DEBUG off, as in production.
"""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from verbind.core.crisis import crisis_help
from verbind.web import views

BARE = "Server Error (500)"
WORDS = {
    "nl": {500: "Er ging iets mis", 404: "We kunnen deze pagina niet vinden"},
    "en": {500: "Something went wrong on our side", 404: "We cannot find this page"},
}


def assert_crisis_help(html: str, lang: str) -> None:
    assert crisis_help().service("zelfmoordpreventie").name[lang] in html
    for service in crisis_help().urgent:
        for phone in service.phones:
            assert f'href="{phone.href}"' in html  # a number to tap
            assert phone.display in html


def failing_client(**headers) -> Client:
    return Client(raise_request_exception=False, **headers)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_500_page_without_the_database_by_browser_language(lang):
    # The health check asks the database; here there is none, so it fails with a 500.
    response = failing_client().get(reverse("healthz"), HTTP_ACCEPT_LANGUAGE=lang)
    html = response.content.decode()
    assert response.status_code == 500
    assert BARE not in html
    assert WORDS[lang][500] in html
    assert f'<html lang="{lang}">' in html
    assert_crisis_help(html, lang)


def test_the_500_page_follows_the_language_cookie():
    client = failing_client()
    client.cookies["django_language"] = "en"
    response = client.get(reverse("healthz"), HTTP_ACCEPT_LANGUAGE="nl")
    assert WORDS["en"][500] in response.content.decode()


def test_the_500_page_when_the_session_cannot_be_read():
    # A logged-in person's request: reading the session would need the database.
    client = failing_client()
    client.cookies["sessionid"] = "a" * 32
    response = client.get(reverse("crisis_help"))
    html = response.content.decode()
    assert response.status_code == 500
    assert WORDS["nl"][500] in html
    assert_crisis_help(html, "nl")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_404_page_without_the_database(lang):
    response = failing_client().get("/no/such/page/", HTTP_ACCEPT_LANGUAGE=lang)
    html = response.content.decode()
    assert response.status_code == 404
    assert WORDS[lang][404] in html
    assert_crisis_help(html, lang)


@pytest.mark.parametrize(
    ("view", "status", "words"),
    [
        (views.forbidden, 403, "You cannot open this page"),
        (views.bad_request, 400, "We could not understand this request"),
        (views.csrf_failure, 403, "Your form could not be sent"),
    ],
)
def test_the_other_error_pages_without_the_database(view, status, words):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en")
    response = view(request)
    html = response.content.decode()
    assert response.status_code == status
    assert words in html
    assert_crisis_help(html, "en")


def test_a_form_without_its_security_token_gets_the_friendly_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x@example.org"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Uw formulier kon niet worden verstuurd" in html
    assert_crisis_help(html, "nl")


def test_when_the_error_page_itself_fails_crisis_help_still_shows(settings):
    # A template setup that cannot render the page (as when a file is missing).
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False},
    ]
    response = failing_client().get(reverse("healthz"))
    text = response.content.decode()
    assert response.status_code == 500
    assert BARE not in text
    for sentence in crisis_help().sentences("nl", urgent_only=True):
        assert sentence in text
