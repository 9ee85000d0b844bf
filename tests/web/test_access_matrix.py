"""The access-control matrix, generated from the URL configuration.

Every URL pattern the project serves is collected from ``get_resolver()``. Each must have a
rule in RULES with the expected outcome for EVERY role in conftest.ROLES, so a new URL
without a rule fails ``test_every_url_pattern_has_a_rule`` (and its own matrix cases).
Outcomes:

* ``ok``         200
* ``redirect``   302 to somewhere other than the login page (a POST that did its work)
* ``login``      302 to the login page (anonymous)
* ``forbidden``  403 (a page for a role the person lacks)
* ``not_found``  404 (an object the person may not see: existence is not revealed)
* ``gone``       410 (an invitation link that cannot be used)

Zero leaks: whatever the outcome, a person who may not see the participant never gets a
response containing the participant's name, e-mail address or the coach's private note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from web_base import ROLES, People

from verbind.accounts.models import Membership, Role
from verbind.coaching.domain import invitations
from verbind.coaching.models import CoachShare


def collect_url_names() -> list[str]:
    """Every named pattern of the project, as 'namespace:name'. An unnamed one fails."""
    names: list[str] = []

    def walk(patterns, prefix: str, route: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns, route + str(p.pattern))
            elif isinstance(p, URLPattern):
                if not p.name:
                    names.append(f"<unnamed {route}{p.pattern}>")
                else:
                    names.append(prefix + p.name)

    walk(get_resolver().url_patterns, "", "/")
    return names


ALL = dict.fromkeys(ROLES, "ok")


def outcomes(default: str, **per_role: str) -> dict[str, str]:
    out = dict.fromkeys(ROLES, default)
    unknown = set(per_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    out.update(per_role)
    return out


# Who may see the participant's personal data at all.
MAY_SEE_PARTICIPANT = {"participant", "coach"}


@dataclass
class Rule:
    expect: dict[str, str]
    method: str = "get"
    kwargs: Callable[[People], dict[str, Any]] = lambda p: {}
    data: Callable[[People], dict[str, Any]] = lambda p: {}
    # Extra roles that may see the participant on this URL (e.g. a colleague it is shared with).
    may_see: set[str] = field(default_factory=set)


OWN_PAGE = outcomes("ok", anonymous="login")
ANON_ONLY = outcomes("redirect", anonymous="ok")
COACH_PAGE = outcomes(
    "ok", anonymous="login", participant="forbidden", other_participant="forbidden",
    org_admin="forbidden",
)  # fmt: skip
PARTICIPANT_OF_COACH = outcomes(
    "not_found", anonymous="login", participant="forbidden", other_participant="forbidden",
    org_admin="forbidden", coach="ok",
)  # fmt: skip
COACH_ACTION = {**PARTICIPANT_OF_COACH, "coach": "redirect"}
ADMIN_PAGE = outcomes("forbidden", anonymous="login", org_admin="ok")
ADMIN_ACTION = outcomes("forbidden", anonymous="login", org_admin="redirect")


def _coach_request(p: People) -> dict[str, int]:
    """An open request for a coach to Org A, of someone who is not ``participant``."""
    from web_base import make_user

    from verbind.coaching.models import CoachRequest

    newcomer = make_user("asks.for.coach@example.org", "Nieuwe Deelnemer")
    from verbind.accounts.domain.consent import record_consent

    record_consent(newcomer, "share_with_coach", "nl")
    return {"pk": CoachRequest.objects.create(participant=newcomer, organisation=p.org).pk}


def _invitation_token(p: People) -> dict[str, str]:
    inv = invitations.invite_participant(p.coach, p.org, "new.person@example.org", "nl")
    return {"token": invitations.make_token(inv)}


def _participant_invitation(p: People) -> dict[str, int]:
    inv = invitations.invite_participant(p.coach, p.org, "new.person@example.org", "nl")
    return {"pk": inv.pk}


def _coach_invitation(p: People) -> dict[str, int]:
    inv = invitations.invite_coach(p.org_admin, p.org, "new.coach@example.org", "nl")
    return {"pk": inv.pk}


def _share_kwargs(p: People) -> dict[str, int]:
    share = CoachShare.objects.create(assignment=p.assignment, coach=p.other_coach)
    return {"pk": p.participant.pk, "share_pk": share.pk}


def _coach_membership(p: People) -> dict[str, int]:
    return {"pk": Membership.objects.get(user=p.coach, role=Role.COACH).pk}


def _saved_result(p: People) -> dict[str, int]:
    """A real, scored measurement of the participant (its page re-reads the answers)."""
    from test_measurements import answers_for

    from verbind.screening.domain.measurements import save_measurement

    return {"pk": save_measurement(p.participant, "short", answers_for(True, True)).pk}


def _course(p: People):
    """The participant in the course, with a submitted answer (with a photo) and a
    flagged check-in (for the course URLs)."""
    from verbind.course.models import CheckIn, Enrolment, ExerciseAnswer

    enrolment, _ = Enrolment.objects.get_or_create(
        participant=p.participant, ended_at=None, defaults={"programme": "verbinden-in-8-weken"}
    )
    answer, _ = ExerciseAnswer.objects.get_or_create(
        enrolment=enrolment,
        exercise_id="w1-my-circle",
        defaults={"week": 1, "text": "Pietje Xylofoon's circles", "status": "submitted",
                  "submitted_at": enrolment.started_at, "image": b"\x89PNG\r\n\x1a\n",
                  "image_type": "image/png", "image_size": 8},
    )  # fmt: skip
    check_in, _ = CheckIn.objects.get_or_create(
        enrolment=enrolment, key="week-0", defaults={"week": 0, "safety_flag": True}
    )
    return enrolment, answer, check_in


def _enrolment_pk(p: People) -> dict[str, int]:
    return {"pk": _course(p)[0].pk}


def _answer_pk(p: People) -> dict[str, int]:
    return {"pk": _course(p)[1].pk}


def _check_in_pk(p: People) -> dict[str, int]:
    return {"pk": _course(p)[2].pk}


def _enrolled(**kwargs: Any) -> Callable[[People], dict[str, Any]]:
    def make(p: People) -> dict[str, Any]:
        _course(p)
        return kwargs

    return make


# Course pages of the participant's own enrolment: someone not in the course is sent to the
# course start page ("redirect") or, for an action on an enrolment they lack, "not_found".
OWN_COURSE_PAGE = outcomes("redirect", anonymous="login", participant="ok")
OWN_COURSE_ACTION = outcomes("not_found", anonymous="login", participant="redirect")
OWN_COURSE_FILE = outcomes("not_found", anonymous="login", participant="ok")


def _network(p: People):
    """Two finished network maps of the participant and a draft of a third (with one
    person in a circle), for the network URLs."""
    from verbind.network.domain import maps

    done = []
    for _wave in range(2):
        draft = maps.start(p.participant, agreed=True, lang="nl")
        if not draft.people.exists():
            maps.save_names(draft, [(1, "Anna")])
        person = draft.people.get()
        maps.save_circles(draft, {person.pk: 1})
        maps.save_answers(person, relation="friend", frequency="weekly", meaningful=True, wants="")
        done.append(maps.finish(draft))
    maps.start(p.participant, agreed=True, lang="nl")
    return done


def _network_draft(**kwargs):
    def make(p: People):
        _network(p)
        return kwargs

    return make


def _network_map(p: People) -> dict[str, int]:
    return {"pk": _network(p)[1].pk}


def _network_pair(p: People) -> dict[str, int]:
    first, second = _network(p)
    return {"before": first.pk, "after": second.pk}


# Network maps: the participant's own; their coach reads a map that is not hidden.
OWN_NETWORK_MAP = outcomes("not_found", anonymous="login", participant="ok", coach="ok")
# Drawing steps: someone without a draft is sent to the network page.
OWN_NETWORK_STEP = outcomes("redirect", anonymous="login", participant="ok")


RULES: dict[str, Rule] = {
    "start": Rule(ALL),
    "crisis_help": Rule(ALL),
    "tips": Rule(ALL),
    "privacy": Rule(ALL),
    "source_code": Rule(ALL),
    "source_archive": Rule(ALL),
    "healthz": Rule(ALL),
    "set_language": Rule(
        dict.fromkeys(ROLES, "redirect"), "post", data=lambda p: {"language": "en", "next": "/"}
    ),
    # accounts: a person's own pages
    "accounts:home": Rule(OWN_PAGE),
    "accounts:login": Rule(ANON_ONLY),
    "accounts:logout": Rule(dict.fromkeys(ROLES, "redirect"), "post"),
    "accounts:password_reset": Rule(ALL),
    "accounts:password_reset_sent": Rule(ALL),
    "accounts:password_reset_confirm": Rule(
        ALL, kwargs=lambda p: {"uidb64": "MQ", "token": "set-password"}
    ),
    "accounts:password_reset_complete": Rule(ALL),
    "accounts:password_change": Rule(OWN_PAGE),
    "accounts:password_change_done": Rule(OWN_PAGE),
    "accounts:register": Rule(ANON_ONLY),
    # The invitation is for new.person@example.org: anyone logged in is someone else.
    "accounts:accept_invitation": Rule(
        outcomes("forbidden", anonymous="ok"), kwargs=_invitation_token
    ),
    "accounts:my_coach": Rule(OWN_PAGE),
    "accounts:withdraw_coach": Rule(
        outcomes("not_found", anonymous="login", participant="ok"),
        kwargs=lambda p: {"pk": p.assignment.pk},
    ),
    # Only someone with a coach can agree that a colleague of the coach may help too.
    "accounts:agree_colleagues": Rule(
        outcomes(
            "not_found", anonymous="login", participant="redirect", other_participant="redirect"
        ),
        "post",
    ),
    # Only someone with a coach can let the coach see their contact details; anyone may stop.
    "accounts:agree_contact": Rule(
        outcomes(
            "not_found", anonymous="login", participant="redirect", other_participant="redirect"
        ),
        "post",
    ),
    "accounts:withdraw_contact": Rule(outcomes("redirect", anonymous="login"), "post"),
    "accounts:my_data": Rule(OWN_PAGE),
    "accounts:export_json": Rule(OWN_PAGE),
    "accounts:export_csv": Rule(OWN_PAGE),
    "accounts:export_course_csv": Rule(OWN_PAGE),
    "accounts:delete_account": Rule(OWN_PAGE),
    # coaching
    "coaching:dashboard": Rule(COACH_PAGE),
    "coaching:invite": Rule(COACH_PAGE),
    # A coach's own invitations; a colleague's are "not found".
    "coaching:invitations": Rule(COACH_PAGE),
    "coaching:resend_invitation": Rule(
        COACH_ACTION, "post", kwargs=_participant_invitation, data=lambda p: {"sent": "1"}
    ),
    "coaching:revoke_invitation": Rule(COACH_ACTION, "post", kwargs=_participant_invitation),
    "coaching:participant": Rule(PARTICIPANT_OF_COACH, kwargs=lambda p: {"pk": p.participant.pk}),
    "coaching:add_note": Rule(
        COACH_ACTION,
        "post",
        kwargs=lambda p: {"pk": p.participant.pk},
        data=lambda p: {"text": "another note"},
    ),
    "coaching:share": Rule(
        COACH_ACTION,
        "post",
        kwargs=lambda p: {"pk": p.participant.pk},
        data=lambda p: {"colleague": p.other_coach.pk},
    ),
    # Shared with other_coach: they may see the participant, but only the primary coach
    # may end the share.
    "coaching:end_share": Rule(
        {**COACH_ACTION, "other_coach": "not_found"},
        "post",
        kwargs=_share_kwargs,
        may_see={"other_coach"},
    ),
    "coaching:resolve_alert": Rule(COACH_ACTION, "post", kwargs=lambda p: {"pk": p.alert.pk}),
    "coaching:reopen_alert": Rule(COACH_ACTION, "post", kwargs=lambda p: {"pk": p.alert.pk}),
    # organisation admin
    "organisation:dashboard": Rule(ADMIN_PAGE),
    "organisation:invite_coach": Rule(
        ADMIN_ACTION, "post", data=lambda p: {"email": "new.coach@example.org"}
    ),
    "organisation:resend_invitation": Rule(
        ADMIN_ACTION, "post", kwargs=_coach_invitation, data=lambda p: {"sent": "1"}
    ),
    "organisation:revoke_invitation": Rule(ADMIN_ACTION, "post", kwargs=_coach_invitation),
    # Deactivating asks first: the page that says what happens, then the post that does it.
    "organisation:confirm_deactivate_coach": Rule(ADMIN_PAGE, kwargs=_coach_membership),
    "organisation:deactivate_coach": Rule(
        ADMIN_ACTION, "post", kwargs=_coach_membership, data=lambda p: {"confirm": "yes"}
    ),
    # Participants without a coach: the admin of their organisation hands them over.
    "organisation:coach_requests": Rule(ADMIN_PAGE),
    "organisation:assign_coach": Rule(
        outcomes("forbidden", anonymous="login", org_admin="redirect"),
        "post",
        kwargs=_coach_request,
        data=lambda p: {"coach": p.other_coach.pk},
    ),
    # screening: the public self-test. Without a test in progress (no cookie: the matrix
    # client has none) the question, result and save pages send the person to the start.
    "screening:start": Rule(ALL),
    "screening:question": Rule(dict.fromkeys(ROLES, "redirect"), kwargs=lambda p: {"number": 1}),
    "screening:crisis": Rule(ALL),
    "screening:result": Rule(dict.fromkeys(ROLES, "redirect")),
    "screening:save": Rule(outcomes("redirect", anonymous="login"), "post"),
    "screening:saved_result": Rule(
        outcomes("not_found", anonymous="login", participant="ok"), kwargs=_saved_result
    ),
    "screening:stop": Rule(dict.fromkeys(ROLES, "redirect"), "post"),
    # course (participant): their own enrolment only
    "course:overview": Rule(OWN_PAGE, kwargs=_enrolled()),
    "course:enrol": Rule(outcomes("redirect", anonymous="login"), "post"),
    # Asking for a coach: someone who has one (or asked already) is led to the course page.
    "course:ask_coach": Rule(
        outcomes("ok", anonymous="login", participant="redirect", other_participant="redirect")
    ),
    "course:cancel_coach_request": Rule(outcomes("redirect", anonymous="login"), "post"),
    "course:pause": Rule(OWN_COURSE_ACTION, "post", kwargs=_enrolled()),
    "course:resume": Rule(OWN_COURSE_ACTION, "post", kwargs=_enrolled()),
    "course:stop": Rule(OWN_COURSE_PAGE, kwargs=_enrolled()),
    "course:week": Rule(OWN_COURSE_PAGE, kwargs=_enrolled(number=1)),
    "course:answer": Rule(
        OWN_COURSE_ACTION,
        "post",
        kwargs=_enrolled(exercise_id="w1-where-i-stand"),
        data=lambda p: {"text": "mijn antwoord", "action": "save"},
    ),
    "course:answer_photo": Rule(
        OWN_COURSE_ACTION, "post", kwargs=_enrolled(exercise_id="w1-my-circle")
    ),
    "course:photo": Rule({**OWN_COURSE_FILE, "coach": "ok"}, kwargs=_answer_pk),
    "course:check_in": Rule(OWN_COURSE_PAGE, kwargs=_enrolled(key="week-1")),
    "course:check_in_done": Rule(OWN_COURSE_FILE, kwargs=_enrolled(key="week-0")),
    "course:progress": Rule(OWN_COURSE_PAGE, kwargs=_enrolled()),
    "course:summary": Rule(OWN_COURSE_PAGE, kwargs=_enrolled()),
    "course:summary_pdf": Rule(OWN_COURSE_FILE, kwargs=_enrolled()),
    # course (coach): participants the coach may see
    "course:coach_overview": Rule(COACH_PAGE, kwargs=_enrolled()),
    "course:inbox": Rule(COACH_PAGE, kwargs=_enrolled()),
    "course:feedback": Rule(PARTICIPANT_OF_COACH, kwargs=_answer_pk),
    "course:coach_enrolment": Rule(PARTICIPANT_OF_COACH, kwargs=_enrolment_pk),
    "course:open_week": Rule(
        COACH_ACTION, "post", kwargs=_enrolment_pk, data=lambda p: {"week": 2}
    ),
    "course:feedback_blocking": Rule(COACH_ACTION, "post", kwargs=_enrolment_pk),
    "course:coach_end": Rule(PARTICIPANT_OF_COACH, kwargs=_enrolment_pk),
    "course:check_in_seen": Rule(COACH_ACTION, "post", kwargs=_check_in_pk),
    "course:coach_enrol": Rule(PARTICIPANT_OF_COACH, kwargs=lambda p: {"pk": p.participant.pk}),
    # network maps ("Mijn netwerk")
    "network:overview": Rule(OWN_PAGE),
    "network:start": Rule(outcomes("redirect", anonymous="login"), "post"),
    # Stopping deletes only the person's own maps: anyone logged in is sent back.
    "network:withdraw": Rule(
        outcomes("redirect", anonymous="login"),
        "post",
        kwargs=_network_draft(),
        data=lambda p: {"sure": "1"},
    ),
    "network:names": Rule(OWN_NETWORK_STEP, kwargs=_network_draft()),
    "network:circles": Rule(OWN_NETWORK_STEP, kwargs=_network_draft()),
    "network:person": Rule(OWN_NETWORK_STEP, kwargs=_network_draft(number=1)),
    "network:map": Rule(OWN_NETWORK_MAP, kwargs=_network_map),
    "network:compare": Rule(OWN_NETWORK_MAP, kwargs=_network_pair),
    "network:hide": Rule(
        outcomes("not_found", anonymous="login", participant="redirect"),
        "post",
        kwargs=_network_map,
        data=lambda p: {"hidden": "1"},
    ),
    "network:delete_map": Rule(
        outcomes("not_found", anonymous="login", participant="redirect"),
        "post",
        kwargs=_network_map,
        data=lambda p: {"sure": "1"},
    ),
    # Stopping a draft: anyone logged in is sent to the network page (nothing to delete).
    "network:discard_draft": Rule(
        outcomes("redirect", anonymous="login"), "post", kwargs=_network_draft()
    ),
    "network:coach_maps": Rule(PARTICIPANT_OF_COACH, kwargs=lambda p: {"pk": p.participant.pk}),
}


def test_every_url_pattern_has_a_rule():
    names = collect_url_names()
    missing = [n for n in names if n not in RULES]
    assert not missing, f"URL patterns without an access rule in {__file__}: {missing}"
    stale = [n for n in RULES if n not in names]
    assert not stale, f"rules for URLs that no longer exist: {stale}"


def test_every_rule_names_every_role():
    for name, rule in RULES.items():
        assert set(rule.expect) == set(ROLES), name


def _outcome(response) -> str:
    code = response.status_code
    if code == 302:
        login = reverse(settings.LOGIN_URL)
        return "login" if response["Location"].startswith(login) else "redirect"
    return {200: "ok", 403: "forbidden", 404: "not_found", 410: "gone", 405: "not_allowed"}.get(
        code, str(code)
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", collect_url_names())
def test_access(url_name, role, people, client_for):
    rule = RULES.get(url_name)
    assert rule is not None, f"{url_name} has no access rule: add one to RULES"
    url = reverse(url_name, kwargs=rule.kwargs(people))
    client = client_for(role)
    response = getattr(client, rule.method)(url, rule.data(people))
    assert _outcome(response) == rule.expect[role], (
        f"{role} {rule.method.upper()} {url}: got {response.status_code}"
    )
    if role not in MAY_SEE_PARTICIPANT | rule.may_see:
        body = response.content.decode(errors="replace")
        for secret in (people.participant.email, people.participant.name, people.note.text):
            assert secret not in body, f"{role} sees {secret!r} on {url}"
