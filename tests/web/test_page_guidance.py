"""What a person needs to find their way: a work account sees its work, a participant can
reopen a result, an invitation says an earlier self-test is kept, the organisation's table
scrolls by keyboard, and an empty list says what to do next."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from verbind.coaching.domain import invitations
from verbind.coaching.models import CoachAssignment

pytestmark = pytest.mark.django_db


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def nl(msgid: str) -> str:
    with translation.override("nl"):
        return translation.gettext(msgid)


def test_a_work_account_without_tests_sees_its_work_not_a_participants_page(client_for):
    for role, target in (("coach", "coaching:dashboard"), ("org_admin", "organisation:dashboard")):
        main = main_of(client_for(role).get(reverse("accounts:home")))
        assert nl("Your work in verbind") in main
        assert f'href="{reverse(target)}"' in main
        assert nl("My coach") not in main and nl("All my tests") not in main


def test_a_participant_can_reopen_every_saved_result(client_for, people):
    main = main_of(client_for("participant").get(reverse("accounts:home")))
    assert nl("Your work in verbind") not in main
    for m in people.participant.measurements.all():
        assert f'href="{reverse("screening:saved_result", args=[m.pk])}"' in main


def test_the_invitation_says_an_earlier_self_test_is_saved_with_the_account(client, people):
    invitation = invitations.invite_participant(people.coach, people.org, "new@example.org", "nl")
    token = invitations.make_token(invitation)
    main = main_of(client.get(reverse("accounts:accept_invitation", args=[token])))
    assert (
        nl(
            "Did you already do the self-test on this device, before you opened this link? "
            "Then that result is saved in your new account too."
        )
        in main
    )


def test_every_scrolling_table_can_be_reached_by_keyboard_and_is_named(client_for):
    pages = [
        ("org_admin", reverse("organisation:dashboard")),
        ("coach", reverse("coaching:dashboard")),
        ("participant", reverse("accounts:home")),
    ]
    for role, url in pages:
        main = main_of(client_for(role).get(url))
        wraps = re.findall(r'<div class="table-wrap"[^>]*>', main)
        assert wraps, url
        for tag in wraps:
            assert 'tabindex="0"' in tag and 'role="region"' in tag, (url, tag)
            assert "aria-label=" in tag or "aria-labelledby=" in tag, (url, tag)


def test_a_coach_without_participants_is_told_what_to_do(client_for, people):
    CoachAssignment.objects.filter(coach=people.coach).delete()
    main = main_of(client_for("coach").get(reverse("coaching:dashboard")))
    assert nl("You have no participants yet") in main
    assert f'href="{reverse("coaching:invite")}"' in main


def test_the_coach_reads_neutral_labels_for_a_participants_result(client_for, people):
    url = reverse("coaching:participant", args=[people.participant.pk])
    main = main_of(client_for("coach").get(url))
    assert nl("Feeling and contacts") in main and nl("How you feel") not in main


def test_the_participant_sees_which_colleague_their_coach_shared_with(client_for, people):
    from verbind.coaching.domain.assignments import share_with_colleague

    share_with_colleague(people.assignment, people.other_coach)
    main = main_of(client_for("participant").get(reverse("accounts:my_coach")))
    assert people.coach.display_name in main and people.other_coach.display_name in main
