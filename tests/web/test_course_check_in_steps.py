"""The check-in in steps: its real length up front, one questionnaire per screen with
"Step n of m", answers kept on the server between steps (leaving and coming back loses
nothing), nothing scored until the last step, and crisis help and the coach's alert for a
"yes" to the safety question exactly as for a check-in on one page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from test_course_support import full_answers, measured, post_check_in

from verbind.coaching.models import Alert
from verbind.core.instrument import registry
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.models import CheckIn, CheckInDraft

JSON = {"HTTP_ACCEPT": "application/json"}
URL = reverse("course:check_in", args=["week-0"])


@pytest.fixture
def enrolled(people):
    measured(people.participant)
    return enrolment_domain.enrol(people.participant)


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def columns(instrument: str) -> list[str]:
    inst = registry()[instrument]
    return [inst.column(i.id) for i in inst.items]


def test_the_start_check_in_states_its_real_length_and_shows_one_step_at_a_time(enrolled, people):
    html = login(people.participant).get(URL).content.decode()
    assert "29 vragen, ongeveer 10 minuten" in html
    assert "een paar korte vragen" not in html.lower()
    assert "Stap 1 van 5" in html
    # Step 2 is the loneliness questionnaire, and only that.
    c = login(people.participant)
    c.post(URL, {"step": 1, "mood": "okay"})
    step2 = c.get(f"{URL}?step=2").content.decode()
    assert "Stap 2 van 5" in step2
    assert set(re.findall(r'type="radio" name="([^"]+)"', step2)) == set(columns("djg11"))


def test_answers_of_finished_steps_are_kept_on_the_server_and_are_no_measurement(enrolled, people):
    answers = full_answers()
    c = login(people.participant)
    assert c.post(URL, {**answers, "step": 1})["Location"] == f"{URL}?step=2"
    assert c.post(URL, {**answers, "step": 2})["Location"] == f"{URL}?step=3"
    assert not CheckIn.objects.exists() and not Alert.objects.exclude(check_in=None).exists()
    # Another device, later: the check-in goes on where it stopped, with the answers in it.
    again = login(people.participant)
    assert "Stap 3 van 5" in again.get(URL).content.decode()
    step2 = again.get(f"{URL}?step=2").content.decode()
    first = columns("djg11")[0]
    assert re.search(rf'name="{first}" value="{answers[first]}"[^>]*checked', step2)
    # No skipping past a step without answers.
    assert again.get(f"{URL}?step=5")["Location"] == f"{URL}?step=3"
    # The coach sees nothing of an unfinished check-in.
    coach_page = login(people.coach).get(reverse("course:coach_enrolment", args=[enrolled.pk]))
    assert answers[first] and "has-alert" not in coach_page.content.decode()


def test_one_chosen_answer_is_kept_at_once_and_back_never_complains(enrolled, people):
    c = login(people.participant)
    c.post(URL, {"step": 1, "mood": "okay"})
    first, second = columns("djg11")[:2]
    r = c.post(URL, {"step": 2, "action": "save", first: "no"}, **JSON)
    assert r.status_code == 200 and r.json()["saved"] is True
    assert CheckInDraft.objects.get().answers == {"mood": "okay", first: "no"}
    r = c.post(URL, {"step": 2, "action": "save", first: "maybe-not"}, **JSON)
    assert r.status_code == 400 and r.json()["error"]
    r = c.post(URL, {"step": 2, "action": "back", second: "yes"})
    assert r.status_code == 302 and r["Location"] == f"{URL}?step=1"
    assert CheckInDraft.objects.get().answers == {"mood": "okay", first: "no", second: "yes"}
    assert not CheckIn.objects.exists()


def test_a_safety_yes_in_the_steps_gives_crisis_help_and_alerts_the_coach_as_before(
    enrolled, people
):
    c = login(people.participant)
    answers = full_answers(safety="yes")
    # The last step, with its safety "yes" but a missing answer elsewhere on it: help shows
    # at once, on the page the server sends back.
    r = post_check_in(c, "week-0", {**answers, "context_safety": ""})
    assert r.status_code == 400 and not CheckIn.objects.exists()
    r = c.post(URL, {"step": 5, "context_safety": "yes", "action": "save"}, **JSON)
    page = c.get(f"{URL}?step=5").content.decode()
    assert "<div data-crisis-now>" in page and 'href="tel:08000113"' in page
    r = c.post(URL, {"step": 5, "context_safety": "yes"}, follow=True)
    done = r.content.decode()
    assert 'class="crisis-box"' in done and 'href="tel:113"' in done
    check_in = CheckIn.objects.get()
    assert check_in.safety_flag and check_in.answers == answers
    assert list(Alert.objects.filter(check_in=check_in).values_list("kind", flat=True)) == [
        "safety"
    ]
    assert not CheckInDraft.objects.exists()  # the kept answers became the check-in


def test_an_unfinished_check_in_is_in_the_data_download(enrolled, people):
    c = login(people.participant)
    c.post(URL, {"step": 1, "mood": "okay"})
    data = c.get(reverse("accounts:export_json")).json()
    (course,) = data["course"]
    assert course["unfinished_check_ins"][0]["answers"] == {"mood": "okay"}


def test_the_course_page_and_the_home_card_give_the_check_ins_real_length(enrolled, people):
    c = login(people.participant)
    overview = c.get(reverse("course:overview")).content.decode()
    assert "29 vragen, ongeveer 10 minuten." in overview
    assert "korte check-in" not in overview and "paar minuten" not in overview
    home = c.get(reverse("accounts:home")).content.decode()
    assert "Er staat een check-in klaar. 29 vragen, ongeveer 10 minuten." in home
