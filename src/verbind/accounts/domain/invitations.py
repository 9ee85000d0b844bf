"""Invitations: a coach invites a participant, an organisation admin invites a coach.

The e-mailed link carries a token signed with SECRET_KEY and a timestamp; it names the
invitation and its random nonce. A token stops working when it is older than
INVITATION_MAX_AGE_DAYS, when it was used, or when the invitation was revoked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from verbind.accounts.domain.consent import record_consent
from verbind.accounts.models import (
    ConsentPurpose,
    Invitation,
    InvitationKind,
    Membership,
    Organisation,
    Role,
    User,
    normalise_email,
)
from verbind.outbox.domain import mailing

_SALT = "verbind.accounts.invitation"

# What the inviter reads when the mail server did not take the e-mail at once.
NOT_SENT_YET = _(
    "The invitation is saved. The e-mail to %(email)s could not be sent yet. We try again "
    "automatically, so you do not need to do anything."
)


class InvitationError(ValueError):
    """Why an invitation cannot be used. ``code`` is stable, for views and tests."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def make_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=_SALT)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("accounts:accept_invitation", kwargs={"token": make_token(invitation)})
    return f"{settings.SITE_URL}{path}"


def max_age_seconds() -> int:
    return settings.INVITATION_MAX_AGE_DAYS * 24 * 60 * 60


def read_token(token: str) -> Invitation:
    """The open invitation a token names, or InvitationError (expired/invalid/used/revoked)."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        raise InvitationError("expired", "this invitation link has expired") from None
    except signing.BadSignature:
        raise InvitationError("invalid", "this invitation link is not valid") from None
    try:
        invitation = Invitation.objects.select_related("organisation", "invited_by").get(
            pk=data["i"], nonce=data["n"]
        )
    except (Invitation.DoesNotExist, KeyError, TypeError):
        raise InvitationError("invalid", "this invitation link is not valid") from None
    if invitation.revoked_at is not None:
        raise InvitationError("revoked", "this invitation was withdrawn")
    if invitation.accepted_at is not None:
        raise InvitationError("used", "this invitation was already used")
    if not invitation.organisation.is_active:
        raise InvitationError("invalid", "this organisation no longer uses verbind")
    # Said at once, on opening the link: not only after the person filled in the form.
    if invitation.kind == InvitationKind.PARTICIPANT and not _inviter_still_coaches(invitation):
        raise InvitationError("coach_gone", "the coach who sent this invitation has left")
    return invitation


def _inviter_still_coaches(invitation: Invitation) -> bool:
    return (
        invitation.invited_by is not None
        and Membership.objects.filter(
            user=invitation.invited_by,
            organisation=invitation.organisation,
            role=Role.COACH,
            is_active=True,
        ).exists()
    )


def _send(invitation: Invitation, lang: str):
    """Queue the invitation's e-mail and send it when the transaction commits, at once
    (the inviter is told whether it went out: :func:`email_sent`). Returns the message."""
    subject, body = mailing.compose(
        lang,
        "email/invitation_subject.txt",
        f"email/invitation_{invitation.kind}.txt",
        {
            "invitation": invitation,
            "url": invitation_url(invitation),
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
    )
    message = mailing.queue(
        invitation.email,
        subject,
        body,
        kind="invitation",
        key=f"invitation:{invitation.pk}",
        # A link that no longer works is not worth sending.
        expires_at=invitation.created_at + dt.timedelta(seconds=max_age_seconds()),
    )
    mailing.send_after_commit([message], wait=True)
    invitation.outbox_message = message
    return message


def email_sent(invitation: Invitation) -> bool:
    """Whether the invitation's e-mail went out already; if not, the outbox retries it."""
    return mailing.was_sent(getattr(invitation, "outbox_message", None))


@transaction.atomic
def _invite(kind: str, inviter: User, organisation: Organisation, email: str, lang: str):
    email = normalise_email(email)
    # A new invitation to the same address replaces an older open one.
    replaced = Invitation.objects.filter(
        kind=kind, organisation=organisation, email=email, accepted_at=None, revoked_at=None
    )
    for pk in replaced.values_list("pk", flat=True):
        mailing.cancel(f"invitation:{pk}")  # its link no longer works: not worth sending
    replaced.update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        kind=kind, organisation=organisation, email=email, invited_by=inviter
    )
    # Stored with the invitation; sent only once the invitation is really stored.
    _send(invitation, lang)
    return invitation


def invite_participant(coach: User, organisation: Organisation, email: str, lang: str):
    return _invite(InvitationKind.PARTICIPANT, coach, organisation, email, lang)


def invite_coach(admin: User, organisation: Organisation, email: str, lang: str):
    return _invite(InvitationKind.COACH, admin, organisation, email, lang)


@dataclass(frozen=True)
class Accepted:
    user: User
    invitation: Invitation


def _check_invitation_user(invitation: Invitation, user: User) -> None:
    if normalise_email(user.email) != invitation.email:
        raise InvitationError("wrong_email", "this invitation was sent to another e-mail address")
    if invitation.kind == InvitationKind.COACH:
        other = Membership.objects.filter(user=user, role=Role.COACH, is_active=True).exclude(
            organisation=invitation.organisation
        )
        if other.exists():
            raise InvitationError(
                "coach_elsewhere", "this person is already a coach in another organisation"
            )
    else:
        if not _inviter_still_coaches(invitation):
            raise InvitationError("coach_gone", "the coach who sent this invitation has left")
        if invitation.invited_by_id == user.pk:
            raise InvitationError("self", "a coach cannot coach themselves")


def _grant(membership_role: str, user: User, organisation: Organisation) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=membership_role
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.deactivated_at = None
        membership.save(update_fields=["is_active", "deactivated_at"])
    return membership


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User, lang: str) -> Accepted:
    """Give the person the role the invitation offers (idempotent for a repeated click).

    For a participant this links them to the inviting coach and records their consent to
    share their results with that coach (the accept page asks for it).
    """
    # Lock the row so two clicks cannot both accept.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise InvitationError("used", "this invitation was already used")
    _check_invitation_user(invitation, user)
    org = invitation.organisation
    if invitation.kind == InvitationKind.COACH:
        _grant(Role.COACH, user, org)
    else:
        from verbind.coaching.domain.assignments import assign_coach

        _grant(Role.PARTICIPANT, user, org)
        assign_coach(participant=user, coach=invitation.invited_by, organisation=org)
        record_consent(user, ConsentPurpose.SHARE_WITH_COACH, lang)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return Accepted(user=user, invitation=invitation)
