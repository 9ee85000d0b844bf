"""Whether a participant has a coach, asked for one, or lost one: for the course pages.

The course runs without a coach too (weeks open by time, nobody waits for feedback); these
facts decide which words the pages use, so nothing speaks of a coach who is not there.
"""

from __future__ import annotations

from dataclasses import dataclass

from verbind.coaching.domain import assignments
from verbind.coaching.models import CoachAssignment, CoachRequest


@dataclass(frozen=True)
class CoachStatus:
    coaches: tuple  # the participant's active coaches (User)
    request: CoachRequest | None  # an open request for a coach
    news: CoachRequest | None  # a coach was given and the participant was not told yet
    coach_left: CoachAssignment | None  # the last coach stopped (not the participant)

    @property
    def has_coach(self) -> bool:
        return bool(self.coaches)

    @property
    def coach_names(self) -> str:
        return ", ".join(c.display_name for c in self.coaches)


def coach_status(participant) -> CoachStatus:
    coaches = tuple(
        a.coach
        for a in CoachAssignment.objects.filter(
            participant=participant, active=True, coach__is_active=True
        )
        .select_related("coach")
        .order_by("created_at", "pk")
    )
    request = assignments.open_request(participant)
    return CoachStatus(
        coaches=coaches,
        request=request,
        news=assignments.news_for(participant) if coaches else None,
        coach_left=assignments.last_ended_by_organisation(participant) if request else None,
    )
