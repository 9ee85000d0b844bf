"""E-mail never breaks a request: every e-mail is stored in the outbox in the same
transaction as what causes it, sent after the commit with every failure caught, and
retried by ``manage.py send_outbox`` with a pause that grows, up to a maximum.

The failing mail servers are real backends (tests/web/mail_backends.py, or Django's SMTP
backend pointed at a port where nothing listens), chosen with override_settings.
"""

from __future__ import annotations

import datetime as dt
import socket
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from test_measurements import answers_for
from test_selftest import take_test

from verbind.accounts.models import Invitation, User
from verbind.coaching.models import Alert, AlertKind
from verbind.core.crisis import crisis_help
from verbind.outbox.models import Message, Status
from verbind.participant.domain import inactive_accounts

pytestmark = pytest.mark.django_db(transaction=True)

REFUSING = "mail_backends.RefusingBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when this returns: nothing listens there


def unreachable_smtp() -> dict:
    """Django's real SMTP backend, pointed at a port where nothing listens."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": closed_port(),
        "EMAIL_USE_TLS": False,
        "EMAIL_TIMEOUT": 5,
    }


def make_due() -> None:
    """Let time pass until every waiting message may be tried again."""
    Message.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def send_outbox(*args: str) -> str:
    out = StringIO()
    call_command("send_outbox", *args, stdout=out)
    return out.getvalue()


def test_safety_yes_with_mail_down_shows_crisis_help_and_the_alert_waits_in_the_outbox(people):
    client = Client(raise_request_exception=False)
    client.force_login(people.participant)
    Alert.objects.all().delete()
    mail.outbox.clear()
    with override_settings(**unreachable_smtp()):
        last = take_test(client, answers_for(True, True, safety="yes"))
        page = client.get(last["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    for service in crisis_help().urgent:
        for phone in service.phones:
            assert phone.display in text
    assert Alert.objects.filter(participant=people.participant, kind=AlertKind.SAFETY).exists()
    (message,) = Message.objects.all()
    assert message.to == people.coach.email
    assert message.status == Status.QUEUED
    assert message.attempts == 1
    assert "refused" in message.last_error.lower()
    assert mail.outbox == []

    # Later the mail server works again: the cron run sends it, once.
    make_due()
    with override_settings(EMAIL_BACKEND=WORKING):
        send_outbox()
        make_due()
        send_outbox()
    assert [m.to for m in mail.outbox] == [[people.coach.email]]
    assert f"/participant/{people.participant.pk}/" in mail.outbox[0].body
    message.refresh_from_db()
    assert message.status == Status.SENT and message.sent_at is not None
    assert message.body == ""  # what was sent is not kept: only that it was sent


def test_inviting_with_mail_down_succeeds_and_says_the_email_will_be_retried(people):
    client = Client(raise_request_exception=False)
    client.force_login(people.coach)
    with override_settings(EMAIL_BACKEND=REFUSING):
        response = client.post(
            reverse("coaching:invite"), {"email": "new.person@example.org"}, follow=True
        )
    assert response.status_code == 200
    assert Invitation.objects.filter(email="new.person@example.org").exists()
    text = response.content.decode()
    assert "De uitnodiging is bewaard" in text
    assert "automatisch opnieuw" in text
    assert "De uitnodiging is verstuurd" not in text
    (message,) = Message.objects.filter(to="new.person@example.org")
    assert message.status == Status.QUEUED

    with override_settings(EMAIL_BACKEND=WORKING):
        make_due()
        send_outbox()
    assert [m.to for m in mail.outbox] == [["new.person@example.org"]]


def test_inviting_with_working_mail_says_it_is_sent(people):
    client = Client()
    client.force_login(people.coach)
    response = client.post(
        reverse("coaching:invite"), {"email": "new.person@example.org"}, follow=True
    )
    assert "De uitnodiging is verstuurd" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["new.person@example.org"]]


def test_an_admin_inviting_a_coach_with_mail_down_is_told_too(people):
    client = Client(raise_request_exception=False)
    client.force_login(people.org_admin)
    with override_settings(EMAIL_BACKEND="mail_backends.SMTPErrorBackend"):
        response = client.post(
            reverse("organisation:invite_coach"), {"email": "new.coach@example.org"}, follow=True
        )
    assert response.status_code == 200
    assert "automatisch opnieuw" in response.content.decode()
    assert Message.objects.get(to="new.coach@example.org").status == Status.QUEUED


def test_password_reset_with_mail_down_still_says_the_mail_is_on_its_way(people):
    client = Client(raise_request_exception=False)
    with override_settings(EMAIL_BACKEND=REFUSING):
        response = client.post(
            reverse("accounts:password_reset"), {"email": people.participant.email}
        )
    assert response.status_code == 302
    assert Message.objects.get(to=people.participant.email).status == Status.QUEUED


@override_settings(OUTBOX_MAX_ATTEMPTS=3, EMAIL_BACKEND=REFUSING)
def test_retries_stop_after_the_maximum_and_the_failure_stays_visible(people):
    from mail_backends import RefusingBackend

    RefusingBackend.calls = 0
    client = Client()
    client.force_login(people.coach)
    client.post(reverse("coaching:invite"), {"email": "new.person@example.org"})
    message = Message.objects.get()
    assert message.attempts == 1
    # Not due yet: a run right away does not try again.
    send_outbox()
    assert RefusingBackend.calls == 1
    for _ in range(5):
        make_due()
        send_outbox()
    message.refresh_from_db()
    assert RefusingBackend.calls == 3
    assert message.attempts == 3
    assert message.status == Status.FAILED
    assert "refused" in message.last_error.lower()
    listing = send_outbox("--failed")
    assert f"#{message.pk}" in listing and "refused" in listing.lower()


def test_the_pause_between_attempts_grows(people):
    with override_settings(EMAIL_BACKEND=REFUSING, OUTBOX_RETRY_MINUTES=5):
        client = Client()
        client.force_login(people.coach)
        client.post(reverse("coaching:invite"), {"email": "new.person@example.org"})
        message = Message.objects.get()
        first = message.next_attempt_at - timezone.now()
        make_due()
        send_outbox()
        message.refresh_from_db()
        second = message.next_attempt_at - timezone.now()
    assert dt.timedelta(minutes=4) < first <= dt.timedelta(minutes=5)
    assert dt.timedelta(minutes=9) < second <= dt.timedelta(minutes=10)


def test_overlapping_runs_send_a_message_once(people):
    with override_settings(EMAIL_BACKEND=REFUSING):
        client = Client()
        client.force_login(people.coach)
        client.post(reverse("coaching:invite"), {"email": "new.person@example.org"})
    make_due()
    with override_settings(EMAIL_BACKEND="mail_backends.OverlappingRunBackend"):
        send_outbox()
    assert [m.to for m in mail.outbox] == [["new.person@example.org"]]


def test_sent_messages_are_deleted_after_the_set_days(people):
    client = Client()
    client.force_login(people.coach)
    client.post(reverse("coaching:invite"), {"email": "new.person@example.org"})
    assert Message.objects.get().status == Status.SENT
    with override_settings(OUTBOX_KEEP_SENT_DAYS=7):
        send_outbox()
        assert Message.objects.count() == 1
        Message.objects.update(sent_at=timezone.now() - dt.timedelta(days=8))
        send_outbox()
    assert Message.objects.count() == 0


def test_the_inactive_account_notice_counts_only_once_it_is_sent(people):
    moment = timezone.now() - dt.timedelta(days=25 * 31)
    User.objects.filter(pk=people.participant.pk).update(last_login=moment, date_joined=moment)
    with override_settings(EMAIL_BACKEND=REFUSING):
        report = inactive_accounts.apply_retention()
        assert report.not_warned == [people.participant.pk]
        # A second run while the notice waits in the outbox does not queue it twice.
        inactive_accounts.apply_retention()
    people.participant.refresh_from_db()
    assert people.participant.deletion_warned_at is None
    assert Message.objects.filter(to=people.participant.email).count() == 1
    # Queued but not sent: no deletion, however long it waits.
    later = timezone.now() + dt.timedelta(days=400)
    with override_settings(EMAIL_BACKEND=REFUSING):
        assert inactive_accounts.apply_retention(later).deleted == 0
    assert User.objects.filter(pk=people.participant.pk).exists()

    make_due()
    with override_settings(EMAIL_BACKEND=WORKING):
        send_outbox()
    assert [m.to for m in mail.outbox] == [[people.participant.email]]
    people.participant.refresh_from_db()
    sent_at = Message.objects.get(to=people.participant.email).sent_at
    assert people.participant.deletion_warned_at == sent_at


def test_during_a_request_the_email_waits_until_the_page_is_done(people):
    """Crisis help never waits for the mail server: an e-mail queued during a request is
    sent when Django has finished the response (request_finished), not before."""
    from django.core.signals import request_finished, request_started

    from verbind.coaching.domain.alerts import notify_coaches

    request_started.send(sender=None)
    try:
        assert notify_coaches(people.participant.pk) == 1
        assert mail.outbox == []  # the page is still being made
        assert Message.objects.get().status == Status.QUEUED
    finally:
        request_finished.send(sender=None)
    assert [m.to for m in mail.outbox] == [[people.coach.email]]
    assert Message.objects.get().status == Status.SENT


def test_a_rolled_back_alert_sends_nothing(people):
    from django.db import transaction

    from verbind.coaching.domain.alerts import notify_coaches

    with pytest.raises(RuntimeError), transaction.atomic():
        notify_coaches(people.participant.pk)
        raise RuntimeError("the measurement could not be saved")
    assert Message.objects.count() == 0
    assert mail.outbox == []


def test_a_notice_sent_late_to_someone_who_came_back_does_not_warn_them(people):
    moment = timezone.now() - dt.timedelta(days=25 * 31)
    User.objects.filter(pk=people.participant.pk).update(last_login=moment, date_joined=moment)
    with override_settings(EMAIL_BACKEND=REFUSING):
        inactive_accounts.apply_retention()
    # They log in before the outbox gets the notice out.
    User.objects.filter(pk=people.participant.pk).update(last_login=timezone.now())
    make_due()
    with override_settings(EMAIL_BACKEND=WORKING):
        send_outbox()
    people.participant.refresh_from_db()
    assert people.participant.deletion_warned_at is None


def test_deleting_an_account_removes_its_waiting_emails(people):
    from verbind.participant.domain.personal_data import delete_account

    moment = timezone.now() - dt.timedelta(days=25 * 31)
    User.objects.filter(pk=people.participant.pk).update(last_login=moment, date_joined=moment)
    with override_settings(EMAIL_BACKEND=REFUSING):
        inactive_accounts.apply_retention()
    assert Message.objects.filter(to=people.participant.email).exists()
    delete_account(people.participant)
    assert not Message.objects.filter(to=people.participant.email).exists()


def test_a_given_up_message_can_be_put_back(people):
    with override_settings(EMAIL_BACKEND=REFUSING, OUTBOX_MAX_ATTEMPTS=1):
        client = Client()
        client.force_login(people.coach)
        client.post(reverse("coaching:invite"), {"email": "new.person@example.org"})
    message = Message.objects.get()
    assert message.status == Status.FAILED
    with override_settings(EMAIL_BACKEND=WORKING):
        send_outbox(f"--retry={message.pk}")
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert [m.to for m in mail.outbox] == [["new.person@example.org"]]


def test_course_reminders_with_mail_down_are_recorded_once_and_sent_later(people):
    from test_course_support import measured

    from verbind.course.domain import enrolment as enrolment_domain
    from verbind.course.models import SentReminder

    measured(people.participant)
    course = enrolment_domain.enrol(people.participant, now=timezone.now() - dt.timedelta(days=8))
    enrolment_domain.set_feedback_blocking(course, False)  # week 2 opens by schedule
    with override_settings(EMAIL_BACKEND=REFUSING):
        call_command("send_course_reminders", stdout=StringIO())
        call_command("send_course_reminders", stdout=StringIO())
    waiting = Message.objects.filter(kind="course_reminder")
    assert waiting.count() == SentReminder.objects.count() > 0
    assert {m.status for m in waiting} == {Status.QUEUED}
    make_due()
    with override_settings(EMAIL_BACKEND=WORKING):
        send_outbox()
    assert len(mail.outbox) == waiting.count()


def test_the_data_download_lists_the_emails_to_the_person(people):
    from verbind.participant.domain.personal_data import export_data

    moment = timezone.now() - dt.timedelta(days=25 * 31)
    User.objects.filter(pk=people.participant.pk).update(last_login=moment, date_joined=moment)
    with override_settings(EMAIL_BACKEND=REFUSING):
        inactive_accounts.apply_retention()
    people.participant.refresh_from_db()
    (email,) = export_data(people.participant)["emails"]
    assert email["kind"] == "inactive_account" and email["status"] == "queued"
    assert email["sent_at"] is None


@override_settings(OUTBOX_MAX_ATTEMPTS=2, EMAIL_BACKEND=REFUSING)
def test_a_quiet_run_speaks_only_when_it_gives_a_message_up(people):
    client = Client()
    client.force_login(people.coach)
    client.post(reverse("coaching:invite"), {"email": "new.person@example.org"})
    assert send_outbox("--quiet") == ""  # nothing due, nothing to say
    make_due()
    said = send_outbox("--quiet")
    assert "1 given up in this run" in said
    make_due()
    assert send_outbox("--quiet") == ""  # given up before: not said again every run


def test_an_invitation_sent_again_or_withdrawn_drops_its_waiting_email(people):
    """The older link stops working, so the e-mail carrying it is not sent later."""
    with override_settings(EMAIL_BACKEND=REFUSING):
        client = Client()
        client.force_login(people.coach)
        client.post(reverse("coaching:invite"), {"email": "new.person@example.org"})
        invitation = Invitation.objects.get()
        (first,) = Message.objects.all()
        client.post(
            reverse("coaching:resend_invitation", args=[invitation.pk]),
            {"sent": invitation.send_count},
        )
        invitation.refresh_from_db()
        (waiting,) = Message.objects.all()
        assert waiting.pk != first.pk
        assert waiting.key == f"invitation:{invitation.pk}:{invitation.send_count}"
        client.post(reverse("coaching:revoke_invitation", args=[invitation.pk]))
    assert not Message.objects.exists()


def test_two_signals_at_once_make_one_email_per_coach(people):
    from django.db import transaction

    from verbind.coaching.domain.alerts import notify_coaches

    with transaction.atomic():  # a safety answer and a strong worsening in one self-test
        notify_coaches(people.participant.pk)
        notify_coaches(people.participant.pk)
    assert [m.to for m in mail.outbox] == [[people.coach.email]]


def test_news_about_the_coach_waits_in_the_outbox_when_mail_is_down(people):
    """Deactivating a coach releases their participants and tells them by e-mail: with the
    mail server away the admin's action still succeeds, and the e-mail is sent later."""
    admin = Client()
    admin.force_login(people.org_admin)
    membership = people.coach.memberships.get(role="coach")
    with override_settings(EMAIL_BACKEND=REFUSING):
        response = admin.post(
            reverse("organisation:deactivate_coach", args=[membership.pk]), {"confirm": "yes"}
        )
        assert response["Location"] == reverse("organisation:dashboard")
        (waiting,) = Message.objects.filter(kind="coach_news")
        assert waiting.to == people.participant.email and waiting.sent_at is None
    make_due()
    with override_settings(EMAIL_BACKEND=WORKING):
        send_outbox("--quiet")
    assert [m.to for m in mail.outbox] == [[people.participant.email]]
