"""The public self-test's progress: which battery, which answers so far, where to go next.

A test in progress lives in a signed cookie on the person's own device (like a finished,
unsaved result: see ``screening.domain.pending``), never in our database, so nothing
personal is stored before the person chooses to save. The cookie is a browser-session
cookie (gone when the browser closes) and stops working after ``MAX_AGE_SECONDS``.
Signing stops tampering; every answer is checked against the battery again anyway.

The order of the questions, the questions themselves and what counts as an answer all
come from ``verbind.core.battery``: this module only keeps the place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core import signing

from verbind.core.battery import Battery, Screen, batteries, get_battery

COOKIE_NAME = "verbind_selftest"
MAX_AGE_SECONDS = 2 * 60 * 60
_SALT = "verbind.screening.selftest"


@dataclass
class Progress:
    """A test in progress: the battery and the answers given so far (column -> option key)."""

    battery_id: str
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def battery(self) -> Battery:
        return get_battery(self.battery_id)

    @property
    def total(self) -> int:
        return len(self.battery.screens)

    def screen(self, number: int) -> Screen | None:
        screens = self.battery.screens
        return screens[number - 1] if 1 <= number <= len(screens) else None

    def is_answered(self, screen: Screen) -> bool:
        return all(column in self.answers for column in screen.columns)

    def first_unanswered(self) -> int | None:
        """The number of the first screen without an answer; None when all are answered."""
        for screen in self.battery.screens:
            if not self.is_answered(screen):
                return screen.number
        return None

    @property
    def complete(self) -> bool:
        return self.first_unanswered() is None

    def may_show(self, number: int) -> bool:
        """A screen may be shown once every screen before it is answered (no skipping)."""
        first_open = self.first_unanswered()
        return self.screen(number) is not None and (first_open is None or number <= first_open)

    def record(self, screen: Screen, answers: Mapping[str, str]) -> tuple[str, ...]:
        """Keep the answers of one screen; returns the flags (e.g. safety) they raise."""
        flags: list[str] = []
        for column in screen.columns:
            self.answers[column] = answers[column]
            flags.extend(self.battery.flags_raised(column, answers[column]))
        return tuple(dict.fromkeys(flags))

    @property
    def safety_flag(self) -> bool:
        return self.battery.answers_need_crisis_help(self.answers)

    def ordered_answers(self) -> dict[str, str]:
        """The answers in the order of the test (as the core's normalise returns them)."""
        return {c: self.answers[c] for c in self.battery.columns if c in self.answers}


def dump(progress: Progress) -> str:
    return signing.dumps(
        {"b": progress.battery_id, "a": progress.answers}, salt=_SALT, compress=True
    )


def load(value: str | None) -> Progress | None:
    """The test in a cookie value; None when absent, expired, tampered with or unusable.

    Answers are checked against the battery as it is now: one that no longer fits (an
    option was renamed since) is dropped, so the person is simply asked that question again.
    """
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_SALT, max_age=MAX_AGE_SECONDS)
        battery_id, raw = str(data["b"]), data["a"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if battery_id not in batteries() or not isinstance(raw, Mapping):
        return None
    battery = get_battery(battery_id)
    answers = {
        str(column): str(value)
        for column, value in raw.items()
        if column in battery.columns
        and isinstance(value, str)
        and not battery.check_answers({column: value}, partial=True)
    }
    return Progress(battery_id, answers)


def from_request(request) -> Progress | None:
    return load(request.COOKIES.get(COOKIE_NAME))


def set_cookie(response, progress: Progress) -> None:
    from django.conf import settings

    # No max_age: a browser-session cookie, gone when the browser is closed (shared
    # computers); the signature's own max age ends it after two hours in any case.
    # Secure exactly when the login session's cookie is (production: always).
    response.set_cookie(
        COOKIE_NAME,
        dump(progress),
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def clear_cookie(response) -> None:
    response.delete_cookie(COOKIE_NAME, samesite="Lax")
