"""Every page a role uses renders, with the crisis help in the footer."""

import pytest
from django.urls import reverse

from verbind.core.crisis import crisis_help

# Every number of the urgent services, from the one source (core/texts/crisis.yaml).
CRISIS = tuple(p.display for s in crisis_help().urgent for p in s.phones)


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        ("anonymous", "start"),
        ("anonymous", "accounts:login"),
        ("anonymous", "accounts:register"),
        ("anonymous", "crisis_help"),
        ("participant", "accounts:home"),
        ("participant", "accounts:my_coach"),
        ("participant", "accounts:my_data"),
        ("participant", "accounts:delete_account"),
        ("coach", "coaching:dashboard"),
        ("coach", "coaching:invite"),
        ("org_admin", "organisation:dashboard"),
    ],
)
def test_page_renders_with_crisis_help(client_for, role, url_name):
    response = client_for(role).get(reverse(url_name))
    assert response.status_code == 200
    body = response.content.decode()
    for number in CRISIS:
        assert number in body


def test_coach_sees_own_participant_page(client_for, people):
    response = client_for("coach").get(
        reverse("coaching:participant", args=[people.participant.pk])
    )
    assert response.status_code == 200
    assert "Secret note about Pietje" in response.content.decode()
