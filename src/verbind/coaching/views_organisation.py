"""Organisation admin: invite and deactivate coaches, hand coach requests to a coach;
counts only, no personal data. Here in coaching because the pages show coaching data."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from verbind.accounts import forms, permissions
from verbind.accounts.models import InvitationKind, Membership, Role
from verbind.accounts.permissions import login_required
from verbind.coaching import invitation_steps
from verbind.coaching import permissions as coach_permissions
from verbind.coaching.domain import invitations, organisation_admin
from verbind.coaching.domain.assignments import (
    HandoverError,
    coaches_of_organisation,
    hand_over,
    open_requests_for,
)
from verbind.coaching.models import CoachAssignment


@login_required
@require_http_methods(["GET", "HEAD"])
def dashboard(request):
    org = permissions.require_org_admin(request)
    return _render_dashboard(request, org, forms.InviteForm())


def _render_dashboard(request, org, invite_form, status=200, found=None):
    coaches = (
        Membership.objects.filter(organisation=org, role=Role.COACH)
        .select_related("user")
        .annotate(
            participant_count=Count(
                "user__assigned_participants",
                filter=Q(
                    user__assigned_participants__active=True,
                    user__assigned_participants__organisation=org,
                ),
            )
        )
        .order_by("-is_active", "user__name", "user__email")
    )
    for m in coaches:
        m.participants_shown = organisation_admin.coach_participants_shown(m.participant_count)
    open_invitations = invitations.pending(InvitationKind.COACH, request.user, org)
    return render(
        request,
        "organisation/dashboard.html",
        {
            "waiting_for_coach": open_requests_for(org).count(),
            "organisation": org,
            # The admin may coach here too: figures they could work back from are hidden.
            "counts": organisation_admin.counts(org, viewer=request.user),
            "coaches": coaches,
            "open_invitations": open_invitations,
            "invite_form": invite_form,
            "found": found,
        },
        status=status,
    )


@login_required
@require_POST
def invite_coach(request):
    org = permissions.require_org_admin(request)
    form = forms.InviteForm(request.POST)
    if not form.is_valid():
        return _render_dashboard(request, org, form, status=400)
    result = invitation_steps.offer(request, InvitationKind.COACH, org, form.cleaned_data["email"])
    if result.found is not None:
        # Already invited, already a coach, or an account: say so, send nothing.
        return _render_dashboard(request, org, form, found=result.found)
    invitation_steps.say_sent(request, result.invitation, _("The invitation is sent to %(email)s."))
    return redirect("organisation:dashboard")


@login_required
@require_POST
def resend_invitation(request, pk: int):
    invitation = permissions.get_coach_invitation_for_admin_or_404(request, pk)
    return invitation_steps.resend(request, invitation, "organisation:dashboard")


@login_required
@require_POST
def revoke_invitation(request, pk: int):
    invitation = permissions.get_coach_invitation_for_admin_or_404(request, pk)
    return invitation_steps.revoke(request, invitation, "organisation:dashboard")


def _participant_count(membership: Membership) -> int:
    """How many participants of this organisation the coach coaches now (a count only)."""
    return (
        CoachAssignment.objects.filter(
            coach=membership.user, organisation=membership.organisation, active=True
        )
        .values("participant_id")
        .distinct()
        .count()
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def confirm_deactivate_coach(request, pk: int):
    """Deactivating cuts off all the coach's participants at once: say so, and ask first."""
    membership = permissions.get_coach_membership_for_admin_or_404(request, pk)
    if not membership.is_active:
        return redirect("organisation:dashboard")
    return render(
        request,
        "organisation/deactivate_coach.html",
        {"membership": membership, "participant_count": _participant_count(membership)},
    )


@login_required
@require_POST
def deactivate_coach(request, pk: int):
    membership = permissions.get_coach_membership_for_admin_or_404(request, pk)
    # Only the confirmation page sends "confirm": a post without it (an old page, a
    # stray form) deactivates nobody and leads to that page first.
    if request.POST.get("confirm") != "yes":
        return redirect("organisation:confirm_deactivate_coach", pk=membership.pk)
    organisation_admin.deactivate_coach(membership)
    messages.success(
        request,
        _("%(coach)s is no longer a coach here. Their participants keep their own data.")
        % {"coach": membership.user.display_name},
    )
    return redirect("organisation:dashboard")


# --- participants without a coach --------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def coach_requests(request):
    """Participants without a coach: who asked this organisation for one, and whose coach
    here stopped. Name and e-mail address only, and a coach to choose for each."""
    org = permissions.require_org_admin(request)
    return _render_requests(request, org)


def _render_requests(request, org, failed=None, form=None, status=200):
    coaches = coaches_of_organisation(org)
    rows = [
        {
            "request": r,
            "form": form
            if r.pk == failed
            else forms.HandOverForm(coaches=coaches, auto_id=f"id_r{r.pk}_%s"),
        }
        for r in open_requests_for(org)
    ]
    return render(
        request,
        "organisation/coach_requests.html",
        {"organisation": org, "rows": rows, "has_coaches": coaches.exists()},
        status=status,
    )


@login_required
@require_POST
def assign_coach(request, pk: int):
    req = coach_permissions.get_coach_request_for_admin_or_404(request, pk)
    org = req.organisation
    form = forms.HandOverForm(
        request.POST, coaches=coaches_of_organisation(org), auto_id=f"id_r{req.pk}_%s"
    )
    if form.is_valid():
        coach = form.cleaned_data["coach"]
        try:
            hand_over(req, coach, by=request.user)
        except HandoverError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(coach)s is now the coach of %(participant)s. We tell the participant.")
                % {"coach": coach.display_name, "participant": req.participant.display_name},
            )
            return redirect("organisation:coach_requests")
    return _render_requests(request, org, failed=req.pk, form=form, status=400)
