"""A safety answer or a strong worsening tells the coach at once, by an e-mail without
personal content; coaches without access hear nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from test_measurements import answers_for

from verbind.coaching.domain.alerts import notify_coaches
from verbind.coaching.models import CoachShare
from verbind.screening.domain import measurements

pytestmark = pytest.mark.django_db(transaction=True)


def test_safety_answer_emails_only_the_participants_coach(people):
    mail.outbox.clear()
    measurements.save_measurement(
        people.participant, "short", answers_for(True, True, safety="yes")
    )
    assert [m.to for m in mail.outbox] == [[people.coach.email]]
    message = mail.outbox[0]
    # A link behind a login, and nothing that identifies the participant or the answer.
    assert f"/participant/{people.participant.pk}/" in message.body
    for private in (people.participant.email, people.participant.name, "safety", "113"):
        assert private and private not in message.body
        assert private not in message.subject


def test_no_email_when_nothing_is_wrong(people):
    mail.outbox.clear()
    measurements.save_measurement(people.participant, "short", answers_for(False, False))
    assert mail.outbox == []


def test_a_shared_coach_hears_too_and_a_withdrawn_coach_does_not(people):
    CoachShare.objects.create(assignment=people.assignment, coach=people.other_coach)
    assert notify_coaches(people.participant.pk) == 2
    assert {m.to[0] for m in mail.outbox} == {people.coach.email, people.other_coach.email}

    mail.outbox.clear()
    people.assignment.active = False
    people.assignment.save()
    assert notify_coaches(people.participant.pk) == 0
    assert mail.outbox == []


def test_email_is_in_the_coachs_language(people):
    people.coach.preferred_language = "en"
    people.coach.save()
    notify_coaches(people.participant.pk)
    assert "may need your attention" in mail.outbox[-1].subject
    people.coach.preferred_language = "nl"
    people.coach.save()
    notify_coaches(people.participant.pk)
    assert "aandacht" in mail.outbox[-1].subject
