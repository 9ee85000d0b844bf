"""The course inside the platform: check-in alerts reach the coach as self-test alerts do,
the menu, the participant's home and the coach's participant page lead to the course, and
the participant's data download holds the whole course (deletion removes it)."""

from __future__ import annotations

import base64
import csv
import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from test_course_support import full_answers, measured, week1_ids, weekly_answers
from web_base import make_participant

from verbind.coaching.domain import alerts
from verbind.coaching.models import Alert, AlertKind
from verbind.core.instrument import registry
from verbind.course.domain import answers, check_in_alerts, checkins, feedback
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.models import (
    CheckIn,
    Enrolment,
    ExerciseAnswer,
    Feedback,
    Pause,
    WeekOpening,
)
from verbind.participant.domain import personal_data


def days_ago(n: float):
    return timezone.now() - timedelta(days=n)


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def en(client: Client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def enrolled(people):
    """The participant (no open alert of their own) in the course for 8 days, feedback
    not blocking, so weeks 0 and 1 can be checked in."""
    people.alert.delete()
    measured(people.participant)
    e = enrolment_domain.enrol(people.participant, now=days_ago(8))
    enrolment_domain.set_feedback_blocking(e, False)
    return e


def safe_start(e):
    return checkins.save_check_in(e, "week-0", full_answers(lonely=False), now=days_ago(8))


# --- 1. check-in alerts -------------------------------------------------------------------


def test_a_safety_check_in_opens_an_alert_and_emails_only_the_coach(
    enrolled, people, django_capture_on_commit_callbacks
):
    safe_start(enrolled)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        c = checkins.save_check_in(
            enrolled, "week-1", weekly_answers(lonely=False, safety="yes"), now=days_ago(1)
        )
    alert = Alert.objects.get(check_in=c)
    assert alert.kind == AlertKind.SAFETY and alert.measurement is None
    assert alert.participant == people.participant and alert.resolved_at is None
    assert [m.to for m in mail.outbox] == [[people.coach.email]]
    body, subject = mail.outbox[0].body, mail.outbox[0].subject
    assert f"/participant/{people.participant.pk}/" in body
    for private in (people.participant.email, people.participant.name, "safety", "113", "week"):
        assert private not in body and private not in subject


def test_a_strong_worsening_at_a_check_in_opens_a_worsening_alert(
    enrolled, people, django_capture_on_commit_callbacks
):
    safe_start(enrolled)  # 0 of 11
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        c = checkins.save_check_in(enrolled, "week-1", weekly_answers(lonely=True), now=days_ago(1))
    assert c.worsening_flag and not c.safety_flag
    assert list(Alert.objects.filter(check_in=c).values_list("kind", flat=True)) == ["worsening"]
    assert len(callbacks) == 1 and [m.to for m in mail.outbox] == [[people.coach.email]]


def test_a_calm_check_in_opens_nothing(enrolled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        safe_start(enrolled)
    assert not Alert.objects.exists() and mail.outbox == []


def test_open_alert_takes_either_source_once_and_refuses_anything_else(enrolled, people):
    c = safe_start(enrolled)
    first = alerts.open_alert(c, AlertKind.SAFETY)
    assert alerts.open_alert(c, AlertKind.SAFETY) == first  # once per source and kind
    assert alerts.open_alert(people.measurement, AlertKind.SAFETY).measurement == people.measurement
    with pytest.raises(ValueError, match="participant"):
        alerts.open_alert(c, AlertKind.WORSENING, people.other_participant.pk)
    with pytest.raises(TypeError):
        alerts.open_alert(enrolled, AlertKind.SAFETY)


@pytest.mark.parametrize("both", [True, False])
def test_the_database_wants_exactly_one_source(enrolled, people, both):
    c = safe_start(enrolled)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            participant=people.participant,
            kind=AlertKind.SAFETY,
            measurement=people.measurement if both else None,
            check_in=c if both else None,
        )


def test_dashboard_puts_a_check_in_alert_on_top_and_the_participant_page_explains_it(
    enrolled, people
):
    for i in range(3):  # calm participants who did a test more recently
        calm = make_participant(people.org, people.coach, f"calm{i}@example.org", f"Calm {i}")
        measured(calm)
    safe_start(enrolled)
    c = checkins.save_check_in(
        enrolled, "week-1", weekly_answers(lonely=False, safety="yes"), now=days_ago(1)
    )
    coach = login(people.coach)
    dashboard = en(coach, reverse("coaching:dashboard"))
    rows = dashboard.split("<tbody>")[1].split("</tr>")
    assert people.participant.name in rows[0] and "1 signal" in rows[0]
    assert 'class="has-alert"' in rows[0] and "has-alert" not in "".join(rows[1:])

    page = en(coach, reverse("coaching:participant", args=[people.participant.pk]))
    alert = Alert.objects.get(check_in=c)
    assert "Answered yes to the safety question: thoughts of being better off dead" in page
    assert "course check-in of week 1" in page
    assert reverse("course:coach_enrolment", args=[enrolled.pk]) in page
    assert reverse("coaching:resolve_alert", args=[alert.pk]) in page

    # Handled on the coaching page is seen on the course page, and the other way round.
    coach.post(reverse("coaching:resolve_alert", args=[alert.pk]))
    c.refresh_from_db()
    assert c.flags_seen_by == people.coach
    course_page = en(coach, reverse("course:coach_enrolment", args=[enrolled.pk]))
    assert reverse("course:check_in_seen", args=[c.pk]) not in course_page
    assert "1 signal" not in en(coach, reverse("coaching:dashboard")).split("</tr>")[1]


def test_marking_a_check_in_seen_handles_its_alerts(enrolled, people):
    safe_start(enrolled)
    c = checkins.save_check_in(
        enrolled, "week-1", weekly_answers(lonely=True, safety="yes"), now=days_ago(1)
    )
    assert Alert.objects.filter(check_in=c, resolved_at=None).count() == 2
    login(people.coach).post(reverse("course:check_in_seen", args=[c.pk]))
    assert not Alert.objects.filter(check_in=c, resolved_at=None).exists()
    assert set(Alert.objects.filter(check_in=c).values_list("resolved_by", flat=True)) == {
        people.coach.pk
    }


def test_flagged_check_ins_from_before_become_alerts(enrolled, people):
    """The migration turns check-ins flagged before course alerts existed into alerts."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("verbind.coaching.migrations.0002_alert_from_check_in")
    open_ = CheckIn.objects.create(enrolment=enrolled, key="week-0", week=0, safety_flag=True)
    seen = CheckIn.objects.create(
        enrolment=enrolled, key="week-1", week=1, worsening_flag=True,
        flags_seen_at=days_ago(1), flags_seen_by=people.coach,
    )  # fmt: skip
    CheckIn.objects.create(enrolment=enrolled, key="week-2", week=2)
    migration.alerts_for_flagged_check_ins(apps, None)
    migration.alerts_for_flagged_check_ins(apps, None)  # twice: nothing doubles
    assert Alert.objects.count() == 2
    assert Alert.objects.get(check_in=open_).resolved_at is None
    handled = Alert.objects.get(check_in=seen)
    assert handled.kind == "worsening" and handled.resolved_by == people.coach


def _alerting_check_ins(people, n: int, start: int) -> None:
    for i in range(start, start + n):
        user = make_participant(people.org, people.coach, f"a{i}@example.org", f"A{i}")
        measured(user)
        e = enrolment_domain.enrol(user, now=days_ago(8))
        enrolment_domain.set_feedback_blocking(e, False)
        safe_start(e)
        checkins.save_check_in(e, "week-1", weekly_answers(safety="yes"), now=days_ago(1))


def _own_alerting_check_ins(e, keys) -> None:
    for key in keys:
        CheckIn.objects.create(enrolment=e, key=key, week=int(key[5:]), safety_flag=True)
        check_in_alerts.raise_alerts_for_check_in(CheckIn.objects.get(enrolment=e, key=key))


@pytest.mark.parametrize(
    "page", ["coaching:dashboard", "coaching:participant", "course:coach_overview"]
)
def test_queries_do_not_grow_with_check_in_alerts(enrolled, people, page):
    coach = login(people.coach)
    url = reverse(page, args=[people.participant.pk] if page == "coaching:participant" else [])
    _alerting_check_ins(people, 1, 0)
    _own_alerting_check_ins(enrolled, ["week-1"])
    coach.get(url)  # warm caches (programme loading, session)
    with CaptureQueriesContext(connection) as few:
        assert coach.get(url).status_code == 200
    _alerting_check_ins(people, 4, 10)
    _own_alerting_check_ins(enrolled, ["week-2", "week-3", "week-4", "week-5"])
    with CaptureQueriesContext(connection) as many:
        html = coach.get(url).content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    if page == "coaching:participant":
        assert html.count("/resolve/") >= 5
    else:
        assert "A13" in html


# --- 2. navigation ------------------------------------------------------------------------


def _menu(html: str) -> str:
    return html[html.index('<ul class="menu">') : html.index("</ul>", html.index("menu"))]


def test_menu_shows_the_course_to_who_is_offered_it_or_takes_part(people):
    course_url = reverse("course:overview")
    # The fixture's participant: the route of the latest test offers the course.
    assert course_url in _menu(en(login(people.participant), reverse("accounts:home")))
    assert ">Course<" in _menu(en(login(people.participant), reverse("accounts:home")))
    # Another route: no course in the menu (inform, never push).
    assert course_url not in _menu(en(login(people.other_participant), reverse("accounts:home")))
    # Taking part (enrolled by a coach with a reason, on another route): the course is there.
    enrolment_domain.enrol(people.other_participant, by=people.other_coach, reason="agreed")
    assert course_url in _menu(en(login(people.other_participant), reverse("accounts:home")))
    # A coach reaches the course overview of their participants.
    coach_menu = _menu(en(login(people.coach), reverse("coaching:dashboard")))
    assert f'href="{reverse("course:coach_overview")}">Course<' in coach_menu
    assert f'href="{course_url}"' not in coach_menu


def test_home_card_for_someone_offered_the_course_explains_and_starts_it(people):
    c = login(people.participant)
    home = en(c, reverse("accounts:home"))
    assert "The 8-week course" in home and "Start the course" in home
    assert f'action="{reverse("course:enrol")}"' in home
    assert "You decide." in home
    dutch = c.get(reverse("accounts:home")).content.decode()
    assert "De cursus van 8 weken" in dutch or "8 weken" in dutch
    # No card for another route.
    other = en(login(people.other_participant), reverse("accounts:home"))
    assert "course-card" not in other and reverse("course:enrol") not in other


def test_home_card_of_an_enrolled_participant_says_where_they_are(people):
    measured(people.participant)
    e = enrolment_domain.enrol(people.participant, now=days_ago(8))
    enrolment_domain.set_feedback_blocking(e, False)
    home = en(login(people.participant), reverse("accounts:home"))
    assert "You are in week 2 of 8." in home
    assert reverse("course:week", args=[2]) in home and "Go to week 2" in home
    assert "A check-in is waiting. 8 questions, about 3 minutes." in home
    assert "Check-in of week 1" in home
    assert reverse("course:check_in", args=["week-1"]) in home
    enrolment_domain.pause(e)
    home = en(login(people.participant), reverse("accounts:home"))
    assert "The course is paused." in home and "Go to week" not in home


def test_coach_participant_page_links_to_the_course_or_to_enrolling(people):
    coach = login(people.coach)
    url = reverse("coaching:participant", args=[people.participant.pk])
    page = en(coach, url)
    assert reverse("course:coach_enrol", args=[people.participant.pk]) in page
    assert "The test result offers the course." in page
    e = enrolment_domain.enrol(people.participant, now=days_ago(8))
    page = en(coach, url)
    assert reverse("course:coach_enrolment", args=[e.pk]) in page
    assert "week 1 of 8" in page
    assert reverse("course:coach_enrol", args=[people.participant.pk]) not in page


# --- 3. data download and deletion --------------------------------------------------------


@pytest.fixture
def whole_course(enrolled, people):
    """Something of every kind: a pause, a coach opening, a draft, a submitted answer with
    feedback, a photo, a flagged check-in and a calm one."""
    from test_course_web import _png

    e = enrolled
    safe_start(e)
    first = answers.submit(e, week1_ids()[0], "=Ik voel me vaak alleen", now=days_ago(7))
    feedback.give_feedback(first, people.coach, "Dank je, mooi geschreven.", now=days_ago(6))
    answers.save_draft(e, week1_ids()[2], "Nog niet klaar", now=days_ago(6))
    answers.attach_image(e, "w1-my-circle", _png(), "image/png")
    enrolment_domain.pause(e, now=days_ago(6))
    enrolment_domain.resume(e, now=days_ago(5.5))
    # Week 1 ended half a day ago (the pause moved it).
    checkins.save_check_in(e, "week-1", weekly_answers(safety="yes"), now=days_ago(0.25))
    enrolment_domain.open_week(e, 3, people.coach)
    return e


def test_json_download_holds_the_whole_course(whole_course, people, client_for):
    response = client_for("participant").get(reverse("accounts:export_json"))
    data = json.loads(response.content)
    assert data["format_version"] == 4
    (course,) = data["course"]
    assert course["programme"] == "verbinden-in-8-weken" and course["started_at"]
    assert len(course["pauses"]) == 1 and course["pauses"][0]["ended_at"]
    assert course["weeks_opened_by_coach"] == [
        {"week": 3, "opened_at": WeekOpening.objects.get().opened_at.isoformat()}
    ]
    by_id = {a["exercise"]: a for a in course["exercise_answers"]}
    first = by_id[week1_ids()[0]]
    assert first["text"] == "=Ik voel me vaak alleen" and first["status"] == "submitted"
    assert first["feedback_received"][0]["text"] == "Dank je, mooi geschreven."
    assert first["feedback_received"][0]["from"] == people.coach.display_name
    assert by_id[week1_ids()[2]]["status"] == "draft"
    photo = by_id["w1-my-circle"]["photo"]
    assert photo["file_name"] == "week-1-w1-my-circle.png"
    assert photo["content_type"] == "image/png" and base64.b64decode(photo["base64"]) == bytes(
        ExerciseAnswer.objects.get(exercise_id="w1-my-circle").image
    )
    keys = [c["key"] for c in course["check_ins"]]
    assert keys == ["week-0", "week-1"]
    week1 = course["check_ins"][1]
    assert week1["safety_answer_yes"] is True and week1["answers"]["context_safety"] == "yes"
    assert week1["results"]["djg6"]["scales"]["total"]["value"] == 6
    assert [s["raised_by"] for s in data["signals_for_coaches"]] == ["check_in", "check_in"]
    assert people.other_participant.email not in response.content.decode()


def test_course_csv_has_a_row_for_everything_and_no_live_formulas(whole_course, client_for):
    client = client_for("participant")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("accounts:export_course_csv"))
    assert response["Content-Disposition"] == 'attachment; filename="verbind-course.csv"'
    lines = io.StringIO(response.content.decode())
    note = next(csv.reader(lines))[0]
    assert "for reading" in note and "verbind-data.json" in note  # the codes are there
    rows = list(csv.DictReader(lines))
    records = [r["What"] for r in rows]
    for kind, n in [("Start of the course", 1), ("Pause", 1), ("Week opened by the coach", 1),
                    ("Answer to an exercise", 3), ("Feedback from the coach", 1),
                    ("Check-in", 2)]:  # fmt: skip
        assert records.count(kind) == n, kind
    texts = {r["Text"] for r in rows}
    assert "'=Ik voel me vaak alleen" in texts and "Nog niet klaar" in texts
    photo = next(r["Photo"] for r in rows if r["Photo"])
    assert photo.startswith("week-1-w1-my-circle.png") and "JSON" in photo
    # Words, not codes: the exercise's title, its status, the check-in's moment.
    answer = next(r for r in rows if r["Text"] == "Nog niet klaar")
    assert answer["Status"] == "draft" and answer["Exercise or check-in"] != week1_ids()[2]
    assert answer["Course"] != "verbinden-in-8-weken"
    week1 = next(r for r in rows if r["Exercise or check-in"] == "Check-in: Week 1")
    assert week1["Score: Loneliness (total) (De Jong Gierveld Loneliness Scale (6 items))"] == "6"
    safety = registry()["context"].item("safety").text.get("en")
    yes = next(o for o in registry()["context"].options_for("safety") if o.key == "yes")
    assert week1[safety] == yes.label.get("en") and week1["Safety question answered yes"] == "Yes"
    week0 = next(r for r in rows if r["Exercise or check-in"] == "Check-in: Start")
    assert week0["Score: Loneliness (total) (De Jong Gierveld Loneliness Scale (11 items))"] == "0"
    # The same question in two questionnaires is one column.
    emptiness = registry()["djg6"].item("1").text.get("en")
    assert week0[emptiness] and week1[emptiness]
    assert f"{emptiness} (2)" not in week0
    assert not any(k.startswith(("score_", "answer_")) for k in week0)


def test_my_data_page_links_the_course_table_only_to_course_participants(
    whole_course, people, client_for
):
    url = reverse("accounts:export_course_csv")
    assert url in client_for("participant").get(reverse("accounts:my_data")).content.decode()
    page = client_for("other_participant").get(reverse("accounts:my_data")).content.decode()
    assert url not in page


def test_the_course_table_link_is_its_name_and_the_explanation_follows_it(whole_course, client_for):
    client = client_for("participant")
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("accounts:my_data")).content.decode()
    url = reverse("accounts:export_course_csv")
    assert f'<a href="{url}" download>Mijn cursus als tabel (CSV-bestand)</a>: antwoorden,' in page


def test_deleting_the_account_removes_the_whole_course(whole_course, people):
    pk = people.participant.pk
    other = make_participant(people.org, people.coach, "stays@example.org", "Stays")
    measured(other)
    kept = enrolment_domain.enrol(other)
    checkins.save_check_in(kept, "week-0", full_answers(safety="yes"))
    assert ExerciseAnswer.objects.filter(enrolment=whole_course).exists()
    personal_data.delete_account(people.participant)
    for model, lookup in [
        (Enrolment, "participant_id"),
        (Pause, "enrolment__participant_id"),
        (WeekOpening, "enrolment__participant_id"),
        (ExerciseAnswer, "enrolment__participant_id"),
        (Feedback, "answer__enrolment__participant_id"),
        (CheckIn, "enrolment__participant_id"),
        (Alert, "participant_id"),
    ]:
        assert not model.objects.filter(**{lookup: pk}).exists(), model.__name__
    assert not Feedback.objects.exists() and ExerciseAnswer.objects.count() == 0
    # Someone else's course is untouched.
    assert CheckIn.objects.filter(enrolment=kept).count() == 1
    assert Alert.objects.filter(check_in__enrolment=kept).count() == 1


# --- 4. the DJG-6 inside the DJG-11 -------------------------------------------------------


def test_a_full_check_in_at_week_4_gives_the_weekly_djg6_point_too(people):
    from verbind.core.scoring import score
    from verbind.course.domain import progress

    measured(people.participant)
    start = days_ago(29)
    e = enrolment_domain.enrol(people.participant, now=start)
    enrolment_domain.set_feedback_blocking(e, False)
    checkins.save_check_in(e, "week-0", full_answers(lonely=True), now=start)
    for n in (1, 2, 3):  # DJG-6 2 of 6 every week
        answers_ = {**weekly_answers(lonely=False), "djg6_1": "yes", "djg6_4": "no"}
        checkins.save_check_in(e, f"week-{n}", answers_, now=start + timedelta(days=7 * n + 0.5))
    # Week 4 asks the DJG-11 (not the DJG-6): the DJG-6's statements answered as before
    # (DJG-11 item 3 = DJG-6 item 1, item 4 = item 4), the five others all lonely.
    week4 = full_answers(lonely=False)
    week4.update({f"djg11_{i}": "yes" for i in (2, 5, 6)})
    week4.update({"djg11_1": "no", "djg11_11": "no", "djg11_3": "yes", "djg11_4": "no"})
    c = checkins.save_check_in(e, "week-4", week4, now=start + timedelta(days=28.5))

    assert "djg6_1" not in c.answers  # not asked twice
    djg6 = c.results["djg6"]
    assert djg6["derived_from"] == "djg11" and djg6["scales"]["total"]["value"] == 2
    six_in_eleven = {"1": "3", "2": "9", "3": "10", "4": "4", "5": "7", "6": "8"}
    asked = score("djg6", {six: week4[f"djg11_{i}"] for six, i in six_in_eleven.items()})
    assert djg6["scales"] == asked.to_dict()["scales"]
    assert c.loneliness_instrument == "djg11" and c.loneliness_score == 7
    # Like with like: the DJG-6 stayed at 2, so no strong worsening, although the DJG-11
    # share (7 of 11) is far above last week's DJG-6 share (2 of 6).
    assert not c.worsening_flag and not Alert.objects.filter(check_in=c).exists()

    series = {s.instrument: s for s in progress.series_of(list(e.check_ins.all()), "en")}
    weekly = series["djg6"].points
    assert [p.check_in_key for p in weekly] == [f"week-{n}" for n in range(5)]
    assert [p.value for p in weekly] == [6, 2, 2, 2, 2]
    html = en(login(people.participant), reverse("course:progress"))
    assert html.count("<td>2</td>") >= 4
