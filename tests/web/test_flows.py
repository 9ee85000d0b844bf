"""Service functions and the pages that call them: registration with consent, invitations,
withdrawing and sharing access, private notes, export and deletion, deactivating coaches."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from test_measurements import answers_for
from web_base import PASSWORD, add_measurement, make_user

from verbind.accounts.models import ConsentPurpose, ConsentRecord, Invitation, User
from verbind.coaching.domain import invitations
from verbind.coaching.models import Alert, CoachAssignment, CoachNote, CoachShare
from verbind.participant.domain import personal_data
from verbind.screening.domain import pending
from verbind.screening.models import Measurement

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "een lange nieuwe zin 42"


# --- registration -----------------------------------------------------------------------


def test_register_saves_the_pending_result_with_consent(client):
    answers = answers_for(lonely=True, isolated=True)
    client.cookies[pending.COOKIE_NAME] = pending.dump("short", answers, "nl")
    response = client.post(
        reverse("accounts:register"),
        {
            "email": "New.Person@Example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "consent_store": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    m = Measurement.objects.get(participant=user)
    assert m.answers == answers
    consent = ConsentRecord.objects.get(user=user)
    assert consent.purpose == ConsentPurpose.STORE_MEASUREMENTS and consent.text
    assert response.cookies[pending.COOKIE_NAME].value == ""  # the browser copy is cleared


def test_register_without_consent_stores_nothing(client):
    client.cookies[pending.COOKIE_NAME] = pending.dump("short", answers_for(True, True), "nl")
    response = client.post(
        reverse("accounts:register"),
        {"email": "x@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "consent_store" in response.context["form"].errors
    assert not User.objects.exists() and not Measurement.objects.exists()


def test_tampered_pending_cookie_is_ignored():
    value = pending.dump("short", {"djg6_1": "yes"}, "nl")
    assert pending.load(value) is not None
    assert pending.load(value[:-2] + "xx") is None
    assert pending.load("") is None


# --- invitations ------------------------------------------------------------------------


def test_participant_invitation_end_to_end(people, django_capture_on_commit_callbacks):
    coach = Client()
    coach.force_login(people.coach)
    with django_capture_on_commit_callbacks(execute=True):  # e-mail goes out after commit
        response = coach.post(reverse("coaching:invite"), {"email": "Nieuw@Example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["nieuw@example.org"]
    url = next(w for w in body.split() if "/account/invitation/" in w)
    path = url.split("://", 1)[1].split("/", 1)[1]

    newcomer = Client()
    page = newcomer.get("/" + path)
    assert page.status_code == 200
    response = newcomer.post(
        "/" + path,
        {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "consent_store": "on",
            "consent_share": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.org")
    assert CoachAssignment.objects.filter(
        participant=user, coach=people.coach, active=True
    ).exists()
    assert set(ConsentRecord.objects.filter(user=user).values_list("purpose", flat=True)) == {
        ConsentPurpose.STORE_MEASUREMENTS,
        ConsentPurpose.SHARE_WITH_COACH,
    }
    # The coach now sees the newcomer; the link cannot be used twice.
    assert coach.get(reverse("coaching:participant", args=[user.pk])).status_code == 200
    used = Client().get("/" + path)
    assert used.status_code == 410
    # "This invitation was already accepted. You can log in." comes with the way to do it.
    assert f'<a class="button" href="{reverse("accounts:login")}">' in used.content.decode()


def test_invitation_expires(people):
    inv = invitations.invite_participant(people.coach, people.org, "late@example.org", "nl")
    token = invitations.make_token(inv)
    assert invitations.read_token(token) == inv
    later = time.time() + invitations.max_age_seconds() + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        with pytest.raises(invitations.InvitationError) as excinfo:
            invitations.read_token(token)
        assert excinfo.value.code == "expired"
        response = Client().get(reverse("accounts:accept_invitation", args=[token]))
        assert response.status_code == 410


def test_invitation_tampered_revoked_and_wrong_person(people):
    inv = invitations.invite_participant(people.coach, people.org, "a@example.org", "nl")
    token = invitations.make_token(inv)
    with pytest.raises(invitations.InvitationError, match="not valid"):
        invitations.read_token(token[:-3] + "abc")
    newer = invitations.invite_participant(people.coach, people.org, "a@example.org", "nl")
    with pytest.raises(invitations.InvitationError) as excinfo:
        invitations.read_token(token)
    assert excinfo.value.code == "revoked"
    with pytest.raises(invitations.InvitationError) as excinfo:
        invitations.accept_invitation(newer, people.other_participant, "nl")
    assert excinfo.value.code == "wrong_email"


def test_coach_invitation_makes_a_coach(people, client):
    client.force_login(people.org_admin)
    client.post(reverse("organisation:invite_coach"), {"email": "new.coach@example.org"})
    inv = Invitation.objects.get(email="new.coach@example.org")
    url = reverse("accounts:accept_invitation", args=[invitations.make_token(inv)])
    newcomer = Client()
    response = newcomer.post(
        url, {"name": "Nina", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert newcomer.get(reverse("coaching:dashboard")).status_code == 200
    # A coach account holds no measurements, so no consent to store them was asked.
    assert not ConsentRecord.objects.filter(user__email="new.coach@example.org").exists()


def test_foreign_coach_cannot_accept_a_coach_invitation_of_another_org(people):
    inv = invitations.invite_coach(people.org_admin, people.org, people.foreign_coach.email, "nl")
    with pytest.raises(invitations.InvitationError) as excinfo:
        invitations.accept_invitation(inv, people.foreign_coach, "nl")
    assert excinfo.value.code == "coach_elsewhere"


# --- withdrawing, sharing, notes ----------------------------------------------------------


def test_participant_withdraws_access(people, client_for):
    CoachShare.objects.create(assignment=people.assignment, coach=people.other_coach)
    colleague = client_for("other_coach")
    page = reverse("coaching:participant", args=[people.participant.pk])
    assert colleague.get(page).status_code == 200
    response = client_for("participant").post(
        reverse("accounts:withdraw_coach", args=[people.assignment.pk])
    )
    assert response.status_code == 302
    assert client_for("coach").get(page).status_code == 404
    assert colleague.get(page).status_code == 404
    dashboard = client_for("coach").get(reverse("coaching:dashboard")).content.decode()
    assert people.participant.name not in dashboard
    people.assignment.refresh_from_db()
    assert people.assignment.active is False and people.assignment.withdrawn_at is not None
    assert not ConsentRecord.objects.filter(
        user=people.participant, purpose=ConsentPurpose.SHARE_WITH_COACH, withdrawn_at=None
    ).exists()


def test_sharing_only_with_colleagues_of_the_same_organisation(people, client_for):
    coach = client_for("coach")
    url = reverse("coaching:share", args=[people.participant.pk])
    assert coach.post(url, {"colleague": people.foreign_coach.pk}).status_code == 400
    assert not CoachShare.objects.exists()
    assert coach.post(url, {"colleague": people.other_coach.pk}).status_code == 302
    colleague = client_for("other_coach")
    dashboard = colleague.get(reverse("coaching:dashboard")).content.decode()
    assert people.participant.name in dashboard
    # The colleague sees the participant, but never the primary coach's private notes.
    page = colleague.get(reverse("coaching:participant", args=[people.participant.pk]))
    assert page.status_code == 200
    assert people.note.text not in page.content.decode()


def test_notes_are_private_to_their_author(people, client_for):
    CoachShare.objects.create(assignment=people.assignment, coach=people.other_coach)
    colleague = client_for("other_coach")
    colleague.post(
        reverse("coaching:add_note", args=[people.participant.pk]), {"text": "colleague note"}
    )
    own = client_for("coach").get(reverse("coaching:participant", args=[people.participant.pk]))
    assert "colleague note" not in own.content.decode()
    assert CoachNote.objects.filter(author=people.other_coach).count() == 1
    assert (
        client_for("coach")
        .post(reverse("coaching:add_note", args=[people.participant.pk]), {"text": "   "})
        .status_code
        == 400
    )


def test_deactivated_coach_loses_everything(people, client_for):
    admin = client_for("org_admin")
    from verbind.accounts.models import Membership, Role

    membership = Membership.objects.get(user=people.coach, role=Role.COACH)
    admin.post(reverse("organisation:deactivate_coach", args=[membership.pk]), {"confirm": "yes"})
    coach = client_for("coach")
    assert coach.get(reverse("coaching:dashboard")).status_code == 403
    assert not CoachAssignment.objects.filter(coach=people.coach, active=True).exists()
    # The participant keeps their own data.
    assert Measurement.objects.filter(participant=people.participant).count() == 2


def test_org_admin_sees_counts_not_people(people, client_for):
    body = client_for("org_admin").get(reverse("organisation:dashboard")).content.decode()
    assert people.participant.email not in body and people.participant.name not in body
    assert people.coach.email in body  # coaches are the admin's to manage


def test_resolve_alert(people, client_for):
    client_for("coach").post(reverse("coaching:resolve_alert", args=[people.alert.pk]))
    people.alert.refresh_from_db()
    assert people.alert.resolved_at is not None and people.alert.resolved_by == people.coach


# --- export and delete --------------------------------------------------------------------


def test_export_json_has_everything_and_only_mine(people, client_for):
    response = client_for("participant").get(reverse("accounts:export_json"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == people.participant.email
    assert len(data["measurements"]) == 2
    assert {c["purpose"] for c in data["consents"]} == {"store_measurements", "share_with_coach"}
    assert data["coaches"][0]["coach"] == people.coach.display_name
    text = response.content.decode()
    assert people.other_participant.email not in text
    # A coach's note about me is my personal data (right of access): it is in my download.
    assert [n["text"] for n in data["notes_by_coaches"]] == [people.note.text]


def test_export_csv(people, client_for):
    add_measurement(people.participant, answers={"djg6_1": "=HYPERLINK()"})
    response = client_for("participant").get(reverse("accounts:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][:3] == ["Datum", "Test", "Uitkomst"]  # after a line about the table
    assert len(rows) == 2 + 3
    assert "'=HYPERLINK()" in rows[-1]  # never a live formula in a spreadsheet


def test_delete_account_needs_the_password_then_removes_everything(people, client_for):
    client = client_for("participant")
    url = reverse("accounts:delete_account")
    assert client.post(url, {"password": "wrong"}).status_code == 200
    assert User.objects.filter(pk=people.participant.pk).exists()
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    pk = people.participant.pk
    assert not User.objects.filter(pk=pk).exists()
    assert not Measurement.objects.filter(participant_id=pk).exists()
    assert not Alert.objects.filter(participant_id=pk).exists()
    assert not CoachAssignment.objects.filter(participant_id=pk).exists()
    assert not CoachNote.objects.filter(participant_id=pk).exists()
    assert not ConsentRecord.objects.filter(user_id=pk).exists()
    # Logged out, and the others are untouched.
    assert client.get(reverse("accounts:home")).status_code == 302
    assert Measurement.objects.filter(participant=people.other_participant).count() == 1


def test_delete_account_service_leaves_no_trace_of_the_address(people):
    email = people.participant.email
    personal_data.delete_account(people.participant)
    assert not Invitation.objects.filter(email=email).exists()
    assert not User.objects.filter(email=email).exists()


# --- login throttling -----------------------------------------------------------------------


def test_login_is_throttled_after_repeated_failures(people, settings):
    client = Client()
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": people.participant.email, "password": "wrong password"})
    # Upper case is the same person: no extra attempts by changing case.
    response = client.post(
        url, {"username": people.participant.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_works(people):
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": people.participant.email.upper(), "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_invitation_max_age_setting(settings):
    settings.INVITATION_MAX_AGE_DAYS = 3
    assert invitations.max_age_seconds() == int(timedelta(days=3).total_seconds())


def test_register_rejects_existing_address(people, client):
    response = client.post(
        reverse("accounts:register"),
        {
            "email": people.participant.email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "consent_store": "on",
        },
    )
    assert response.status_code == 200 and "email" in response.context["form"].errors
    assert make_user("unique@example.org").email == "unique@example.org"


def test_create_organisation_command_is_idempotent(db):
    from django.core.management import CommandError, call_command

    from verbind.accounts.models import Membership, Organisation

    call_command("create_organisation", "Wijkteam Noord", admin="Beheer@Example.org")
    call_command("create_organisation", "Wijkteam Noord", admin="beheer@example.org")
    org = Organisation.objects.get()
    admin = User.objects.get(email="beheer@example.org")
    assert not admin.has_usable_password()
    assert Membership.objects.filter(user=admin, organisation=org, role="org_admin").count() == 1
    with pytest.raises(CommandError, match="not an e-mail address"):
        call_command("create_organisation", "X", admin="nobody")
