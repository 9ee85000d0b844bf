"""The apps import in one direction only (docs/web.md); a lower app that must trigger a
higher one sends a signal, received in the higher app's ``ready()`` (docs/decisions.md).
These tests hold the promises that go with that: the receivers are connected, and what
they do is part of the same transaction as the change that caused it."""

from __future__ import annotations

import pytest
from django.db import transaction
from test_measurements import answers_for
from web_base import make_user

from verbind.coaching import signals as coaching_signals
from verbind.coaching.models import Alert, AlertKind
from verbind.screening import signals as screening_signals
from verbind.screening.domain import measurements
from verbind.screening.models import Measurement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "signal",
    [
        screening_signals.measurement_saved,
        screening_signals.result_page_context,
        coaching_signals.coach_gained,
        coaching_signals.coach_access_ended,
        coaching_signals.alert_resolved,
        coaching_signals.alert_reopened,
        coaching_signals.participant_page_context,
    ],
)
def test_every_signal_to_the_apps_above_has_a_receiver(signal):
    assert signal.has_listeners()


def test_a_crisis_answer_raises_its_alert_in_the_measurements_transaction():
    person = make_user("crisis@example.org")
    with transaction.atomic():
        m = measurements.save_measurement(person, "short", answers_for(True, True, safety="yes"))
        # Before the transaction ends: the alert is already there, nothing waits.
        assert Alert.objects.filter(measurement=m, kind=AlertKind.SAFETY).exists()


def test_a_measurement_whose_alert_cannot_be_raised_is_not_saved_without_it():
    """A receiver that fails rolls the measurement back: a crisis answer is never stored
    without its alert (the signal is sent with ``send``, not ``send_robust``)."""
    person = make_user("crisis2@example.org")

    def broken(sender, **kwargs):
        raise RuntimeError("the alert could not be raised")

    screening_signals.measurement_saved.connect(broken, dispatch_uid="test.broken")
    try:
        with pytest.raises(RuntimeError):
            measurements.save_measurement(person, "short", answers_for(True, True, safety="yes"))
    finally:
        screening_signals.measurement_saved.disconnect(dispatch_uid="test.broken")
    assert not Measurement.objects.filter(participant=person).exists()
    assert not Alert.objects.filter(participant=person).exists()
