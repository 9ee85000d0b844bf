"""Lookups for the course pages. The rules themselves are verbind.accounts.permissions':
a participant reaches only their own enrolment; a coach reaches a participant's course
only while ``permissions`` lets them see that participant. Everything fails closed: what a
person may not see is "not found"."""

from __future__ import annotations

from django.http import Http404

from verbind.accounts import permissions
from verbind.coaching import permissions as coach_permissions
from verbind.course.models import CheckIn, Enrolment, ExerciseAnswer


def own_enrolment_or_none(request) -> Enrolment | None:
    return Enrolment.objects.filter(participant=request.user, ended_at=None).first()


def own_enrolment_or_404(request) -> Enrolment:
    enrolment = own_enrolment_or_none(request)
    if enrolment is None:
        raise Http404("not enrolled")
    return enrolment


def own_answer_or_404(request, pk: int) -> ExerciseAnswer:
    try:
        return ExerciseAnswer.objects.select_related("enrolment").get(
            pk=pk, enrolment__participant=request.user
        )
    except ExerciseAnswer.DoesNotExist:
        raise Http404("no such answer") from None


def enrolment_for_coach_or_404(request, pk: int) -> Enrolment:
    """An active enrolment of a participant the coach may see (403 for non-coaches)."""
    org = permissions.require_coach(request)
    visible = coach_permissions.participants_for_coach(request.user, org)
    try:
        return Enrolment.objects.select_related("participant").get(
            pk=pk, ended_at=None, participant__in=visible
        )
    except Enrolment.DoesNotExist:
        raise Http404("no such enrolment for this coach") from None


def answer_for_coach_or_404(request, pk: int) -> ExerciseAnswer:
    org = permissions.require_coach(request)
    visible = coach_permissions.participants_for_coach(request.user, org)
    try:
        return ExerciseAnswer.objects.select_related("enrolment__participant").get(
            pk=pk, enrolment__ended_at=None, enrolment__participant__in=visible
        )
    except ExerciseAnswer.DoesNotExist:
        raise Http404("no such answer for this coach") from None


def check_in_for_coach_or_404(request, pk: int) -> CheckIn:
    org = permissions.require_coach(request)
    visible = coach_permissions.participants_for_coach(request.user, org)
    try:
        return CheckIn.objects.select_related("enrolment").get(
            pk=pk, enrolment__participant__in=visible
        )
    except CheckIn.DoesNotExist:
        raise Http404("no such check-in for this coach") from None


def answer_image_or_404(request, pk: int) -> ExerciseAnswer:
    """A photo: its participant, or a coach who may see the participant."""
    if permissions.roles_of(request.user).is_coach:
        try:
            return answer_for_coach_or_404(request, pk)
        except Http404:
            pass
    return own_answer_or_404(request, pk)
