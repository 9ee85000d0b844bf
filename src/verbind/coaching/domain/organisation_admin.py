"""What an organisation admin does and sees that involves coaching: deactivating a coach
(who then loses every participant at once) and the organisation's figures (numbers only,
never who the participants are)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from verbind.accounts.models import Membership, Organisation, Role
from verbind.coaching.domain.assignments import end_all_for_coach
from verbind.coaching.models import Alert, CoachAssignment
from verbind.core.privacy import MIN_GROUP_SIZE, large_enough
from verbind.screening.models import Measurement


@transaction.atomic
def deactivate_coach(membership: Membership) -> None:
    """The coach loses access to every participant of this organisation at once."""
    if membership.is_active:
        membership.is_active = False
        membership.deactivated_at = timezone.now()
        membership.save(update_fields=["is_active", "deactivated_at"])
    end_all_for_coach(membership.user, membership.organisation)


@dataclass(frozen=True)
class OrganisationCounts:
    active_coaches: int
    inactive_coaches: int
    participants_with_coach: int
    # Figures about the participants' tests and signals: None (not even counted) while
    # fewer than MIN_GROUP_SIZE participants have a coach here (verbind.core.privacy).
    measurements: int | None
    open_alerts: int | None

    @property
    def participant_figures_hidden(self) -> bool:
        return self.measurements is None

    @property
    def min_group_size(self) -> int:
        return MIN_GROUP_SIZE


def counts(org: Organisation) -> OrganisationCounts:
    """Numbers only: an admin never sees who the participants are or what they answered."""
    coach_rows = Membership.objects.filter(organisation=org, role=Role.COACH)
    participant_ids = CoachAssignment.objects.filter(organisation=org, active=True).values(
        "participant_id"
    )
    people = participant_ids.distinct().count()
    shown = large_enough(people)
    return OrganisationCounts(
        active_coaches=coach_rows.filter(is_active=True).count(),
        inactive_coaches=coach_rows.filter(is_active=False).count(),
        participants_with_coach=people,
        measurements=(
            Measurement.objects.filter(participant_id__in=participant_ids).count()
            if shown
            else None
        ),
        open_alerts=(
            Alert.objects.filter(participant_id__in=participant_ids, resolved_at=None).count()
            if shown
            else None
        ),
    )
