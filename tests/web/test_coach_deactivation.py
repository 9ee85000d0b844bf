"""An organisation admin deactivates a coach: the coach loses access at once, everywhere.

test_flows.py checks the dashboard. Here the coach is logged in BEFORE the admin acts
(a session that is already open), has their own participant AND a participant a
colleague shared with them, and then tries every URL of the access-control matrix on
which a coach had access. Each must now refuse (403 or 404), do no work, and show none of
the participants' data. Only the admin of the coach's own organisation can deactivate, and
only through the confirmation page, which says first what will happen.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from test_access_matrix import RULES, _outcome, collect_url_names
from web_base import PASSWORD, make_user

from verbind.accounts.models import Membership, Role, User
from verbind.coaching.domain import invitations
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
        reverse("organisation:deactivate_coach", args=[membership.pk]), {"confirm": "yes"}
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
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    # Not a coach membership (the participant's, the admin's own): not found either.
    for other in Membership.objects.filter(organisation=people.org).exclude(role=Role.COACH):
        other_url = reverse("organisation:deactivate_coach", args=[other.pk])
        assert client_for("org_admin").post(other_url, {"confirm": "yes"}).status_code == 404
    assert client_for("coach").post(url, {"confirm": "yes"}).status_code == 403
    confirm_url = reverse("organisation:confirm_deactivate_coach", args=[membership.pk])
    assert client.get(confirm_url).status_code == 404
    assert client_for("coach").get(confirm_url).status_code == 403
    membership.refresh_from_db()
    assert membership.is_active is True
    assert CoachAssignment.objects.filter(coach=people.coach, active=True).exists()


# --- the confirmation step ---------------------------------------------------------------


def _confirm_page(people, client_for, lang="nl"):
    membership = Membership.objects.get(user=people.coach, role=Role.COACH)
    admin = client_for("org_admin")
    admin.cookies["django_language"] = lang
    return membership, admin


def test_the_dashboard_links_to_a_confirmation_page_not_straight_to_deactivating(
    people, client_for
):
    membership, admin = _confirm_page(people, client_for)
    html = admin.get(reverse("organisation:dashboard")).content.decode()
    confirm_url = reverse("organisation:confirm_deactivate_coach", args=[membership.pk])
    assert f'href="{confirm_url}"' in html
    action = reverse("organisation:deactivate_coach", args=[membership.pk])
    assert f'action="{action}"' not in html


@pytest.mark.parametrize(
    ("lang", "count_words", "what_happens"),
    [
        ("nl", "is hier nu coach van 1 deelnemer.", "ziet meteen niets meer van deze deelnemers"),
        (
            "en",
            "now coaches 1 participant here.",
            "can no longer see anything of these participants",
        ),
    ],
)
def test_the_confirmation_page_names_the_coach_the_count_and_what_happens(
    people, client_for, lang, count_words, what_happens
):
    membership, admin = _confirm_page(people, client_for, lang)
    url = reverse("organisation:confirm_deactivate_coach", args=[membership.pk])
    response = admin.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    name = people.coach.display_name
    assert f"{name} {count_words}" in html
    assert what_happens in html
    # A form with CSRF that sends the confirmation, and a way back that changes nothing.
    action = reverse("organisation:deactivate_coach", args=[membership.pk])
    assert f'action="{action}"' in html and 'name="csrfmiddlewaretoken"' in html
    assert 'name="confirm" value="yes"' in html
    assert f'href="{reverse("organisation:dashboard")}"' in html
    # A count only: no participant is named.
    assert people.participant.name not in html and people.participant.email not in html
    membership.refresh_from_db()
    assert membership.is_active is True


def test_the_count_is_of_this_coachs_current_participants(people, client_for):
    from verbind.coaching.domain.assignments import withdraw_access

    membership, admin = _confirm_page(people, client_for, "en")
    url = reverse("organisation:confirm_deactivate_coach", args=[membership.pk])
    # A participant shared with the coach by a colleague is not theirs to count.
    CoachShare.objects.create(assignment=people.other_assignment, coach=people.coach)
    assert "now coaches 1 participant here." in admin.get(url).content.decode()
    withdraw_access(people.assignment)
    html = admin.get(url).content.decode()
    assert f"{people.coach.display_name} has no participants here now." in html


def test_a_post_without_the_confirmation_deactivates_nobody(people, client_for):
    membership, admin = _confirm_page(people, client_for)
    response = admin.post(reverse("organisation:deactivate_coach", args=[membership.pk]))
    confirm_url = reverse("organisation:confirm_deactivate_coach", args=[membership.pk])
    assert response.status_code == 302 and response["Location"] == confirm_url
    membership.refresh_from_db()
    assert membership.is_active is True
    assert CoachAssignment.objects.filter(coach=people.coach, active=True).exists()


def test_the_confirmation_needs_the_csrf_token(people):
    membership = Membership.objects.get(user=people.coach, role=Role.COACH)
    admin = Client(enforce_csrf_checks=True)
    admin.force_login(people.org_admin)
    url = reverse("organisation:deactivate_coach", args=[membership.pk])
    assert admin.post(url, {"confirm": "yes"}).status_code == 403
    membership.refresh_from_db()
    assert membership.is_active is True


def test_confirming_deactivates_and_says_so(people, client_for):
    membership, admin = _confirm_page(people, client_for)
    url = reverse("organisation:deactivate_coach", args=[membership.pk])
    response = admin.post(url, {"confirm": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("organisation:dashboard")
    assert "is hier geen coach meer" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active is False
    # The confirmation page of a coach who is already deactivated leads back.
    confirm_url = reverse("organisation:confirm_deactivate_coach", args=[membership.pk])
    assert admin.get(confirm_url)["Location"] == reverse("organisation:dashboard")
