"""Creating a participant's account together with the self-test they finished before it.

Registering and accepting a participant invitation both do this: the account, its consent
to store, and the pending result (re-scored through the core) are saved together or not
at all."""

from __future__ import annotations

from django.db import transaction

from verbind.accounts.domain import registration
from verbind.accounts.models import User
from verbind.screening.domain import measurements
from verbind.screening.domain.pending import PendingTest


@transaction.atomic
def register_person_with_test(
    email: str,
    password: str,
    lang: str,
    *,
    consent_to_store: bool,
    pending_test: PendingTest | None,
) -> User:
    """A new account (see ``registration.register_person``); a pending self-test is saved
    as its first measurement, with the alerts that go with it."""
    user = registration.register_person(email, password, lang, consent_to_store=consent_to_store)
    if pending_test is not None:
        measurements.save_measurement(
            user, pending_test.battery, pending_test.answers, language=pending_test.language
        )
    return user
