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
    people.participant.refresh_from_db()
    assert people.participant.check_password(PASSWORD)


def test_the_home_page_links_to_it(client_for):
    page = client_for("participant").get(reverse("accounts:home"))
    assert reverse("accounts:password_change") in page.content.decode()
