"""A person's own pages: their home page ("Mijn pagina"), registering, accepting an
invitation, their coaches, their data and deleting their account. They gather from every
app below; short function views, every access rule lives in the permissions modules."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from verbind.accounts import forms, permissions
from verbind.accounts.domain import consent as consent_domain
from verbind.accounts.domain import registration
from verbind.accounts.models import ConsentPurpose, InvitationKind, User
from verbind.accounts.permissions import login_required
from verbind.coaching import permissions as coach_permissions
from verbind.coaching.domain import assignments, invitations
from verbind.coaching.models import CoachAssignment, CoachRequest
from verbind.course.domain import navigation
from verbind.course.models import Enrolment, Feedback
from verbind.participant.domain import personal_data
from verbind.screening import selftest
from verbind.screening.domain import pending, signup
from verbind.screening.models import Measurement

_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The tables are for reading: a spreadsheet reads UTF-8 ("één", "vóór") only with this mark.
_BOM = "\ufeff"


def _lang() -> str:
    return translation.get_language() or "nl"


@login_required
@require_safe
def home(request):
    history = list(
        Measurement.objects.filter(participant=request.user)
        .order_by("-created_at", "-pk")
        .only(
            "pk",
            "created_at",
            "battery",
            "quadrant",
            "route",
            "duration_band",
            "loneliness_score",
            "loneliness_max",
            "loneliness_level",
            "loneliness_instrument",
            "isolation_score",
            "isolation_instrument",
            "isolated",
            "safety_flag",
            "profile",
        )
    )
    latest = history[0] if history else None
    coaches = CoachAssignment.objects.filter(participant=request.user, active=True).select_related(
        "coach"
    )
    coaches = list(coaches)
    card = navigation.home_card(request.user, latest)
    # When the coach last answered in the course (the newest feedback on an answer).
    last_feedback = (
        Feedback.objects.filter(answer__enrolment__participant=request.user)
        .select_related("answer")
        .only("created_at", "answer__week")
        .order_by("-created_at", "-pk")
        .first()
        if card is not None and card.status == navigation.ENROLLED
        else None
    )
    return render(
        request,
        "accounts/home.html",
        {
            "last_feedback": last_feedback,
            "latest": latest,
            "history": history,
            "coaches": coaches,
            # Without a coach: a request that waits (asked, or the coach stopped).
            "coach_request": None
            if coaches
            else CoachRequest.objects.filter(participant=request.user, closed_at=None)
            .select_related("organisation")
            .first(),
            "roles": permissions.roles_of(request.user),
            "course_card": card,
            "course_menu": navigation.menu_from_home_card(card),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    """Create an account after consent; a pending self-test result is saved with it."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    pending_test = pending.from_request(request)
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = signup.register_person_with_test(
            form.cleaned_data["email"],
            form.cleaned_data["password1"],
            _lang(),
            consent_to_store=form.cleaned_data["consent_store"],
            pending_test=pending_test,
        )
        login(request, user, backend=_BACKEND)
        messages.success(request, _("Your account is ready. Welcome!"))
        response = redirect("accounts:home")
        pending.clear_cookie(response)
        selftest.clear_cookie(response)  # the answers are saved: no copy left behind
        return response
    return render(
        request,
        "accounts/register.html",
        {
            "form": form,
            "pending_test": pending_test,
            "consent_text": consent_domain.consent_text(ConsentPurpose.STORE_MEASUREMENTS),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request, token: str):
    try:
        invitation = invitations.read_token(token)
    except invitations.InvitationError as exc:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"reason": exc.code, "invitation": exc.invitation},
            status=410,
        )
    is_coach_invite = invitation.kind == InvitationKind.COACH
    user = request.user if request.user.is_authenticated else None
    existing = User.objects.filter(email=invitation.email).exists()

    if user is not None and user.email != invitation.email:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"reason": "wrong_email", "invitation": invitation},
            status=403,
        )
    if user is None and existing:
        # The person has an account: log in first, then come back to this link.
        messages.info(request, _("You already have an account. Log in to accept the invitation."))
        return redirect(f"{_login_url()}?next={request.path}")

    if user is not None:
        form = None if is_coach_invite else forms.AcceptInvitationForm(request.POST or None)
    elif is_coach_invite:
        form = forms.AcceptCoachInvitationNewAccountForm(
            request.POST or None, email=invitation.email
        )
    else:
        form = forms.AcceptInvitationNewAccountForm(request.POST or None, email=invitation.email)

    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = invitations.register_and_accept(
                invitation,
                user,
                _lang(),
                new_account=None
                if user is not None
                else invitations.NewAccount(
                    password=form.cleaned_data["password1"],
                    name=form.cleaned_data.get("name", ""),
                    consent_to_store=form.cleaned_data.get("consent_store", False),
                ),
                # A self-test finished before following the link is saved too.
                pending_test=pending.from_request(request),
            )
        except (invitations.InvitationError, registration.RegistrationError) as exc:
            return render(
                request,
                "accounts/invitation_invalid.html",
                {"reason": getattr(exc, "code", "invalid")},
                status=410,
            )
        if not request.user.is_authenticated:
            login(request, user, backend=_BACKEND)
        messages.success(request, _("Welcome! The invitation is accepted."))
        response = redirect("coaching:dashboard" if is_coach_invite else "accounts:home")
        pending.clear_cookie(response)
        selftest.clear_cookie(response)  # the answers are saved: no copy left behind
        return response

    return render(
        request,
        "accounts/accept_invitation.html",
        {
            "invitation": invitation,
            "form": form,
            "is_coach_invite": is_coach_invite,
            "consent_store_text": consent_domain.consent_text(ConsentPurpose.STORE_MEASUREMENTS),
            "consent_share_text": consent_domain.consent_text(ConsentPurpose.SHARE_WITH_COACH),
        },
    )


def _login_url() -> str:
    return reverse("accounts:login")


@login_required
@require_safe
def my_coach(request):
    active = CoachAssignment.objects.filter(participant=request.user, active=True).select_related(
        "coach", "organisation"
    )
    assignments_list = list(active)
    ask = bool(assignments_list) and not consent_domain.covers_colleagues(request.user)
    return render(
        request,
        "accounts/my_coach.html",
        {
            "assignments": assignments_list,
            "ask_about_colleagues": ask,
            "colleagues_consent_text": (
                consent_domain.consent_text(ConsentPurpose.SHARE_WITH_COACH) if ask else ""
            ),
            "shares_contact": consent_domain.shares_contact(request.user),
            "contact_consent_text": consent_domain.consent_text(
                ConsentPurpose.SHARE_CONTACT_WITH_COACH
            ),
        },
    )


@login_required
@require_POST
def agree_contact(request):
    """The participant lets their coach see their contact details, to act on a signal."""
    if not CoachAssignment.objects.filter(participant=request.user, active=True).exists():
        raise Http404("no coach")
    lang = translation.get_language() or "nl"
    if consent_domain.agree_to_share_contact(request.user, lang) is not None:
        messages.success(request, _("Thank you. Your coach can now contact you if needed."))
    return redirect("accounts:my_coach")


@login_required
@require_POST
def withdraw_contact(request):
    """The participant stops letting coaches see their contact details."""
    if consent_domain.withdraw_consent(request.user, ConsentPurpose.SHARE_CONTACT_WITH_COACH):
        messages.success(request, _("Your coach no longer sees your contact details."))
    return redirect("accounts:my_coach")


@login_required
@require_POST
def agree_colleagues(request):
    """The participant agrees that a colleague of their coach may see their results too."""
    if not CoachAssignment.objects.filter(participant=request.user, active=True).exists():
        raise Http404("no coach")
    lang = translation.get_language() or "nl"
    if consent_domain.agree_to_colleagues(request.user, lang) is not None:
        messages.success(
            request, _("Thank you. A colleague of your coach may now help too, if needed.")
        )
    return redirect("accounts:my_coach")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw_coach(request, pk: int):
    assignment = coach_permissions.get_own_assignment_for_participant_or_404(request, pk)
    if request.method == "POST":
        assignments.withdraw_access(assignment)
        messages.success(
            request,
            _("%(coach)s can no longer see your results.")
            % {"coach": assignment.coach.display_name},
        )
        return redirect("accounts:my_coach")
    return render(request, "accounts/withdraw_coach.html", {"assignment": assignment})


@login_required
@require_safe
def my_data(request):
    return render(
        request,
        "accounts/my_data.html",
        {
            "measurement_count": Measurement.objects.filter(participant=request.user).count(),
            "in_course": Enrolment.objects.filter(participant=request.user).exists(),
            "consents": request.user.consents.all(),
        },
    )


def _attachment(content: str, filename: str, content_type: str) -> HttpResponse:
    """A download of the person's own data, saved under ``filename``."""
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@login_required
@require_safe
def export_json(request):
    data = personal_data.export_data(request.user, _lang())
    return _attachment(
        json.dumps(data, ensure_ascii=False, indent=2), "verbind-data.json", "application/json"
    )


@login_required
@require_safe
def export_csv(request):
    return _attachment(
        _BOM + personal_data.export_measurements_csv(request.user, _lang()),
        "verbind-measurements.csv",
        "text/csv; charset=utf-8",
    )


@login_required
@require_safe
def export_course_csv(request):
    return _attachment(
        _BOM + personal_data.export_course_csv(request.user, _lang()),
        "verbind-course.csv",
        "text/csv; charset=utf-8",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    work = personal_data.work_organisations(request.user)
    if work:
        # A work account is not deleted by its owner: it holds the record of who saw
        # participants' data (docs/decisions.md). The page says what to do instead.
        return render(
            request,
            "accounts/delete_work_account.html",
            {"organisations": work},
            status=403 if request.method == "POST" else 200,
        )
    form = forms.DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        personal_data.delete_account(user)
        messages.success(request, _("Your account and all your data are deleted."))
        return redirect("start")
    return render(request, "accounts/delete_account.html", {"form": form})
