"""The course is never a dead end: without a coach it runs on its own (weeks open by time,
the texts say so), the participant can ask an organisation for a coach, an organisation
admin hands participants without a coach to a coach, and a coach who joins does not
close a week that was open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from test_course_support import at, measured, week1_ids
from web_base import PASSWORD, make_coach

from verbind.accounts.domain.consent import has_consent
from verbind.accounts.domain.registration import register_person
from verbind.accounts.models import ConsentPurpose, Membership, Organisation, Role, User
from verbind.coaching.domain import assignments
from verbind.coaching.domain.organisation_admin import deactivate_coach
from verbind.coaching.models import CoachAssignment, CoachRequest
from verbind.course.domain import answers
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.domain.facts import situation

pytestmark = pytest.mark.django_db


def login(user, lang="nl") -> Client:
    c = Client()
    c.force_login(user)
    c.cookies["django_language"] = lang
    return c


@pytest.fixture
def alone(people):
    """Someone who registered on their own: no coach, no organisation; route: the course."""
    user = register_person("alleen@example.org", PASSWORD, "nl", consent_to_store=True)
    measured(user)
    return user


def days_ago(n: float):
    return timezone.now() - timedelta(days=n)


# --- 1. a self-guided course ---------------------------------------------------------------


def test_without_a_coach_the_weeks_open_by_time(alone):
    enrolment = enrolment_domain.enrol(alone, now=at(0))
    assert enrolment.feedback_blocks is False
    answers.submit(enrolment, week1_ids()[0], "Ik voel me vaak alleen.", now=at(1))
    s = situation(enrolment, at(15))
    assert s.state.week(2).is_open and s.state.week(3).is_open


@pytest.mark.parametrize(
    ("lang", "forbidden", "expected"),
    [
        (
            "nl",
            ["Stuur naar mijn coach", "uw coach reageert", "Verstuurd naar uw coach"],
            "Klaar",
        ),
        ("en", ["Send to my coach", "your coach responds", "Sent to your coach"], "Done"),
    ],
)
def test_without_a_coach_no_text_speaks_of_sending_to_a_coach(alone, lang, forbidden, expected):
    enrolment_domain.enrol(alone)
    c = login(alone, lang)
    week = c.get(reverse("course:week", args=[1])).content.decode()
    for words in forbidden:
        assert words.lower() not in week.lower(), words
    assert expected in week
    r = c.post(
        reverse("course:answer", args=[week1_ids()[0]]),
        {"text": "Mijn antwoord", "action": "submit"},
        follow=True,
    )
    page = r.content.decode()
    for words in forbidden:
        assert words.lower() not in page.lower(), words
    overview = c.get(reverse("course:overview")).content.decode()
    assert "coach" in overview  # it offers one, and says the course runs without one
    assert reverse("course:ask_coach") in overview


def test_the_course_page_before_enrolling_does_not_promise_a_coach(alone):
    html = login(alone, "en").get(reverse("course:overview")).content.decode()
    assert "with a coach beside you" not in html
    assert "on your own" in html and reverse("course:ask_coach") in html


def test_with_a_coach_the_texts_still_speak_of_the_coach(people):
    measured(people.participant)
    enrolment_domain.enrol(people.participant)
    week = login(people.participant, "en").get(reverse("course:week", args=[1])).content.decode()
    assert "Send to my coach" in week


# --- asking for a coach ----------------------------------------------------------------------


def _ask(client, org, consent=True):
    data = {"organisation": org.pk}
    if consent:
        data["consent_share"] = "on"
    return client.post(reverse("course:ask_coach"), data)


def test_asking_for_a_coach_needs_consent_and_a_choice(alone, people):
    c = login(alone, "en")
    page = c.get(reverse("course:ask_coach")).content.decode()
    assert "Org A" in page and "Org B" in page  # two organisations: the person chooses
    assert "sees your name and e-mail address" in page
    r = _ask(c, people.org, consent=False)
    assert r.status_code == 400 and not CoachRequest.objects.exists()
    r = c.post(reverse("course:ask_coach"), {"consent_share": "on"})
    assert r.status_code == 400 and not CoachRequest.objects.exists()
    r = _ask(c, people.org)
    assert r.status_code == 302
    req = CoachRequest.objects.get()
    assert req.participant == alone and req.organisation == people.org and req.is_open
    assert has_consent(alone, ConsentPurpose.SHARE_WITH_COACH)
    # Asking twice keeps one open request.
    _ask(c, people.org)
    assert CoachRequest.objects.count() == 1
    assert "asked" in c.get(reverse("course:overview")).content.decode()


def test_the_admin_sees_the_request_and_assigns_a_coach(alone, people, client_for):
    enrolment = enrolment_domain.enrol(alone, now=days_ago(15))
    answers.submit(enrolment, week1_ids()[0], "Ik voel me vaak alleen.", now=days_ago(14))
    assert situation(enrolment).state.week(3).is_open
    _ask(login(alone), people.org)
    admin = client_for("org_admin")
    page = admin.get(reverse("organisation:coach_requests")).content.decode()
    assert alone.email in page and people.coach.display_name in page
    assert people.foreign_coach.display_name not in page  # another organisation's coach
    req = CoachRequest.objects.get()
    r = admin.post(reverse("organisation:assign_coach", args=[req.pk]), {"coach": people.coach.pk})
    assert r.status_code == 302
    req.refresh_from_db()
    assert not req.is_open
    assert CoachAssignment.objects.filter(participant=alone, coach=people.coach, active=True)
    # The weeks that were open stay open; from now on feedback counts again.
    enrolment.refresh_from_db()
    assert enrolment.feedback_blocks is True
    s = situation(enrolment)
    assert s.state.week(2).is_open and s.state.week(3).is_open
    # The participant is told, in plain words, and the week texts speak of the coach.
    overview = login(alone, "en").get(reverse("course:overview")).content.decode()
    assert f"{people.coach.display_name} is your coach now" in overview
    week = login(alone, "en").get(reverse("course:week", args=[3])).content.decode()
    assert "Send to my coach" in week
    # No longer on the admin's list.
    assert alone.email not in admin.get(reverse("organisation:coach_requests")).content.decode()


def test_the_admin_can_only_choose_an_active_coach_of_their_own_organisation(
    alone, people, client_for
):
    _ask(login(alone), people.other_org)
    foreign_req = CoachRequest.objects.get()
    admin = client_for("org_admin")
    # A request to another organisation is not theirs to see.
    assert alone.email not in admin.get(reverse("organisation:coach_requests")).content.decode()
    url = reverse("organisation:assign_coach", args=[foreign_req.pk])
    assert admin.post(url, {"coach": people.coach.pk}).status_code == 404
    foreign_req.organisation = people.org
    foreign_req.save()
    r = admin.post(url, {"coach": people.foreign_coach.pk})
    assert r.status_code == 400 and "Kies een coach van deze organisatie" in r.content.decode()
    assert not CoachAssignment.objects.filter(participant=alone).exists()


def test_a_participant_can_cancel_their_request(alone, people):
    c = login(alone)
    _ask(c, people.org)
    r = c.post(reverse("course:cancel_coach_request"))
    assert r.status_code == 302
    assert not CoachRequest.objects.get().is_open


def test_someone_the_course_fits_only_with_a_coachs_agreement_can_ask_for_one(people):
    from test_course_support import PERSISTENT_ANSWERS

    user = register_person("twijfel@example.org", PASSWORD, "nl", consent_to_store=True)
    measured(user, PERSISTENT_ANSWERS)
    html = login(user, "en").get(reverse("course:overview")).content.decode()
    assert reverse("course:ask_coach") in html


# --- 2. a coach who leaves ------------------------------------------------------------------


def test_a_deactivated_coachs_participants_are_told_and_listed_for_handover(people, client_for):
    measured(people.participant)
    enrolment = enrolment_domain.enrol(people.participant, now=days_ago(8))
    answers.submit(enrolment, week1_ids()[0], "Ik voel me vaak alleen.", now=days_ago(7))
    deactivate_coach(Membership.objects.get(user=people.coach, role=Role.COACH))
    enrolment.refresh_from_db()
    assert situation(enrolment).state.week(2).is_open
    req = CoachRequest.objects.get(participant=people.participant)
    assert req.is_open and req.organisation == people.org and req.reason == "coach_left"
    overview = login(people.participant, "en").get(reverse("course:overview")).content.decode()
    assert "Your coach no longer works with you" in overview
    assert reverse("course:cancel_coach_request") in overview
    admin = client_for("org_admin")
    page = admin.get(reverse("organisation:coach_requests")).content.decode()
    assert people.participant.email in page
    # The organisation page leads there.
    dashboard = admin.get(reverse("organisation:dashboard")).content.decode()
    assert reverse("organisation:coach_requests") in dashboard
    admin.post(
        reverse("organisation:assign_coach", args=[req.pk]), {"coach": people.other_coach.pk}
    )
    assert CoachAssignment.objects.filter(
        participant=people.participant, coach=people.other_coach, active=True
    ).exists()
    # The history of who saw the participant's data stays.
    assert CoachAssignment.objects.filter(participant=people.participant, coach=people.coach)


def test_a_participant_who_withdrew_their_coach_is_not_handed_over(people, client_for):
    assignments.withdraw_access(people.assignment)
    assert not CoachRequest.objects.filter(participant=people.participant).exists()


def test_no_handover_once_the_participant_withdrew_consent(people, client_for):
    deactivate_coach(Membership.objects.get(user=people.coach, role=Role.COACH))
    req = CoachRequest.objects.get(participant=people.participant)
    from verbind.accounts.domain.consent import withdraw_consent

    withdraw_consent(people.participant, ConsentPurpose.SHARE_WITH_COACH)
    r = client_for("org_admin").post(
        reverse("organisation:assign_coach", args=[req.pk]), {"coach": people.other_coach.pk}
    )
    assert r.status_code == 400
    assert not CoachAssignment.objects.filter(participant=people.participant, active=True)


@pytest.mark.parametrize("role", ["coach", "org_admin"])
def test_a_work_account_cannot_delete_itself_and_is_told_what_to_do(people, client_for, role):
    c = client_for(role)
    c.cookies["django_language"] = "en"
    page = c.get(reverse("accounts:delete_account")).content.decode()
    assert "work account" in page and "Org A" in page
    assert 'name="password"' not in page
    r = c.post(reverse("accounts:delete_account"), {"password": PASSWORD, "confirm": "on"})
    assert r.status_code in (200, 403)
    assert User.objects.filter(pk=people.user(role).pk).exists()
    assert CoachAssignment.objects.filter(coach=people.coach).exists()


def test_a_former_coach_cannot_delete_the_record_either(people, client_for):
    deactivate_coach(Membership.objects.get(user=people.coach, role=Role.COACH))
    c = Client()
    c.force_login(people.coach)
    c.post(reverse("accounts:delete_account"), {"password": PASSWORD, "confirm": "on"})
    assert CoachAssignment.objects.filter(coach=people.coach).exists()


def test_a_new_organisation_without_coaches_is_not_offered(alone, people):
    empty = Organisation.objects.create(name="Org Leeg", slug="org-leeg")
    page = login(alone).get(reverse("course:ask_coach")).content.decode()
    assert empty.name not in page
    make_coach(empty, "eerste@example.org", "Eerste Coach")
    assert empty.name in login(alone).get(reverse("course:ask_coach")).content.decode()


# --- the result page promises what happens -----------------------------------------------


def _route_card_after_test(client):
    from test_measurements import answers_for
    from test_result_next_steps import route_card
    from test_selftest import take_test, text_of

    response = take_test(client, answers_for(lonely=True, isolated=True, duration="gt_2_years"))
    return text_of(route_card(client.get(response["Location"]).content.decode()))


def test_the_result_page_promises_no_coach_conversation_to_someone_without_a_coach(alone):
    c = login(alone)
    card = _route_card_after_test(c)
    assert "gesprek met een coach" not in card
    assert "geen coach" in card and "zelf" in card


def test_the_result_page_names_the_coach_to_someone_with_one(people):
    c = login(people.participant)
    card = _route_card_after_test(c)
    assert "gesprek met een coach" not in card
    assert "Uw coach" in card


def test_a_coach_turning_waiting_back_on_does_not_close_an_open_week(people):
    measured(people.participant)
    enrolment = enrolment_domain.enrol(people.participant, now=at(0))
    answers.submit(enrolment, week1_ids()[0], "Ik voel me vaak alleen.", now=at(1))
    enrolment_domain.set_feedback_blocking(enrolment, False, now=at(10))
    assert situation(enrolment, at(10)).state.week(2).is_open
    enrolment_domain.set_feedback_blocking(enrolment, True, now=at(10))
    enrolment.refresh_from_db()
    assert situation(enrolment, at(10)).state.week(2).is_open


def test_requests_for_a_coach_are_in_the_data_download_and_go_with_the_account(alone, people):
    from verbind.participant.domain.personal_data import delete_account, export_data

    _ask(login(alone), people.org)
    data = export_data(alone)
    assert data["coach_requests"] == [
        {
            "organisation": "Org A",
            "reason": "asked",
            "asked_at": data["coach_requests"][0]["asked_at"],
            "closed_at": None,
            "cancelled_at": None,
            "coach": None,
        }
    ]
    delete_account(alone)
    assert not CoachRequest.objects.exists()


def test_the_home_page_tells_a_released_participant_in_plain_words(people):
    deactivate_coach(Membership.objects.get(user=people.coach, role=Role.COACH))
    html = login(people.participant, "en").get(reverse("accounts:home")).content.decode()
    assert "Your coach stopped. We asked Org A to find a new coach for you." in html


def test_a_coach_given_another_way_takes_the_person_off_the_admins_list(alone, people):
    _ask(login(alone), people.org)
    # For example: a coach invited them and they accepted.
    assignments.assign_coach(participant=alone, coach=people.other_coach, organisation=people.org)
    assert not CoachRequest.objects.get().is_open
    assert not assignments.open_requests_for(people.org).exists()


def test_the_result_page_of_someone_who_reads_with_some_difficulty_and_has_no_coach(alone):
    from test_measurements import answers_for
    from test_result_next_steps import route_card
    from test_selftest import take_test, text_of

    c = login(alone)
    answers = {
        **answers_for(lonely=True, isolated=True, duration="gt_2_years"),
        "context_literacy": "some_difficulty",
    }
    response = take_test(c, answers)
    card = text_of(route_card(c.get(response["Location"]).content.decode()))
    assert "eerst met een coach" in card  # the next step says so
    # Not "do it on your own": this course starts after a talk with a coach.
    assert "zelf doen" not in card and "coach vragen" in card


def test_participants_released_before_the_list_existed_are_put_on_it(people):
    """A coach deactivated before coach requests existed: their participant (consent to a
    coach still given, no coach left) is put on the list once; someone who withdrew their
    coach themselves is not."""
    from importlib import import_module

    from django.apps import apps

    from verbind.accounts.domain.consent import withdraw_consent

    migration = import_module("verbind.coaching.migrations.0004_coach_request")
    membership = Membership.objects.get(user=people.coach, role=Role.COACH)
    deactivate_coach(membership)
    CoachRequest.objects.all().delete()  # as before this change
    # other_participant withdrew their coach themselves (consent withdrawn with it).
    people.other_assignment.active = False
    people.other_assignment.save()
    withdraw_consent(people.other_participant, ConsentPurpose.SHARE_WITH_COACH)
    migration.requests_for_released_participants(apps, None)
    migration.requests_for_released_participants(apps, None)  # twice: nothing doubles
    req = CoachRequest.objects.get()
    assert req.participant == people.participant and req.reason == "coach_left"
    assert req.organisation == people.org


def test_the_participant_gets_a_link_only_e_mail_when_their_coach_changes(
    alone, people, client_for, django_capture_on_commit_callbacks
):
    from django.core import mail

    _ask(login(alone), people.org)
    req = CoachRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("org_admin").post(
            reverse("organisation:assign_coach", args=[req.pk]), {"coach": people.coach.pk}
        )
    assert [m.to for m in mail.outbox] == [[alone.email]]
    body = mail.outbox[0].body
    assert reverse("accounts:home") in body
    assert people.coach.display_name not in body and "Org A" not in body
    # The coach stops: their participants hear of it the same way.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deactivate_coach(Membership.objects.get(user=people.coach, role=Role.COACH))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alone.email, people.participant.email])
