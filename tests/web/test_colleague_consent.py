"""A colleague of the coach sees a participant only with the participant's consent to
exactly that: the consent to share (version 2 on) names colleagues; someone who agreed
to an older text is asked on "My coach", and until then their coach cannot share them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from verbind.accounts.domain import consent
from verbind.accounts.models import ConsentPurpose, ConsentRecord
from verbind.coaching.domain import assignments
from verbind.coaching.models import CoachShare

pytestmark = pytest.mark.django_db


def _older_consent_only(person) -> None:
    """As someone who agreed before colleagues were named (version 1)."""
    ConsentRecord.objects.filter(user=person, purpose=ConsentPurpose.SHARE_WITH_COACH).update(
        version="1",
        text="I agree that my coach sees my answers and results, so that my coach can help "
        "me better. I can stop this at any time on the page 'My coach'.",
    )


def test_the_current_consent_names_colleagues_in_both_languages():
    assert int(consent.CONSENT_VERSION) >= consent.COLLEAGUES_FROM_VERSION
    assert "colleague" in consent.consent_text(ConsentPurpose.SHARE_WITH_COACH, "en")
    assert "collega" in consent.consent_text(ConsentPurpose.SHARE_WITH_COACH, "nl")


def test_an_older_consent_does_not_cover_colleagues_and_sharing_is_refused(people):
    _older_consent_only(people.participant)
    assert consent.has_consent(people.participant, ConsentPurpose.SHARE_WITH_COACH)
    assert not consent.covers_colleagues(people.participant)
    with translation.override("en"), pytest.raises(assignments.SharingError, match="Ask them"):
        assignments.share_with_colleague(people.assignment, people.other_coach)
    assert not CoachShare.objects.exists()


def test_the_coach_is_told_why_and_sees_no_share_form(people, client_for):
    _older_consent_only(people.participant)
    coach = client_for("coach")
    page = coach.get(
        reverse("coaching:participant", args=[people.participant.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "but not yet that a colleague may" in page
    assert reverse("coaching:share", args=[people.participant.pk]) not in page
    # Posting anyway (an old form, two tabs): refused with the reason, nothing shared.
    response = coach.post(
        reverse("coaching:share", args=[people.participant.pk]),
        {"colleague": people.other_coach.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400 and "Ask them first" in response.content.decode()
    assert not CoachShare.objects.exists()


def test_the_participant_is_asked_agrees_and_then_the_coach_can_share(people, client_for):
    _older_consent_only(people.participant)
    participant = client_for("participant")
    page = participant.get(reverse("accounts:my_coach"), HTTP_ACCEPT_LANGUAGE="nl").content
    page = page.decode()
    assert "Mag een collega van uw coach ook helpen?" in page
    exact = escape(consent.consent_text(ConsentPurpose.SHARE_WITH_COACH, "nl"))
    assert exact in page  # the exact text that will be stored
    r = participant.post(reverse("accounts:agree_colleagues"), HTTP_ACCEPT_LANGUAGE="nl")
    assert r.status_code == 302
    newest = ConsentRecord.objects.filter(
        user=people.participant, purpose=ConsentPurpose.SHARE_WITH_COACH
    ).latest("given_at")
    assert newest.version == consent.CONSENT_VERSION and newest.language == "nl"
    assert newest.text == consent.consent_text(ConsentPurpose.SHARE_WITH_COACH, "nl")
    assert consent.covers_colleagues(people.participant)
    # Asked once: the question is gone, and agreeing again records nothing new.
    again = participant.get(reverse("accounts:my_coach"), HTTP_ACCEPT_LANGUAGE="nl")
    assert "Mag een collega van uw coach ook helpen?" not in again.content.decode()
    before = ConsentRecord.objects.count()
    participant.post(reverse("accounts:agree_colleagues"))
    assert ConsentRecord.objects.count() == before
    coach = client_for("coach")
    response = coach.post(
        reverse("coaching:share", args=[people.participant.pk]),
        {"colleague": people.other_coach.pk},
    )
    assert response.status_code == 302 and CoachShare.objects.filter(active=True).count() == 1


def test_a_current_consent_is_not_asked_again(people, client_for):
    assert consent.covers_colleagues(people.participant)  # the fixture agreed to version 2
    page = client_for("participant").get(reverse("accounts:my_coach"), HTTP_ACCEPT_LANGUAGE="en")
    assert "May a colleague of your coach help too?" not in page.content.decode()


def test_withdrawn_consent_covers_nobody(people):
    consent.withdraw_consent(people.participant, ConsentPurpose.SHARE_WITH_COACH)
    assert not consent.covers_colleagues(people.participant)
    assert consent.agree_to_colleagues(people.participant, "nl") is None  # no coach consent
