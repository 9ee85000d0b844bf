"""Linking coaches and participants, sharing with a colleague, withdrawing access, and
participants without a coach: asking an organisation for one, and the handover."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from verbind.accounts.domain.consent import (
    covers_colleagues,
    has_consent,
    record_consent,
    withdraw_consent,
)
from verbind.accounts.models import ConsentPurpose, Membership, Organisation, Role, User
from verbind.coaching import signals
from verbind.coaching.models import (
    CoachAssignment,
    CoachRequest,
    CoachRequestReason,
    CoachShare,
)
from verbind.outbox.domain import mailing


class SharingError(ValueError):
    pass


class HandoverError(ValueError):
    """A coach cannot be given or asked for; the message is for the person (translated)."""


def has_coach(participant: User) -> bool:
    """Does someone follow this participant now (an active link to a coach)?"""
    return CoachAssignment.objects.filter(
        participant=participant, active=True, coach__is_active=True
    ).exists()


@transaction.atomic
def assign_coach(
    *,
    participant: User,
    coach: User,
    organisation: Organisation,
    now: datetime | None = None,
) -> CoachAssignment:
    """An active link between participant and coach (the existing one if already linked).

    A participant who had no coach did the course on their own, without waiting for
    feedback: from now on a feedback moment holds the next week back again, but a week
    that has opened stays open (the course's ``Enrolment.feedback_blocks_since``; it hears
    of it through ``signals.coach_gained``)."""
    now = now or timezone.now()
    had_coach = has_coach(participant)
    assignment, _created = CoachAssignment.objects.get_or_create(
        participant=participant,
        coach=coach,
        active=True,
        defaults={"organisation": organisation, "created_at": now},
    )
    # Whoever waited for a coach has one now: off the organisations' lists.
    CoachRequest.objects.filter(participant=participant, closed_at=None).update(closed_at=now)
    if not had_coach:
        signals.coach_gained.send(sender=CoachAssignment, participant=participant, now=now)
    return assignment


@transaction.atomic
def withdraw_access(assignment: CoachAssignment) -> None:
    """The participant ends this coach's access; colleagues it was shared with lose it too.

    When no coach is left, the consent to share is withdrawn as well.
    """
    now = timezone.now()
    assignment.active = False
    assignment.withdrawn_at = now
    assignment.save(update_fields=["active", "withdrawn_at"])
    assignment.shares.filter(active=True).update(active=False, ended_at=now)
    participant = assignment.participant
    if not CoachAssignment.objects.filter(participant=participant, active=True).exists():
        withdraw_consent(participant, ConsentPurpose.SHARE_WITH_COACH)
    signals.coach_access_ended.send(sender=CoachAssignment, participant_ids=[participant.pk])


@transaction.atomic
def share_with_colleague(assignment: CoachAssignment, colleague: User) -> CoachShare:
    """Let a colleague of the same organisation follow this participant too.

    The caller checks (permissions.colleagues_of) that the colleague is an active coach of
    the assignment's organisation; this refuses sharing with the primary coach themselves.
    """
    if colleague.pk == assignment.coach_id:
        raise SharingError("a coach cannot share a participant with themselves")
    if not covers_colleagues(assignment.participant):
        raise SharingError(
            _(
                "This participant agreed that you see their results, but not yet that a "
                "colleague may. Ask them first: they can agree on their page 'My coach'."
            )
        )
    share, _created = CoachShare.objects.get_or_create(
        assignment=assignment, coach=colleague, active=True
    )
    return share


@transaction.atomic
def end_share(share: CoachShare) -> None:
    share.active = False
    share.ended_at = timezone.now()
    share.save(update_fields=["active", "ended_at"])


@transaction.atomic
def end_all_for_coach(coach: User, organisation: Organisation) -> None:
    """A deactivated coach loses every participant and every share in the organisation."""
    now = timezone.now()
    ending = CoachAssignment.objects.filter(coach=coach, organisation=organisation, active=True)
    participant_ids = list(ending.values_list("participant_id", flat=True))
    ending.update(active=False, withdrawn_at=now)
    CoachShare.objects.filter(
        coach=coach, assignment__organisation=organisation, active=True
    ).update(active=False, ended_at=now)
    signals.coach_access_ended.send(sender=CoachAssignment, participant_ids=participant_ids)
    # Who has no coach left is put on the organisation's list for a new one (they are
    # told, and can say they want none); the record of who coached them stays.
    for participant_id in participant_ids:
        if not CoachAssignment.objects.filter(participant_id=participant_id, active=True).exists():
            _open_request(participant_id, organisation, CoachRequestReason.COACH_LEFT, now)
            _tell_after_commit(participant_id)


# --- participants without a coach: asking for one, and handing them over ------------------


def organisations_with_coaches():
    """Active organisations with at least one active coach: those that can give a coach."""
    coaches = Membership.objects.filter(
        organisation=OuterRef("pk"), role=Role.COACH, is_active=True, user__is_active=True
    )
    return Organisation.objects.filter(Exists(coaches), is_active=True).order_by("name")


def open_request(participant: User) -> CoachRequest | None:
    return (
        CoachRequest.objects.filter(participant=participant, closed_at=None)
        .select_related("organisation")
        .first()
    )


def _open_request(participant_id, organisation, reason, now) -> CoachRequest:
    existing = CoachRequest.objects.filter(participant_id=participant_id, closed_at=None).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CoachRequest.objects.create(
                participant_id=participant_id,
                organisation=organisation,
                reason=reason,
                created_at=now,
            )
    except IntegrityError:  # two clicks at once: the first one asked
        return CoachRequest.objects.get(participant_id=participant_id, closed_at=None)


@transaction.atomic
def request_coach(
    participant: User, organisation: Organisation, lang: str, now: datetime | None = None
) -> CoachRequest:
    """The participant asks this organisation for a coach and agrees that the coach will
    see their answers and results (the consent to share is recorded here)."""
    now = now or timezone.now()
    if has_coach(participant):
        raise HandoverError(_("You already have a coach."))
    if not organisations_with_coaches().filter(pk=organisation.pk).exists():
        raise HandoverError(_("Choose an organisation from the list."))
    if not has_consent(participant, ConsentPurpose.SHARE_WITH_COACH):
        record_consent(participant, ConsentPurpose.SHARE_WITH_COACH, lang)
    return _open_request(participant.pk, organisation, CoachRequestReason.ASKED, now)


@transaction.atomic
def cancel_request(request: CoachRequest, now: datetime | None = None) -> None:
    """The participant does not want a coach (now): off the organisation's list."""
    now = now or timezone.now()
    CoachRequest.objects.filter(pk=request.pk, closed_at=None).update(
        closed_at=now, cancelled_at=now
    )


def open_requests_for(organisation: Organisation):
    """The organisation admin's list: participants without a coach, oldest first."""
    return (
        CoachRequest.objects.filter(
            organisation=organisation, closed_at=None, participant__is_active=True
        )
        .select_related("participant")
        .order_by("created_at", "pk")
    )


def coaches_of_organisation(organisation: Organisation):
    return (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role=Role.COACH,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("name", "email")
    )


@transaction.atomic
def hand_over(request: CoachRequest, coach: User, *, by: User, now=None) -> CoachAssignment:
    """An organisation admin gives the participant of an open request a coach of the
    same organisation. The participant must still agree to a coach seeing their data."""
    now = now or timezone.now()
    current = CoachRequest.objects.select_for_update().get(pk=request.pk)
    if current.closed_at is not None:
        raise HandoverError(_("This participant has a coach already, or no longer wants one."))
    if not coaches_of_organisation(current.organisation).filter(pk=coach.pk).exists():
        raise HandoverError(_("Choose a coach of this organisation."))
    participant = current.participant
    if not has_consent(participant, ConsentPurpose.SHARE_WITH_COACH):
        raise HandoverError(
            _(
                "This participant no longer agrees that a coach sees their results. "
                "A coach can only be given when they ask for one again."
            )
        )
    assignment = assign_coach(
        participant=participant, coach=coach, organisation=current.organisation, now=now
    )
    Membership.objects.get_or_create(
        user=participant, organisation=current.organisation, role=Role.PARTICIPANT
    )
    current.closed_at = now
    current.assignment = assignment
    current.handled_by = by
    current.save(update_fields=["closed_at", "assignment", "handled_by"])
    _tell_after_commit(participant.pk)
    request.closed_at, request.assignment = now, assignment
    return assignment


def news_for(participant: User) -> CoachRequest | None:
    """A coach was given after a request, and the participant has not been told yet."""
    return (
        CoachRequest.objects.filter(
            participant=participant,
            assignment__active=True,
            participant_told_at=None,
        )
        .select_related("assignment__coach")
        .order_by("-closed_at")
        .first()
    )


def mark_told(request: CoachRequest, now=None) -> None:
    CoachRequest.objects.filter(
        participant_id=request.participant_id, participant_told_at=None
    ).exclude(assignment=None).update(participant_told_at=now or timezone.now())


def last_ended_by_organisation(participant: User) -> CoachAssignment | None:
    """The participant's last coach, when that coach stopped (not the participant)."""
    req = open_request(participant)
    if req is None or req.reason != CoachRequestReason.COACH_LEFT:
        return None
    return (
        CoachAssignment.objects.filter(participant=participant, active=False)
        .select_related("coach")
        .order_by("-withdrawn_at", "-pk")
        .first()
    )


def _tell_after_commit(participant_id: int) -> None:
    """Queue the e-mail in this transaction; it is sent after the commit, and retried by
    the outbox when the mail server is away."""
    message = tell_participant(participant_id)
    if message is not None:
        mailing.send_after_commit([message])


def tell_participant(participant_id: int):
    """An e-mail that there is news about their coach: only a link to their page, behind a
    login (no name, no organisation). The page says what happened. Returns the queued
    outbox message (None for an account that is gone)."""
    user = User.objects.filter(pk=participant_id, is_active=True).first()
    if user is None:
        return None
    subject, body = mailing.compose(
        user.preferred_language,
        "email/coach_news_subject.txt",
        "email/coach_news.txt",
        {"url": f"{settings.SITE_URL}{reverse('accounts:home')}"},
    )
    # One waiting e-mail per person: two changes at once add nothing to its link.
    return mailing.queue(
        user.email, subject, body, kind="coach_news", key=f"coach_news:{participant_id}"
    )
