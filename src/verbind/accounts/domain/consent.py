"""Consent: the exact texts a person agrees to, and the records of what they agreed to.

The register and invitation pages show :func:`consent_text`, and :func:`record_consent`
stores that same text with its version, so what is stored is what was shown.
Change a text -> raise CONSENT_VERSION.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from verbind.accounts.models import ConsentPurpose, ConsentRecord, User

CONSENT_VERSION = "1"


def consent_text(purpose: str, lang: str | None = None) -> str:
    with translation.override(lang or translation.get_language() or "nl"):
        if purpose == ConsentPurpose.STORE_MEASUREMENTS:
            return _(
                "I agree that verbind stores my e-mail address, my password (locked, "
                "unreadable), my answers to the tests and my results. verbind stores them "
                "so I can see my results again and see how I am doing over time. Nobody else "
                "sees them, unless I choose a coach. I can download or delete everything at "
                "any time."
            )
        if purpose == ConsentPurpose.SHARE_WITH_COACH:
            return _(
                "I agree that my coach sees my answers and results, so that my coach can help "
                "me better. I can stop this at any time on the page 'My coach'."
            )
    raise ValueError(f"unknown consent purpose {purpose!r}")


@transaction.atomic
def record_consent(user: User, purpose: str, lang: str) -> ConsentRecord:
    return ConsentRecord.objects.create(
        user=user,
        purpose=purpose,
        version=CONSENT_VERSION,
        language=lang,
        text=consent_text(purpose, lang),
    )


@transaction.atomic
def withdraw_consent(user: User, purpose: str) -> int:
    """Mark every open consent of this purpose as withdrawn; returns how many."""
    return ConsentRecord.objects.filter(user=user, purpose=purpose, withdrawn_at=None).update(
        withdrawn_at=timezone.now()
    )


def has_consent(user: User, purpose: str) -> bool:
    return ConsentRecord.objects.filter(user=user, purpose=purpose, withdrawn_at=None).exists()
