"""Who may see a network map: the participant, and their coach (read-only) while the
participant has not hidden it. Built on verbind.accounts.permissions; fails closed (404)."""

from __future__ import annotations

from django.http import Http404

from verbind.accounts.permissions import roles_of
from verbind.coaching.permissions import participants_for_coach
from verbind.network.models import NetworkMap


def map_for_viewer_or_404(request, pk: int) -> tuple[NetworkMap, bool]:
    """A finished map and whether the viewer only reads it (a coach)."""
    try:
        the_map = NetworkMap.objects.select_related("participant").get(
            pk=pk, finished_at__isnull=False
        )
    except NetworkMap.DoesNotExist:
        raise Http404("no such map") from None
    if the_map.participant_id == request.user.pk:
        return the_map, False
    org = roles_of(request.user).coach_of
    if (
        org is not None
        and not the_map.hidden_from_coach
        and participants_for_coach(request.user, org).filter(pk=the_map.participant_id).exists()
    ):
        return the_map, True
    raise Http404("no such map")


def own_map_or_404(request, pk: int) -> NetworkMap:
    try:
        return NetworkMap.objects.get(pk=pk, participant=request.user, finished_at__isnull=False)
    except NetworkMap.DoesNotExist:
        raise Http404("no such map") from None
