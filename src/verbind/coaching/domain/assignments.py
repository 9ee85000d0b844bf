"""Linking coaches and participants, sharing with a colleague, and withdrawing access."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verbind.accounts.domain.consent import covers_colleagues, withdraw_consent
from verbind.accounts.models import ConsentPurpose, Organisation, User
from verbind.coaching.models import CoachAssignment, CoachShare
from verbind.course.models import Enrolment


class SharingError(ValueError):
    pass


@transaction.atomic
def assign_coach(*, participant: User, coach: User, organisation: Organisation) -> CoachAssignment:
    """An active link between participant and coach (the existing one if already linked)."""
    assignment, _created = CoachAssignment.objects.get_or_create(
        participant=participant,
        coach=coach,
        active=True,
        defaults={"organisation": organisation},
    )
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
    release_feedback_gates([participant.pk])


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
    release_feedback_gates(participant_ids)


def release_feedback_gates(participant_ids) -> int:
    """In the course a feedback moment keeps the next week closed until a coach responds.
    A participant with no coach left would wait for nobody: their running course stops
    waiting, as when a coach turns feedback blocking off (a new coach can turn it on
    again). Stored, not derived, so a week that opened does not close again later."""
    coached = CoachAssignment.objects.filter(participant_id__in=participant_ids, active=True)
    return (
        Enrolment.objects.filter(
            participant_id__in=participant_ids, ended_at__isnull=True, feedback_blocks=True
        )
        .exclude(participant_id__in=coached.values("participant_id"))
        .update(feedback_blocks=False)
    )
