"""Stored facts -> the core's plain data, and the core's verdicts back.

Every course rule (weeks, check-ins, inactivity, reminders) is ``verbind.core.course``'s;
this module only gathers what those rules take. Bulk helpers read many enrolments with a
fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from verbind.core import course as core
from verbind.course.domain.programmes import get_programme, get_shape
from verbind.course.models import CheckIn, Enrolment, ExerciseAnswer, Feedback, Pause, WeekOpening


@dataclass(frozen=True)
class Situation:
    """An enrolment with the core's view of it at ``now``."""

    enrolment: Enrolment
    facts: core.EnrolmentFacts
    state: core.CourseState
    check_ins: tuple[core.CheckInSlot, ...]
    inactivity: core.Inactivity
    now: datetime

    @property
    def programme(self):
        return get_programme(self.enrolment.programme)

    @property
    def due_check_ins(self) -> tuple[core.CheckInSlot, ...]:
        return tuple(s for s in self.check_ins if s.status == "due")

    def week_open(self, number: int) -> bool:
        return 1 <= number <= len(self.state.weeks) and self.state.week(number).is_open


def _facts(enrolment: Enrolment, pauses, openings, answers, responded) -> core.EnrolmentFacts:
    return core.EnrolmentFacts(
        started_at=enrolment.started_at,
        pauses=tuple(core.Pause(p.started_at, p.ended_at) for p in pauses),
        coach_openings={o.week: o.opened_at for o in openings},
        submitted={a.exercise_id: a.submitted_at for a in answers if a.submitted_at},
        responded={
            a.exercise_id: responded[a.pk] for a in answers if a.pk in responded and a.submitted_at
        },
        feedback_blocks=enrolment.feedback_blocks,
        feedback_blocks_since=enrolment.feedback_blocks_since,
    )


def situations(enrolments: Iterable[Enrolment], now: datetime | None = None) -> list[Situation]:
    """The core's view of many enrolments in five queries, however many there are."""
    now = now or timezone.now()
    enrolments = list(enrolments)
    ids = [e.pk for e in enrolments]
    pauses, openings, answers, done = (defaultdict(list) for _ in range(4))
    for p in Pause.objects.filter(enrolment_id__in=ids).order_by("started_at"):
        pauses[p.enrolment_id].append(p)
    for o in WeekOpening.objects.filter(enrolment_id__in=ids):
        openings[o.enrolment_id].append(o)
    for a in ExerciseAnswer.objects.filter(enrolment_id__in=ids).only(
        "pk", "enrolment_id", "exercise_id", "submitted_at"
    ):
        answers[a.enrolment_id].append(a)
    # The first response to an answer is when the coach "responded" (a feedback moment).
    responded: dict[int, datetime] = {}
    for answer_id, created in (
        Feedback.objects.filter(answer__enrolment_id__in=ids)
        .order_by("created_at")
        .values_list("answer_id", "created_at")
    ):
        responded.setdefault(answer_id, created)
    for enrolment_id, key in CheckIn.objects.filter(enrolment_id__in=ids).values_list(
        "enrolment_id", "key"
    ):
        done[enrolment_id].append(key)
    out = []
    for e in enrolments:
        shape = get_shape(e.programme)
        facts = _facts(e, pauses[e.pk], openings[e.pk], answers[e.pk], responded)
        state = core.course_state(shape, facts, now)
        slots = core.check_in_schedule(shape, facts, now, frozenset(done[e.pk]), state=state)
        idle = core.inactivity(facts, e.last_activity_at, now, state=state)
        out.append(Situation(e, facts, state, slots, idle, now))
    return out


def situation(enrolment: Enrolment, now: datetime | None = None) -> Situation:
    return situations([enrolment], now)[0]


def snapshot(s: Situation, coach_id: int | None) -> core.EnrolmentSnapshot:
    return core.EnrolmentSnapshot(
        enrolment_id=str(s.enrolment.pk),
        participant_id=str(s.enrolment.participant_id),
        coach_id=str(coach_id) if coach_id is not None else None,
        facts=s.facts,
        last_activity=s.enrolment.last_activity_at,
        completed_check_ins=frozenset(c.key for c in s.check_ins if c.status == "done"),
    )
