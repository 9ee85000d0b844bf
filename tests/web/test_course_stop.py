"""Stopping the course early: the participant's own choice (one calm confirmation, no
reason asked), or a coach who writes down why. Nothing written is lost; the course can be
started again; reminders stop; the coach sees who stopped."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from test_course_support import measured, week1_ids

from verbind.course.domain import answers
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.models import Enrolment, ExerciseAnswer, Pause
from verbind.participant.domain.personal_data import export_course


def login(user, language: str = "en") -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE=language)
    c.force_login(user)
    return c


@pytest.fixture
def course(people):
    measured(people.participant)
    return enrolment_domain.enrol(people.participant, now=timezone.now() - timedelta(days=8))


# --- the domain rule ---------------------------------------------------------------------


def test_the_participant_stops_without_a_reason_and_an_open_pause_is_closed(course, people):
    enrolment_domain.pause(course)
    enrolment_domain.end(course, by=people.participant, reason="ignored: not asked")
    course.refresh_from_db()
    assert course.ended_at is not None and course.ended_by == people.participant
    assert course.end_reason == ""  # a participant is never asked why
    assert not Pause.objects.filter(enrolment=course, ended_at=None).exists()


def test_a_coach_must_say_why_and_the_reason_is_kept(course, people):
    with translation.override("en"), pytest.raises(enrolment_domain.EnrolmentError, match="why"):
        enrolment_domain.end(course, by=people.coach, reason="   ")
    course.refresh_from_db()
    assert course.ended_at is None  # nothing changed
    enrolment_domain.end(course, by=people.coach, reason="Moved to another town.")
    course.refresh_from_db()
    assert course.ended_by == people.coach and course.end_reason == "Moved to another town."


def test_stopping_twice_is_refused_and_the_first_stop_stands(course, people):
    enrolment_domain.end(course, by=people.participant)
    first = Enrolment.objects.get(pk=course.pk).ended_at
    with (
        translation.override("nl"),
        pytest.raises(enrolment_domain.EnrolmentError, match=r"De cursus is al gestopt\."),
    ):
        enrolment_domain.end(course, by=people.coach, reason="late")
    again = Enrolment.objects.get(pk=course.pk)
    assert again.ended_at == first and again.ended_by == people.participant


def test_after_stopping_the_course_can_start_again_and_old_answers_stay(course, people):
    exercise = week1_ids()[0]
    answers.save_draft(course, exercise, "Wat ik schreef")
    enrolment_domain.end(course, by=people.participant)
    assert enrolment_domain.active_enrolment(people.participant) is None
    again = enrolment_domain.enrol(people.participant)
    assert again.pk != course.pk and again.ended_at is None
    assert ExerciseAnswer.objects.get(enrolment=course, exercise_id=exercise).text == (
        "Wat ik schreef"
    )


# --- the participant's pages -------------------------------------------------------------


def test_participant_confirms_then_stops_and_lands_home_with_a_kind_message(course, people):
    c = login(people.participant)
    overview = c.get(reverse("course:overview")).content.decode()
    assert reverse("course:stop") in overview
    page = c.get(reverse("course:stop")).content.decode()
    assert "Do you want to stop the course?" in page
    assert "What you wrote stays saved." in page
    assert reverse("course:pause") in page  # a pause is offered as the gentler choice
    assert Enrolment.objects.get(pk=course.pk).ended_at is None  # GET changes nothing
    r = c.post(reverse("course:stop"), follow=True)
    assert r.redirect_chain[-1][0] == reverse("accounts:home")
    assert "The course has stopped." in r.content.decode()
    assert Enrolment.objects.get(pk=course.pk).ended_by == people.participant
    # The course page now says when it stopped, and offers to start again (route: course).
    page = c.get(reverse("course:overview")).content.decode()
    assert "Your course stopped on" in page and reverse("course:enrol") in page
    assert "Your coach ended it" not in page


def test_the_confirmation_page_is_dutch_by_default(course, people):
    page = login(people.participant, "nl").get(reverse("course:stop")).content.decode()
    assert "Wilt u stoppen met de cursus?" in page


def test_stop_without_a_course_redirects_on_get_and_is_not_found_on_post(people):
    c = login(people.participant)
    assert c.get(reverse("course:stop")).status_code == 302
    assert c.post(reverse("course:stop")).status_code == 404


def test_another_participant_cannot_stop_someone_elses_course(course, people):
    c = login(people.other_participant)
    assert c.post(reverse("course:stop")).status_code == 404
    assert Enrolment.objects.get(pk=course.pk).ended_at is None


def test_reminders_stop_after_the_course_stops(course, people):
    enrolment_domain.end(course, by=people.participant)
    mail.outbox.clear()
    call_command("send_course_reminders", verbosity=0)
    assert not [m for m in mail.outbox if people.participant.email in m.to]


# --- the coach's pages -------------------------------------------------------------------


def test_coach_ends_with_a_reason_and_sees_it_in_the_overview(course, people):
    c = login(people.coach)
    url = reverse("course:coach_end", args=[course.pk])
    assert url in c.get(reverse("course:coach_enrolment", args=[course.pk])).content.decode()
    empty = c.post(url, {"reason": "  "})
    assert empty.status_code == 400 and "Write down why the course stops." in (
        empty.content.decode()
    )
    assert Enrolment.objects.get(pk=course.pk).ended_at is None
    too_long = c.post(url, {"reason": "x" * 2001})
    assert too_long.status_code == 400
    r = c.post(url, {"reason": "We agreed to stop for now."})
    assert r.status_code == 302 and r.url == reverse("course:coach_overview")
    overview = c.get(reverse("course:coach_overview")).content.decode()
    assert "Stopped in the last 60 days" in overview
    assert people.participant.display_name in overview and "We agreed to stop for now." in overview
    # The ended course's page is gone for the coach; the participant is told who ended it.
    assert c.get(reverse("course:coach_enrolment", args=[course.pk])).status_code == 404
    page = login(people.participant).get(reverse("course:overview")).content.decode()
    assert "Your coach ended it." in page


def test_the_overview_shows_a_participants_own_stop(course, people):
    enrolment_domain.end(course, by=people.participant)
    overview = login(people.coach).get(reverse("course:coach_overview")).content.decode()
    assert "by the participant" in overview


def test_coaches_who_may_not_see_the_participant_cannot_end_the_course(course, people):
    url = reverse("course:coach_end", args=[course.pk])
    for outsider in (people.other_coach, people.foreign_coach):
        assert login(outsider).post(url, {"reason": "no"}).status_code == 404
    assert login(people.participant).post(url, {"reason": "no"}).status_code == 403
    assert Client().post(url, {"reason": "no"}).status_code == 302  # to the login page
    assert Enrolment.objects.get(pk=course.pk).ended_at is None
    enrolment_domain.end(course, by=people.participant)
    overview = login(people.other_coach).get(reverse("course:coach_overview")).content.decode()
    assert people.participant.display_name not in overview  # not their participant


def test_the_data_download_says_who_ended_the_course_and_why(course, people):
    enrolment_domain.end(course, by=people.coach, reason="Moved away.")
    exported = export_course(people.participant)
    assert exported[0]["ended_by_coach"] is True
    assert exported[0]["reason_for_ending"] == "Moved away."
    json.dumps(exported)  # stays JSON


def test_the_reasons_error_and_help_are_read_out_with_the_field(course, people):
    """A screen reader hears the error and the help when the field gets focus: the
    textarea points at both with aria-describedby, and each id exists exactly once."""
    import re

    html = (
        login(people.coach)
        .post(reverse("course:coach_end", args=[course.pk]), {"reason": ""})
        .content.decode()
    )
    (textarea,) = re.findall(r"<textarea[^>]*>", html)
    described = re.search(r'aria-describedby="([^"]+)"', textarea).group(1).split()
    assert described == ["id_reason_helptext", "id_reason_error"]
    assert 'aria-invalid="true"' in textarea
    for target in described:
        assert html.count(f'id="{target}"') == 1
    error = html[html.index('id="id_reason_error"') :]
    assert "Write down why the course stops." in error[: error.index("</div>")]
