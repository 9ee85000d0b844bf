"""After logging in, each person lands where their work is: a coach on their participants,
an organisation admin on the organisation page, a participant on their own page. A page
asked for before logging in (``next``) still wins."""

from __future__ import annotations

import pytest
from django.urls import reverse
from web_base import PASSWORD


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("coach", "coaching:dashboard"),
        ("org_admin", "organisation:dashboard"),
        ("participant", "accounts:home"),
    ],
)
def test_login_lands_on_the_persons_work(client, people, role, target):
    user = people.user(role)
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(target)


def test_a_page_asked_for_first_still_wins(client, people):
    page = reverse("accounts:my_data")
    response = client.post(
        reverse("accounts:login") + f"?next={page}",
        {"username": people.coach.email, "password": PASSWORD, "next": page},
    )
    assert response["Location"] == page


def test_a_logged_in_coach_who_opens_the_login_page_goes_to_the_dashboard(client, people):
    client.force_login(people.coach)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302 and response["Location"] == reverse("coaching:dashboard")
