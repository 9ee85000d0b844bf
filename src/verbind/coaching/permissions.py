"""The access rules about coaching data: which participants, alerts, assignments and coach
requests a coach, an organisation admin or a participant may reach.

The rules themselves are listed in ``verbind.accounts.permissions`` (roles, "who is a
coach of which organisation"); the helpers that read coaching's own tables live here, in
the app that owns them. Like those, they fail closed: what a person may not see is "not
found" (404), a page for a role they lack is "forbidden" (403).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from verbind.accounts.models import Organisation, User
from verbind.accounts.permissions import require_coach, require_org_admin
from verbind.coaching.models import Alert, CoachAssignment, CoachRequest, CoachShare


def visible_assignments(coach: User, organisation: Organisation):
    """Active assignments the coach may see: their own, and those shared with them."""
    shared = CoachShare.objects.filter(assignment=OuterRef("pk"), coach=coach, active=True)
    return CoachAssignment.objects.filter(
        Q(coach=coach) | Q(Exists(shared)),
        active=True,
        organisation=organisation,
        participant__is_active=True,
    )


def participants_for_coach(coach: User, organisation: Organisation) -> QuerySet[User]:
    """Every participant this coach may see in this organisation (their own and shared)."""
    assignments = visible_assignments(coach, organisation).filter(participant=OuterRef("pk"))
    return User.objects.filter(Exists(assignments), is_active=True)


def get_participant_for_coach_or_404(request, pk: int) -> User:
    org = require_coach(request)
    try:
        return participants_for_coach(request.user, org).get(pk=pk)
    except User.DoesNotExist:
        raise Http404("no such participant for this coach") from None


def own_assignment_or_none(coach: User, organisation: Organisation, participant: User):
    """The active assignment in which ``coach`` is the primary coach (not a share)."""
    return CoachAssignment.objects.filter(
        participant=participant, coach=coach, organisation=organisation, active=True
    ).first()


def get_own_assignment_or_404(request, participant: User):
    """Like own_assignment_or_none, for actions only the primary coach may take."""
    assignment = own_assignment_or_none(request.user, require_coach(request), participant)
    if assignment is None:
        raise Http404("not the primary coach of this participant")
    return assignment


def get_alert_for_coach_or_404(request, pk: int):
    org = require_coach(request)
    visible = participants_for_coach(request.user, org)
    try:
        return Alert.objects.select_related("participant").get(pk=pk, participant__in=visible)
    except Alert.DoesNotExist:
        raise Http404("no such alert for this coach") from None


def get_coach_request_for_admin_or_404(request, pk: int):
    """An open request for a coach made to the admin's own organisation."""
    org = require_org_admin(request)
    try:
        return CoachRequest.objects.select_related("participant", "organisation").get(
            pk=pk, organisation=org, closed_at=None, participant__is_active=True
        )
    except CoachRequest.DoesNotExist:
        raise Http404("no such open request in this organisation") from None


def get_own_assignment_for_participant_or_404(request, pk: int):
    """An active assignment of the logged-in participant (to withdraw a coach's access)."""
    try:
        return CoachAssignment.objects.select_related("coach", "organisation").get(
            pk=pk, participant=request.user, active=True
        )
    except CoachAssignment.DoesNotExist:
        raise Http404("no such coach for this participant") from None
