"""What an organisation admin does and sees that involves coaching: deactivating a coach
(who then loses every participant at once) and the organisation's figures (numbers only,
never who the participants are)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from verbind.accounts.models import (
    ConsentPurpose,
    ConsentRecord,
    Membership,
    Organisation,
    Role,
    User,
)
from verbind.coaching.domain.assignments import end_all_for_coach
from verbind.coaching.models import Alert, CoachAssignment
from verbind.coaching.permissions import participants_for_coach
from verbind.core.privacy import MIN_GROUP_SIZE, large_enough, may_show_to
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


def contributors(org: Organisation):
    """The participants whose tests the organisation's figures are made of: coached here
    now, still agreeing that a coach sees their results, and with at least one test. An
    account without a test adds nothing to a figure, so it cannot make a small group look
    large (padding)."""
    coached = CoachAssignment.objects.filter(
        organisation=org, active=True, participant=OuterRef("pk")
    )
    agreed = ConsentRecord.objects.filter(
        user=OuterRef("pk"), purpose=ConsentPurpose.SHARE_WITH_COACH, withdrawn_at=None
    )
    tested = Measurement.objects.filter(participant=OuterRef("pk"))
    return User.objects.filter(Exists(coached), Exists(agreed), Exists(tested), is_active=True)


def counts(org: Organisation, viewer: User | None = None) -> OrganisationCounts:
    """Numbers only: an admin never sees who the participants are or what they answered.

    The figures about tests and signals show only when at least MIN_GROUP_SIZE people
    contribute, and, for a ``viewer`` who is also a coach here, at least MIN_GROUP_SIZE of
    them are people that viewer cannot already see as their coach: otherwise taking what
    they know away from the figure would leave a figure about a few people."""
    coach_rows = Membership.objects.filter(organisation=org, role=Role.COACH)
    people = (
        CoachAssignment.objects.filter(organisation=org, active=True)
        .values("participant_id")
        .distinct()
        .count()
    )
    group = contributors(org)
    size = group.count()
    known = 0
    if viewer is not None:
        known = group.filter(pk__in=participants_for_coach(viewer, org).values("pk")).count()
    shown = may_show_to(size, known)
    ids = group.values("pk")
    return OrganisationCounts(
        active_coaches=coach_rows.filter(is_active=True).count(),
        inactive_coaches=coach_rows.filter(is_active=False).count(),
        participants_with_coach=people,
        measurements=(
            Measurement.objects.filter(participant_id__in=ids).count() if shown else None
        ),
        open_alerts=(
            Alert.objects.filter(participant_id__in=ids, resolved_at=None).count()
            if shown
            else None
        ),
    )


def coach_participants_shown(count: int) -> int | None:
    """A coach's number of participants on the organisation page: shown from
    MIN_GROUP_SIZE on; below it (but not zero) only "fewer than 10", so a small number next
    to a name does not point at people."""
    return count if count == 0 or large_enough(count) else None
