"""The demo shows what a coach acts on: Anouk, in the course, answers "very bad" to the
mood question week after week, and that raises a signal, as it would for a real person;
her coach sees her contact details, because in the demo she agreed to that."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse

from verbind.accounts.domain.consent import shares_contact
from verbind.accounts.models import User
from verbind.coaching.models import Alert, AlertKind
from verbind.core.change import lowest_mood
from verbind.course.models import CheckIn


def test_anouks_very_bad_mood_raises_a_signal_her_coach_can_act_on(db, settings, client):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=io.StringIO())
    anouk = User.objects.get(email="anouk@demo.verbind.nl")
    moods = list(
        CheckIn.objects.filter(enrolment__participant=anouk)
        .order_by("created_at")
        .values_list("mood", flat=True)
    )
    assert len(moods) >= 3 and set(moods) == {lowest_mood()}
    alert = Alert.objects.get(participant=anouk, kind=AlertKind.LOW_MOOD)
    assert alert.resolved_at is None
    assert shares_contact(anouk)

    client.force_login(User.objects.get(email="coach1@demo.verbind.nl"))
    html = client.get(reverse("coaching:participant", args=[anouk.pk])).content.decode()
    assert "op rij heel slecht" in html
    assert 'href="mailto:anouk@demo.verbind.nl"' in html

    call_command("load_demo_data", stdout=io.StringIO())
    assert Alert.objects.filter(participant=anouk, kind=AlertKind.LOW_MOOD).count() == 1
