"""The coach's course overview: one row per participant in the course.

A fixed number of queries however many participants: enrolments (1), the facts the core
needs (5), check-ins (1), waiting feedback (1).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from verbind.accounts import permissions
from verbind.core import change
from verbind.course.domain.facts import Situation, situations
from verbind.course.models import AnswerStatus, CheckIn, Enrolment, ExerciseAnswer, Feedback


@dataclass(frozen=True)
class Row:
    situation: Situation
    first_fraction: Fraction | None
    last_fraction: Fraction | None
    open_flags: int
    waiting_feedback: int

    @property
    def enrolment(self) -> Enrolment:
        return self.situation.enrolment

    @property
    def participant(self):
        return self.enrolment.participant

    @property
    def trend(self) -> str | None:
        """Loneliness since the first check-in: the core's better / worse / same."""
        return change.trend(self.first_fraction, self.last_fraction)


def visible_enrolments(coach, organisation):
    visible = permissions.participants_for_coach(coach, organisation)
    return Enrolment.objects.filter(ended_at=None, participant__in=visible).select_related(
        "participant"
    )


RECENTLY_STOPPED_DAYS = 60


def recently_stopped(coach, organisation, now: datetime | None = None) -> list[Enrolment]:
    """Courses of the coach's visible participants that stopped in the last 60 days, newest
    first: so a coach notices when someone stops, and can follow up. One query."""
    now = now or timezone.now()
    visible = permissions.participants_for_coach(coach, organisation)
    return list(
        Enrolment.objects.filter(
            participant__in=visible, ended_at__gte=now - timedelta(days=RECENTLY_STOPPED_DAYS)
        )
        .select_related("participant", "ended_by")
        .order_by("-ended_at", "-pk")
    )


def rows_for_coach(coach, organisation, now: datetime | None = None) -> list[Row]:
    enrolments = list(visible_enrolments(coach, organisation))
    ids = [e.pk for e in enrolments]
    fractions: dict[int, list[Fraction]] = defaultdict(list)
    flags: dict[int, int] = defaultdict(int)
    for enrolment_id, instrument, score, safety, worse, seen in (
        CheckIn.objects.filter(enrolment_id__in=ids)
        .order_by("created_at", "pk")
        .values_list(
            "enrolment_id",
            "loneliness_instrument",
            "loneliness_score",
            "safety_flag",
            "worsening_flag",
            "flags_seen_at",
        )
    ):
        if score is not None and instrument:
            fractions[enrolment_id].append(change.loneliness_share(instrument, score))
        if (safety or worse) and seen is None:
            flags[enrolment_id] += 1
    waiting = dict(
        ExerciseAnswer.objects.filter(enrolment_id__in=ids, status=AnswerStatus.SUBMITTED)
        .exclude(Exists(Feedback.objects.filter(answer=OuterRef("pk"))))
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    rows = [
        Row(
            s,
            fractions[s.enrolment.pk][0] if fractions[s.enrolment.pk] else None,
            fractions[s.enrolment.pk][-1] if fractions[s.enrolment.pk] else None,
            flags[s.enrolment.pk],
            waiting.get(s.enrolment.pk, 0),
        )
        for s in situations(enrolments, now)
    ]
    # Flags first, then who has been quiet longest, then who waits for feedback.
    rows.sort(
        key=lambda r: (
            -r.open_flags,
            not r.situation.inactivity.inactive,
            -r.waiting_feedback,
            r.participant.pk,
        )
    )
    return rows
