"""Creating an account: never without consent to store (nothing personal is kept otherwise)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from verbind.accounts.domain.consent import record_consent
from verbind.accounts.models import ConsentPurpose, User, normalise_email


class RegistrationError(ValueError):
    pass


def _create(email: str, password: str, lang: str, name: str) -> User:
    email = normalise_email(email)
    if User.objects.filter(email=email).exists():
        raise RegistrationError("an account with this e-mail address already exists")
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email, password, name=name.strip(), preferred_language=lang
            )
    except IntegrityError:  # a parallel registration with the same address won
        raise RegistrationError("an account with this e-mail address already exists") from None


@transaction.atomic
def register_coach(email: str, password: str, lang: str, *, name: str) -> User:
    """A coach's own account (from an admin's invitation): holds no measurements, so it
    needs no consent to store test results; the name is shown to their participants."""
    return _create(email, password, lang, name)


@transaction.atomic
def register_person(
    email: str, password: str, lang: str, *, consent_to_store: bool, name: str = ""
) -> User:
    """A new account with the consent record that allows storing anything about them."""
    if not consent_to_store:
        raise RegistrationError("consent to store is required to create an account")
    user = _create(email, password, lang, name)
    record_consent(user, ConsentPurpose.STORE_MEASUREMENTS, lang)
    return user
