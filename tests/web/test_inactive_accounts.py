"""Participants who stopped using verbind: an e-mail first, deletion only after the notice
period, and never for someone who logged in again (participant/domain/inactive_accounts.py, the rule
in core/retention_rules.py, run by ``manage.py delete_inactive_accounts``)."""

from __future__ import annotations

import datetime as dt
import socket
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from web_base import make_participant, make_user

from verbind.accounts.models import ConsentRecord, Membership, User
from verbind.coaching.models import Alert, CoachAssignment, CoachNote
from verbind.participant.domain import inactive_accounts, personal_data
from verbind.screening.models import Measurement

NOW = timezone.now()


def long_gone(user: User, months: int = 25) -> User:
    """Make the person's last login (and joining) ``months`` ago."""
    moment = NOW - dt.timedelta(days=months * 31)
    User.objects.filter(pk=user.pk).update(last_login=moment, date_joined=moment)
    user.refresh_from_db()
    return user


def run(now=None, dry_run=False):
    return inactive_accounts.apply_retention(now or NOW, dry_run=dry_run)


def test_an_unused_account_gets_the_notice_in_its_own_language(people):
    people.participant.preferred_language = "en"
    people.participant.save()
    long_gone(people.participant)
    report = run()
    assert report.warned == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people.participant.email]
    assert message.subject == "Do you still want to use verbind?"
    deletion = timezone.localtime(NOW + dt.timedelta(days=30))
    assert f"on {deletion.day} {deletion:%B} {deletion.year}" in message.body
    assert "for 24 months" in message.body
    assert "http://testserver" not in message.body  # an absolute address from SITE_URL
    assert reverse("accounts:login") in message.body
    assert reverse("accounts:my_data") in message.body
    # Nothing personal beyond the address it goes to.
    assert people.participant.name not in message.body
    people.participant.refresh_from_db()
    assert people.participant.deletion_warned_at == NOW


def test_the_notice_in_dutch(people):
    long_gone(people.participant)  # preferred language: Dutch (the default)
    run()
    message = mail.outbox[0]
    assert message.subject == "Wilt u verbind nog gebruiken?"
    assert "24 maanden" in message.body
    assert "Log dan vóór die datum in" in message.body


def test_nobody_gets_the_notice_twice_and_nothing_is_deleted_during_the_notice(people):
    long_gone(people.participant)
    run()
    report = run(NOW + dt.timedelta(days=29, hours=23))
    assert report.warned == 0 and report.waiting == 1 and report.deleted == 0
    assert len(mail.outbox) == 1
    assert User.objects.filter(pk=people.participant.pk).exists()


def test_after_the_notice_the_account_and_all_its_data_are_deleted(people):
    participant = long_gone(people.participant)
    pk = participant.pk
    assert Measurement.objects.filter(participant_id=pk).exists()
    assert CoachNote.objects.filter(participant_id=pk).exists()
    assert Alert.objects.filter(participant_id=pk).exists()
    run()
    report = run(NOW + dt.timedelta(days=30))
    assert report.deleted == 1
    assert not User.objects.filter(pk=pk).exists()
    for model, field in (
        (Measurement, "participant_id"),
        (CoachNote, "participant_id"),
        (Alert, "participant_id"),
        (CoachAssignment, "participant_id"),
        (ConsentRecord, "user_id"),
        (Membership, "user_id"),
    ):
        assert not model.objects.filter(**{field: pk}).exists(), model.__name__
    # Everyone else is still there.
    for other in (people.other_participant, people.coach, people.org_admin):
        assert User.objects.filter(pk=other.pk).exists()


def test_logging_in_after_the_notice_keeps_the_account(people, client):
    participant = long_gone(people.participant)
    run()
    client.force_login(participant)  # sets last_login, as a real login does
    report = run(NOW + dt.timedelta(days=60))
    assert report.came_back == 1 and report.deleted == 0
    participant.refresh_from_db()
    assert participant.deletion_warned_at is None
    assert Measurement.objects.filter(participant=participant).exists()


def test_a_person_in_use_is_left_alone(people):
    recent = make_participant(people.org, people.coach, "recent@example.org")
    User.objects.filter(pk=recent.pk).update(last_login=NOW - dt.timedelta(days=300))
    never = make_user("never@example.org")  # joined today, never logged in
    report = run()
    assert report.warned == 0
    assert mail.outbox == []
    assert User.objects.filter(pk__in=[recent.pk, never.pk]).count() == 2


def test_never_logged_in_counts_from_joining(people):
    old = long_gone(make_user("old@example.org"))
    User.objects.filter(pk=old.pk).update(last_login=None)
    assert run().warned == 1


def test_work_accounts_and_staff_are_never_warned_or_deleted(people):
    staff = make_user("staff@example.org")
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    former_coach = people.other_coach
    Membership.objects.filter(user=former_coach).update(is_active=False)
    work = [people.coach, former_coach, people.foreign_coach, people.org_admin, staff]
    for user in work:
        long_gone(user, months=60)
    run()
    report = run(NOW + dt.timedelta(days=400))
    assert report.warned == 0 and report.deleted == 0
    assert mail.outbox == []
    assert User.objects.filter(pk__in=[u.pk for u in work]).count() == len(work)


def test_a_dry_run_changes_nothing(people):
    long_gone(people.participant)
    report = run(dry_run=True)
    assert report.warned == 1
    assert mail.outbox == []
    people.participant.refresh_from_db()
    assert people.participant.deletion_warned_at is None


@override_settings(INACTIVE_ACCOUNT_MONTHS=0)
def test_switched_off_nobody_is_warned_or_deleted(people):
    long_gone(people.participant, months=120)
    other = long_gone(people.other_participant)
    User.objects.filter(pk=other.pk).update(deletion_warned_at=NOW - dt.timedelta(days=90))
    report = run()
    assert (report.warned, report.deleted) == (0, 0)
    assert mail.outbox == []
    assert User.objects.filter(pk__in=[people.participant.pk, other.pk]).count() == 2


@override_settings(INACTIVE_ACCOUNT_MONTHS=6, INACTIVE_ACCOUNT_NOTICE_DAYS=14)
def test_the_periods_come_from_the_settings(people):
    long_gone(people.participant, months=7)
    run()
    assert "for 6 months" in mail.outbox[0].body or "6 maanden" in mail.outbox[0].body
    assert run(NOW + dt.timedelta(days=13)).deleted == 0
    assert run(NOW + dt.timedelta(days=14)).deleted == 1


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when this returns: nothing listens there


def test_without_a_sent_notice_nobody_is_warned_or_deleted(people):
    long_gone(people.participant)
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": closed_port(),
        "EMAIL_USE_TLS": False,
        "EMAIL_TIMEOUT": 5,
    }
    with override_settings(**smtp), pytest.raises(CommandError, match="could not be sent"):
        call_command("delete_inactive_accounts", stdout=StringIO())
    people.participant.refresh_from_db()
    assert people.participant.deletion_warned_at is None
    with override_settings(**smtp):
        report = run(NOW + dt.timedelta(days=400))
    assert report.deleted == 0 and report.not_warned == [people.participant.pk]
    assert User.objects.filter(pk=people.participant.pk).exists()


def test_the_command_reports_counts_without_addresses(people):
    long_gone(people.participant)
    out = StringIO()
    call_command("delete_inactive_accounts", "--dry-run", stdout=out)
    assert "1 participant(s) would be sent the notice" in out.getvalue()
    assert "Nothing was changed (dry run)" in out.getvalue()
    assert people.participant.email not in out.getvalue()
    out = StringIO()
    call_command("delete_inactive_accounts", stdout=out)
    assert "1 participant(s) were sent the notice" in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_privacy_page_says_how_long_data_are_kept(client):
    page = client.get(reverse("privacy"), HTTP_ACCEPT_LANGUAGE="nl")
    assert "24 maanden" in page.content.decode()
    with override_settings(INACTIVE_ACCOUNT_MONTHS=0):
        page = client.get(reverse("privacy"))
    text = page.content.decode()
    assert "24 maanden" not in text
    assert "tot u uw account verwijdert" in text


def test_the_notice_is_part_of_the_data_download(people):
    long_gone(people.participant)
    run()
    people.participant.refresh_from_db()
    account = personal_data.export_data(people.participant)["account"]
    assert account["deletion_notice_sent_at"] == NOW.isoformat()


def test_the_consent_pages_say_how_long_data_are_kept(client, people):
    from verbind.coaching.domain.invitations import invitation_url, invite_participant

    page = client.get(reverse("accounts:register"))
    assert "24 maanden" in page.content.decode()
    invitation = invite_participant(people.coach, people.org, "new@example.org", "nl")
    page = client.get(invitation_url(invitation).removeprefix(settings.SITE_URL))
    assert page.status_code == 200
    assert "24 maanden" in page.content.decode()
