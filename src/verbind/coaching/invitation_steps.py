"""The steps of inviting that the coach's pages and the organisation page share: send (or
say what already exists), send again, withdraw. Views look the invitation up through
permissions.py first; these only call the domain and say what happened."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from verbind.accounts.domain.links import link_base
from verbind.coaching.domain import invitations


def _lang() -> str:
    return translation.get_language() or "nl"


def offer(request, kind: str, organisation, email: str) -> invitations.Offer:
    """Send an invitation, unless the address already has one or an account (then the
    Offer says what was found, and nothing is sent). A double click on "send" is treated
    as one: it reports the invitation that just went out."""
    result = invitations.offer(
        kind,
        request.user,
        organisation,
        email,
        _lang(),
        base_url=link_base(request),
        send_to_account=request.POST.get("send_to_account") == "1",
    )
    if result.found is not None and result.found.just_sent:
        return invitations.Offer(invitation=result.found.invitation)
    return result


def say_sent(request, invitation, sent_text: str, **facts) -> None:
    """Tell the inviter the e-mail went out (``sent_text``), or that it waits in the outbox
    and is retried: the invitation is saved either way."""
    facts = {"email": invitation.email, **facts}
    if invitations.email_sent(invitation):
        messages.success(request, sent_text % facts)
    else:
        messages.warning(request, invitations.NOT_SENT_YET % facts)


def resend(request, invitation, back: str):
    try:
        seen = int(request.POST.get("sent", ""))
    except ValueError:
        seen = -1  # an old or broken form: send nothing, show the list as it is now
    try:
        sent = invitations.resend(invitation, seen, _lang(), base_url=link_base(request))
    except invitations.InvitationError as exc:
        messages.info(request, _not_open(exc.code, invitation.email))
        return redirect(back)
    if sent:
        say_sent(
            request,
            invitation,
            _(
                "The invitation is sent to %(email)s again, with a new link. "
                "The link in the earlier e-mail no longer works."
            ),
        )
    else:
        messages.info(
            request,
            _("The invitation to %(email)s was already sent again.") % {"email": invitation.email},
        )
    return redirect(back)


def revoke(request, invitation, back: str):
    try:
        invitations.revoke(invitation)
    except invitations.InvitationError as exc:
        messages.info(request, _not_open(exc.code, invitation.email))
        return redirect(back)
    messages.success(
        request,
        _("The invitation to %(email)s is withdrawn. The link in it no longer works.")
        % {"email": invitation.email},
    )
    return redirect(back)


def _not_open(code: str, email: str) -> str:
    if code == "used":
        return _("%(email)s has already accepted the invitation.") % {"email": email}
    return _("The invitation to %(email)s was withdrawn.") % {"email": email}
