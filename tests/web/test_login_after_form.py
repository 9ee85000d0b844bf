"""A form sent after the session ended: log in, then back to the page the form was on."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from web_base import PASSWORD


def next_of(response) -> str:
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("accounts:login")
    return parse_qs(location.query)["next"][0]


def test_a_note_sent_after_the_session_ended_comes_back_to_the_participant_page(people, client):
    page = reverse("coaching:participant", args=[people.participant.pk])
    notes = reverse("coaching:add_note", args=[people.participant.pk])
    response = client.post(notes, {"text": "x"}, HTTP_REFERER=f"http://testserver{page}")
    assert next_of(response) == page
    # Logging in then lands on that page, which shows (not a 405 from the POST address).
    login = client.post(
        reverse("accounts:login") + f"?next={page}",
        {"username": people.coach.email, "password": PASSWORD, "next": page},
    )
    assert login.status_code == 302 and login["Location"] == page
    assert client.get(page).status_code == 200


def test_a_form_from_elsewhere_or_without_referer_goes_home_after_login(people, client):
    notes = reverse("coaching:add_note", args=[people.participant.pk])
    home = reverse("accounts:home")
    assert next_of(client.post(notes, {"text": "x"})) == home
    other_site = client.post(notes, {"text": "x"}, HTTP_REFERER="https://evil.example/page")
    assert next_of(other_site) == home


def test_a_page_asked_for_while_logged_out_is_shown_after_login(people, client):
    page = reverse("coaching:participant", args=[people.participant.pk]) + "?tab=notes"
    assert next_of(client.get(page)) == page
