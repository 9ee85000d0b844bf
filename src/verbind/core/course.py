"""Course rules as pure functions of plain data: which week is open, which check-in is due,
who is inactive, and which reminders are due.

Everything here is computed from facts the web app stores (when the enrolment started,
pauses, weeks the coach opened, when exercises were submitted and answered, what was
already sent) and a moment ``now``; nothing is read from a clock or a database, so the
same facts always give the same answer. Rules (documented in ``docs/course.md``):

- Week 1 opens when the enrolment starts. Week n+1 opens one week (``week_length``) of
  *active* time after week n opened: time spent paused does not count, so a pause shifts
  the rest of the schedule by its length. Nothing opens by itself while paused.
- A coach can open a week earlier; that also opens the weeks before it. A coach's opening
  always wins (it is a deliberate act), even during a pause or while feedback is pending.
- A feedback-moment exercise of week n keeps week n+1 closed until the coach has responded
  (which needs the participant to have submitted it), unless the coach has turned feedback
  blocking off for this participant. When the response comes after the scheduled moment,
  the week opens at the response, and later weeks follow from there. Waiting that is
  turned on later (a coach joins) never closes a week whose scheduled moment came first.
- Check-ins: week 0 is due at enrolment; week n is due at the end of week n (one week of
  active time after it opened, or when week n+1 opened, whichever is first); a follow-up
  is due a number of calendar months after the course ends (end of the last week).
  A week's check-in counts as missed once the next check-in is due; follow-ups stay due.
- Inactive: no activity for ``inactivity_days`` of active time (pauses don't count); never
  while paused or after the course has ended.
- Reminders carry a stable key; given the keys already sent, the same facts never yield a
  reminder twice.

Use timezone-aware datetimes (UTC) throughout. Pure Python: no Django imports.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # only for the convenience constructor; the rules take plain data
    from verbind.core.programme import Programme


class CourseError(ValueError):
    """Facts that cannot describe a real enrolment (a pause ending before it starts...)."""


@dataclass(frozen=True)
class CourseSettings:
    week_length: timedelta = timedelta(days=7)
    # "inactive for 10 days or more"; a setting so an organisation can change it.
    inactivity_days: int = 10
    # A submission waits this long before its coach gets a reminder (not a notification on
    # every submission).
    coach_reminder_after: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class Pause:
    start: datetime
    end: datetime | None = None  # None: still paused


@dataclass(frozen=True)
class FollowUp:
    key: str
    months_after_end: int
    instruments: tuple[str, ...]


@dataclass(frozen=True)
class CourseShape:
    """What the rules need to know about a programme, as plain data."""

    week_count: int
    # week number -> ids of its feedback-moment exercises
    feedback_moments: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    # week number (0 = at enrolment .. week_count) -> instruments of that check-in
    check_in_weeks: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    follow_ups: tuple[FollowUp, ...] = ()

    @classmethod
    def from_programme(cls, programme: Programme) -> CourseShape:
        weeks = {
            n: programme.check_in_instruments(n)
            for n in range(0, programme.week_count + 1)
            if programme.check_in_instruments(n)
        }
        return cls(
            week_count=programme.week_count,
            feedback_moments={n: ids for n, ids in programme.feedback_moments().items() if ids},
            check_in_weeks=weeks,
            follow_ups=tuple(
                FollowUp(m.id, int(m.months_after_end or 0), m.instruments)
                for m in programme.follow_ups()
            ),
        )


@dataclass(frozen=True)
class EnrolmentFacts:
    """What happened in one enrolment, as the web app stores it."""

    started_at: datetime
    pauses: tuple[Pause, ...] = ()
    # week number -> when the coach opened it
    coach_openings: Mapping[int, datetime] = field(default_factory=dict)
    # exercise id -> when the participant submitted it / when the coach responded
    submitted: Mapping[str, datetime] = field(default_factory=dict)
    responded: Mapping[str, datetime] = field(default_factory=dict)
    # The coach can turn feedback blocking off for this participant.
    feedback_blocks: bool = True
    # Waiting for feedback was (re)started at this moment (a coach joined a course that
    # ran without one, or turned waiting on again): a week whose scheduled moment came
    # before it opened without waiting, so it stays open. None: from the start.
    feedback_blocks_since: datetime | None = None


OpenReason = Literal["start", "schedule", "coach"]
LockedReason = Literal[
    "not_started",
    "previous_locked",
    "paused",
    "scheduled",
    "waiting_for_submission",
    "waiting_for_coach",
]


@dataclass(frozen=True)
class WeekState:
    number: int
    is_open: bool
    # Open: how it opened ("start", "schedule", "coach"). Locked: why it is still closed
    # ("not_started", "previous_locked", "paused", "scheduled", "waiting_for_submission",
    # "waiting_for_coach").
    reason: str
    opened_at: datetime | None = None
    # Locked until a known moment ("scheduled", "not_started"). If ``waiting_for`` is not
    # empty too, the week opens then only if the feedback is complete by that moment.
    opens_at: datetime | None = None
    # Feedback-moment exercises of the previous week that still hold this week back.
    waiting_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class CourseState:
    weeks: tuple[WeekState, ...]
    paused: bool
    # End of the last week (one week of active time after it opened); None until known.
    ends_at: datetime | None

    @property
    def current_week(self) -> int:
        """The highest open week (0 before the course has started)."""
        return max((w.number for w in self.weeks if w.is_open), default=0)

    def week(self, number: int) -> WeekState:
        return self.weeks[number - 1]

    def finished(self, now: datetime) -> bool:
        return self.ends_at is not None and self.ends_at <= now


# --- active time: wall-clock time minus pauses ----------------------------------------------


def _pauses_as_of(pauses: Iterable[Pause], now: datetime) -> list[tuple[datetime, datetime | None]]:
    """Pauses known at ``now``, sorted and merged; one still running at ``now`` is open-ended."""
    spans: list[tuple[datetime, datetime | None]] = []
    for p in pauses:
        if p.end is not None and p.end < p.start:
            raise CourseError(f"a pause cannot end ({p.end}) before it starts ({p.start})")
        if p.start > now:
            continue
        spans.append((p.start, p.end if p.end is not None and p.end <= now else None))
    spans.sort(key=lambda s: s[0])
    merged: list[tuple[datetime, datetime | None]] = []
    for start, end in spans:
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None or start <= last_end:
                new_end = None if last_end is None or end is None else max(last_end, end)
                merged[-1] = (last_start, new_end)
                continue
        merged.append((start, end))
    return merged


def _advance(t: datetime, active: timedelta, pauses: list[tuple[datetime, datetime | None]]):
    """The wall-clock moment when ``active`` time has passed after ``t``, skipping pauses.

    None when a pause that has not ended yet comes first.
    """
    remaining = active
    for start, end in pauses:
        if end is not None and end <= t:
            continue
        if start <= t:  # t lies inside this pause
            if end is None:
                return None
            t = end
            continue
        if t + remaining < start:
            return t + remaining
        remaining -= start - t
        if end is None:
            return None
        t = end
    return t + remaining


def _out_of_pause(t: datetime, pauses: list[tuple[datetime, datetime | None]]):
    """``t``, or the end of the pause it falls in (None if that pause is still running)."""
    for start, end in pauses:
        if start <= t and (end is None or t < end):
            if end is None:
                return None
            t = end
    return t


def _active_between(a: datetime, b: datetime, pauses: list[tuple[datetime, datetime | None]]):
    """Active time from ``a`` to ``b`` (pauses subtracted)."""
    if b <= a:
        return timedelta(0)
    total = b - a
    for start, end in pauses:
        lo = max(a, start)
        hi = min(b, end if end is not None else b)
        if hi > lo:
            total -= hi - lo
    return total


# --- weeks ---------------------------------------------------------------------------------


def _validate(shape: CourseShape, facts: EnrolmentFacts) -> None:
    if shape.week_count < 1:
        raise CourseError(f"a course needs at least one week, got {shape.week_count}")
    for n in facts.coach_openings:
        if not isinstance(n, int) or not 1 <= n <= shape.week_count:
            raise CourseError(
                f"the coach opened week {n!r}, but the course has weeks 1-{shape.week_count}"
            )


def course_state(
    shape: CourseShape,
    facts: EnrolmentFacts,
    now: datetime,
    settings: CourseSettings | None = None,
) -> CourseState:
    """The state of every week at ``now``, each with the reason it is open or closed."""
    settings = settings or CourseSettings()
    _validate(shape, facts)
    pauses = _pauses_as_of(facts.pauses, now)
    paused_now = bool(pauses) and pauses[-1][1] is None
    coach = {n: t for n, t in facts.coach_openings.items() if t <= now}

    states: list[WeekState] = []
    prev_opened: datetime | None = None
    for n in range(1, shape.week_count + 1):
        # Opening week k by hand opens every week before it too.
        by_coach = min((t for k, t in coach.items() if k >= n), default=None)
        waiting: tuple[str, ...] = ()
        locked_reason = ""
        if n == 1:
            if facts.started_at > now:
                candidate, locked_reason = None, "not_started"
            else:
                candidate = _out_of_pause(facts.started_at, pauses)
                locked_reason = "paused"
        elif prev_opened is None:
            candidate, locked_reason = None, "previous_locked"
        else:
            scheduled = _advance(prev_opened, settings.week_length, pauses)
            gate, waiting, feedback_reason = _feedback_gate(shape, facts, n - 1, now)
            since = facts.feedback_blocks_since
            if since is not None and scheduled is not None and scheduled <= since:
                gate, waiting = None, ()  # it opened before waiting (re)started
            if scheduled is None:
                candidate, locked_reason = None, "paused"
            elif scheduled > now:
                candidate, locked_reason = scheduled, "scheduled"
            elif waiting:
                candidate, locked_reason = None, feedback_reason
            else:
                candidate = _out_of_pause(max(scheduled, gate or scheduled), pauses)
                locked_reason = "paused"

        natural = candidate if candidate is not None and candidate <= now and not waiting else None
        if by_coach is not None and (natural is None or by_coach < natural):
            states.append(WeekState(n, True, "coach", opened_at=by_coach))
            prev_opened = by_coach
        elif natural is not None:
            states.append(WeekState(n, True, "start" if n == 1 else "schedule", opened_at=natural))
            prev_opened = natural
        else:
            opens_at = candidate if locked_reason in ("scheduled", "not_started") else None
            if locked_reason == "not_started":
                opens_at = facts.started_at
            states.append(
                WeekState(n, False, locked_reason, opens_at=opens_at, waiting_for=waiting)
            )
            prev_opened = None

    last = states[-1]
    ends_at = _advance(last.opened_at, settings.week_length, pauses) if last.opened_at else None
    return CourseState(tuple(states), paused_now, ends_at)


def _feedback_gate(
    shape: CourseShape, facts: EnrolmentFacts, week: int, now: datetime
) -> tuple[datetime | None, tuple[str, ...], str]:
    """(moment the feedback of ``week`` was complete, exercises still waiting, reason)."""
    moments = shape.feedback_moments.get(week, ())
    if not facts.feedback_blocks or not moments:
        return None, (), ""
    waiting: list[str] = []
    not_submitted = False
    done_at: list[datetime] = []
    for eid in moments:
        submitted = facts.submitted.get(eid)
        responded = facts.responded.get(eid)
        if responded is not None and responded <= now:
            done_at.append(responded)
            continue
        waiting.append(eid)
        if submitted is None or submitted > now:
            not_submitted = True
    if waiting:
        reason = "waiting_for_submission" if not_submitted else "waiting_for_coach"
        return None, tuple(waiting), reason
    return max(done_at), (), ""


# --- check-ins -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInSlot:
    key: str  # "week-0" ... "week-8", or the follow-up's id
    week: int | None  # None for a follow-up
    instruments: tuple[str, ...]
    due_at: datetime | None  # None: not known yet
    closes_at: datetime | None  # missed from then on; None: stays due until done
    status: Literal["upcoming", "due", "done", "missed"]


def week_check_in_key(week: int) -> str:
    return f"week-{week}"


def check_in_schedule(
    shape: CourseShape,
    facts: EnrolmentFacts,
    now: datetime,
    completed: Collection[str] = (),
    settings: CourseSettings | None = None,
    state: CourseState | None = None,
) -> tuple[CheckInSlot, ...]:
    """Every check-in of the enrolment with its due moment and status at ``now``.

    ``completed`` holds the keys of check-ins already done (``week-0``, ``follow_up``...).
    """
    settings = settings or CourseSettings()
    state = state or course_state(shape, facts, now, settings)
    pauses = _pauses_as_of(facts.pauses, now)

    def week_due(n: int) -> datetime | None:
        if n == 0:
            return facts.started_at
        w = state.week(n)
        if not w.is_open or w.opened_at is None:
            return None
        candidates = [_advance(w.opened_at, settings.week_length, pauses)]
        if n < shape.week_count and state.week(n + 1).is_open:
            candidates.append(state.week(n + 1).opened_at)
        known = [c for c in candidates if c is not None]
        return min(known) if known else None

    weeks = sorted(shape.check_in_weeks)
    week_dues = [week_due(n) for n in weeks]
    follow_dues = [
        _add_months(state.ends_at, f.months_after_end) if state.ends_at else None
        for f in shape.follow_ups
    ]

    def status(key: str, due: datetime | None, closes: datetime | None) -> str:
        if key in completed:
            return "done"
        if due is None or due > now:
            return "upcoming"
        if closes is not None and closes <= now:
            return "missed"
        return "due"

    slots: list[CheckInSlot] = []
    for i, n in enumerate(weeks):
        # A week's check-in closes when the next one is due; the last one when a follow-up is.
        if i + 1 < len(weeks):
            closes = week_dues[i + 1]
        else:
            closes = min((d for d in follow_dues if d is not None), default=None)
        key = week_check_in_key(n)
        slots.append(
            CheckInSlot(
                key,
                n,
                shape.check_in_weeks[n],
                week_dues[i],
                closes,
                status(key, week_dues[i], closes),  # type: ignore[arg-type]
            )
        )
    for f, due in zip(shape.follow_ups, follow_dues, strict=True):
        slots.append(
            CheckInSlot(f.key, None, f.instruments, due, None, status(f.key, due, None))  # type: ignore[arg-type]
        )
    return tuple(slots)


def due_check_ins(
    shape: CourseShape,
    facts: EnrolmentFacts,
    now: datetime,
    completed: Collection[str] = (),
    settings: CourseSettings | None = None,
) -> tuple[CheckInSlot, ...]:
    """The check-ins to ask for now."""
    return tuple(
        s for s in check_in_schedule(shape, facts, now, completed, settings) if s.status == "due"
    )


def _add_months(t: datetime, months: int) -> datetime:
    """Calendar months later; the 31st becomes the last day of a shorter month."""
    month0 = t.month - 1 + months
    year, month = t.year + month0 // 12, month0 % 12 + 1
    day = min(t.day, calendar.monthrange(year, month)[1])
    return t.replace(year=year, month=month, day=day)


# --- inactivity ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Inactivity:
    inactive: bool
    since: datetime  # last activity (or the start, or the end of the last pause)
    days: int  # whole days of active time since then


def inactivity(
    facts: EnrolmentFacts,
    last_activity: datetime | None,
    now: datetime,
    settings: CourseSettings | None = None,
    state: CourseState | None = None,
    shape: CourseShape | None = None,
) -> Inactivity:
    """Whether the participant has done nothing for ``inactivity_days`` of active time.

    Paused participants are never inactive, and neither is anyone after the course ended
    (pass ``state`` or ``shape`` so the end is known).
    """
    settings = settings or CourseSettings()
    pauses = _pauses_as_of(facts.pauses, now)
    since = max(last_activity or facts.started_at, facts.started_at)
    days = _active_between(since, now, pauses) // timedelta(days=1)
    if state is None and shape is not None:
        state = course_state(shape, facts, now, settings)
    paused = bool(pauses) and pauses[-1][1] is None
    ended = state is not None and state.finished(now)
    return Inactivity(
        inactive=not paused and not ended and days >= settings.inactivity_days,
        since=since,
        days=days,
    )


# --- reminders -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrolmentSnapshot:
    """One enrolment as the reminder command sees it."""

    enrolment_id: str
    participant_id: str
    coach_id: str | None
    facts: EnrolmentFacts
    last_activity: datetime | None = None
    completed_check_ins: frozenset[str] = frozenset()


ReminderKind = Literal["week_opened", "inactive", "follow_up_due", "feedback_waiting"]


@dataclass(frozen=True)
class Reminder:
    """A reminder to send. ``key`` is stable: store it once sent, and pass it back next time.

    Emails carry no personal content, only a link; ``enrolment_ids`` and ``week`` are for
    building that link, not for the message text.
    """

    key: str
    kind: ReminderKind
    recipient: Literal["participant", "coach"]
    recipient_id: str
    enrolment_ids: tuple[str, ...]
    week: int | None = None


def due_reminders(
    shape: CourseShape,
    enrolments: Iterable[EnrolmentSnapshot],
    sent_keys: Collection[str],
    now: datetime,
    settings: CourseSettings | None = None,
) -> list[Reminder]:
    """Reminders to send now that were not sent before (by key). Sorted, each key once.

    - participant whose current week (2 or later) has opened: once per week;
    - participant inactive for ``inactivity_days``: once per stretch of inactivity;
    - participant whose follow-up check-in is due: once per follow-up;
    - coach with submissions waiting ``coach_reminder_after`` for a response: once per
      newly waiting submission (the newest one names the reminder), not once per item.
    """
    settings = settings or CourseSettings()
    sent = set(sent_keys)
    out: dict[str, Reminder] = {}
    waiting_by_coach: dict[str, list[tuple[datetime, str, str]]] = {}

    def add(r: Reminder) -> None:
        if r.key not in sent and r.key not in out:
            out[r.key] = r

    for e in enrolments:
        state = course_state(shape, e.facts, now, settings)
        who = ("participant", e.participant_id, (e.enrolment_id,))
        if not state.paused and not state.finished(now):
            current = state.current_week
            if current >= 2:
                add(
                    Reminder(
                        f"week-opened:{e.enrolment_id}:{current}", "week_opened", *who, week=current
                    )
                )
            idle = inactivity(e.facts, e.last_activity, now, settings, state=state)
            if idle.inactive:
                add(
                    Reminder(
                        f"inactive:{e.enrolment_id}:{idle.since.isoformat()}",
                        "inactive",
                        *who,
                        week=current,
                    )
                )
        for slot in check_in_schedule(shape, e.facts, now, e.completed_check_ins, settings, state):
            if slot.week is None and slot.status == "due":
                add(Reminder(f"follow-up-due:{e.enrolment_id}:{slot.key}", "follow_up_due", *who))

        if e.coach_id is not None:
            for eid, submitted in e.facts.submitted.items():
                responded = e.facts.responded.get(eid)
                answered = responded is not None and submitted <= responded <= now
                if not answered and submitted + settings.coach_reminder_after <= now:
                    waiting_by_coach.setdefault(e.coach_id, []).append(
                        (submitted, e.enrolment_id, eid)
                    )

    for coach_id, items in waiting_by_coach.items():
        newest = max(items)
        key = f"feedback-waiting:{coach_id}:{newest[1]}:{newest[2]}:{newest[0].isoformat()}"
        enrolment_ids = tuple(sorted({i[1] for i in items}))
        add(Reminder(key, "feedback_waiting", "coach", coach_id, enrolment_ids))

    return sorted(out.values(), key=lambda r: (r.recipient, r.recipient_id, r.kind, r.key))
