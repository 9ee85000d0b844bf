"""Registering with a self-test taken before it (from the register page and from a
participant invitation): the account and the result are saved together, or neither."""

from __future__ import annotations

import pytest
from test_measurements import answers_for

from verbind.accounts.models import User
from verbind.core.battery import AnswerError
from verbind.screening.domain.pending import PendingTest
from verbind.screening.domain.signup import register_person_with_test
from verbind.screening.models import Measurement

pytestmark = pytest.mark.django_db


def test_the_account_and_its_pending_test_are_saved_together():
    pending = PendingTest("short", answers_for(True, True), "nl")
    user = register_person_with_test(
        "new@example.org", "a long password 123", "nl", consent_to_store=True, pending_test=pending
    )
    assert Measurement.objects.filter(participant=user).count() == 1


def test_a_pending_test_that_cannot_be_saved_leaves_no_account_behind():
    broken = PendingTest("short", {"djg6_1": "not an answer"}, "nl")
    with pytest.raises(AnswerError):
        register_person_with_test(
            "new@example.org",
            "a long password 123",
            "nl",
            consent_to_store=True,
            pending_test=broken,
        )
    assert not User.objects.filter(email="new@example.org").exists()
