"""Course rules: week unlocking (pauses, coach openings, feedback moments and the coach's
override), the check-in schedule, inactivity, and reminders that are never sent twice."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verbind.core.course import (
    CourseError,
    CourseSettings,
    CourseShape,
    EnrolmentFacts,
    EnrolmentSnapshot,
    FollowUp,
    Pause,
    check_in_schedule,
    course_state,
    due_check_ins,
    due_reminders,
    inactivity,
)
from verbind.core.programme import load_programme, programme_path

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday morning
DAY = timedelta(days=1)
SEC = timedelta(seconds=1)

# A 4-week course: week 1 has a feedback moment "fb1", week 3 has "fb3".
SHAPE = CourseShape(
    week_count=4,
    feedback_moments={1: ("fb1",), 3: ("fb3",)},
    check_in_weeks={
        0: ("djg6", "mood", "djg11"),
        1: ("djg6", "mood"),
        2: ("djg6", "mood"),
        3: ("djg6", "mood"),
        4: ("djg6", "mood", "djg11"),
    },
    follow_ups=(FollowUp("follow_up", 3, ("djg11", "djg6")),),
)
PLAIN = CourseShape(week_count=4)  # no feedback moments
FOLLOW_UP = datetime(2025, 6, 30, 9, tzinfo=UTC)  # 3 months after the 4-week course ends


def at(days, hours=0):
    return T0 + timedelta(days=days, hours=hours)


def facts(**kw):
    return EnrolmentFacts(started_at=T0, **kw)


def opened(state):
    return [(w.number, w.opened_at) for w in state.weeks if w.is_open]


# --- unlocking -----------------------------------------------------------------------------


def test_week_1_opens_at_the_start_and_week_2_seven_days_later():
    s = course_state(PLAIN, facts(), at(7) - SEC)
    assert s.week(1).is_open and s.week(1).reason == "start" and s.week(1).opened_at == T0
    w2 = s.week(2)
    assert not w2.is_open and w2.reason == "scheduled" and w2.opens_at == at(7)
    assert s.week(3).reason == "previous_locked" and s.current_week == 1

    s = course_state(PLAIN, facts(), at(7))
    assert s.week(2).is_open and s.week(2).reason == "schedule" and s.week(2).opened_at == at(7)


def test_weeks_open_every_seven_days_and_the_course_ends_after_the_last_week():
    s = course_state(PLAIN, facts(), at(40))
    assert opened(s) == [(1, T0), (2, at(7)), (3, at(14)), (4, at(21))]
    assert s.ends_at == at(28) and s.finished(at(40)) and not s.finished(at(28) - SEC)


def test_before_the_start_nothing_is_open():
    s = course_state(PLAIN, facts(), T0 - DAY)
    assert s.week(1).reason == "not_started" and s.week(1).opens_at == T0
    assert s.current_week == 0


def test_a_pause_shifts_the_schedule_by_its_length():
    pause = Pause(at(2), at(5))  # 3 days in week 1
    s = course_state(PLAIN, facts(pauses=(pause,)), at(30))
    assert opened(s) == [(1, T0), (2, at(10)), (3, at(17)), (4, at(24))]
    assert s.ends_at == at(31)


def test_a_pause_over_the_scheduled_moment_delays_it_by_the_remaining_pause():
    pause = Pause(at(6), at(9))
    s = course_state(PLAIN, facts(pauses=(pause,)), at(12))
    assert s.week(2).opened_at == at(10)  # 6 active days before, 1 after the pause


def test_while_paused_nothing_opens_however_long_it_lasts():
    f = facts(pauses=(Pause(at(3)),))  # still paused
    s = course_state(PLAIN, f, at(60))
    assert s.paused
    assert opened(s) == [(1, T0)]
    assert s.week(2).reason == "paused" and s.week(2).opens_at is None
    assert s.ends_at is None


def test_a_pause_that_ends_after_now_counts_as_ongoing():
    f = facts(pauses=(Pause(at(3), at(20)),))
    assert course_state(PLAIN, f, at(12)).paused
    assert course_state(PLAIN, f, at(12)).week(2).reason == "paused"
    later = course_state(PLAIN, f, at(25))
    assert not later.paused and later.week(2).opened_at == at(24)


def test_overlapping_pauses_are_not_counted_twice():
    f = facts(pauses=(Pause(at(1), at(4)), Pause(at(3), at(5))))
    assert course_state(PLAIN, f, at(20)).week(2).opened_at == at(11)


def test_coach_opens_a_week_early_and_the_weeks_before_it():
    f = facts(coach_openings={3: at(2)})
    s = course_state(PLAIN, f, at(3))
    assert [(w.number, w.reason) for w in s.weeks if w.is_open] == [
        (1, "start"),
        (2, "coach"),
        (3, "coach"),
    ]
    assert s.week(2).opened_at == s.week(3).opened_at == at(2)
    # The schedule continues from the coach's opening.
    assert s.week(4).opens_at == at(9)


def test_a_coach_opening_in_the_future_does_not_count_yet():
    s = course_state(PLAIN, facts(coach_openings={2: at(5)}), at(4))
    assert not s.week(2).is_open and s.week(2).opens_at == at(7)


def test_a_coach_can_open_a_week_during_a_pause():
    f = facts(pauses=(Pause(at(1)),), coach_openings={2: at(3)})
    s = course_state(PLAIN, f, at(4))
    assert s.week(2).is_open and s.week(2).reason == "coach"
    assert s.week(3).reason == "paused"


def test_feedback_moment_waits_for_the_participant_then_the_coach():
    s = course_state(SHAPE, facts(), at(8))
    assert s.week(2).reason == "waiting_for_submission"
    assert s.week(2).waiting_for == ("fb1",)

    f = facts(submitted={"fb1": at(3)})
    s = course_state(SHAPE, f, at(8))
    assert s.week(2).reason == "waiting_for_coach" and s.week(2).waiting_for == ("fb1",)


def test_week_opens_when_the_coach_responds_after_the_scheduled_moment():
    f = facts(submitted={"fb1": at(3)}, responded={"fb1": at(9, 4)})
    s = course_state(SHAPE, f, at(9, 4))
    assert s.week(2).is_open and s.week(2).opened_at == at(9, 4)
    assert s.week(3).opens_at == at(16, 4)  # the rest of the schedule follows
    assert not course_state(SHAPE, f, at(9, 4) - SEC).week(2).is_open


def test_a_response_before_the_scheduled_moment_does_not_open_early():
    f = facts(submitted={"fb1": at(1)}, responded={"fb1": at(2)})
    s = course_state(SHAPE, f, at(6))
    assert s.week(2).reason == "scheduled" and s.week(2).opens_at == at(7)
    assert course_state(SHAPE, f, at(7)).week(2).opened_at == at(7)


def test_scheduled_week_still_needing_feedback_says_both():
    s = course_state(SHAPE, facts(submitted={"fb1": at(1)}), at(5))
    w2 = s.week(2)
    assert w2.reason == "scheduled" and w2.opens_at == at(7) and w2.waiting_for == ("fb1",)
    assert not course_state(SHAPE, facts(submitted={"fb1": at(1)}), at(7)).week(2).is_open


def test_coach_can_turn_feedback_blocking_off_for_a_participant():
    f = facts(feedback_blocks=False)
    s = course_state(SHAPE, f, at(22))
    assert opened(s) == [(1, T0), (2, at(7)), (3, at(14)), (4, at(21))]


def test_a_coach_opening_overrides_a_pending_feedback_moment():
    s = course_state(SHAPE, facts(coach_openings={2: at(8)}), at(8))
    assert s.week(2).is_open and s.week(2).reason == "coach"


def test_a_response_in_the_future_does_not_count_yet():
    f = facts(submitted={"fb1": at(1)}, responded={"fb1": at(10)})
    assert course_state(SHAPE, f, at(9)).week(2).reason == "waiting_for_coach"


def test_impossible_facts_are_refused_with_a_clear_message():
    with pytest.raises(CourseError, match="before it starts"):
        course_state(PLAIN, facts(pauses=(Pause(at(5), at(4)),)), at(10))
    with pytest.raises(CourseError, match="week 9"):
        course_state(PLAIN, facts(coach_openings={9: at(1)}), at(10))


# --- properties ----------------------------------------------------------------------------

offsets = st.integers(min_value=0, max_value=80 * 24)  # hours after T0


@st.composite
def enrolments(draw):
    pauses = []
    for start, length in draw(st.lists(st.tuples(offsets, st.integers(1, 300)), max_size=3)):
        end = draw(st.one_of(st.none(), st.just(start + length)))
        pauses.append(
            Pause(T0 + timedelta(hours=start), None if end is None else T0 + timedelta(hours=end))
        )
    coach = draw(st.dictionaries(st.integers(1, 4), offsets, max_size=2))
    submitted = draw(st.dictionaries(st.sampled_from(["fb1", "fb3"]), offsets))
    responded = {
        k: v + draw(st.integers(0, 200)) for k, v in submitted.items() if draw(st.booleans())
    }
    return EnrolmentFacts(
        started_at=T0,
        pauses=tuple(pauses),
        coach_openings={k: T0 + timedelta(hours=v) for k, v in coach.items()},
        submitted={k: T0 + timedelta(hours=v) for k, v in submitted.items()},
        responded={k: T0 + timedelta(hours=v) for k, v in responded.items()},
        feedback_blocks=draw(st.booleans()),
    )


@settings(max_examples=200, deadline=None)
@given(enrolments(), offsets, st.integers(0, 40 * 24))
def test_open_weeks_form_a_prefix_in_order_and_stay_open_later(f, now_h, later_h):
    now = T0 + timedelta(hours=now_h)
    s = course_state(SHAPE, f, now)
    flags = [w.is_open for w in s.weeks]
    assert flags == sorted(flags, reverse=True)  # open weeks are 1..k
    times = [w.opened_at for w in s.weeks if w.is_open]
    assert times == sorted(times) and all(t <= now for t in times)
    # Nothing that was open closes, or moves, when time goes on.
    later = course_state(SHAPE, f, now + timedelta(hours=later_h))
    for w in s.weeks:
        if w.is_open:
            assert later.week(w.number).opened_at == w.opened_at


@settings(max_examples=200, deadline=None)
@given(enrolments(), offsets)
def test_without_a_coach_weeks_are_at_least_a_week_of_active_time_apart(f, now_h):
    f = EnrolmentFacts(f.started_at, f.pauses, {}, f.submitted, f.responded, f.feedback_blocks)
    s = course_state(SHAPE, f, T0 + timedelta(hours=now_h))
    times = [w.opened_at for w in s.weeks if w.is_open]
    for a, b in itertools.pairwise(times):
        assert b - a >= timedelta(days=7)


# --- check-ins -----------------------------------------------------------------------------


def test_check_in_schedule_week_0_at_start_then_at_the_end_of_each_week():
    f = facts(feedback_blocks=False)
    slots = {s.key: s for s in check_in_schedule(SHAPE, f, at(15))}
    assert slots["week-0"].due_at == T0 and slots["week-0"].instruments[-1] == "djg11"
    assert slots["week-1"].due_at == at(7)
    assert slots["week-2"].due_at == at(14)
    assert slots["week-3"].due_at == at(21)
    assert [slots[k].status for k in ("week-0", "week-1", "week-2", "week-3", "week-4")] == [
        "missed",
        "missed",
        "due",
        "upcoming",
        "upcoming",
    ]
    # Not known until the last week has opened (feedback or pauses may still shift it).
    assert slots["follow_up"].due_at is None and slots["follow_up"].status == "upcoming"
    # The course ends on 31 March; 3 calendar months on is 30 June (there is no 31 June).
    slots = {s.key: s for s in check_in_schedule(SHAPE, f, at(21))}
    assert at(28) == datetime(2025, 3, 31, 9, tzinfo=UTC)
    assert slots["follow_up"].due_at == FOLLOW_UP


def test_a_week_check_in_is_due_when_the_coach_opens_the_next_week_early():
    f = facts(coach_openings={2: at(3)})
    slot = {s.key: s for s in check_in_schedule(PLAIN_WITH_CHECK_INS, f, at(4))}["week-1"]
    assert slot.due_at == at(3) and slot.status == "due"


PLAIN_WITH_CHECK_INS = CourseShape(
    week_count=4, check_in_weeks=dict.fromkeys(range(0, 5), ("djg6", "mood"))
)


def test_done_check_ins_are_done_and_due_check_ins_lists_only_what_to_ask_now():
    f = facts(feedback_blocks=False)
    due = due_check_ins(SHAPE, f, at(1), completed={"week-0"})
    assert due == ()
    due = due_check_ins(SHAPE, f, at(1))
    assert [s.key for s in due] == ["week-0"]
    slots = check_in_schedule(SHAPE, f, at(8), completed={"week-0", "week-1"})
    assert [s.status for s in slots[:2]] == ["done", "done"]


def test_last_week_check_in_stays_due_until_the_follow_up_which_stays_due():
    f = facts(feedback_blocks=False)
    end = at(28)
    slots = {s.key: s for s in check_in_schedule(SHAPE, f, end + 10 * DAY)}
    assert slots["week-4"].due_at == end and slots["week-4"].status == "due"
    follow = FOLLOW_UP
    slots = {s.key: s for s in check_in_schedule(SHAPE, f, follow + 100 * DAY)}
    assert slots["week-4"].status == "missed"
    assert slots["follow_up"].status == "due"


def test_default_programme_full_set_at_0_4_8_and_follow_up_3_months_after_the_end():
    shape = CourseShape.from_programme(load_programme(programme_path()))
    # Chosen so the course ends on 30 November: the follow-up lands on the last of February.
    start = datetime(2025, 10, 5, 12, tzinfo=UTC)
    f = EnrolmentFacts(started_at=start, feedback_blocks=False)
    slots = check_in_schedule(shape, f, datetime(2026, 3, 1, tzinfo=UTC))
    full = [s.key for s in slots if "djg11" in s.instruments]
    assert full == ["week-0", "week-4", "week-8", "follow_up"]
    assert all({"djg6", "mood"} <= set(s.instruments) for s in slots)
    week8 = next(s for s in slots if s.key == "week-8")
    assert week8.due_at == datetime(2025, 11, 30, 12, tzinfo=UTC)
    follow = next(s for s in slots if s.key == "follow_up")
    assert follow.due_at == datetime(2026, 2, 28, 12, tzinfo=UTC)
    assert follow.status == "due"


# --- inactivity ----------------------------------------------------------------------------


def test_inactive_from_ten_days_of_no_activity():
    f = facts()
    assert not inactivity(f, at(1), at(11) - SEC).inactive
    idle = inactivity(f, at(1), at(11))
    assert idle.inactive and idle.days == 10 and idle.since == at(1)
    assert inactivity(f, None, at(10)).inactive  # never active: counted from the start
    assert not inactivity(f, at(1), at(11), CourseSettings(inactivity_days=14)).inactive


def test_pause_time_is_not_inactivity_and_paused_is_never_inactive():
    f = facts(pauses=(Pause(at(2), at(6)),))
    assert inactivity(f, at(1), at(14)).days == 9
    assert not inactivity(f, at(1), at(14)).inactive
    assert inactivity(f, at(1), at(15)).inactive
    paused = facts(pauses=(Pause(at(2)),))
    assert not inactivity(paused, at(1), at(40)).inactive


def test_no_inactivity_after_the_course_has_ended():
    assert not inactivity(facts(), at(1), at(40), shape=PLAIN).inactive
    assert inactivity(facts(), at(1), at(20), shape=PLAIN).inactive


# --- reminders -----------------------------------------------------------------------------


def snapshot(eid, **kw):
    last = kw.pop("last_activity", None)
    done = kw.pop("done", frozenset())
    return EnrolmentSnapshot(eid, f"p-{eid}", kw.pop("coach", "c1"), facts(**kw), last, done)


def test_reminders_for_opened_week_inactivity_and_waiting_feedback():
    enrolments = [
        # week 2 opened at day 7 (feedback answered); active recently
        snapshot("a", submitted={"fb1": at(1)}, responded={"fb1": at(2)}, last_activity=at(8)),
        # still in week 1, waiting for the coach since day 2, and inactive since then
        snapshot("b", submitted={"fb1": at(2)}, last_activity=at(2)),
        # paused: no week or inactivity reminder, but the coach still owes feedback
        snapshot("c", submitted={"fb1": at(1)}, pauses=(Pause(at(3)),), coach="c2"),
    ]
    got = due_reminders(SHAPE, enrolments, sent_keys=(), now=at(12))
    summary = sorted((r.kind, r.recipient_id) for r in got)
    assert summary == [
        ("feedback_waiting", "c1"),
        ("feedback_waiting", "c2"),
        ("inactive", "p-b"),
        ("week_opened", "p-a"),
    ]
    week = next(r for r in got if r.kind == "week_opened")
    assert week.week == 2 and week.key == "week-opened:a:2"
    coach = next(r for r in got if r.recipient_id == "c1")
    assert coach.enrolment_ids == ("b",)  # a's feedback was answered


def test_running_reminders_twice_sends_nothing_twice():
    enrolments = [
        snapshot("a", submitted={"fb1": at(1)}, responded={"fb1": at(2)}, last_activity=at(8)),
        snapshot("b", submitted={"fb1": at(2)}, last_activity=at(2)),
    ]
    first = due_reminders(SHAPE, enrolments, (), at(12))
    assert first
    sent = [r.key for r in first]
    assert due_reminders(SHAPE, enrolments, sent, at(12)) == []
    # ... and an hour later, with nothing new, still nothing.
    assert due_reminders(SHAPE, enrolments, sent, at(12, 1)) == []


def test_new_events_give_new_reminders_only_for_what_is_new():
    a = snapshot("a", feedback_blocks=False, last_activity=at(13))
    sent = [r.key for r in due_reminders(SHAPE, [a], (), at(13))]
    assert sent == ["week-opened:a:2"]
    got = due_reminders(SHAPE, [a], sent, at(14))
    assert [r.key for r in got] == ["week-opened:a:3"]


def test_inactivity_reminder_once_per_stretch_of_inactivity():
    b = snapshot("b", feedback_blocks=False, last_activity=at(1))
    first = [r for r in due_reminders(SHAPE, [b], (), at(11)) if r.kind == "inactive"]
    assert len(first) == 1
    sent = [r.key for r in due_reminders(SHAPE, [b], (), at(11))]
    assert not [r for r in due_reminders(SHAPE, [b], sent, at(13)) if r.kind == "inactive"]
    # Active again on day 12, then silent for ten more days: a new stretch, a new reminder.
    b2 = snapshot("b", feedback_blocks=False, last_activity=at(12))
    again = [r for r in due_reminders(SHAPE, [b2], sent, at(22)) if r.kind == "inactive"]
    assert len(again) == 1 and again[0].key != first[0].key


def test_coach_reminder_waits_a_day_and_comes_again_only_for_a_new_submission():
    b = snapshot("b", submitted={"fb1": at(2)}, last_activity=at(2))
    assert not [r for r in due_reminders(SHAPE, [b], (), at(3) - SEC) if r.recipient == "coach"]
    first = [r for r in due_reminders(SHAPE, [b], (), at(3)) if r.recipient == "coach"]
    assert len(first) == 1
    sent = [first[0].key]
    # Another participant of the same coach submits: one new reminder, not one per item.
    d = snapshot("d", submitted={"fb1": at(4)}, last_activity=at(4))
    coach = [r for r in due_reminders(SHAPE, [b, d], sent, at(5)) if r.recipient == "coach"]
    assert len(coach) == 1 and coach[0].enrolment_ids == ("b", "d")
    sent.append(coach[0].key)
    assert not [r for r in due_reminders(SHAPE, [b, d], sent, at(6)) if r.recipient == "coach"]


def test_follow_up_reminder_after_the_course():
    e = snapshot("e", feedback_blocks=False, last_activity=at(27))
    follow = FOLLOW_UP
    got = due_reminders(SHAPE, [e], (), follow + DAY)
    assert [r.kind for r in got] == ["follow_up_due"]  # no week or inactivity reminder now
    assert due_reminders(SHAPE, [e], [got[0].key], follow + 2 * DAY) == []
    done = snapshot("e", feedback_blocks=False, last_activity=at(27), done={"follow_up"})
    assert due_reminders(SHAPE, [done], (), follow + DAY) == []


@settings(max_examples=100, deadline=None)
@given(st.lists(enrolments(), min_size=1, max_size=4), st.lists(offsets, min_size=1, max_size=4))
def test_reminders_are_idempotent_whatever_the_facts(all_facts, times):
    snaps = [
        EnrolmentSnapshot(f"e{i}", f"p{i}", f"c{i % 2}", f, f.started_at + DAY)
        for i, f in enumerate(all_facts)
    ]
    sent: list[str] = []
    for h in sorted(times):
        now = T0 + timedelta(hours=h)
        new = due_reminders(SHAPE, snaps, sent, now)
        keys = [r.key for r in new]
        assert len(keys) == len(set(keys)) and not set(keys) & set(sent)
        sent += keys
        assert due_reminders(SHAPE, snaps, sent, now) == []


# --- waiting for feedback from a moment on (a coach joins a course already under way) ----


def test_waiting_from_a_moment_on_never_closes_a_week_that_was_open():
    """Self-guided until day 10 (weeks 1 and 2 open by time; week 1's feedback moment
    was sent, nobody answered it). A coach joins on day 10: week 2 stays open, and from
    then on a feedback moment holds the next week back again."""
    f = facts(
        submitted={"fb1": at(1)},
        feedback_blocks=True,
        feedback_blocks_since=at(10),
    )
    state = course_state(SHAPE, f, at(20))
    assert state.week(2).is_open and state.week(2).reason == "schedule"
    assert state.week(2).opened_at == at(7)
    assert state.week(3).is_open  # week 2 has no feedback moment
    # Week 3's feedback moment was not sent: week 4 (scheduled on day 21) waits.
    later = course_state(SHAPE, f, at(22))
    assert not later.week(4).is_open and later.week(4).reason == "waiting_for_submission"


def test_waiting_from_a_moment_on_holds_back_a_week_not_yet_open_at_that_moment():
    # The coach joined on day 5, before week 2 opened: week 1's moment counts again.
    f = facts(submitted={"fb1": at(1)}, feedback_blocks=True, feedback_blocks_since=at(5))
    state = course_state(SHAPE, f, at(8))
    assert not state.week(2).is_open and state.week(2).reason == "waiting_for_coach"
