"""A coach's pages. Every lookup goes through verbind.accounts.permissions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from verbind.accounts import forms as account_forms
from verbind.accounts import permissions
from verbind.accounts.domain.consent import covers_colleagues, shares_contact
from verbind.accounts.models import InvitationKind
from verbind.accounts.permissions import login_required
from verbind.accounts.request_numbers import whole_number
from verbind.coaching import forms, invitation_steps, signals
from verbind.coaching import permissions as coach_permissions
from verbind.coaching.domain import alerts, assignments, invitations, notes
from verbind.coaching.domain import dashboard as dashboard_domain
from verbind.coaching.models import Alert, AlertKind, CoachAssignment, CoachNote, CoachShare
from verbind.core import change
from verbind.core.profile import coach_flags
from verbind.core.rule_settings import resolve_settings
from verbind.screening.models import Measurement


@login_required
@require_safe
def dashboard(request):
    org = permissions.require_coach(request)
    number = whole_number(request.GET.get("page"), minimum=1) or 1
    page = dashboard_domain.page_for_coach(request.user, org, number)
    if not page.rows and page.number > 1:
        return redirect("coaching:dashboard")  # past the last page (fewer participants now)
    return render(
        request,
        "coaching/dashboard.html",
        {"rows": page.rows, "page": page, "organisation": org},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invite_participant(request):
    org = permissions.require_coach(request)
    form = account_forms.InviteForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        result = invitation_steps.offer(
            request, InvitationKind.PARTICIPANT, org, form.cleaned_data["email"]
        )
        if result.invitation is not None:
            invitation_steps.say_sent(
                request,
                result.invitation,
                _("The invitation is sent to %(email)s. The link works for %(days)s days."),
                days=settings.INVITATION_MAX_AGE_DAYS,
            )
            return redirect("coaching:dashboard")
        found = result.found  # already invited, or an account: say so, send nothing
    return render(
        request,
        "coaching/invite.html",
        {"form": form, "found": found},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def invitations_list(request):
    """The coach's invitations that wait for an answer: send again or withdraw."""
    org = permissions.require_coach(request)
    return render(
        request,
        "coaching/invitations.html",
        {"pending": invitations.pending(InvitationKind.PARTICIPANT, request.user, org)},
    )


@login_required
@require_POST
def resend_invitation(request, pk: int):
    invitation = permissions.get_invitation_for_coach_or_404(request, pk)
    return invitation_steps.resend(request, invitation, "coaching:invitations")


@login_required
@require_POST
def revoke_invitation(request, pk: int):
    invitation = permissions.get_invitation_for_coach_or_404(request, pk)
    return invitation_steps.revoke(request, invitation, "coaching:invitations")


_UNSHOWN_JSON = ("answers", "results", "instrument_versions")


def _lang() -> str:
    lang = (translation.get_language() or "nl")[:2]
    return lang if lang in ("nl", "en") else "nl"


def _participant_context(request, participant, note_form=None, share_form=None):
    org = permissions.require_coach(request)
    # The answers and the instruments' results stay in the database: this page shows the
    # headline columns (and the profile, for the course), and reading the JSON of every
    # test was a noticeable part of the page's time.
    measurements = list(
        Measurement.objects.filter(participant=participant)
        .order_by("created_at", "pk")
        .defer(*_UNSHOWN_JSON)
    )
    own_assignment = coach_permissions.own_assignment_or_none(request.user, org, participant)
    shares = (
        list(own_assignment.shares.filter(active=True).select_related("coach"))
        if own_assignment
        else []
    )
    latest = measurements[-1] if measurements else None
    colleagues = permissions.colleagues_of(request.user, org).exclude(
        pk__in=[s.coach_id for s in shares]
    )
    return {
        "participant": participant,
        "measurements": measurements,
        "latest": latest,
        # What the coach should look at with the person: scales that disagree.
        "latest_flags": coach_flags(latest.profile or {}, _lang()) if latest else (),
        # Safety first, whatever its date: it asks the coach to act now.
        "alerts": _alerts(participant)
        .filter(resolved_at=None)
        .order_by("safety_last", "created_at", "pk"),
        "handled_alerts": _alerts(participant)
        .filter(resolved_at__isnull=False)
        .select_related("resolved_by")
        .order_by("-resolved_at", "-pk"),
        # What the coach needs to get in touch, only when the participant agreed to it.
        "shares_contact": shares_contact(participant),
        "low_mood_check_ins": resolve_settings()[change.LOW_MOOD_SETTING],
        # The course: its overview for this participant, or enrolling them (with a reason).
        **_from_apps_above(participant, latest),
        "own_assignment": own_assignment,
        "shares": shares,
        "may_share": covers_colleagues(participant),
        "share_form": share_form
        or (forms.ShareForm(colleagues=colleagues) if own_assignment else None),
        **_notes_context(request, participant, note_form),
    }


def _from_apps_above(participant, latest) -> dict:
    """What the apps above add to this page (``signals.participant_page_context``): the
    course its overview of this participant, or whether they may be enrolled."""
    context = {"enrolment": None, "course_situation": None, "course_eligibility": None}
    for _receiver, extra in signals.participant_page_context.send(
        sender=CoachAssignment, participant=participant, latest=latest
    ):
        context.update(extra or {})
    return context


def _alerts(participant):
    return (
        Alert.objects.filter(participant=participant)
        .select_related("measurement", "check_in__enrolment")
        .defer(*(f"measurement__{name}" for name in (*_UNSHOWN_JSON, "profile")))
        .annotate(
            safety_last=Case(
                When(kind=AlertKind.SAFETY, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    )


def _notes_context(request, participant, note_form=None, saved_note=None):
    """What coaching/_notes.html shows: the coach's own notes and the form for a new one."""
    return {
        "participant": participant,
        "notes": CoachNote.objects.filter(author=request.user, participant=participant),
        "note_form": note_form or forms.NoteForm(),
        "saved_note": saved_note,
    }


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_safe
def participant(request, pk: int):
    person = coach_permissions.get_participant_for_coach_or_404(request, pk)
    return render(request, "coaching/participant.html", _participant_context(request, person))


@login_required
@require_POST
def add_note(request, pk: int):
    """Without JavaScript: save, then back to the page (or the page with the error). With
    htmx (the HX-Request header): only the notes part of the page, with the new note or
    the error, so the coach stays where they were (docs/decisions.md)."""
    person = coach_permissions.get_participant_for_coach_or_404(request, pk)
    form = forms.NoteForm(request.POST)
    saved = (
        notes.add_note(request.user, person, form.cleaned_data["text"]) if form.is_valid() else None
    )
    saved_message = _("Your note is saved. Only you can see it.")
    if _is_htmx(request):
        context = _notes_context(request, person, None if saved else form, saved)
        context["saved_message"] = saved_message if saved else ""
        response = render(
            request, "coaching/_notes_htmx.html", context, status=200 if saved else 400
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    if saved:
        messages.success(request, saved_message)
        return redirect("coaching:participant", pk=person.pk)
    return render(
        request,
        "coaching/participant.html",
        _participant_context(request, person, note_form=form),
        status=400,
    )


@login_required
@require_POST
def share(request, pk: int):
    person = coach_permissions.get_participant_for_coach_or_404(request, pk)
    org = permissions.require_coach(request)
    assignment = coach_permissions.get_own_assignment_or_404(request, person)
    form = forms.ShareForm(request.POST, colleagues=permissions.colleagues_of(request.user, org))
    if form.is_valid():
        colleague = form.cleaned_data["colleague"]
        try:
            assignments.share_with_colleague(assignment, colleague)
        except assignments.SharingError as exc:
            form.add_error("colleague", str(exc))
        else:
            messages.success(
                request,
                _("%(coach)s can now see this participant too.")
                % {"coach": colleague.display_name},
            )
            return redirect("coaching:participant", pk=person.pk)
    return render(
        request,
        "coaching/participant.html",
        _participant_context(request, person, share_form=form),
        status=400,
    )


@login_required
@require_POST
def end_share(request, pk: int, share_pk: int):
    person = coach_permissions.get_participant_for_coach_or_404(request, pk)
    assignment = coach_permissions.get_own_assignment_or_404(request, person)
    try:
        share_obj = assignment.shares.get(pk=share_pk, active=True)
    except CoachShare.DoesNotExist:
        raise Http404("no such share") from None
    assignments.end_share(share_obj)
    messages.success(request, _("Sharing has stopped."))
    return redirect("coaching:participant", pk=person.pk)


@login_required
@require_POST
def resolve_alert(request, pk: int):
    alert = coach_permissions.get_alert_for_coach_or_404(request, pk)
    alerts.resolve_alert(alert, request.user)
    messages.success(request, _("The signal is marked as handled."))
    return redirect("coaching:participant", pk=alert.participant_id)


@login_required
@require_POST
def reopen_alert(request, pk: int):
    """Undo "handled": the signal is open again."""
    alert = coach_permissions.get_alert_for_coach_or_404(request, pk)
    alerts.reopen_alert(alert)
    messages.success(request, _("The signal is open again."))
    return redirect("coaching:participant", pk=alert.participant_id)
