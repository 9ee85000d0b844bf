"""Inviting someone who already has an invitation or an account, the list of invitations
that wait for an answer (send again, withdraw), and where the e-mailed link points."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from verbind.accounts.models import Invitation, InvitationKind, Membership, Role
from verbind.coaching.domain import invitations

pytestmark = pytest.mark.django_db


def _client(user, lang: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client


def _visitor(lang: str = "en") -> Client:
    """Someone who opens a link from an e-mail (not logged in)."""
    client = Client()
    client.cookies["django_language"] = lang
    return client


def _link(message) -> str:
    """The path of the invitation link in an e-mail."""
    url = next(w for w in message.body.split() if "/account/invitation/" in w)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _invite(client, capture, email: str, **extra):
    with capture(execute=True):
        return client.post(reverse("coaching:invite"), {"email": email, **extra})


def _age(invitation: Invitation, days: int) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(days=days),
        created_at=timezone.now() - timedelta(days=days),
    )


# --- inviting an address again ----------------------------------------------------------


def test_an_open_invitation_is_not_sent_again_silently(people, django_capture_on_commit_callbacks):
    coach = _client(people.coach)
    first = _invite(coach, django_capture_on_commit_callbacks, "nieuw@example.org")
    assert first.status_code == 302
    assert len(mail.outbox) == 1
    _age(Invitation.objects.get(), 3)

    response = _invite(coach, django_capture_on_commit_callbacks, "Nieuw@Example.org")
    assert response.status_code == 200
    html = response.content.decode()
    assert "An invitation to nieuw@example.org is already waiting" in html
    # The page offers to send it again, with a new link.
    invitation = Invitation.objects.get()
    assert f'action="{reverse("coaching:resend_invitation", args=[invitation.pk])}"' in html
    assert len(mail.outbox) == 1  # nothing sent
    assert Invitation.objects.count() == 1


def test_a_double_click_on_send_sends_one_invitation(people, django_capture_on_commit_callbacks):
    coach = _client(people.coach)
    first = _invite(coach, django_capture_on_commit_callbacks, "nieuw@example.org")
    second = _invite(coach, django_capture_on_commit_callbacks, "nieuw@example.org")
    assert first.status_code == second.status_code == 302
    assert len(mail.outbox) == 1
    assert Invitation.objects.count() == 1


def test_an_existing_account_is_named_without_saying_more(
    people, django_capture_on_commit_callbacks
):
    # other_participant is coached by a colleague: the coach learns only that the address
    # has an account, not whose participant it is.
    coach = _client(people.coach)
    email = people.other_participant.email
    response = _invite(coach, django_capture_on_commit_callbacks, email)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is already an account with this e-mail address" in html
    for secret in (people.other_participant.name, people.other_coach.name, "participant of"):
        assert secret not in html
    assert len(mail.outbox) == 0 and not Invitation.objects.exists()
    # Sending anyway is the coach's choice: the person accepts after logging in.
    response = _invite(coach, django_capture_on_commit_callbacks, email, send_to_account="1")
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]


def test_a_colleagues_invitation_stays_as_it_is(people, django_capture_on_commit_callbacks):
    theirs = invitations.invite_participant(people.other_coach, people.org, "n@example.org", "nl")
    coach = _client(people.coach)
    assert _invite(coach, django_capture_on_commit_callbacks, "n@example.org").status_code == 302
    theirs.refresh_from_db()
    assert theirs.is_open  # not withdrawn by someone else's invitation
    assert Invitation.objects.filter(email="n@example.org", revoked_at=None).count() == 2


def test_own_participant_and_own_address_are_not_invited(
    people, django_capture_on_commit_callbacks
):
    coach = _client(people.coach)
    response = _invite(coach, django_capture_on_commit_callbacks, people.participant.email)
    assert "This person is already one of your participants." in response.content.decode()
    response = _invite(coach, django_capture_on_commit_callbacks, people.coach.email)
    assert "This is your own e-mail address." in response.content.decode()
    assert len(mail.outbox) == 0 and not Invitation.objects.exists()


def test_the_dutch_page_says_it_in_dutch(people, django_capture_on_commit_callbacks):
    coach = _client(people.coach, "nl")
    _invite(coach, django_capture_on_commit_callbacks, "nieuw@example.org")
    _age(Invitation.objects.get(), 1)
    html = _invite(coach, django_capture_on_commit_callbacks, "nieuw@example.org").content.decode()
    assert "Er wacht al een uitnodiging voor nieuw@example.org" in html
    html = _invite(
        coach, django_capture_on_commit_callbacks, people.other_participant.email
    ).content.decode()
    assert "Er is al een account met dit e-mailadres" in html


def test_an_admin_is_told_about_coaches(people, django_capture_on_commit_callbacks):
    admin = _client(people.org_admin)
    url = reverse("organisation:invite_coach")
    with django_capture_on_commit_callbacks(execute=True):
        here = admin.post(url, {"email": people.other_coach.email}).content.decode()
        elsewhere = admin.post(url, {"email": people.foreign_coach.email}).content.decode()
        admin.post(url, {"email": "nieuwe.coach@example.org"})
    assert "is already a coach here" in here
    assert "already a coach in another organisation" in elsewhere
    assert len(mail.outbox) == 1
    _age(Invitation.objects.get(), 1)
    with django_capture_on_commit_callbacks(execute=True):
        again = admin.post(url, {"email": "nieuwe.coach@example.org"})
    assert "An invitation to nieuwe.coach@example.org is already waiting" in again.content.decode()
    assert len(mail.outbox) == 1


# --- the list: send again, withdraw -----------------------------------------------------


def test_the_coach_sees_only_their_own_waiting_invitations(people):
    mine = invitations.invite_participant(people.coach, people.org, "mine@example.org", "nl")
    invitations.invite_participant(people.other_coach, people.org, "theirs@example.org", "nl")
    accepted = invitations.invite_participant(people.coach, people.org, "done@example.org", "nl")
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    old = invitations.invite_participant(people.coach, people.org, "old@example.org", "nl")
    _age(old, 30)
    html = _client(people.coach).get(reverse("coaching:invitations")).content.decode()
    assert '<th scope="row">mine@example.org' in html and '<th scope="row">old@example.org' in html
    assert "theirs@example.org" not in html and "done@example.org" not in html
    assert "The link has expired" in html
    assert f'action="{reverse("coaching:revoke_invitation", args=[mine.pk])}"' in html
    # A colleague cannot touch it.
    other = _client(people.other_coach)
    for name in ("coaching:resend_invitation", "coaching:revoke_invitation"):
        assert other.post(reverse(name, args=[mine.pk]), {"sent": "1"}).status_code == 404
    assert Invitation.objects.get(pk=mine.pk).is_open


def test_sending_again_gives_a_new_link_once(people, django_capture_on_commit_callbacks):
    coach = _client(people.coach)
    _invite(coach, django_capture_on_commit_callbacks, "nieuw@example.org")
    old_link = _link(mail.outbox[0])
    invitation = Invitation.objects.get()
    url = reverse("coaching:resend_invitation", args=[invitation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = coach.post(url, {"sent": invitation.send_count})
        # The same form sent twice (a double click, a reload): one e-mail.
        second = coach.post(url, {"sent": invitation.send_count})
    assert first.status_code == second.status_code == 302
    assert len(mail.outbox) == 2
    new_link = _link(mail.outbox[1])
    assert new_link != old_link
    assert _visitor().get(new_link).status_code == 200
    page = _visitor().get(old_link)
    assert page.status_code == 410
    assert "A newer e-mail with a new link was sent" in page.content.decode()


def test_withdrawing_stops_the_link(people, django_capture_on_commit_callbacks):
    coach = _client(people.coach)
    _invite(coach, django_capture_on_commit_callbacks, "nieuw@example.org")
    link = _link(mail.outbox[0])
    invitation = Invitation.objects.get()
    url = reverse("coaching:revoke_invitation", args=[invitation.pk])
    assert coach.post(url).status_code == 302
    assert coach.post(url).status_code == 302  # twice is fine
    page = _visitor().get(link)
    assert page.status_code == 410
    html = page.content.decode()
    assert "This invitation was withdrawn." in html
    # The person knows whom to ask.
    assert people.coach.name in html and people.org.name in html
    listed = coach.get(reverse("coaching:invitations")).content.decode()
    assert '<th scope="row">nieuw@example.org' not in listed


def test_an_expired_link_says_whom_to_ask(people):
    invitation = invitations.invite_participant(people.coach, people.org, "laat@example.org", "nl")
    token = invitations.make_token(invitation)
    later = time.time() + invitations.max_age_seconds() + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        page = _visitor("nl").get(reverse("accounts:accept_invitation", args=[token]))
    assert page.status_code == 410
    html = page.content.decode()
    assert "De link is te oud." in html
    assert people.coach.name in html and people.org.name in html


def test_the_admin_sends_again_and_withdraws_coach_invitations(
    people, django_capture_on_commit_callbacks
):
    admin = _client(people.org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("organisation:invite_coach"), {"email": "nieuwe.coach@example.org"})
    invitation = Invitation.objects.get(kind=InvitationKind.COACH)
    html = admin.get(reverse("organisation:dashboard")).content.decode()
    resend = reverse("organisation:resend_invitation", args=[invitation.pk])
    revoke = reverse("organisation:revoke_invitation", args=[invitation.pk])
    assert f'action="{resend}"' in html and f'action="{revoke}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(resend, {"sent": "1"}).status_code == 302
        assert admin.post(resend, {"sent": "1"}).status_code == 302
    assert len(mail.outbox) == 2
    assert admin.post(revoke).status_code == 302
    assert Client().get(_link(mail.outbox[1])).status_code == 410
    # A coach's participant invitation is not the admin's to touch.
    theirs = invitations.invite_participant(people.coach, people.org, "p@example.org", "nl")
    theirs_url = reverse("organisation:revoke_invitation", args=[theirs.pk])
    assert admin.post(theirs_url).status_code == 404


# --- links: where the e-mail points -----------------------------------------------------


@override_settings(DEBUG=True, ALLOWED_HOSTS=["localhost", "testserver"])
def test_in_development_the_link_uses_the_address_the_app_is_reached_on(
    people, django_capture_on_commit_callbacks
):
    coach = Client(HTTP_HOST="localhost:8123")
    coach.force_login(people.coach)
    _invite(coach, django_capture_on_commit_callbacks, "nieuw@example.org")
    assert "http://localhost:8123/account/invitation/" in mail.outbox[0].body
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        coach.post(
            reverse("coaching:resend_invitation", args=[invitation.pk]),
            {"sent": invitation.send_count},
        )
    assert "http://localhost:8123/account/invitation/" in mail.outbox[1].body


@override_settings(
    DEBUG=False, SITE_URL="https://verbind.example.org", ALLOWED_HOSTS=["localhost", "testserver"]
)
def test_in_production_the_link_uses_site_url(people, django_capture_on_commit_callbacks):
    coach = Client(HTTP_HOST="localhost:8123")
    coach.force_login(people.coach)
    _invite(coach, django_capture_on_commit_callbacks, "nieuw@example.org")
    assert "https://verbind.example.org/account/invitation/" in mail.outbox[0].body


# --- where the list is found ------------------------------------------------------------


def test_coach_pages_lead_to_the_list(people):
    coach = _client(people.coach)
    target = f'href="{reverse("coaching:invitations")}"'
    for name in ("coaching:dashboard", "coaching:invite"):
        assert target in coach.get(reverse(name)).content.decode(), name


def test_a_coach_who_is_also_the_admin_finds_both_lists(people):
    Membership.objects.create(user=people.org_admin, organisation=people.org, role=Role.COACH)
    invitations.invite_participant(people.org_admin, people.org, "deelnemer@example.org", "nl")
    invitations.invite_coach(people.org_admin, people.org, "collega@example.org", "nl")
    client = _client(people.org_admin)
    dashboard = client.get(reverse("coaching:dashboard")).content.decode()
    assert f'href="{reverse("coaching:invitations")}"' in dashboard
    mine = client.get(reverse("coaching:invitations")).content.decode()
    assert '<th scope="row">deelnemer@example.org' in mine and "collega@example.org" not in mine
    # The organisation page lists coach invitations only: a participant's address is the
    # coach's business, not the organisation's.
    org_page = client.get(reverse("organisation:dashboard")).content.decode()
    assert '<th scope="row">collega@example.org' in org_page
    assert "deelnemer@example.org" not in org_page
