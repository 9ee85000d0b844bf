"""Odd or oversized input gets a clear answer (a page, a redirect, a form message), never a
server error: huge or non-ASCII numbers in query strings and forms, and e-mail addresses
longer than the database stores (PostgreSQL refuses those with an error; the forms refuse
them first, so this shows on SQLite too)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from test_course_support import measured
from test_flows import NEW_PASSWORD
from test_measurements import answers_for

from verbind.accounts.models import Invitation, User
from verbind.accounts.request_numbers import whole_number
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.models import ExerciseAnswer
from verbind.screening.domain import pending

pytestmark = pytest.mark.django_db
ODD_NUMBERS = [str(10**30), "9" * 5000, "²", "٣", "-1", " 7", "+7", "1e3", ""]
LONG_EMAIL = "a" * 290 + "@example.org"  # 302 characters; the column holds 254
TOO_LONG_NL = "Dit e-mailadres is te lang"
TOO_LONG_EN = "This e-mail address is too long"


@pytest.mark.parametrize("raw", ODD_NUMBERS)
def test_the_coach_page_number_never_breaks_the_page(client_for, raw):
    response = client_for("coach").get(reverse("coaching:dashboard"), {"page": raw})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == reverse("coaching:dashboard")


@pytest.mark.parametrize("raw", ODD_NUMBERS)
def test_a_check_in_step_number_never_breaks_the_page(people, raw):
    measured(people.participant)
    enrolment_domain.enrol(people.participant)
    client = Client()
    client.force_login(people.participant)
    url = reverse("course:check_in", args=["week-0"])
    response = client.get(url, {"step": raw})
    assert response.status_code in (200, 302)
    response = client.post(url, {"step": raw})
    assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize("raw", ODD_NUMBERS)
def test_odd_summary_choices_are_ignored(people, raw):
    measured(people.participant)
    enrolment = enrolment_domain.enrol(people.participant)
    client = Client()
    client.force_login(people.participant)
    response = client.post(reverse("course:summary"), {"include": [raw], "plan": "Mijn plan"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.plan_after_course == "Mijn plan"
    assert not ExerciseAnswer.objects.filter(include_in_summary=True).exists()


def test_whole_number_reads_only_plain_digits():
    assert whole_number("12") == 12 and whole_number("007") == 7
    assert whole_number("0", minimum=1) is None
    assert all(whole_number(raw) is None for raw in ODD_NUMBERS if raw not in ("-1",))
    assert whole_number("-1") is None


@pytest.mark.parametrize(("lang", "words"), [("nl", TOO_LONG_NL), ("en", TOO_LONG_EN)])
def test_registration_with_a_too_long_address_says_so(client, lang, words):
    assert len(LONG_EMAIL) > 254
    client.cookies[pending.COOKIE_NAME] = pending.dump("short", answers_for(True, True), "nl")
    client.cookies["django_language"] = lang
    response = client.post(
        reverse("accounts:register"),
        {
            "email": LONG_EMAIL,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "consent_store": "on",
        },
    )
    assert response.status_code in (200, 400)
    assert words in response.content.decode()
    assert not User.objects.filter(email__startswith="aaaa").exists()


def test_an_invitation_to_a_too_long_address_says_so(client_for):
    response = client_for("coach").post(reverse("coaching:invite"), {"email": LONG_EMAIL})
    assert response.status_code in (200, 400)
    assert TOO_LONG_NL in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_coach_invitation_to_a_too_long_address_says_so(people, client_for):
    url = reverse("organisation:invite_coach")
    response = client_for("org_admin").post(url, {"email": LONG_EMAIL}, follow=True)
    assert response.status_code in (200, 400)
    assert TOO_LONG_NL in response.content.decode()
    assert not Invitation.objects.exists()


def test_login_and_password_reset_with_a_too_long_address_say_so(db):
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": LONG_EMAIL, "password": "whatever 123"}
    )
    assert response.status_code == 200 and TOO_LONG_NL in response.content.decode()
    assert not AccessAttempt.objects.exists()  # nothing too long for its column is stored
    response = client.post(reverse("accounts:password_reset"), {"email": LONG_EMAIL})
    assert TOO_LONG_NL in response.content.decode()
