"""Login throttling counts failures per e-mail address AND client address, also behind a
reverse proxy: the client address comes from X-Forwarded-For only when TRUST_PROXY_HEADERS
is on, and then only the entry our own proxies added."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from web_base import PASSWORD

from verbind.accounts.throttling import client_ip_for_axes

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.5"
ATTACKER = "203.0.113.66"
COACH_HOME = "198.51.100.7"


def _fail_from(settings, email: str, **meta) -> None:
    client = Client(REMOTE_ADDR=PROXY, **meta)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": email, "password": "wrong"})


def _login_from(email: str, **meta):
    client = Client(REMOTE_ADDR=PROXY, **meta)
    return client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})


def test_behind_a_proxy_an_attacker_cannot_lock_out_a_coach_elsewhere(people, settings):
    settings.TRUST_PROXY_HEADERS = True
    email = people.coach.email
    _fail_from(settings, email, HTTP_X_FORWARDED_FOR=ATTACKER)
    # The attacker's own address is locked for this coach ...
    assert _login_from(email, HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    # ... but the coach, coming through the same proxy from home, logs in.
    assert _login_from(email, HTTP_X_FORWARDED_FOR=COACH_HOME).status_code == 302


def test_a_client_cannot_escape_the_lockout_by_prepending_addresses(people, settings):
    settings.TRUST_PROXY_HEADERS = True
    email = people.coach.email
    # The proxy appends the address it saw; what the attacker wrote before it is ignored.
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {ATTACKER}").post(
            reverse("accounts:login"), {"username": email, "password": "wrong"}
        )
    response = _login_from(email, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER}")
    assert response.status_code == 429


def test_without_trust_a_spoofed_forwarded_for_is_ignored(people, settings):
    settings.TRUST_PROXY_HEADERS = False
    email = people.coach.email
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(
            reverse("accounts:login"), {"username": email, "password": "wrong"}
        )
    # A fresh made-up X-Forwarded-For does not give the attacker new attempts.
    client = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.200")
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 429
    # Someone else (another peer address) is not locked out.
    other = Client(REMOTE_ADDR=COACH_HOME)
    response = other.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302


class _Request:
    def __init__(self, **meta):
        self.META = meta


@pytest.mark.parametrize(
    ("count", "header", "expected"),
    [
        (1, "203.0.113.66", "203.0.113.66"),
        (1, "1.2.3.4, 203.0.113.66", "203.0.113.66"),
        (2, "1.2.3.4, 203.0.113.66, 10.0.0.9", "203.0.113.66"),
        (2, "203.0.113.66", PROXY),  # fewer entries than proxies: not from our proxies
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_from_the_trusted_entry(settings, count, header, expected):
    settings.TRUST_PROXY_HEADERS = True
    settings.TRUSTED_PROXY_COUNT = count
    request = _Request(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    assert client_ip_for_axes(request) == expected
