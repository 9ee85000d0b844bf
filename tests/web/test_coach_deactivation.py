"""An organisation admin deactivates a coach: the coach loses access at once, everywhere.

test_flows.py checks the dashboard. Here the coach is logged in BEFORE the admin acts
(a session that is already open), has their own participant AND a participant a
colleague shared with them, and then tries every URL of the access-control matrix on
which a coach had access. Each must now refuse (403 or 404), do no work, and show none of
the participants' data. Only the admin of the coach's own organisation can deactivate.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from test_access_matrix import RULES, _outcome, collect_url_names
from web_base import PASSWORD, make_user

from verbind.accounts.domain import invitations
from verbind.accounts.models import Membership, Role, User
from verbind.coaching.models import CoachAssignment, CoachNote, CoachShare

pytestmark = pytest.mark.django_db


def _coach_urls() -> list[str]:
    """URLs where the coach's access differs from a participant's: coach-only pages,
    pages about the coach's participants, and the coach's view of a course photo."""
    return [
        name
        for name in collect_url_names()
        if RULES[name].expect["coach"] in ("ok", "redirect")
        and RULES[name].expect["other_participant"] in ("forbidden", "not_found")
    ]


def _deactivate(people, client_for) -> None:
    membership = Membership.objects.get(user=people.coach, role=Role.COACH)
    response = client_for("org_admin").post(
        reverse("organisation:deactivate_coach", args=[membership.pk])
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.is_active is False


def test_the_coach_urls_cover_every_kind_of_coach_access():
    names = set(_coach_urls())
    assert {"coaching:dashboard", "coaching:invite", "coaching:participant"} <= names
    assert {"coaching:add_note", "coaching:share", "coaching:resolve_alert"} <= names
    assert {"course:inbox", "course:feedback", "course:photo"} <= names


@pytest.mark.parametrize("url_name", _coach_urls())
def test_a_deactivated_coach_is_refused_at_once(url_name, people, client_for):
    # A colleague shared their participant with the coach: that access must end too.
    CoachShare.objects.create(assignment=people.other_assignment, coach=people.coach)
    rule = RULES[url_name]
    kwargs = rule.kwargs(people)
    data = rule.data(people)
    coach = client_for("coach")  # logged in before the admin acts
    _deactivate(people, client_for)
    notes_before = CoachNote.objects.count()

    response = getattr(coach, rule.method)(reverse(url_name, kwargs=kwargs), data)

    assert _outcome(response) in ("forbidden", "not_found"), (
        f"deactivated coach {rule.method.upper()} {url_name}: {response.status_code}"
    )
    body = response.content.decode(errors="replace")
    for secret in (
        people.participant.email,
        people.participant.name,
        people.other_participant.email,
        people.note.text,
    ):
        assert secret not in body, f"{secret!r} on {url_name}"
    assert CoachNote.objects.count() == notes_before
    assert not CoachAssignment.objects.filter(coach=people.coach, active=True).exists()
    assert not CoachShare.objects.filter(coach=people.coach, active=True).exists()


def test_the_deactivated_coach_no_longer_gets_signals_or_can_invite(people, client_for):
    from verbind.coaching.domain.alerts import coaches_of

    inv = invitations.invite_participant(people.coach, people.org, "late@example.org", "nl")
    _deactivate(people, client_for)
    assert people.coach not in coaches_of(people.participant.pk)
    # An invitation the coach sent before cannot link anyone to them any more, and
    # following it creates no account.
    newcomer = Client()
    url = reverse("accounts:accept_invitation", args=[invitations.make_token(inv)])
    # Opening the link already says so: no form to fill in for nothing.
    opened = newcomer.get(url)
    assert opened.status_code == 410 and opened.context["reason"] == "coach_gone"
    assert 'name="password1"' not in opened.content.decode()
    response = newcomer.post(
        url,
        {
            "password1": PASSWORD,
            "password2": PASSWORD,
            "consent_store": "on",
            "consent_share": "on",
        },
    )
    assert response.status_code == 410 and response.context["reason"] == "coach_gone"
    assert not User.objects.filter(email="late@example.org").exists()


def test_only_the_admin_of_the_coachs_organisation_can_deactivate(people, client_for):
    membership = Membership.objects.get(user=people.coach, role=Role.COACH)
    url = reverse("organisation:deactivate_coach", args=[membership.pk])
    foreign_admin = make_user("admin.b@example.org", "Admin Bert")
    Membership.objects.create(user=foreign_admin, organisation=people.other_org, role="org_admin")
    client = Client()
    client.force_login(foreign_admin)
    assert client.post(url).status_code == 404
    # Not a coach membership (the participant's, the admin's own): not found either.
    for other in Membership.objects.filter(organisation=people.org).exclude(role=Role.COACH):
        other_url = reverse("organisation:deactivate_coach", args=[other.pk])
        assert client_for("org_admin").post(other_url).status_code == 404
    assert client_for("coach").post(url).status_code == 403
    membership.refresh_from_db()
    assert membership.is_active is True
    assert CoachAssignment.objects.filter(coach=people.coach, active=True).exists()
