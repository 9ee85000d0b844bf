"""Every access rule of verbind, in one place.

Views never filter personal data themselves: they call a helper from here, which returns
an organisation-scoped object or raises. The rules:

* A person sees and manages only their own account, measurements and consent.
* A coach has an active coach membership of an active organisation. A coach sees a
  participant only while an active CoachAssignment links them in that organisation, or
  while an active CoachShare of such an assignment names the coach (a colleague in the
  same organisation). Withdrawal by the participant ends both at once.
* Private coach notes are seen only by their author, and only while the author may still
  see the participant.
* An organisation admin manages the coaches of their own organisation and sees counts,
  never a participant's answers or results. The one exception is the list of participants
  without a coach of their organisation (who asked it for a coach, or whose coach there
  stopped): name and e-mail address, so the admin can hand them to a coach.
* Invitations: a coach sees and acts on the participant invitations they sent; an
  organisation admin on the coach invitations of their organisation.

Helpers fail closed: an object the person may not see is "not found" (404), so existence
is not revealed; a page for a role the person lacks is "forbidden" (403).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from verbind.accounts.models import Invitation, InvitationKind, Membership, Organisation, Role, User


def login_required(view):
    """Django's ``login_required``, except for a form sent after the session ended (12
    hours): after logging in, the person comes back to the page the form was on (the
    Referer, when it is on this site), not to the address the form posts to, which has no
    page to show (405). Otherwise to their home page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        back = request.get_full_path()
        if request.method not in ("GET", "HEAD"):
            back = _page_the_form_was_on(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
        return redirect_to_login(back)

    return wrapped


def _page_the_form_was_on(request) -> str | None:
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class Roles:
    """What the logged-in person is, for menus and checks (one query)."""

    authenticated: bool
    coach_of: Organisation | None = None
    admin_of: Organisation | None = None

    @property
    def is_coach(self) -> bool:
        return self.coach_of is not None

    @property
    def is_org_admin(self) -> bool:
        return self.admin_of is not None


ANONYMOUS = Roles(authenticated=False)


def active_memberships(user) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True
    ).select_related("organisation")


def roles_of(user) -> Roles:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_verbind_roles", None)
    if cached is not None:
        return cached
    coach_of = admin_of = None
    for m in active_memberships(user).filter(role__in=[Role.COACH, Role.ORG_ADMIN]):
        if m.role == Role.COACH:
            coach_of = m.organisation
        else:
            admin_of = m.organisation
    roles = Roles(authenticated=True, coach_of=coach_of, admin_of=admin_of)
    user._verbind_roles = roles
    return roles


# --- coach -----------------------------------------------------------------------------


def require_coach(request) -> Organisation:
    """The organisation the logged-in coach works for; 403 for anyone else."""
    org = roles_of(request.user).coach_of
    if org is None:
        raise PermissionDenied("coach only")
    return org


def colleagues_of(coach: User, organisation: Organisation) -> QuerySet[User]:
    """Other active coaches of the same organisation (candidates for sharing)."""
    return (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role=Role.COACH,
            memberships__is_active=True,
            is_active=True,
        )
        .exclude(pk=coach.pk)
        .distinct()
    )


def get_invitation_for_coach_or_404(request, pk: int) -> Invitation:
    """A participant invitation this coach sent in their organisation (in any state)."""
    org = require_coach(request)
    try:
        return Invitation.objects.get(
            pk=pk, organisation=org, kind=InvitationKind.PARTICIPANT, invited_by=request.user
        )
    except Invitation.DoesNotExist:
        raise Http404("no such invitation of this coach") from None


# --- organisation admin --------------------------------------------------------------


def require_org_admin(request) -> Organisation:
    org = roles_of(request.user).admin_of
    if org is None:
        raise PermissionDenied("organisation admin only")
    return org


def get_coach_membership_for_admin_or_404(request, pk: int) -> Membership:
    org = require_org_admin(request)
    try:
        return Membership.objects.select_related("user").get(
            pk=pk, organisation=org, role=Role.COACH
        )
    except Membership.DoesNotExist:
        raise Http404("no such coach in this organisation") from None


def get_coach_invitation_for_admin_or_404(request, pk: int) -> Invitation:
    """A coach invitation of the admin's organisation (in any state)."""
    org = require_org_admin(request)
    try:
        return Invitation.objects.get(pk=pk, organisation=org, kind=InvitationKind.COACH)
    except Invitation.DoesNotExist:
        raise Http404("no such coach invitation in this organisation") from None
