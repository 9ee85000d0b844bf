"""Lookups for the course pages. The rules themselves are the permissions modules' (of
accounts and coaching): a participant reaches only their own enrolment; a coach reaches a
participant's course only while they may see that participant. Everything fails closed:
what a person may not see is "not found" (get_object_or_404 on a queryset already limited
to what the person may see)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

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
    return get_object_or_404(
        ExerciseAnswer.objects.select_related("enrolment"),
        pk=pk,
        enrolment__participant=request.user,
    )


def enrolment_for_coach_or_404(request, pk: int) -> Enrolment:
    """An active enrolment of a participant the coach may see (403 for non-coaches)."""
    org = permissions.require_coach(request)
    visible = coach_permissions.participants_for_coach(request.user, org)
    return get_object_or_404(
        Enrolment.objects.select_related("participant"),
        pk=pk,
        ended_at=None,
        participant__in=visible,
    )


def answer_for_coach_or_404(request, pk: int) -> ExerciseAnswer:
    org = permissions.require_coach(request)
    visible = coach_permissions.participants_for_coach(request.user, org)
    return get_object_or_404(
        ExerciseAnswer.objects.select_related("enrolment__participant"),
        pk=pk,
        enrolment__ended_at=None,
        enrolment__participant__in=visible,
    )


def check_in_for_coach_or_404(request, pk: int) -> CheckIn:
    org = permissions.require_coach(request)
    visible = coach_permissions.participants_for_coach(request.user, org)
    return get_object_or_404(
        CheckIn.objects.select_related("enrolment"), pk=pk, enrolment__participant__in=visible
    )


def answer_image_or_404(request, pk: int) -> ExerciseAnswer:
    """A photo: its participant, or a coach who may see the participant."""
    if permissions.roles_of(request.user).is_coach:
        try:
            return answer_for_coach_or_404(request, pk)
        except Http404:
            pass
    return own_answer_or_404(request, pk)
