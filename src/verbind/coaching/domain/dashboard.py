"""The coach dashboard's rows: one query, however many participants and measurements."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from verbind.accounts import permissions
from verbind.accounts.models import Organisation, User
from verbind.coaching.domain.alerts import share_of
from verbind.coaching.models import Alert, CoachAssignment
from verbind.core import change
from verbind.screening.models import Measurement

_LATEST_FIELDS = (
    "created_at",
    "quadrant",
    "route",
    "duration_band",
    "loneliness_score",
    "loneliness_max",
    "loneliness_level",
    "loneliness_instrument",
    "isolation_score",
    "isolation_instrument",
    "isolated",
)


@dataclass(frozen=True)
class DashboardRow:
    participant: User
    is_own: bool
    measurement_count: int
    open_alerts: int
    latest: dict
    first_fraction: Fraction | None

    @property
    def latest_fraction(self) -> Fraction | None:
        latest = self.latest
        return share_of(
            latest.get("loneliness_instrument") or "",
            latest.get("loneliness_score"),
            latest.get("loneliness_max"),
        )

    @cached_property  # the template asks up to three times per row
    def trend(self) -> str | None:
        """ "better", "worse" or "same" loneliness since the first measurement; None when
        there is only one measurement. (The core's rule: verbind.core.change.trend.)"""
        if self.measurement_count < 2:
            return None
        return change.trend(self.first_fraction, self.latest_fraction)


def rows_for_coach(coach: User, organisation: Organisation) -> list[DashboardRow]:
    by_participant = Measurement.objects.filter(participant=OuterRef("pk"))
    latest = by_participant.order_by("-created_at", "-pk")
    first = by_participant.order_by("created_at", "pk")
    count_sq = (
        Measurement.objects.filter(participant=OuterRef("pk"))
        .order_by()
        .values("participant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    alerts_sq = (
        Alert.objects.filter(participant=OuterRef("pk"), resolved_at=None)
        .order_by()
        .values("participant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    own = CoachAssignment.objects.filter(
        participant=OuterRef("pk"), coach=coach, organisation=organisation, active=True
    )
    # Only the ids of the first and latest measurement per participant as subqueries, then
    # those rows in one query: a subquery per shown field made this the slowest page.
    people = list(
        permissions.participants_for_coach(coach, organisation).annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            first_id=Subquery(first.values("pk")[:1]),
            measurement_count=Coalesce(Subquery(count_sq, output_field=IntegerField()), 0),
            open_alerts=Coalesce(Subquery(alerts_sq, output_field=IntegerField()), 0),
            is_own=Exists(own),
        )
    )
    wanted = {p.latest_id for p in people} | {p.first_id for p in people}
    # Plain dicts: building 400 model instances cost more than the query.
    shown = {
        m["pk"]: m
        for m in Measurement.objects.filter(pk__in=wanted - {None})
        .order_by()
        .values("pk", *_LATEST_FIELDS)
    }
    empty = dict.fromkeys(_LATEST_FIELDS)
    rows = []
    for p in people:
        last, first_m = shown.get(p.latest_id, empty), shown.get(p.first_id, empty)
        rows.append(
            DashboardRow(
                participant=p,
                is_own=p.is_own,
                measurement_count=p.measurement_count,
                open_alerts=p.open_alerts,
                latest={f: last[f] for f in _LATEST_FIELDS},
                first_fraction=share_of(
                    first_m["loneliness_instrument"] or "",
                    first_m["loneliness_score"],
                    first_m["loneliness_max"],
                ),
            )
        )
    # Flags first, then whoever did a test most recently.
    rows.sort(
        key=lambda r: (
            -r.open_alerts,
            -(r.latest["created_at"].timestamp() if r.latest["created_at"] else 0),
            r.participant.pk,
        )
    )
    return rows
