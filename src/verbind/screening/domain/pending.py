"""An unsaved self-test result travels with the browser, not in our database.

Until a person chooses to save their result (by creating an account, after consent),
verbind stores nothing about them: the answers live in a signed, expiring cookie on their
own device. Signing stops tampering; registering re-scores the answers through the core.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core import signing

COOKIE_NAME = "verbind_pending_test"
MAX_AGE_SECONDS = 2 * 60 * 60
_SALT = "verbind.screening.pending"


@dataclass(frozen=True)
class PendingTest:
    battery: str
    answers: dict[str, str]
    language: str


def dump(battery_id: str, answers: Mapping[str, Any], language: str) -> str:
    return signing.dumps(
        {"b": battery_id, "a": dict(answers), "l": language}, salt=_SALT, compress=True
    )


def load(value: str | None) -> PendingTest | None:
    """The pending test in a cookie value, or None when absent, expired or tampered with."""
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_SALT, max_age=MAX_AGE_SECONDS)
        return PendingTest(battery=str(data["b"]), answers=dict(data["a"]), language=str(data["l"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def set_cookie(response, battery_id: str, answers: Mapping[str, Any], language: str) -> None:
    from django.conf import settings

    response.set_cookie(
        COOKIE_NAME,
        dump(battery_id, answers, language),
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        secure=not settings.DEBUG,
        samesite="Lax",
    )


def from_request(request) -> PendingTest | None:
    return load(request.COOKIES.get(COOKIE_NAME))


def clear_cookie(response) -> None:
    response.delete_cookie(COOKIE_NAME, samesite="Lax")
