"""The data download names every colleague a coach shared the person's results with.

"Download all their data" includes who could see it: the primary coach is in the export,
so the colleagues who followed the person (and since when, until when) must be too.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from verbind.coaching.domain import assignments
from verbind.coaching.models import CoachAssignment

pytestmark = pytest.mark.django_db


def _coaches(client) -> list[dict]:
    response = client.get(reverse("accounts:export_json"))
    assert response.status_code == 200
    return json.loads(response.content)["coaches"]


def test_export_names_a_colleague_while_shared_and_after_withdrawal(people, client_for):
    assignment = CoachAssignment.objects.get(participant=people.participant, coach=people.coach)
    participant = client_for("participant")
    assert _coaches(participant)[0]["shared_with"] == []

    assignments.share_with_colleague(assignment, people.other_coach)
    (entry,) = _coaches(participant)[0]["shared_with"]
    assert entry["coach"] == people.other_coach.display_name
    assert entry["active"] is True and entry["since"] and entry["ended_at"] is None

    # After the person withdraws access the colleague lost it too; the download still
    # says who saw the results, and until when.
    assignment.refresh_from_db()
    assignments.withdraw_access(assignment)
    (entry,) = _coaches(participant)[0]["shared_with"]
    assert entry["active"] is False and entry["ended_at"]


def test_export_queries_do_not_grow_with_shares(people, client_for, django_assert_max_num_queries):
    participant = client_for("participant")
    participant.get(reverse("accounts:export_json"))  # warm: session, user
    assignment = CoachAssignment.objects.get(participant=people.participant, coach=people.coach)
    with django_assert_max_num_queries(40) as one:
        participant.get(reverse("accounts:export_json"))
    assignments.share_with_colleague(assignment, people.other_coach)
    with django_assert_max_num_queries(len(one.captured_queries)):
        participant.get(reverse("accounts:export_json"))
