"""Page-level promises: query counts do not grow, CSP without inline code, no third-party
requests, Dutch by default and English on request, demo data loads once."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from web_base import add_measurement, make_participant

from verbind.accounts.models import User
from verbind.screening.models import Measurement

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_participants(people, n: int, measurements_each: int) -> None:
    start = User.objects.count()
    for i in range(n):
        p = make_participant(people.org, people.coach, f"extra{start + i}@example.org", f"P{i}")
        for k in range(measurements_each):
            add_measurement(p, days_ago=k * 7, loneliness_score=k % 6)


def test_coach_dashboard_queries_do_not_grow(people, client_for):
    client = client_for("coach")
    url = reverse("coaching:dashboard")
    _add_participants(people, 2, 2)
    small = _queries(client, url)
    _add_participants(people, 18, 8)
    large = _queries(client, url)
    assert large == small, f"2 participants: {small} queries, 20: {large}"
    assert "P17" in client.get(url).content.decode()


def test_participant_pages_queries_do_not_grow(people, client_for):
    client = client_for("participant")
    coach = client_for("coach")
    home = reverse("accounts:home")
    detail = reverse("coaching:participant", args=[people.participant.pk])
    small = (_queries(client, home), _queries(coach, detail))
    for k in range(20):
        add_measurement(people.participant, days_ago=40 + k)
    large = (_queries(client, home), _queries(coach, detail))
    assert large == small


def test_organisation_page_queries_do_not_grow(people, client_for):
    client = client_for("org_admin")
    url = reverse("organisation:dashboard")
    # From 10 participants on the page also counts tests and signals (a smaller group
    # sees none, verbind.core.privacy): compare two groups that are both large enough.
    _add_participants(people, 10, 3)
    small = _queries(client, url)
    _add_participants(people, 10, 3)
    assert _queries(client, url) == small


SCRIPT_OR_STYLE_INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I
)
ASSET = re.compile(r"<(?:script|img|link|iframe|source)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", re.I)

PAGES = [
    ("anonymous", "start", {}),
    ("anonymous", "accounts:login", {}),
    ("anonymous", "accounts:register", {}),
    ("participant", "accounts:home", {}),
    ("participant", "accounts:my_data", {}),
    ("coach", "coaching:dashboard", {}),
    ("org_admin", "organisation:dashboard", {}),
]


@pytest.mark.parametrize(("role", "name", "kwargs"), PAGES)
def test_csp_and_no_third_party_assets(client_for, role, name, kwargs):
    response = client_for(role).get(reverse(name, kwargs=kwargs))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    html = response.content.decode()
    assert not SCRIPT_OR_STYLE_INLINE.search(html), SCRIPT_OR_STYLE_INLINE.search(html).group(0)
    for url in ASSET.findall(html):
        assert url.startswith("/") and not url.startswith("//"), url


def test_static_files_are_served_from_our_own_origin(client):
    for path in ("/static/verbind/css/site.css", "/static/verbind/js/htmx.min.js"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_personal_pages_are_not_cached(client_for):
    response = client_for("participant").get(reverse("accounts:home"))
    assert "no-store" in response["Cache-Control"]


def test_dutch_by_default_english_on_request(client):
    nl = client.get(reverse("start")).content.decode()
    assert 'lang="nl"' in nl
    assert "Inloggen" in nl or "Log in" not in nl
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    en = client.get(reverse("start")).content.decode()
    assert 'lang="en"' in en and "Log in" in en


def _language_switch(html: str) -> str:
    forms = re.findall(r'<form class="language-switch".*?</form>', html, re.S)
    assert len(forms) == 1, forms
    return forms[0]


def test_one_button_switches_to_the_other_language_at_once(client):
    """No choice list plus a button: one button, named in the other language and marked
    with its lang, posts to set_language with CSRF and comes back to the same page."""
    page = reverse("privacy") + "?x=1"
    form = _language_switch(client.get(page).content.decode())
    assert "<select" not in form
    assert f'action="{reverse("set_language")}"' in form and 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="language" value="en"' in form
    assert f'name="next" value="{escape(page)}"' in form
    button = re.search(r"<button[^>]*>(.*?)</button>", form, re.S)
    assert 'lang="en"' in button.group(0) and button.group(1).endswith("English")
    # The hidden context gives the button a name that makes sense in both languages.
    assert 'Taal</span> / <span lang="en">Language</span>' in button.group(1)

    response = client.post(reverse("set_language"), {"language": "en", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    form = _language_switch(client.get(page).content.decode())
    assert 'name="language" value="nl"' in form
    button = re.search(r"<button[^>]*>(.*?)</button>", form, re.S)
    assert 'lang="nl"' in button.group(0) and button.group(1).endswith("Nederlands")


def test_load_demo_data_is_idempotent_and_covers_every_route(settings):
    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)
    counts = (User.objects.count(), Measurement.objects.count())
    call_command("load_demo_data", verbosity=0)
    assert (User.objects.count(), Measurement.objects.count()) == counts
    routes = set(Measurement.objects.values_list("route", flat=True))
    assert routes >= {
        "crisis_help",
        "no_action",
        "self_help",
        "meaningful_connections",
        "course",
        "alternative_support",
        "respect_choice",
    }
    quadrants = set(Measurement.objects.values_list("quadrant", flat=True))
    assert quadrants >= {
        "connected",
        "chosen_solitude",
        "lonely_among_people",
        "lonely_and_isolated",
    }
    per_person = Measurement.objects.values("participant").distinct().count()
    assert per_person == 12
