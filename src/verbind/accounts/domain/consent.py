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

CONSENT_VERSION = "2"
# Version 2 of the consent to share names the coach's colleagues: with an older consent a
# coach may not share the person with a colleague until the person agrees to that too.
COLLEAGUES_FROM_VERSION = 2


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
                "me better. My coach may ask a colleague of the same organisation to help; "
                "that colleague then sees them too. On the page 'My coach' I see who, and I "
                "can stop this at any time."
            )
        if purpose == ConsentPurpose.SHARE_CONTACT_WITH_COACH:
            return _(
                "I agree that my coach sees my name and e-mail address, so that my coach can "
                "contact me when my answers show that I may need help. On the page 'My coach' "
                "I can stop this at any time."
            )
        if purpose == ConsentPurpose.STORE_NETWORK_MAP:
            return _(
                "I agree that verbind stores my network map: the first names or nicknames I "
                "write down and what I say about these people. Nobody else sees it, unless I "
                "let my coach see it. I can hide it from my coach, download it or delete it "
                "at any time."
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


def covers_colleagues(user: User) -> bool:
    """Has the person agreed that a colleague of their coach may see their results too?"""
    versions = ConsentRecord.objects.filter(
        user=user, purpose=ConsentPurpose.SHARE_WITH_COACH, withdrawn_at=None
    ).values_list("version", flat=True)
    return any(v.isdigit() and int(v) >= COLLEAGUES_FROM_VERSION for v in versions)


@transaction.atomic
def agree_to_colleagues(user: User, lang: str) -> ConsentRecord | None:
    """The person agrees to the current consent to share, which names colleagues. Only
    for someone who already lets a coach see their results; None when nothing changed."""
    if not has_consent(user, ConsentPurpose.SHARE_WITH_COACH) or covers_colleagues(user):
        return None
    return record_consent(user, ConsentPurpose.SHARE_WITH_COACH, lang)


def shares_contact(user: User) -> bool:
    """Has the person agreed that their coach sees their contact details?"""
    return has_consent(user, ConsentPurpose.SHARE_CONTACT_WITH_COACH)


@transaction.atomic
def agree_to_share_contact(user: User, lang: str) -> ConsentRecord | None:
    """The person lets their coach see their contact details; None when they already did."""
    if shares_contact(user):
        return None
    return record_consent(user, ConsentPurpose.SHARE_CONTACT_WITH_COACH, lang)
