"""A coach acts on signals: a safety signal is on top and unmistakable (words and an icon,
not colour alone), the participant's contact details are there when the participant
agreed to that (else the page says there is no consent), handled signals are kept with
who handled them and when, and handling can be undone. Mood that stays "very bad" over
the course's check-ins is a signal too."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from test_course_support import at, enrolled_fixture, full_answers, weekly_answers  # noqa: F401
from test_selftest import text_of
from web_base import add_measurement

from verbind.accounts.domain.consent import record_consent, withdraw_consent
from verbind.accounts.models import ConsentPurpose
from verbind.coaching.models import Alert, AlertKind
from verbind.course.domain import checkins
from verbind.course.domain import enrolment as enrolment_domain

pytestmark = pytest.mark.django_db


def page(client, people) -> str:
    return client.get(
        reverse("coaching:participant", args=[people.participant.pk])
    ).content.decode()


def signals_card(html: str) -> str:
    card = html[html.index('id="alerts-title"') :]
    return card[: card.index("</section>")]


def older_worsening(people) -> Alert:
    old = add_measurement(people.participant, days_ago=20, loneliness_score=6)
    return Alert.objects.create(
        participant=people.participant,
        measurement=old,
        kind=AlertKind.WORSENING,
        created_at=timezone.now() - timedelta(days=20),
    )


def test_a_safety_signal_is_on_top_of_an_older_worsening_and_marked_in_words_and_icon(
    client, people
):
    older_worsening(people)
    client.force_login(people.coach)
    card = signals_card(page(client, people))
    items = re.findall(r"<li class=\"signal[^\"]*\">.*?</li>", card, re.S)
    assert len(items) == 2
    safety, worsening = items
    assert "signal-safety" in safety and "signal-safety" not in worsening
    # Words and an icon, not only a colour.
    assert "Veiligheid: direct aandacht nodig" in text_of(safety)
    assert re.search(r'<svg[^>]*class="signal-icon"[^>]*aria-hidden="true"', safety)
    assert "Veiligheid" not in text_of(worsening) and "<svg" not in worsening


def test_contact_details_are_shown_with_consent_only(client, people):
    client.force_login(people.coach)
    card = signals_card(page(client, people))
    assert people.participant.email not in page(client, people)
    assert "Geen toestemming" in text_of(card)

    record_consent(people.participant, ConsentPurpose.SHARE_CONTACT_WITH_COACH, "nl")
    card = signals_card(page(client, people))
    assert f'href="mailto:{people.participant.email}"' in card
    assert "Geen toestemming" not in text_of(card)

    withdraw_consent(people.participant, ConsentPurpose.SHARE_CONTACT_WITH_COACH)
    assert people.participant.email not in page(client, people)


def test_a_handled_signal_is_kept_with_who_and_when_and_can_be_undone(client, people):
    client.force_login(people.coach)
    response = client.post(reverse("coaching:resolve_alert", args=[people.alert.pk]))
    assert response.status_code == 302
    html = page(client, people)
    assert 'id="alerts-title"' not in html
    history = html[html.index('id="handled-title"') :]
    history = history[: history.index("</section>")]
    today = timezone.localdate().strftime("%-d")
    assert "Coach Carla" in text_of(history) and today in text_of(history)
    assert "Veiligheid" in text_of(history)
    undo = reverse("coaching:reopen_alert", args=[people.alert.pk])
    assert f'action="{undo}"' in history

    response = client.post(undo)
    assert response.status_code == 302
    people.alert.refresh_from_db()
    assert people.alert.resolved_at is None and people.alert.resolved_by is None
    html = page(client, people)
    assert 'id="alerts-title"' in html and 'id="handled-title"' not in html


def test_undo_is_only_for_a_coach_who_may_see_the_participant(client, people):
    people.alert.resolved_at = timezone.now()
    people.alert.resolved_by = people.coach
    people.alert.save()
    client.force_login(people.other_coach)
    assert client.post(reverse("coaching:reopen_alert", args=[people.alert.pk])).status_code == 404
    people.alert.refresh_from_db()
    assert people.alert.resolved_at is not None


def test_mood_very_bad_three_check_ins_in_a_row_raises_a_signal(client, people, enrolled):
    enrolment_domain.set_feedback_blocking(enrolled, False)
    very_bad = {"mood": "very_bad"}
    c0 = checkins.save_check_in(enrolled, "week-0", full_answers() | very_bad, now=at(0, 1))
    c1 = checkins.save_check_in(enrolled, "week-1", weekly_answers(mood="very_bad"), now=at(7, 1))
    assert not Alert.objects.filter(kind=AlertKind.LOW_MOOD).exists()
    c2 = checkins.save_check_in(enrolled, "week-2", weekly_answers(mood="very_bad"), now=at(14, 1))
    assert (c0.mood, c1.mood, c2.mood) == (1, 1, 1)
    alert = Alert.objects.get(kind=AlertKind.LOW_MOOD)
    assert alert.check_in == c2 and alert.participant == people.participant
    client.force_login(people.coach)
    card = signals_card(page(client, people))
    assert "Stemming 3 check-ins op rij heel slecht" in text_of(card)


def test_a_better_mood_in_between_raises_no_signal(people, enrolled):
    enrolment_domain.set_feedback_blocking(enrolled, False)
    checkins.save_check_in(enrolled, "week-0", full_answers() | {"mood": "very_bad"}, now=at(0, 1))
    checkins.save_check_in(enrolled, "week-1", weekly_answers(mood="bad"), now=at(7, 1))
    checkins.save_check_in(enrolled, "week-2", weekly_answers(mood="very_bad"), now=at(14, 1))
    assert not Alert.objects.filter(kind=AlertKind.LOW_MOOD).exists()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_participant_agrees_to_share_contact_details_on_my_coach_and_can_stop(
    client, people, lang
):
    from verbind.accounts.domain.consent import consent_text, shares_contact
    from verbind.accounts.models import ConsentRecord

    client.force_login(people.participant)
    client.cookies["django_language"] = lang
    html = client.get(reverse("accounts:my_coach")).content.decode()
    text = consent_text(ConsentPurpose.SHARE_CONTACT_WITH_COACH, lang)
    assert text in text_of(html).replace("&#x27;", "'")
    assert f'action="{reverse("accounts:agree_contact")}"' in html
    assert client.post(reverse("accounts:agree_contact")).status_code == 302
    assert shares_contact(people.participant)
    record = ConsentRecord.objects.get(
        user=people.participant, purpose=ConsentPurpose.SHARE_CONTACT_WITH_COACH
    )
    assert record.text == text and record.language == lang
    html = client.get(reverse("accounts:my_coach")).content.decode()
    assert f'action="{reverse("accounts:withdraw_contact")}"' in html
    assert client.post(reverse("accounts:withdraw_contact")).status_code == 302
    assert not shares_contact(people.participant)


def test_someone_without_a_coach_is_not_asked_about_contact_details(client, people):
    people.assignment.active = False
    people.assignment.save()
    client.force_login(people.participant)
    html = client.get(reverse("accounts:my_coach")).content.decode()
    assert reverse("accounts:agree_contact") not in html
    assert client.post(reverse("accounts:agree_contact")).status_code == 404


def test_on_the_dashboard_a_safety_signal_comes_before_more_signals_of_other_kinds(client, people):
    from web_base import make_participant

    busy = make_participant(people.org, people.coach, "busy@example.org", "Bea Bezig")
    for days in (10, 9):
        m = add_measurement(busy, days_ago=days)
        Alert.objects.create(participant=busy, measurement=m, kind=AlertKind.WORSENING)
    client.force_login(people.coach)
    html = client.get(reverse("coaching:dashboard")).content.decode()
    rows = re.findall(r"<tr class=\"has-alert\">.*?</tr>", html, re.S)
    assert [("Pietje" in r, "Bea" in r) for r in rows] == [(True, False), (False, True)]
    assert "Veiligheid" in text_of(rows[0]) and "signal-icon" in rows[0]
    assert "Veiligheid" not in text_of(rows[1])
