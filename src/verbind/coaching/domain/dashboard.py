"""The coach dashboard's rows: two queries, however many participants and measurements;
paged, with the signals first across all pages (safety signals before all others)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce

from verbind.accounts.models import Organisation, User
from verbind.coaching import permissions as coach_permissions
from verbind.coaching.models import Alert, AlertKind, CoachAssignment
from verbind.core import change, labels
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
    # The first test's loneliness score by questionnaire ({} when it has none).
    first_scores: dict
    # Open safety signals (a "yes" to the safety question): these rows come first.
    open_safety: int = 0

    @cached_property  # the template asks up to three times per row
    def trend(self) -> str | None:
        """ "better", "worse" or "same" loneliness since the first test, like with like (the
        same rule as the coach's course overview: verbind.core.change.loneliness_trend);
        None when there is only one measurement."""
        if self.measurement_count < 2:
            return None
        latest = self.latest
        instrument = latest.get("loneliness_instrument")
        now = {instrument: latest.get("loneliness_score")} if instrument else {}
        return change.loneliness_trend(self.first_scores, now)


@dataclass(frozen=True)
class TableRow:
    """One row of the dashboard's table as it is shown, in one language; the markup is
    ``coaching/includes/dashboard_rows.html``."""

    participant_pk: int
    name: str
    is_own: bool
    open_alerts: int
    open_safety: int
    loneliness_score: Any  # None: no test, or loneliness not measured
    loneliness_max: Any
    level: str  # "" when not known
    contacts: str
    duration: str
    route: str  # as the coach reads it
    trend: str | None  # "better", "worse", "same"; None when not comparable
    last_test: dt.datetime | None


def table_rows(rows: Iterable[DashboardRow], lang: str) -> list[TableRow]:
    """The values of the dashboard's rows in ``lang``, each computed once."""
    out = []
    for row in rows:
        latest = row.latest
        out.append(
            TableRow(
                participant_pk=row.participant.pk,
                name=row.participant.display_name,
                is_own=row.is_own,
                open_alerts=row.open_alerts,
                open_safety=row.open_safety,
                loneliness_score=latest.get("loneliness_score"),
                loneliness_max=latest.get("loneliness_max"),
                level=labels.level_label(
                    latest.get("loneliness_instrument"), latest.get("loneliness_level"), lang
                ),
                contacts=labels.contacts_label(latest.get("isolated"), lang),
                duration=labels.duration_label(latest.get("duration_band"), lang),
                route=labels.coach_route_label(latest.get("route"), lang),
                trend=row.trend,
                last_test=latest.get("created_at"),
            )
        )
    return out


PAGE_SIZE = 50


@dataclass(frozen=True)
class DashboardPage:
    """One page of the dashboard; signals first across all pages (see rows_for_coach)."""

    rows: list[DashboardRow]
    number: int
    page_count: int
    total: int

    @property
    def previous_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next_number(self) -> int | None:
        return self.number + 1 if self.number < self.page_count else None


def page_for_coach(
    coach: User, organisation: Organisation, number: int = 1, per_page: int = PAGE_SIZE
) -> DashboardPage:
    """Page ``number`` (from 1) of the coach's rows. A number past the last page gives an
    empty page (no rows, so no total either), and the caller sends the coach back."""
    number = max(1, number)
    rows, total = _rows(coach, organisation, (number - 1) * per_page, per_page)
    return DashboardPage(rows, number, max(1, -(-total // per_page)), total)


def rows_for_coach(coach: User, organisation: Organisation) -> list[DashboardRow]:
    """Every row, in the dashboard's order."""
    return _rows(coach, organisation, 0, None)[0]


def _rows(
    coach: User, organisation: Organisation, offset: int, limit: int | None
) -> tuple[list[DashboardRow], int]:
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
    safety_sq = (
        Alert.objects.filter(participant=OuterRef("pk"), resolved_at=None, kind=AlertKind.SAFETY)
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
    # Sorted (flags first, then whoever did a test most recently) and paged in the
    # database, so a page builds only its own rows; the total comes along in each row.
    ordered = (
        coach_permissions.participants_for_coach(coach, organisation)
        .annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
            first_id=Subquery(first.values("pk")[:1]),
            measurement_count=Coalesce(Subquery(count_sq, output_field=IntegerField()), 0),
            open_alerts=Coalesce(Subquery(alerts_sq, output_field=IntegerField()), 0),
            open_safety=Coalesce(Subquery(safety_sq, output_field=IntegerField()), 0),
            is_own=Exists(own),
            total=Window(Count("pk")),
        )
        .order_by(
            F("open_safety").desc(),
            F("open_alerts").desc(),
            F("latest_at").desc(nulls_last=True),
            "pk",
        )
    )
    people = list(ordered[offset : offset + limit] if limit is not None else ordered[offset:])
    total = people[0].total if people else 0
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
                open_safety=p.open_safety,
                latest={f: last[f] for f in _LATEST_FIELDS},
                first_scores=(
                    {first_m["loneliness_instrument"]: first_m["loneliness_score"]}
                    if first_m["loneliness_instrument"]
                    else {}
                ),
            )
        )
    return rows, total
