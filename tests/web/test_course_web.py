"""The course through the web: pages, autosave, photos, check-ins with crisis help,
progress, the summary PDF, reminders, and query counts that do not grow."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader
from test_course_support import (
    COURSE_ANSWERS,
    full_answers,
    measured,
    post_check_in,
    week1_ids,
    weekly_answers,
)
from web_base import make_participant

from verbind.course.domain import answers, checkins, feedback
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.models import CheckIn, ExerciseAnswer, SentReminder

JSON = {"HTTP_ACCEPT": "application/json"}


def days_ago(n: float):
    return timezone.now() - timedelta(days=n)


@pytest.fixture
def course(people):
    """The participant enrolled 8 days ago (week 2 is due but waits for feedback)."""
    measured(people.participant)
    return enrolment_domain.enrol(people.participant, now=days_ago(8))


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_participant_enrols_from_the_course_page(people):
    measured(people.participant)
    c = login(people.participant)
    page = c.get(reverse("course:overview")).content.decode()
    assert "Begin met de cursus" in page and reverse("course:enrol") in page  # Dutch default
    r = c.post(reverse("course:enrol"))
    assert r.status_code == 302
    page = c.get(reverse("course:overview")).content.decode()
    assert "Week 1" in page and reverse("course:check_in", args=["week-0"]) in page


def test_overview_says_why_each_week_is_closed(course, people):
    c = login(people.participant)
    html = c.get(reverse("course:overview"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are in week 1 of 8." in html
    assert "Send the exercise marked for your coach first." in html  # week 2
    assert "This week opens after the week before it." in html  # week 3


@pytest.mark.parametrize(
    ("lang", "start", "since"),
    [("nl", "Sinds het begin.", "Sinds"), ("en", "Since the start.", "Since")],
)
def test_an_open_week_says_open_once_and_since_when(course, people, lang, start, since):
    enrolment_domain.set_feedback_blocking(course, False)  # week 2 opens on schedule
    c = login(people.participant)
    c.cookies["django_language"] = lang
    html = c.get(reverse("course:overview")).content.decode()
    reasons = [
        re.sub(r"<[^>]+>|\s+", " ", r).split()
        for r in re.findall(r'<span class="week-reason">(.*?)</span>\s*</li>', html, re.S)
    ]
    week1, week2 = (" ".join(words) for words in reasons[:2])
    assert week1 == f"open {start}"
    opened = timezone.localtime(course.started_at + timedelta(days=7))
    assert re.fullmatch(rf"open {since} {opened.day} [A-Za-z]+ {opened.year}\.", week2), week2
    assert "Open." not in html and "open Open" not in re.sub(r"<[^>]+>|\s+", " ", html)


def test_week_page_renders_reading_and_exercises_and_locked_weeks_stay_closed(course, people):
    c = login(people.participant)
    html = c.get(reverse("course:week", args=[1])).content.decode()
    assert "Waar sta ik?" in html and "data-autosave" in html and 'lang="nl"' in html
    assert html.count('class="card exercise"') == len(week1_ids())
    assert 'type="file"' in html  # the creative exercise takes a photo
    locked = c.get(reverse("course:week", args=[2]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-autosave" not in locked and "This week is not open yet." in locked
    assert c.get(reverse("course:week", args=[9])).status_code == 404


def test_autosave_answers_json_and_the_plain_form_works_too(course, people):
    c = login(people.participant)
    url = reverse("course:answer", args=[week1_ids()[0]])
    r = c.post(url, {"text": "Half af", "action": "save"}, **JSON)
    assert r.status_code == 200 and r.json()["saved"] is True and r.json()["length"] == 7
    r = c.post(url, {"text": "Helemaal af", "action": "submit"})  # no JavaScript
    assert r.status_code == 302 and r["Location"].endswith(f"#exercise-{week1_ids()[0]}")
    a = ExerciseAnswer.objects.get(exercise_id=week1_ids()[0])
    assert a.status == "submitted" and a.text == "Helemaal af"
    r = c.post(url, {"text": "Later veranderd", "action": "save"}, **JSON)
    assert r.status_code == 409 and r.json()["code"] == "submitted" and r.json()["error"]
    r = c.post(reverse("course:answer", args=["w3-nothing"]), {"text": "x"}, **JSON)
    assert r.status_code == 404


def test_autosave_after_the_session_ended_is_not_accepted_silently(course, people):
    r = Client().post(
        reverse("course:answer", args=[week1_ids()[0]]), {"text": "verloren?"}, **JSON
    )
    # A redirect to the login page: the browser keeps the text (course.js) until it is saved.
    assert r.status_code == 302 and "login" in r["Location"]
    assert not ExerciseAnswer.objects.exists()


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 30)).save(buf, "PNG")
    return buf.getvalue()


def test_photo_upload_via_the_web_with_clear_refusals(course, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login(people.participant)
    url = reverse("course:answer_photo", args=["w1-my-circle"])
    bad = SimpleUploadedFile("photo.png", b"not a picture at all", content_type="image/png")
    r = c.post(url, {"photo": bad, "action": "upload"}, follow=True)
    assert "not a photo we can use" in r.content.decode() or "geen foto" in r.content.decode()
    good = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    r = c.post(url, {"photo": good, "action": "upload"}, follow=True)
    a = ExerciseAnswer.objects.get(exercise_id="w1-my-circle")
    # Stored re-encoded without metadata (test_course_photo_safety.py): the same pixels.
    assert a.image_size == len(bytes(a.image))
    with Image.open(io.BytesIO(bytes(a.image))) as stored:
        assert stored.size == (8, 8) and stored.getpixel((0, 0)) == (10, 200, 30)
    img = c.get(reverse("course:photo", args=[a.pk]))
    assert img["Content-Type"] == "image/png" and bytes(img.content) == bytes(a.image)
    # The participant's coach may see it; a coach who may not see the participant may not.
    assert login(people.coach).get(reverse("course:photo", args=[a.pk])).status_code == 200
    assert login(people.other_coach).get(reverse("course:photo", args=[a.pk])).status_code == 404


def test_feedback_from_the_coach_opens_week_two(course, people):
    p, coach = login(people.participant), login(people.coach)
    first = week1_ids()[0]
    p.post(reverse("course:answer", args=[first]), {"text": "Mijn verhaal", "action": "submit"})
    inbox = coach.get(reverse("course:inbox")).content.decode()
    a = ExerciseAnswer.objects.get(exercise_id=first)
    assert reverse("course:feedback", args=[a.pk]) in inbox
    assert coach.get(reverse("course:feedback", args=[a.pk])).status_code == 200
    r = coach.post(reverse("course:feedback", args=[a.pk]), {"text": ""})
    assert r.status_code == 400
    coach.post(reverse("course:feedback", args=[a.pk]), {"text": "Dank je, sterk begin."})
    assert (
        reverse("course:feedback", args=[a.pk])
        not in coach.get(reverse("course:inbox")).content.decode()
    )
    week2 = p.get(reverse("course:week", args=[2])).content.decode()
    assert "data-autosave" in week2
    week1 = p.get(reverse("course:week", args=[1])).content.decode()
    assert "Dank je, sterk begin." in week1


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_inbox_names_each_exercise_by_its_title_not_its_id(course, people, lang):
    from verbind.course.domain.programmes import get_programme

    exercise = get_programme().week(1).exercises[0]
    answers.submit(course, exercise.id, "Mijn verhaal")
    coach = login(people.coach)
    coach.cookies["django_language"] = lang
    inbox = coach.get(reverse("course:inbox")).content.decode()
    assert f": {exercise.title.get(lang)}</a>" in inbox
    assert exercise.id not in inbox


def test_coach_opens_a_week_and_turns_blocking_off(course, people):
    coach = login(people.coach)
    url = reverse("course:coach_enrolment", args=[course.pk])
    assert coach.get(url).status_code == 200
    coach.post(reverse("course:open_week", args=[course.pk]), {"week": 3})
    p = login(people.participant)
    assert "data-autosave" in p.get(reverse("course:week", args=[3])).content.decode()
    coach.post(reverse("course:feedback_blocking", args=[course.pk]), {})
    course.refresh_from_db()
    assert course.feedback_blocks is False


def test_coach_enrols_with_a_reason_when_the_route_differs(people):
    from test_course_support import NOT_WILLING_ANSWERS

    measured(people.participant, NOT_WILLING_ANSWERS)
    coach = login(people.coach)
    url = reverse("course:coach_enrol", args=[people.participant.pk])
    assert coach.post(url, {"reason": ""}).status_code == 400
    r = coach.post(url, {"reason": "Besproken: wil het toch proberen."})
    assert r.status_code == 302
    assert people.participant.enrolments.get().reason == "Besproken: wil het toch proberen."


def test_check_in_form_comes_from_the_definitions_and_safety_shows_crisis_help(people):
    measured(people.participant)
    course = enrolment_domain.enrol(people.participant)
    c = login(people.participant)
    url = reverse("course:check_in", args=["week-0"])
    html = c.get(url).content.decode()
    from verbind.core.instrument import registry

    assert registry()["mood"].items[0].text.nl in html
    assert html.count("<fieldset") == 1  # the first step: one questionnaire (mood)
    r = c.post(url, {"djg11_1": "yes", "step": 1})
    assert r.status_code == 400 and 'role="alert"' in r.content.decode()
    assert c.post(url, {"mood": "okay", "step": 1})["Location"] == f"{url}?step=2"
    assert registry()["djg11"].items[0].text.nl in c.get(f"{url}?step=2").content.decode()
    r = post_check_in(c, "week-0", full_answers(safety="no") | {"context_safety": ""})
    last = r.content.decode()
    assert r.status_code == 400 and registry()["context"].item("safety").text.nl in last
    r = post_check_in(c, "week-0", full_answers(safety="yes"), follow=True)
    html = r.content.decode()
    assert "113" in html and "0800-0113" in html
    assert html.index("0800-0113") < html.index("Bedankt") if "Bedankt" in html else True
    check_in = CheckIn.objects.get(key="week-0")
    assert check_in.safety_flag
    coach_page = login(people.coach).get(reverse("course:coach_overview")).content.decode()
    assert "has-alert" in coach_page
    detail = login(people.coach).get(reverse("course:coach_enrolment", args=[course.pk]))
    assert reverse("course:check_in_seen", args=[check_in.pk]) in detail.content.decode()
    login(people.coach).post(reverse("course:check_in_seen", args=[check_in.pk]))
    check_in.refresh_from_db()
    assert check_in.flags_seen_by == people.coach


def test_progress_page_gives_a_chart_a_table_and_a_verdict_in_words(people):
    measured(people.participant)
    e = enrolment_domain.enrol(people.participant, now=days_ago(15))
    enrolment_domain.set_feedback_blocking(e, False)
    checkins.save_check_in(e, "week-0", full_answers(lonely=True), now=days_ago(15))
    checkins.save_check_in(e, "week-1", weekly_answers(lonely=True), now=days_ago(7.9))
    c = login(people.participant)
    html = c.get(reverse("course:progress"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'role="img"' in html and "<table>" in html and "<title" in html
    # DJG-11, LSNS-6 and Rosenberg have one score each; the DJG-6 has two (the start's is
    # derived from the DJG-11's answers), both 6: no clear change.
    assert "clearly better" not in html and "clearly worse" not in html
    assert html.count("no clear change") == 1
    checkins.save_check_in(e, "week-2", weekly_answers(lonely=False), now=days_ago(0.9))
    html = c.get(reverse("course:progress"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # DJG-6 from 6 to 0: far beyond the documented margin (the core's RCI).
    assert "clearly better" in html
    assert "<td>6</td>" in html and "<td>0</td>" in html
    # SVG numbers stay numbers in Dutch too (no decimal commas).
    dutch = c.get(reverse("course:progress")).content.decode()
    points = re.findall(r'points="([^"]+)"', dutch) + re.findall(r'c[xy]="([^"]+)"', dutch)
    assert points
    assert all(re.fullmatch(r"[\d.]+,[\d.]+( [\d.]+,[\d.]+)*|[\d.]+", v) for v in points)


def test_summary_pdf_holds_scores_chosen_answers_and_the_plan(course, people):
    enrolment_domain.set_feedback_blocking(course, False)
    checkins.save_check_in(course, "week-0", full_answers(lonely=True), now=days_ago(8))
    keep = answers.save_draft(course, week1_ids()[2], "Verbinding is samen koken.")
    answers.save_draft(course, week1_ids()[3], "Geheim dagboek dat niet mee moet.")
    c = login(people.participant)
    r = c.post(
        reverse("course:summary"),
        {"include": [str(keep.pk)], "plan": "Elke week de buurvrouw bellen."},
    )
    assert r.status_code == 302
    r = c.get(reverse("course:summary_pdf"))
    assert r["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Verbinding is samen koken." in text
    assert "Elke week de buurvrouw bellen." in text
    assert "Geheim dagboek" not in text
    assert "11" in text and "11 vragen" in text and "DJG-11" not in text  # the start score, no code
    # The day it was made is written out, as everywhere a participant reads a date.
    today = timezone.localdate()
    assert re.search(rf"\b{today.day} [a-z]+ {today.year}\b", text)
    assert f"{today:%d-%m-%Y}" not in text


def test_reminders_are_sent_once_and_say_nothing_personal(course, people, settings):
    enrolment_domain.set_feedback_blocking(course, False)  # week 2 opens by schedule
    answers.submit(course, week1_ids()[2], "Ingestuurd", now=days_ago(3))
    call_command("send_course_reminders", stdout=io.StringIO())
    first = list(mail.outbox)
    kinds = set(SentReminder.objects.values_list("kind", flat=True))
    assert {"week_opened", "feedback_waiting"} <= kinds
    assert {m.to[0] for m in first} == {people.participant.email, people.coach.email}
    for m in first:
        body = m.subject + m.body
        assert settings.SITE_URL in m.body
        for secret in (people.participant.name, "Pietje", "Ingestuurd", "Waar sta ik"):
            assert secret not in body
    call_command("send_course_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == len(first)


def test_a_paused_participant_gets_no_reminders(course, people):
    enrolment_domain.set_feedback_blocking(course, False)
    enrolment_domain.pause(course, now=days_ago(7.5))
    call_command("send_course_reminders", stdout=io.StringIO())
    assert all(m.to[0] != people.participant.email for m in mail.outbox)


def _enrol_many(people, n: int, start: int):
    for i in range(start, start + n):
        user = make_participant(people.org, people.coach, f"p{i}@example.org", f"P{i}")
        measured(user)
        e = enrolment_domain.enrol(user, now=days_ago(12))
        a = answers.submit(e, week1_ids()[0], "tekst", now=days_ago(11))
        if i % 2:
            feedback.give_feedback(a, people.coach, "ok", now=days_ago(10))
        checkins.save_check_in(e, "week-0", full_answers(), now=days_ago(12))


@pytest.mark.parametrize("page", ["course:coach_overview", "course:inbox"])
def test_coach_pages_use_the_same_number_of_queries_for_more_participants(people, page):
    coach = login(people.coach)
    _enrol_many(people, 2, 0)
    coach.get(reverse(page))  # warm caches (programme loading, session)
    with CaptureQueriesContext(connection) as few:
        assert coach.get(reverse(page)).status_code == 200
    _enrol_many(people, 4, 10)
    with CaptureQueriesContext(connection) as many:
        html = coach.get(reverse(page)).content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert "P12" in html


def test_reminder_command_dry_run_sends_nothing(course):
    out = io.StringIO()
    call_command("send_course_reminders", "--dry-run", stdout=out)
    assert "dry run" in out.getvalue() and not mail.outbox and not SentReminder.objects.exists()


def test_participant_can_pause_and_resume(course, people):
    c = login(people.participant)
    c.post(reverse("course:pause"))
    assert "paused" in c.get(reverse("course:overview"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    c.post(reverse("course:resume"))
    assert course.pauses.get().ended_at is not None


def test_not_enrolled_people_see_why(people):
    from test_course_support import PERSISTENT_ANSWERS

    measured(people.participant, PERSISTENT_ANSWERS)
    html = (
        login(people.participant)
        .get(reverse("course:overview"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Talk about it with your coach first" in html
    assert COURSE_ANSWERS  # the chronic answers are what offers the course itself


def test_course_pages_take_crisis_help_from_the_one_source(people):
    from verbind.core.crisis import crisis_help

    measured(people.participant)
    course = enrolment_domain.enrol(people.participant)
    c = login(people.participant)
    url = reverse("course:check_in", args=["week-0"])
    form_page = c.get(url).content.decode()
    hidden_box = form_page[form_page.index("data-crisis-now") :]
    hidden_box = hidden_box[: hidden_box.index("<form")]
    for service in crisis_help().urgent:  # every urgent number as a link, from crisis.yaml
        assert all(f'href="{p.href}"' in hidden_box for p in service.phones)
    done = post_check_in(c, "week-0", full_answers(safety="yes"), follow=True).content.decode()
    assert 'href="tel:08000113"' in done and 'class="crisis-box"' in done
    coach_page = login(people.coach).get(reverse("course:coach_enrolment", args=[course.pk]))
    html = coach_page.content.decode()
    assert "Neem snel contact op met deze deelnemer" in html
    assert reverse("crisis_help") in html
