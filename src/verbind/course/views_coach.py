"""The coach's course pages: overview, feedback inbox, one participant's course.
Every lookup goes through verbind.course.access (built on verbind.accounts.permissions)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from verbind.accounts import permissions
from verbind.accounts.permissions import login_required
from verbind.coaching import permissions as coach_permissions
from verbind.course import access, forms
from verbind.course.domain import checkins, overview, progress
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.domain import feedback as feedback_domain
from verbind.course.domain.facts import situation
from verbind.course.domain.programmes import get_programme
from verbind.course.models import CheckIn, ExerciseAnswer
from verbind.course.views import week_reason


def _lang() -> str:
    lang = translation.get_language() or "nl"
    return lang if lang in ("nl", "en") else "nl"


@login_required
@require_safe
def coach_overview(request):
    org = permissions.require_coach(request)
    rows = overview.rows_for_coach(request.user, org)
    stopped = overview.recently_stopped(request.user, org)
    return render(request, "course/coach_overview.html", {"rows": rows, "stopped": stopped})


@login_required
@require_safe
def inbox(request):
    org = permissions.require_coach(request)
    lang = _lang()
    items = list(feedback_domain.inbox(request.user, org))
    # The exercise's title in the coach's language ("Mijn cirkels"), not its id.
    for a in items:
        a.exercise_title = _exercise_title(a.enrolment, a.exercise_id, lang)[0]
    return render(request, "course/coach_inbox.html", {"items": items})


def _exercise_title(enrolment, exercise_id: str, lang: str) -> tuple[str, str]:
    programme = get_programme(enrolment.programme)
    try:
        _week, exercise = programme.exercise(exercise_id)
    except KeyError:
        return exercise_id, ""
    return exercise.title.get(lang), exercise.prompt.get(lang)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def give_feedback(request, pk: int):
    answer = access.answer_for_coach_or_404(request, pk)
    form = forms.FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_domain.give_feedback(answer, request.user, form.cleaned_data["text"])
        except feedback_domain.FeedbackError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, _("Your feedback is sent."))
            return redirect("course:inbox")
    title, prompt = _exercise_title(answer.enrolment, answer.exercise_id, _lang())
    return render(
        request,
        "course/coach_feedback.html",
        {
            "answer": answer,
            "participant": answer.enrolment.participant,
            "title": title,
            "prompt": prompt,
            "earlier": list(answer.feedback.select_related("author")),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def coach_enrolment(request, pk: int):
    enrolment = access.enrolment_for_coach_or_404(request, pk)
    lang = _lang()
    s = situation(enrolment)
    programme = s.programme
    answers = {
        a.exercise_id: a
        for a in ExerciseAnswer.objects.filter(enrolment=enrolment)
        .defer("image")
        .prefetch_related("feedback")
    }
    weeks = []
    for w in s.state.weeks:
        pw = programme.week(w.number)
        weeks.append(
            {
                "number": w.number,
                "title": pw.title(lang),
                "state": w,
                "reason": week_reason(w),
                "exercises": [
                    {"exercise": e, "title": e.title.get(lang), "answer": answers.get(e.id)}
                    for e in pw.exercises
                ],
            }
        )
    check_ins = list(CheckIn.objects.filter(enrolment=enrolment).order_by("created_at", "pk"))
    series = progress.series_of(check_ins, lang)
    return render(
        request,
        "course/coach_enrolment.html",
        {
            "enrolment": enrolment,
            "participant": enrolment.participant,
            "situation": s,
            "weeks": weeks,
            "check_ins": check_ins,
            "series": series,
            "charts": progress.charts_for(series),
            "verdicts": progress.verdicts(enrolment, series, lang),
            "open_form": forms.OpenWeekForm(),
        },
    )


@login_required
@require_POST
def open_week(request, pk: int):
    enrolment = access.enrolment_for_coach_or_404(request, pk)
    form = forms.OpenWeekForm(request.POST)
    if form.is_valid():
        try:
            enrolment_domain.open_week(enrolment, form.cleaned_data["week"], request.user)
            messages.success(
                request, _("Week %(n)s is open now.") % {"n": form.cleaned_data["week"]}
            )
        except enrolment_domain.EnrolmentError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Choose a week number."))
    return redirect("course:coach_enrolment", pk=enrolment.pk)


@login_required
@require_POST
def feedback_blocking(request, pk: int):
    enrolment = access.enrolment_for_coach_or_404(request, pk)
    blocks = request.POST.get("blocks") == "on"
    enrolment_domain.set_feedback_blocking(enrolment, blocks)
    if blocks:
        messages.success(request, _("The next week now waits for your feedback."))
    else:
        messages.success(request, _("The next week no longer waits for your feedback."))
    return redirect("course:coach_enrolment", pk=enrolment.pk)


@login_required
@require_POST
def check_in_seen(request, pk: int):
    check_in = access.check_in_for_coach_or_404(request, pk)
    checkins.mark_flags_seen(check_in, request.user)
    messages.success(request, _("The signal is marked as seen."))
    return redirect("course:coach_enrolment", pk=check_in.enrolment_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def coach_enrol(request, pk: int):
    participant = coach_permissions.get_participant_for_coach_or_404(request, pk)
    current = enrolment_domain.active_enrolment(participant)
    if current is not None:
        return redirect("course:coach_enrolment", pk=current.pk)
    form = forms.CoachEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            e = enrolment_domain.enrol(
                participant, by=request.user, reason=form.cleaned_data["reason"]
            )
        except enrolment_domain.EnrolmentError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, _("%(name)s takes part in the course now.") % {
                "name": participant.display_name
            })  # fmt: skip
            return redirect("course:coach_enrolment", pk=e.pk)
    return render(
        request,
        "course/coach_enrol.html",
        {
            "participant": participant,
            "eligibility": enrolment_domain.eligibility(participant),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def coach_end(request, pk: int):
    """A coach ends a participant's course early and writes down why."""
    enrolment = access.enrolment_for_coach_or_404(request, pk)
    participant = enrolment.participant
    form = forms.CoachEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_domain.end(enrolment, by=request.user, reason=form.cleaned_data["reason"])
        except enrolment_domain.EnrolmentError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(
                request,
                _("The course of %(name)s has stopped.") % {"name": participant.display_name},
            )
            return redirect("course:coach_overview")
    return render(
        request,
        "course/coach_end.html",
        {"enrolment": enrolment, "participant": participant, "form": form},
        status=400 if form.errors else 200,
    )
