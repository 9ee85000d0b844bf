"""Course services against a real database: enrolment by route, answers, photos,
feedback, check-ins scored by the core, and the week rules as the core applies them."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from PIL import Image
from test_course_support import (
    NOT_WILLING_ANSWERS,
    PERSISTENT_ANSWERS,
    at,
    enrolled_fixture,  # noqa: F401 - the "enrolled" fixture
    full_answers,
    measured,
    week1_ids,
    weekly_answers,
)

from verbind.coaching.domain.assignments import assign_coach, withdraw_access
from verbind.coaching.domain.organisation_admin import deactivate_coach
from verbind.core.battery import AnswerError as BatteryAnswerError
from verbind.course.domain import answers, checkins, feedback
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.domain.facts import situation
from verbind.course.markdown import render
from verbind.course.models import CheckIn, Enrolment


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English here; Dutch (the default) is checked on the pages."""
    with translation.override("en"):
        yield


def png(size=(20, 20)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buf, "PNG")
    return buf.getvalue()


# --- enrolment follows the core's route ------------------------------------------------


def test_route_course_lets_the_participant_enrol(people):
    measured(people.participant)
    assert enrolment_domain.eligibility(people.participant).status == "offered"
    e = enrolment_domain.enrol(people.participant, now=at(0))
    assert e.route_at_enrolment == "course" and e.enrolled_by is None
    with pytest.raises(enrolment_domain.EnrolmentError, match="already"):
        enrolment_domain.enrol(people.participant, now=at(1))


def test_persistent_loneliness_needs_the_coach(people):
    measured(people.participant, PERSISTENT_ANSWERS)
    assert enrolment_domain.eligibility(people.participant).status == "needs_coach"
    with pytest.raises(enrolment_domain.EnrolmentError, match="coach"):
        enrolment_domain.enrol(people.participant)
    e = enrolment_domain.enrol(people.participant, by=people.coach)
    assert e.enrolled_by == people.coach and e.reason == ""


def test_other_route_only_by_a_coach_with_a_reason(people):
    measured(people.participant, NOT_WILLING_ANSWERS)
    who = enrolment_domain.eligibility(people.participant)
    assert who.status == "other_route" and who.route != "course"
    with pytest.raises(enrolment_domain.EnrolmentError):
        enrolment_domain.enrol(people.participant)
    with pytest.raises(enrolment_domain.EnrolmentError, match="why"):
        enrolment_domain.enrol(people.participant, by=people.coach, reason="   ")
    e = enrolment_domain.enrol(people.participant, by=people.coach, reason="Wants it after all")
    assert e.reason == "Wants it after all"


def test_no_measurement_means_no_self_enrolment(people):
    user = people.foreign_coach  # has no measurement at all
    assert enrolment_domain.eligibility(user).status == "no_measurement"
    with pytest.raises(enrolment_domain.EnrolmentError):
        enrolment_domain.enrol(user)


# --- weeks open by the core's rules, from stored facts ----------------------------------


def test_week_two_waits_for_the_feedback_moment(enrolled, people):
    first = week1_ids()[0]  # w1-where-i-stand is a feedback moment
    s = situation(enrolled, at(3))
    assert s.state.current_week == 1 and s.state.week(2).reason == "scheduled"
    assert situation(enrolled, at(8)).state.week(2).reason == "waiting_for_submission"
    answers.submit(enrolled, first, "Ik voel me vaak alleen.", now=at(5))
    assert situation(enrolled, at(8)).state.week(2).reason == "waiting_for_coach"
    a = enrolled.answers.get(exercise_id=first)
    feedback.give_feedback(a, people.coach, "Dank je, mooi geschreven.", now=at(9))
    s = situation(enrolled, at(9, hours=1))
    assert s.state.week(2).is_open and s.state.week(2).opened_at == at(9)


def test_without_a_coach_the_course_stops_waiting_for_feedback(enrolled, people):
    """A deactivated coach can't respond: week 2 must not wait for them for ever."""
    answers.submit(enrolled, week1_ids()[0], "Ik voel me vaak alleen.", now=at(5))
    assert situation(enrolled, at(8)).state.week(2).reason == "waiting_for_coach"
    membership = people.coach.memberships.get(organisation=people.org)
    deactivate_coach(membership)
    enrolled.refresh_from_db()
    assert enrolled.feedback_blocks is False
    assert situation(enrolled, at(8)).state.week(2).is_open
    # A new coach does not close the week again; they can turn waiting back on.
    assign_coach(participant=people.participant, coach=people.other_coach, organisation=people.org)
    enrolled.refresh_from_db()
    assert situation(enrolled, at(8)).state.week(2).is_open


def test_withdrawing_the_last_coach_also_ends_the_waiting(enrolled, people):
    answers.submit(enrolled, week1_ids()[0], "Ik voel me vaak alleen.", now=at(5))
    withdraw_access(people.assignment)
    enrolled.refresh_from_db()
    assert situation(enrolled, at(8)).state.week(2).is_open


def test_while_a_coach_is_left_the_course_still_waits(enrolled, people):
    second = assign_coach(
        participant=people.participant, coach=people.other_coach, organisation=people.org
    )
    answers.submit(enrolled, week1_ids()[0], "Ik voel me vaak alleen.", now=at(5))
    withdraw_access(people.assignment)  # the other coach is still there
    enrolled.refresh_from_db()
    assert enrolled.feedback_blocks is True
    assert situation(enrolled, at(8)).state.week(2).reason == "waiting_for_coach"
    assert second.active


def test_coach_can_turn_blocking_off_and_open_early(enrolled, people):
    enrolment_domain.set_feedback_blocking(enrolled, False)
    assert situation(enrolled, at(7, hours=1)).state.week(2).is_open
    enrolment_domain.open_week(enrolled, 4, people.coach, now=at(8))
    s = situation(enrolled, at(8, hours=1))
    assert s.state.week(4).reason == "coach" and s.state.week(3).is_open
    with pytest.raises(enrolment_domain.EnrolmentError):
        enrolment_domain.open_week(enrolled, 9, people.coach)


def test_pause_holds_the_schedule(enrolled):
    enrolment_domain.set_feedback_blocking(enrolled, False)
    enrolment_domain.pause(enrolled, now=at(2))
    with pytest.raises(enrolment_domain.EnrolmentError):
        enrolment_domain.pause(enrolled, now=at(3))
    assert situation(enrolled, at(10)).state.paused
    assert not situation(enrolled, at(10)).state.week(2).is_open
    enrolment_domain.resume(enrolled, now=at(5))
    # 3 days paused: week 2 opens at day 10 instead of day 7.
    assert not situation(enrolled, at(9, hours=23)).state.week(2).is_open
    assert situation(enrolled, at(10)).state.week(2).is_open
    with pytest.raises(enrolment_domain.EnrolmentError):
        enrolment_domain.resume(enrolled, now=at(11))


# --- answers ---------------------------------------------------------------------------


def test_drafts_are_saved_and_submission_is_final(enrolled):
    eid = week1_ids()[2]
    answers.save_draft(enrolled, eid, "Eerste zin", now=at(1))
    a = answers.save_draft(enrolled, eid, "Eerste zin\r\nTweede zin", now=at(1, 1))
    assert a.text == "Eerste zin\nTweede zin" and a.status == "draft"
    with pytest.raises(answers.AnswerError) as err:
        answers.submit(enrolled, eid, "   ", now=at(1, 2))
    assert err.value.code == "empty"
    answers.submit(enrolled, eid, "Klaar", now=at(1, 3))
    # A late autosave of the same text is harmless; a change is refused with a message.
    assert answers.save_draft(enrolled, eid, "Klaar", now=at(1, 4)).status == "submitted"
    with pytest.raises(answers.AnswerError) as err:
        answers.save_draft(enrolled, eid, "Toch anders", now=at(1, 5))
    assert err.value.code == "submitted"
    assert enrolled.answers.get(exercise_id=eid).text == "Klaar"


def test_answers_are_refused_for_locked_weeks_long_texts_and_unknown_exercises(enrolled):
    from verbind.course.domain.programmes import get_programme

    week3 = get_programme().week(3).exercises[0].id
    with pytest.raises(answers.AnswerError) as err:
        answers.save_draft(enrolled, week3, "te vroeg", now=at(1))
    assert err.value.code == "week_locked"
    with pytest.raises(answers.AnswerError) as err:
        answers.save_draft(enrolled, week1_ids()[0], "x" * (answers.MAX_TEXT + 1), now=at(1))
    assert err.value.code == "too_long"
    with pytest.raises(answers.AnswerError) as err:
        answers.save_draft(enrolled, "no-such-exercise", "x", now=at(1))
    assert err.value.code == "unknown_exercise"
    assert not enrolled.answers.exists()


def test_photos_are_checked_by_content_and_size(enrolled):
    creative = "w1-my-circle"
    a = answers.attach_image(enrolled, creative, png(), "image/png", now=at(1))
    assert a.image_type == "image/png" and a.image_size == len(png())
    for data, code in (
        (b"", "image_empty"),
        (b"just some text pretending to be a picture", "image_type"),
        (png()[:40], "image_damaged"),  # a PNG header with the picture cut off
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (answers.MAX_IMAGE_BYTES), "image_too_large"),
    ):
        with pytest.raises(answers.AnswerError) as err:
            answers.attach_image(enrolled, creative, data, "image/png", now=at(1))
        assert err.value.code == code, data[:20]
    with pytest.raises(answers.AnswerError) as err:
        answers.attach_image(enrolled, week1_ids()[0], png(), "image/png", now=at(1))
    assert err.value.code == "no_photo"
    # The good photo is still there after the refusals.
    assert enrolled.answers.get(exercise_id=creative).image_size == len(png())
    answers.submit(enrolled, creative, "", now=at(1, 1))  # a photo alone may be sent


def test_feedback_needs_text_and_a_submitted_answer(enrolled, people):
    a = answers.save_draft(enrolled, week1_ids()[0], "concept", now=at(1))
    with pytest.raises(feedback.FeedbackError):
        feedback.give_feedback(a, people.coach, "te vroeg")
    a = answers.submit(enrolled, week1_ids()[0], "klaar", now=at(1, 1))
    with pytest.raises(feedback.FeedbackError):
        feedback.give_feedback(a, people.coach, "  ")
    assert feedback.give_feedback(a, people.coach, "Goed gedaan").author == people.coach


def test_inbox_holds_only_visible_unanswered_submissions(enrolled, people):
    a = answers.submit(enrolled, week1_ids()[0], "klaar", now=at(1))
    answers.save_draft(enrolled, week1_ids()[2], "nog bezig", now=at(1))
    assert list(feedback.inbox(people.coach, people.org)) == [a]
    assert list(feedback.inbox(people.other_coach, people.org)) == []
    assert list(feedback.inbox(people.foreign_coach, people.other_org)) == []
    feedback.give_feedback(a, people.coach, "Mooi")
    assert list(feedback.inbox(people.coach, people.org)) == []


# --- check-ins -------------------------------------------------------------------------


def test_week_zero_asks_the_full_set_once_and_the_safety_question(enrolled):
    slot = checkins.slot_for(enrolled, "week-0", at(0, 1))
    assert slot.status == "due"
    assert set(slot.instruments) >= {"djg11", "lsns6", "rses", "djg6", "mood"}
    battery = checkins.check_in_battery(slot.instruments)
    # DJG-6 statements are inside the DJG-11: asked once.
    assert "djg6" not in battery.instruments and "djg11" in battery.instruments
    assert battery.columns[-1] == "context_safety"
    c = checkins.save_check_in(enrolled, "week-0", full_answers(), now=at(0, 1))
    assert c.loneliness_instrument == "djg11" and c.loneliness_score == 11
    assert c.instrument_versions["djg11"] and c.answers["djg11_1"]
    assert not c.safety_flag and not c.worsening_flag
    with pytest.raises(checkins.CheckInError):
        checkins.save_check_in(enrolled, "week-0", full_answers(), now=at(0, 2))


def test_incomplete_check_in_is_refused_naming_the_question(enrolled):
    answers_ = full_answers()
    del answers_["rses_3"]
    with pytest.raises(BatteryAnswerError, match="rses_3"):
        checkins.save_check_in(enrolled, "week-0", answers_, now=at(0, 1))
    assert not CheckIn.objects.exists()


def test_safety_answer_and_strong_worsening_flag_the_check_in(enrolled):
    enrolment_domain.set_feedback_blocking(enrolled, False)
    checkins.save_check_in(enrolled, "week-0", full_answers(lonely=False), now=at(0, 1))
    c1 = checkins.save_check_in(
        enrolled, "week-1", weekly_answers(lonely=True, safety="yes"), now=at(7, 1)
    )
    assert c1.safety_flag and c1.worsening_flag  # 0 of 11 -> 6 of 6
    assert c1.loneliness_instrument == "djg6" and c1.mood == 3
    c2 = checkins.save_check_in(enrolled, "week-2", weekly_answers(lonely=True), now=at(14, 1))
    assert not c2.safety_flag and not c2.worsening_flag
    with pytest.raises(checkins.CheckInError):  # week 3 is not due yet
        checkins.save_check_in(enrolled, "week-3", weekly_answers(), now=at(14, 2))


def test_the_default_programme_loads_for_the_web_app():
    from verbind.course.domain.programmes import get_programme, get_shape

    p = get_programme()
    assert p.week_count == 8 and get_shape().week_count == 8
    assert all(w.readings and w.exercises for w in p.weeks)


def test_readings_never_pass_raw_html_or_script_links():
    html = render("# Titel\n\n<script>alert(1)</script>\n\n[klik](javascript:alert(1)) **ok**")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html and "<strong>ok</strong>" in html
    assert "Titel" not in html  # the page shows the title itself
    assert "<h2>Kop</h2>" in render("Intro\n\n# Kop")


def test_only_one_active_enrolment_per_participant_in_the_database(enrolled, people):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(participant=people.participant, programme="x")


def test_cohort_baselines_read_every_instrument_of_the_start_check_in(enrolled):
    from verbind.course.domain.progress import cohort_baselines

    c = checkins.save_check_in(enrolled, "week-0", full_answers(), now=at(0, 1))
    for instrument in ("djg11", "lsns6", "rses"):
        expected = c.results[instrument]["scales"]["total"]["value"]
        assert expected is not None
        assert cohort_baselines(enrolled, instrument) == [expected]
    assert cohort_baselines(enrolled, "ucla3") == []
