"""The coach's course overview: one row per participant in the course.

A fixed number of queries however many participants: enrolments (1), the facts the core
needs (5), check-ins (1), waiting feedback (1).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from verbind.coaching import permissions as coach_permissions
from verbind.core import change
from verbind.course.domain.facts import Situation, situations
from verbind.course.models import AnswerStatus, CheckIn, Enrolment, ExerciseAnswer, Feedback


@dataclass(frozen=True)
class Row:
    situation: Situation
    # The loneliness scores (by instrument) of the first and the latest check-in, and
    # when the first was made: the starting point the trend is measured from.
    first_scores: dict
    last_scores: dict
    open_flags: int
    waiting_feedback: int
    since: datetime | None = None
    scored_check_ins: int = 0

    @property
    def enrolment(self) -> Enrolment:
        return self.situation.enrolment

    @property
    def participant(self):
        return self.enrolment.participant

    @property
    def trend(self) -> str | None:
        """Loneliness since the first check-in (the start check-in), like with like: the
        core's rule, as on the coach dashboard (verbind.core.change.loneliness_trend).
        None with fewer than two check-ins."""
        if self.scored_check_ins < 2:
            return None
        return change.loneliness_trend(self.first_scores, self.last_scores)


def visible_enrolments(coach, organisation):
    visible = coach_permissions.participants_for_coach(coach, organisation)
    return Enrolment.objects.filter(ended_at=None, participant__in=visible).select_related(
        "participant"
    )


RECENTLY_STOPPED_DAYS = 60


def recently_stopped(coach, organisation, now: datetime | None = None) -> list[Enrolment]:
    """Courses of the coach's visible participants that stopped in the last 60 days, newest
    first: so a coach notices when someone stops, and can follow up. One query."""
    now = now or timezone.now()
    visible = coach_permissions.participants_for_coach(coach, organisation)
    return list(
        Enrolment.objects.filter(
            participant__in=visible, ended_at__gte=now - timedelta(days=RECENTLY_STOPPED_DAYS)
        )
        .select_related("participant", "ended_by")
        .order_by("-ended_at", "-pk")
    )


def _loneliness_scores(results: dict) -> dict[str, int]:
    """The loneliness totals a check-in has (a full one the DJG-11 and its DJG-6)."""
    out = {}
    for inst_id in change.LONELINESS_ORDER:
        total = ((results.get(inst_id) or {}).get("scales") or {}).get("total") or {}
        if total.get("value") is not None:
            out[inst_id] = total["value"]
    return out


def rows_for_coach(coach, organisation, now: datetime | None = None) -> list[Row]:
    enrolments = list(visible_enrolments(coach, organisation))
    ids = [e.pk for e in enrolments]
    first: dict[int, tuple[datetime, dict]] = {}
    last: dict[int, dict] = {}
    scored: dict[int, int] = defaultdict(int)
    flags: dict[int, int] = defaultdict(int)
    for enrolment_id, created_at, results, safety, worse, seen in (
        CheckIn.objects.filter(enrolment_id__in=ids)
        .order_by("created_at", "pk")
        .values_list(
            "enrolment_id", "created_at", "results", "safety_flag", "worsening_flag",
            "flags_seen_at",
        )
    ):  # fmt: skip
        scores = _loneliness_scores(results)
        if scores:
            first.setdefault(enrolment_id, (created_at, scores))
            last[enrolment_id] = scores
            scored[enrolment_id] += 1
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
            first.get(s.enrolment.pk, (None, {}))[1],
            last.get(s.enrolment.pk, {}),
            flags[s.enrolment.pk],
            waiting.get(s.enrolment.pk, 0),
            since=first.get(s.enrolment.pk, (None, {}))[0],
            scored_check_ins=scored[s.enrolment.pk],
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
