"""The participant's course pages. Lookups go through verbind.course.access (which uses
verbind.accounts.permissions); rules about weeks and check-ins are the core's."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from verbind.accounts.domain.consent import consent_text, has_consent
from verbind.accounts.models import ConsentPurpose
from verbind.accounts.permissions import login_required
from verbind.accounts.request_numbers import whole_number
from verbind.coaching.domain import assignments as coach_assignments
from verbind.core.battery import AnswerError as CheckInAnswerError
from verbind.course import access, forms
from verbind.course.domain import answers as answer_domain
from verbind.course.domain import checkins, progress, summary
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.domain.coach_status import coach_status
from verbind.course.domain.facts import situation
from verbind.course.markdown import render as render_markdown
from verbind.course.models import CheckIn, ExerciseAnswer

LOCKED_REASONS = {
    "not_started": gettext_lazy("The course has not started yet."),
    "previous_locked": gettext_lazy("This week opens after the week before it."),
    "paused": gettext_lazy("The course is paused. Resume it to go on."),
    "scheduled": gettext_lazy("This week opens on %(date)s."),
    "waiting_for_submission": gettext_lazy("Send the exercise marked for your coach first."),
    "waiting_for_coach": gettext_lazy(
        "This week opens when your coach has responded to your exercise."
    ),
}
# Shown next to the tag "open", so they do not say "Open" again.
OPEN_REASONS = {
    "start": gettext_lazy("Since the start."),
    "schedule": gettext_lazy("Since %(date)s."),
    "coach": gettext_lazy("Your coach opened this week."),
}


def _lang() -> str:
    lang = translation.get_language() or "nl"
    return lang if lang in ("nl", "en") else "nl"


def week_reason(state) -> str:
    """The core's reason for a week's state, in words for the participant."""
    if state.is_open:
        if state.reason == "schedule":
            if not state.opened_at:
                return ""
            return str(OPEN_REASONS["schedule"]) % {"date": _day(state.opened_at)}
        return str(OPEN_REASONS.get(state.reason, ""))
    text = str(LOCKED_REASONS.get(state.reason, ""))
    if state.reason == "scheduled" and state.opens_at:
        text = text % {"date": _day(state.opens_at)}
    return text


def _day(moment) -> str:
    """A day in words ("2 december 2026"), as elsewhere for participants; not a numeric
    date with the minute the course happened to start."""
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _saved_at(moment) -> str:
    """The time of an autosave just now, for "Saved at %(time)s." in course.js."""
    return timezone.localtime(moment).strftime("%H:%M")


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# --- overview and enrolment ------------------------------------------------------------


@login_required
@require_safe
def overview(request):
    enrolment = access.own_enrolment_or_none(request)
    lang = _lang()
    coach = coach_status(request.user)
    if coach.news is not None:  # told once, on this page
        coach_assignments.mark_told(coach.news)
    if enrolment is None:
        return render(
            request,
            "course/not_enrolled.html",
            {
                "eligibility": enrolment_domain.eligibility(request.user),
                "last_ended": enrolment_domain.last_ended(request.user),
                "coach": coach,
            },
        )
    s = situation(enrolment)
    programme = s.programme
    weeks = [
        {
            "number": w.number,
            "title": programme.week(w.number).title(lang),
            "state": w,
            "reason": week_reason(w),
        }
        for w in s.state.weeks
    ]
    return render(
        request,
        "course/overview.html",
        {
            "enrolment": enrolment,
            "situation": s,
            "programme_title": programme.title.get(lang),
            "weeks": weeks,
            "due": s.due_check_ins,
            "current": s.state.current_week,
            "finished": s.state.finished(s.now),
            "coach": coach,
        },
    )


@login_required
@require_POST
def enrol(request):
    try:
        enrolment_domain.enrol(request.user)
    except enrolment_domain.EnrolmentError as exc:
        messages.error(request, str(exc))
        return redirect("course:overview")
    messages.success(request, _("Welcome to the course. Start with the check-in."))
    return redirect("course:overview")


@login_required
@require_POST
def pause(request):
    enrolment = access.own_enrolment_or_404(request)
    try:
        enrolment_domain.pause(enrolment)
        messages.success(request, _("The course is paused. Nothing opens while you rest."))
    except enrolment_domain.EnrolmentError as exc:
        messages.error(request, str(exc))
    return redirect("course:overview")


@login_required
@require_POST
def resume(request):
    enrolment = access.own_enrolment_or_404(request)
    try:
        enrolment_domain.resume(enrolment)
        messages.success(request, _("Welcome back. The course goes on."))
    except enrolment_domain.EnrolmentError as exc:
        messages.error(request, str(exc))
    return redirect("course:overview")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def stop(request):
    """Stopping is the participant's own choice: one calm confirmation, no reason asked."""
    enrolment = access.own_enrolment_or_none(request)
    if enrolment is None:
        if request.method == "POST":
            raise Http404("not enrolled")
        return redirect("course:overview")
    if request.method == "POST":
        try:
            enrolment_domain.end(enrolment, by=request.user)
        except enrolment_domain.EnrolmentError as exc:
            messages.error(request, str(exc))
            return redirect("course:overview")
        messages.success(
            request,
            _("The course has stopped. What you wrote stays saved. Take good care of yourself."),
        )
        return redirect("accounts:home")
    s = situation(enrolment)
    return render(
        request,
        "course/stop.html",
        {"enrolment": enrolment, "paused": s.state.paused},
    )


# --- a coach: asking an organisation for one --------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ask_coach(request):
    """Ask an organisation for a coach. Its admin sees the person's name and e-mail address
    (nothing of their answers) and chooses a coach; the course goes on meanwhile."""
    coach = coach_status(request.user)
    if coach.has_coach or coach.request is not None:
        return redirect("course:overview")
    choices = coach_assignments.organisations_with_coaches()
    organisations = list(choices)
    needs_consent = not has_consent(request.user, ConsentPurpose.SHARE_WITH_COACH)
    form = forms.AskCoachForm(
        request.POST or None, organisations=choices, needs_consent=needs_consent
    )
    if request.method == "POST" and form.is_valid():
        try:
            coach_assignments.request_coach(
                request.user, form.cleaned_data["organisation"], _lang()
            )
        except coach_assignments.HandoverError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("You asked for a coach. We tell you here when you have one."),
            )
            return redirect("course:overview")
    return render(
        request,
        "course/ask_coach.html",
        {
            "form": form,
            "organisations": organisations,
            "consent_text": consent_text(ConsentPurpose.SHARE_WITH_COACH) if needs_consent else "",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def cancel_coach_request(request):
    open_request = coach_assignments.open_request(request.user)
    if open_request is not None:
        coach_assignments.cancel_request(open_request)
        messages.success(request, _("Fine. You do not get a coach. You can ask again later."))
    return redirect("course:overview")


# --- weeks and exercises ---------------------------------------------------------------


@login_required
@require_safe
def week(request, number: int):
    enrolment = access.own_enrolment_or_none(request)
    if enrolment is None:
        return redirect("course:overview")
    s = situation(enrolment)
    programme = s.programme
    if not 1 <= number <= programme.week_count:
        raise Http404("no such week")
    lang = _lang()
    state = s.state.week(number)
    if not state.is_open:
        return render(
            request,
            "course/week_locked.html",
            {"number": number, "reason": week_reason(state)},
        )
    w = programme.week(number)
    reading = w.reading(lang)
    saved = {
        a.exercise_id: a
        for a in ExerciseAnswer.objects.filter(enrolment=enrolment, week=number)
        .defer("image")
        .prefetch_related("feedback")
    }
    exercises = [
        {
            "exercise": e,
            "answer": saved.get(e.id),
            "title": e.title.get(lang),
            "prompt": e.prompt.get(lang),
        }
        for e in w.exercises
    ]
    return render(
        request,
        "course/week.html",
        {
            "enrolment": enrolment,
            "number": number,
            "week_count": programme.week_count,
            "title": reading.title,
            "reading_lang": reading.lang,
            "reading_html": render_markdown(reading.markdown),
            "exercises": exercises,
            "lang": lang,
            "max_photo_mb": answer_domain.MAX_IMAGE_BYTES // 1024 // 1024,
            "next_open": number < programme.week_count and s.state.week(number + 1).is_open,
            "has_coach": coach_assignments.has_coach(request.user),
        },
    )


@login_required
@require_POST
def answer(request, exercise_id: str):
    """Autosave (action=save) or submit (action=submit) an answer; JSON for fetch, a
    redirect for a plain form post."""
    enrolment = access.own_enrolment_or_404(request)
    form = forms.AnswerTextForm(request.POST)
    action = request.POST.get("action", "save")
    if not form.is_valid():
        message = _("Your answer is too long. Please make it shorter.")
        if _wants_json(request):
            return JsonResponse({"saved": False, "error": message, "code": "invalid"}, status=400)
        messages.error(request, message)
        return redirect("course:overview")
    text = form.cleaned_data["text"]
    try:
        if action == "submit":
            saved = answer_domain.submit(enrolment, exercise_id, text)
        else:
            saved = answer_domain.save_draft(enrolment, exercise_id, text)
    except answer_domain.AnswerError as exc:
        if exc.code == "unknown_exercise":
            raise Http404("no such exercise") from None
        if _wants_json(request):
            return JsonResponse({"saved": False, "error": str(exc), "code": exc.code}, status=409)
        messages.error(request, str(exc))
        week_number = _week_of(enrolment, exercise_id)
        return redirect(reverse("course:week", args=[week_number]) + f"#exercise-{exercise_id}")
    if _wants_json(request):
        return JsonResponse(
            {
                "saved": True,
                "status": saved.status,
                "length": len(saved.text),
                "saved_at": _saved_at(saved.updated_at),
            }
        )
    if action == "submit" and coach_assignments.has_coach(request.user):
        messages.success(request, _("Sent to your coach. Well done!"))
    elif action == "submit":
        messages.success(request, _("Done. Well done!"))
    else:
        messages.success(request, _("Your answer is saved."))
    return redirect(reverse("course:week", args=[saved.week]) + f"#exercise-{exercise_id}")


def _week_of(enrolment, exercise_id: str) -> int:
    return answer_domain.exercise_of(enrolment, exercise_id)[0].number


# Room for the form's other fields and the multipart framing around the photo.
PHOTO_FORM_MARGIN = 64 * 1024


def _body_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


@csrf_exempt  # checked in _answer_photo, after the size: a too large body is never read
@login_required
@require_POST
def answer_photo(request, exercise_id: str):
    enrolment = access.own_enrolment_or_404(request)
    try:
        week_number = _week_of(enrolment, exercise_id)
    except answer_domain.AnswerError:
        raise Http404("no such exercise") from None
    target = reverse("course:week", args=[week_number]) + f"#exercise-{exercise_id}"
    length = _body_length(request)
    if length > answer_domain.MAX_IMAGE_BYTES + PHOTO_FORM_MARGIN:
        # Refused from the size the browser announces, before the body is read or
        # stored anywhere; nothing is changed, so no form token is needed for this answer.
        messages.error(request, str(answer_domain.too_large(length)))
        return redirect(target)
    return _answer_photo(request, enrolment, exercise_id, target)


@csrf_protect
def _answer_photo(request, enrolment, exercise_id: str, target: str):
    try:
        if request.POST.get("action") == "remove":
            answer_domain.remove_image(enrolment, exercise_id)
            messages.success(request, _("The photo is removed."))
            return redirect(target)
        upload = request.FILES.get("photo")
        if upload is None:
            raise answer_domain.AnswerError(_("Choose a photo first."), "image_empty")
        if upload.size > answer_domain.MAX_IMAGE_BYTES:
            # Refused before reading it into memory.
            raise answer_domain.too_large(upload.size)
        answer_domain.attach_image(enrolment, exercise_id, upload.read(), upload.content_type)
    except answer_domain.AnswerError as exc:
        messages.error(request, str(exc))
        return redirect(target)
    messages.success(request, _("Your photo is saved."))
    return redirect(target)


@login_required
@require_safe
def photo(request, pk: int):
    a = access.answer_image_or_404(request, pk)
    if not a.has_image:
        raise Http404("no photo")
    response = HttpResponse(bytes(a.image), content_type=a.image_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- check-ins -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_in(request, key: str):
    """A check-in in steps (``?step=n``), one instrument per screen. Every step sent is
    kept on the server; the last one turns the answers into the check-in. Without
    JavaScript it is plain forms and redirects; with it, a chosen answer is kept at once."""
    enrolment = access.own_enrolment_or_none(request)
    if enrolment is None:
        return redirect("course:overview")
    slot = checkins.slot_for(enrolment, key)
    if slot is None:
        raise Http404("no such check-in")
    if slot.status != "due":
        done = CheckIn.objects.filter(enrolment=enrolment, key=key).exists()
        if done:
            return redirect("course:check_in_done", key=key)
        return render(request, "course/check_in_closed.html", {"slot": slot}, status=200)
    lang = _lang()
    battery = checkins.check_in_battery(slot.instruments)
    steps = checkins.steps_of(battery)
    kept = checkins.draft_answers(enrolment, key)
    first_open = checkins.first_open_step(battery, kept)
    raw = request.POST.get("step") if request.method == "POST" else request.GET.get("step")
    number = whole_number(raw) or first_open
    if not 1 <= number <= first_open:
        # No skipping ahead past a step without answers; an unknown step goes there too.
        return redirect(_step_url(key, first_open))
    step = steps[number - 1]
    form = forms.CheckInForm(battery, lang, request.POST or None, columns=step.columns)
    if request.method == "POST":
        action = request.POST.get("action", "next")
        given = {c: request.POST[c] for c in step.columns if request.POST.get(c)}
        if action in ("save", "back"):
            return _keep_step(request, enrolment, key, given, number)
        if form.is_valid():
            try:
                if number < len(steps):
                    checkins.save_step(enrolment, key, form.cleaned_data)
                    return redirect(_step_url(key, number + 1))
                checkins.finish(enrolment, key, form.cleaned_data, language=lang)
            except CheckInAnswerError:
                messages.error(
                    request, _("Some answers are missing. Please answer every question.")
                )
                kept = checkins.draft_answers(enrolment, key)
                return redirect(_step_url(key, checkins.first_open_step(battery, kept)))
            except checkins.CheckInError as exc:
                messages.error(request, str(exc))
                return redirect("course:overview")
            return redirect("course:check_in_done", key=key)
        kept = {**kept, **given}
    else:
        form = forms.CheckInForm(
            battery, lang, initial={c: kept[c] for c in step.columns if c in kept},
            columns=step.columns,
        )  # fmt: skip
    return render(
        request,
        "course/check_in.html",
        {
            "form": form,
            "slot": slot,
            "label": progress.moment_label(slot.key, slot.week),
            "step": step,
            "step_count": len(steps),
            "question_count": len(battery.columns),
            "minutes": checkins.minutes_for(battery),
            "is_last": number == len(steps),
            "crisis_now": checkins.raises_safety(battery, kept),
            "back_url": _step_url(key, number - 1) if number > 1 else None,
        },
        status=400 if form.errors else 200,
    )


def _step_url(key: str, number: int) -> str:
    return f"{reverse('course:check_in', args=[key])}?step={number}"


def _keep_step(request, enrolment, key: str, given: dict, number: int):
    """Keep the answers chosen on this step (none need be complete): autosave (JSON) or
    the "Back" button, which never complains about a question not answered yet."""
    try:
        checkins.save_step(enrolment, key, given)
    except CheckInAnswerError:
        if _wants_json(request):
            message = _("This answer could not be saved. Please choose one of the answers.")
            return JsonResponse({"saved": False, "error": message, "code": "invalid"}, status=400)
    except checkins.CheckInError as exc:
        if _wants_json(request):
            return JsonResponse({"saved": False, "error": str(exc), "code": "closed"}, status=409)
        messages.error(request, str(exc))
        return redirect("course:overview")
    if _wants_json(request):
        return JsonResponse({"saved": True, "saved_at": _saved_at(timezone.now())})
    return redirect(_step_url(key, max(number - 1, 1)))


@login_required
@require_safe
def check_in_done(request, key: str):
    enrolment = access.own_enrolment_or_404(request)
    try:
        done = CheckIn.objects.get(enrolment=enrolment, key=key)
    except CheckIn.DoesNotExist:
        raise Http404("no such check-in") from None
    return render(
        request,
        "course/check_in_done.html",
        {"check_in": done, "has_coach": coach_assignments.has_coach(request.user)},
    )


# --- progress and summary --------------------------------------------------------------


@login_required
@require_safe
def progress_page(request):
    enrolment = access.own_enrolment_or_none(request)
    if enrolment is None:
        return redirect("course:overview")
    lang = _lang()
    check_ins = list(CheckIn.objects.filter(enrolment=enrolment).order_by("created_at", "pk"))
    series = progress.series_of(check_ins, lang)
    return render(
        request,
        "course/progress.html",
        {
            "series": series,
            "charts": progress.charts_for(series),
            "verdicts": progress.verdicts(enrolment, series, lang),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def summary_page(request):
    """The choices for the summary and the plan. Saved as they change (course.js posts
    with ``action=save`` and gets JSON, as exercises do), with the "Save" button, and
    before the PDF is made (``action=pdf``), so the PDF always holds what is on screen."""
    enrolment = access.own_enrolment_or_none(request)
    if enrolment is None:
        return redirect("course:overview")
    lang = _lang()
    programme = situation(enrolment).programme
    answers = list(
        ExerciseAnswer.objects.filter(enrolment=enrolment).exclude(text="").defer("image")
    )
    form = forms.PlanForm(request.POST or None, initial={"plan": enrolment.plan_after_course})
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if form.is_valid():
            chosen = [whole_number(v) for v in request.POST.getlist("include")]
            chosen = [pk for pk in chosen if pk is not None]
            answer_domain.choose_for_summary(enrolment, chosen)
            enrolment_domain.save_plan(enrolment, form.cleaned_data["plan"])
            if _wants_json(request):
                return JsonResponse({"saved": True, "saved_at": _saved_at(timezone.now())})
            if action == "pdf":
                return redirect("course:summary_pdf")
            messages.success(request, _("Your choices are saved."))
            return redirect("course:summary")
        if _wants_json(request):
            message = _("Your plan is too long. Please make it shorter.")
            return JsonResponse({"saved": False, "error": message, "code": "invalid"}, status=400)
    rows = []
    for a in sorted(answers, key=lambda a: (a.week, a.pk)):
        try:
            title = programme.exercise(a.exercise_id)[1].title.get(lang)
        except KeyError:
            continue
        rows.append({"answer": a, "title": title})
    return render(
        request,
        "course/summary.html",
        {"form": form, "rows": rows, "enrolment": enrolment},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def summary_pdf(request):
    enrolment = access.own_enrolment_or_404(request)
    if not summary.may_make_pdf(enrolment):
        response = render(request, "course/summary_pdf_wait.html", status=429)
        response["Retry-After"] = str(int(summary.PDF_WINDOW.total_seconds()) // 6)
        return response
    pdf = summary.summary_pdf(enrolment, _lang())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="verbind-samenvatting.pdf"'
    return response
