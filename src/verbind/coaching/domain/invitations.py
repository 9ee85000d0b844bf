"""Invitations: a coach invites a participant, an organisation admin invites a coach.

The e-mailed link carries a token signed with SECRET_KEY and a timestamp; it names the
invitation and its random nonce. A token stops working when it is older than
INVITATION_MAX_AGE_DAYS, when it was used, when the invitation was revoked, or when it was
sent again (a new nonce: only the newest e-mail's link works).

An address that already has an open invitation or an account is not invited again
silently: :func:`offer` says what it found (:class:`Found`), and the inviter chooses (send
the open invitation again, or invite the account anyway). What it says about an account is
no more than needed: that it exists, not whose participant it is.

Links in e-mails start with :func:`verbind.accounts.domain.links.link_base`: in
development the address the app was reached on (as Django's password reset does), in
production SITE_URL.
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

from verbind.accounts.domain import registration
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
from verbind.coaching.domain.assignments import assign_coach
from verbind.coaching.permissions import own_assignment_or_none
from verbind.outbox.domain import mailing
from verbind.screening.domain import signup
from verbind.screening.domain.pending import PendingTest

_SALT = "verbind.accounts.invitation"

# What the inviter reads when the mail server did not take the e-mail at once.
NOT_SENT_YET = _(
    "The invitation is saved. The e-mail to %(email)s could not be sent yet. We try again "
    "automatically, so you do not need to do anything."
)


class InvitationError(ValueError):
    """Why an invitation cannot be used. ``code`` is stable, for views and tests.

    ``invitation`` is set when the link named a real invitation (revoked, expired, sent
    again): the page for the link then says whom to ask.
    """

    def __init__(self, code: str, message: str, invitation: Invitation | None = None):
        self.code = code
        self.invitation = invitation
        super().__init__(message)


def make_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=_SALT)


def invitation_url(invitation: Invitation, base_url: str | None = None) -> str:
    path = reverse("accounts:accept_invitation", kwargs={"token": make_token(invitation)})
    return f"{(base_url or settings.SITE_URL).rstrip('/')}{path}"


def max_age_seconds() -> int:
    return settings.INVITATION_MAX_AGE_DAYS * 24 * 60 * 60


def read_token(token: str) -> Invitation:
    """The open invitation a token names, or InvitationError
    (invalid / used / revoked / replaced / expired / coach_gone)."""
    expired = False
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        # Signed by us, only too old: read it to say whom to ask.
        data, expired = signing.loads(token, salt=_SALT), True
    except signing.BadSignature:
        raise InvitationError("invalid", "this invitation link is not valid") from None
    try:
        invitation = Invitation.objects.select_related("organisation", "invited_by").get(
            pk=data["i"]
        )
        nonce = data["n"]
    except (Invitation.DoesNotExist, KeyError, TypeError, ValueError):
        raise InvitationError("invalid", "this invitation link is not valid") from None
    if invitation.revoked_at is not None:
        raise InvitationError("revoked", "this invitation was withdrawn", invitation)
    if invitation.accepted_at is not None:
        raise InvitationError("used", "this invitation was already used")
    if nonce != invitation.nonce:
        raise InvitationError("replaced", "a newer link was sent for this invitation", invitation)
    if expired:
        raise InvitationError("expired", "this invitation link has expired", invitation)
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


def _mail_key(invitation: Invitation, send_count: int | None = None) -> str:
    """One outbox key per e-mail of an invitation: each send has its own link."""
    count = invitation.send_count if send_count is None else send_count
    return f"invitation:{invitation.pk}:{count}"


def _cancel_waiting_mail(invitation: Invitation) -> None:
    """Drop the invitation's e-mails still waiting: their links no longer work."""
    for count in range(1, invitation.send_count + 1):
        mailing.cancel(_mail_key(invitation, count))


def _send(invitation: Invitation, lang: str, base_url: str | None = None):
    """Queue the invitation's e-mail and send it when the transaction commits, at once
    (the inviter is told whether it went out: :func:`email_sent`). Returns the message."""
    subject, body = mailing.compose(
        lang,
        "email/invitation_subject.txt",
        f"email/invitation_{invitation.kind}.txt",
        {
            "invitation": invitation,
            "url": invitation_url(invitation, base_url),
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
    )
    message = mailing.queue(
        invitation.email,
        subject,
        body,
        kind="invitation",
        key=_mail_key(invitation),
        # A link that no longer works is not worth sending.
        expires_at=invitation.sent_at + dt.timedelta(seconds=max_age_seconds()),
    )
    mailing.send_after_commit([message], wait=True)
    invitation.outbox_message = message
    return message


def email_sent(invitation: Invitation) -> bool:
    """Whether the invitation's e-mail went out already; if not, the outbox retries it."""
    return mailing.was_sent(getattr(invitation, "outbox_message", None))


def pending(kind: str, inviter: User, organisation: Organisation):
    """Open invitations the inviter may see and act on, newest first (expired ones too:
    they can be sent again). A coach's own participant invitations; for an organisation
    admin every coach invitation of the organisation."""
    invitations = Invitation.objects.filter(
        kind=kind, organisation=organisation, accepted_at=None, revoked_at=None
    )
    if kind == InvitationKind.PARTICIPANT:
        invitations = invitations.filter(invited_by=inviter)
    return invitations.order_by("-sent_at", "-pk")


@transaction.atomic
def _invite(
    kind: str,
    inviter: User,
    organisation: Organisation,
    email: str,
    lang: str,
    base_url: str | None = None,
):
    email = normalise_email(email)
    # A new invitation to the same address replaces an older open one of this inviter
    # (a colleague's invitation to the same person is theirs).
    replaced = pending(kind, inviter, organisation).filter(email=email)
    for old in replaced:
        _cancel_waiting_mail(old)  # its link no longer works: not worth sending
    replaced.update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        kind=kind, organisation=organisation, email=email, invited_by=inviter
    )
    # Stored with the invitation; sent only once the invitation is really stored.
    _send(invitation, lang, base_url)
    return invitation


def invite_participant(
    coach: User, organisation: Organisation, email: str, lang: str, base_url: str | None = None
):
    return _invite(InvitationKind.PARTICIPANT, coach, organisation, email, lang, base_url)


def invite_coach(
    admin: User, organisation: Organisation, email: str, lang: str, base_url: str | None = None
):
    return _invite(InvitationKind.COACH, admin, organisation, email, lang, base_url)


# Within this time a second "send" of the same address is the same click sent twice.
DOUBLE_SUBMIT_SECONDS = 30


@dataclass(frozen=True)
class Found:
    """Why an address is not simply invited; the page says so instead of sending.

    ``code``: ``open_invitation`` (``invitation`` is it: offer to send it again),
    ``account`` (someone has an account: the inviter may send anyway), ``own_participant``,
    ``self``, ``coach_here``, ``coach_elsewhere`` (nothing to send).
    """

    code: str
    invitation: Invitation | None = None

    @property
    def may_send_anyway(self) -> bool:
        return self.code == "account"

    @property
    def just_sent(self) -> bool:
        """The open invitation went out a moment ago: this is a double click."""
        return self.invitation is not None and timezone.now() - self.invitation.sent_at < (
            dt.timedelta(seconds=DOUBLE_SUBMIT_SECONDS)
        )


def what_exists(kind: str, inviter: User, organisation: Organisation, email: str) -> Found | None:
    """What an invitation to ``email`` would repeat, or None for a new address."""
    email = normalise_email(email)
    waiting = pending(kind, inviter, organisation).filter(email=email).first()
    if waiting is not None:
        return Found("open_invitation", waiting)
    user = User.objects.filter(email=email).first()
    if user is None:
        return None
    if kind == InvitationKind.PARTICIPANT:
        if user.pk == inviter.pk:
            return Found("self")
        if own_assignment_or_none(inviter, organisation, user) is not None:
            return Found("own_participant")
        return Found("account")
    coaching = Membership.objects.filter(user=user, role=Role.COACH, is_active=True)
    if coaching.filter(organisation=organisation).exists():
        return Found("coach_here")
    if coaching.exists():
        return Found("coach_elsewhere")
    return Found("account")


@dataclass(frozen=True)
class Offer:
    """The result of :func:`offer`: the invitation sent, or what was found instead."""

    invitation: Invitation | None = None
    found: Found | None = None


@transaction.atomic
def offer(
    kind: str,
    inviter: User,
    organisation: Organisation,
    email: str,
    lang: str,
    *,
    base_url: str | None = None,
    send_to_account: bool = False,
) -> Offer:
    """Invite ``email`` unless it already has an open invitation or an account (then say
    what was found). ``send_to_account``: the inviter saw that an account exists and
    chose to invite it anyway (the person accepts after logging in)."""
    # One invitation at a time per organisation: two clicks cannot both find nothing.
    Organisation.objects.select_for_update().only("pk").get(pk=organisation.pk)
    found = what_exists(kind, inviter, organisation, email)
    if found is not None and not (found.may_send_anyway and send_to_account):
        return Offer(found=found)
    return Offer(invitation=_invite(kind, inviter, organisation, email, lang, base_url))


@transaction.atomic
def resend(
    invitation: Invitation, seen_send_count: int, lang: str, *, base_url: str | None = None
) -> bool:
    """Send the invitation again with a new link; the older link stops working.

    ``seen_send_count`` is the count the inviter's page showed: when it is no longer the
    count (the same form sent twice), nothing is sent and False is returned. An accepted
    or withdrawn invitation raises InvitationError ("used" / "revoked").
    """
    given = invitation
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError("used", "this invitation was already used")
    if invitation.revoked_at is not None:
        raise InvitationError("revoked", "this invitation was withdrawn")
    if invitation.send_count != seen_send_count:
        return False
    _cancel_waiting_mail(invitation)  # the older link stops working
    invitation.nonce = Invitation._meta.get_field("nonce").get_default()
    invitation.send_count += 1
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["nonce", "send_count", "sent_at"])
    given.outbox_message = _send(invitation, lang, base_url)  # for email_sent(given)
    return True


@transaction.atomic
def revoke(invitation: Invitation) -> bool:
    """Withdraw an open invitation: its link stops working. False when it was withdrawn
    already; InvitationError("used") when it was accepted."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError("used", "this invitation was already used")
    if invitation.revoked_at is not None:
        return False
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _cancel_waiting_mail(invitation)
    return True


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
        _grant(Role.PARTICIPANT, user, org)
        assign_coach(participant=user, coach=invitation.invited_by, organisation=org)
        record_consent(user, ConsentPurpose.SHARE_WITH_COACH, lang)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return Accepted(user=user, invitation=invitation)


@dataclass(frozen=True)
class NewAccount:
    """What the accept page asks someone without an account: a password; a coach's name;
    a participant's consent to store their results."""

    password: str
    name: str = ""
    consent_to_store: bool = False


@transaction.atomic
def register_and_accept(
    invitation: Invitation,
    user: User | None,
    lang: str,
    *,
    new_account: NewAccount | None = None,
    pending_test: PendingTest | None = None,
) -> User:
    """Accept an invitation, first creating the account when there is none (``user`` is
    None): a coach's, or a participant's with the self-test they finished before following
    the link. All of it is saved, or nothing. Raises InvitationError or RegistrationError."""
    if user is None:
        if new_account is None:
            raise registration.RegistrationError("an account needs a password")
        if invitation.kind == InvitationKind.COACH:
            user = registration.register_coach(
                invitation.email, new_account.password, lang, name=new_account.name
            )
        else:
            user = signup.register_person_with_test(
                invitation.email,
                new_account.password,
                lang,
                consent_to_store=new_account.consent_to_store,
                pending_test=pending_test,
            )
    accept_invitation(invitation, user, lang)
    return user
