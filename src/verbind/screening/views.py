"""The public self-test: choose a test, one question per screen, crisis help, the result.

Anyone may take the test without an account. The answers so far travel in a signed
cookie (``screening.selftest``); a finished, unsaved result in the ``pending`` cookie that
registration reads. A logged-in person who agreed to have their results stored gets a new
Measurement at once (a re-test). Every step works without JavaScript: plain forms that
post, and redirects.

A "yes" to the safety question sends the person to crisis help as the very next screen,
before any other question or the result; from there they may go on.

Nothing here scores or decides: ``verbind.core`` does (through
``screening.domain.measurements``), and the questions come from the batteries.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from verbind.accounts.domain.consent import has_consent
from verbind.accounts.models import ConsentPurpose
from verbind.accounts.permissions import login_required
from verbind.core import profile as core_profile
from verbind.core.battery import batteries, get_battery
from verbind.core.instrument import LANGUAGES, registry
from verbind.screening import selftest, signals
from verbind.screening.domain import measurements, pending
from verbind.screening.forms import ScreenForm
from verbind.screening.models import Measurement

BATTERY_ORDER = ("short", "full")


def _lang() -> str:
    lang = (translation.get_language() or "nl")[:2]
    return lang if lang in LANGUAGES else "nl"


def _may_store(user) -> bool:
    """Only a person who agreed to have results stored gets a measurement saved."""
    return user.is_authenticated and has_consent(user, ConsentPurpose.STORE_MEASUREMENTS)


def _question_url(number: int) -> str:
    return reverse("screening:question", kwargs={"number": number})


def _lost_test(request):
    messages.info(
        request,
        _("We could not find your answers. Maybe the test was started too long ago. "
          "Please start again."),
    )  # fmt: skip
    return redirect("screening:start")


# --- choosing a test -----------------------------------------------------------------------


@dataclass(frozen=True)
class BatteryChoice:
    id: str
    title: str
    intro: str
    questions: int


def _choices(lang: str) -> list[BatteryChoice]:
    known = batteries()
    ordered = [b for b in BATTERY_ORDER if b in known] + sorted(set(known) - set(BATTERY_ORDER))
    return [
        BatteryChoice(b, known[b].title.get(lang), known[b].intro.get(lang), len(known[b].screens))
        for b in ordered
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def start(request):
    lang = _lang()
    progress = selftest.from_request(request)
    error = None
    if request.method == "POST":
        battery_id = request.POST.get("battery", "")
        if battery_id in batteries():
            response = redirect(_question_url(1))
            selftest.set_cookie(response, selftest.Progress(battery_id))
            # A new test replaces an earlier result that was not saved.
            pending.clear_cookie(response)
            return response
        error = _("Please choose the short or the full test.")
    return render(
        request,
        "screening/start.html",
        {
            "choices": _choices(lang),
            "progress": progress,
            "resume_number": progress.first_unanswered() if progress else None,
            "error": error,
        },
        status=400 if error else 200,
    )


# --- one question --------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def question(request, number: int):
    progress = selftest.from_request(request)
    if progress is None:
        return _lost_test(request)
    if not progress.may_show(number):
        first_open = progress.first_unanswered()
        if first_open is None:
            return redirect("screening:result")
        return redirect(_question_url(first_open))
    lang = _lang()
    screen = progress.screen(number)
    if request.method == "POST":
        form = ScreenForm(screen, lang, request.POST)
        if "back" in request.POST:
            # Going back keeps an answer that was chosen, and never complains about one
            # that was not.
            if form.is_valid():
                progress.record(screen, form.answers())
            target = _question_url(number - 1) if number > 1 else reverse("screening:start")
            response = redirect(target)
            selftest.set_cookie(response, progress)
            return response
        if form.is_valid():
            answers = form.answers()
            progress.record(screen, answers)
            safety = progress.battery.answers_need_crisis_help(answers)
            return _advance(request, progress, number, safety=safety)
    else:
        form = ScreenForm(screen, lang, previous=progress.answers)
    stem = screen.stem(lang)
    item = screen.items[0]
    return render(
        request,
        "screening/question.html",
        {
            "progress": progress,
            "screen": screen,
            "number": number,
            "total": progress.total,
            "question_text": screen.text(lang),
            "stem": stem,
            "hint": item.help.get(lang) if (not screen.is_group and item.help) else "",
            "form": form,
            "options": form.option_rows(),
            "is_group": screen.is_group,
            "errors": form.error_messages(),
            "battery_title": progress.battery.title.get(lang),
            "will_save": number == progress.total and _may_store(request.user),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _advance(request, progress: selftest.Progress, number: int, *, safety: bool):
    """Where to go after an answer: crisis help first when it applies, then onwards."""
    if number < progress.total:
        target = _question_url(number + 1)
        response = redirect(target)
        selftest.set_cookie(response, progress)
    elif _may_store(request.user):
        measurement = measurements.save_measurement(
            request.user, progress.battery_id, progress.ordered_answers(), language=_lang()
        )
        target = reverse("screening:saved_result", kwargs={"pk": measurement.pk})
        response = redirect(target)
        selftest.clear_cookie(response)
        pending.clear_cookie(response)
    else:
        target = reverse("screening:result")
        response = redirect(target)
        selftest.set_cookie(response, progress)
    if safety:
        response["Location"] = f"{reverse('screening:crisis')}?{urlencode({'next': target})}"
    return response


# --- crisis help -----------------------------------------------------------------------------


def _safe_next(request) -> str | None:
    target = request.GET.get("next", "")
    if (
        target.startswith("/test/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return None


@require_safe
def crisis(request):
    """Help right now, shown as the very next screen after a "yes" to the safety question."""
    target = _safe_next(request)
    if target is None:
        progress = selftest.from_request(request)
        if progress is not None:
            first_open = progress.first_unanswered()
            target = (
                reverse("screening:result") if first_open is None else _question_url(first_open)
            )
    # The way on says where it leads: back into the test, or to the result.
    to_question = target is not None and target.startswith("/test/question/")
    return render(
        request, "screening/crisis.html", {"next_url": target, "next_is_question": to_question}
    )


# --- the result ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A piece of a section: a paragraph, or a list (the core marks list items with •)."""

    kind: str  # "p" | "ul"
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShownSection:
    id: str
    heading: str | None
    blocks: tuple[Block, ...]


def _blocks(paragraphs) -> tuple[Block, ...]:
    out: list[Block] = []
    bullets: list[str] = []
    for p in paragraphs:
        if p.startswith("• "):
            bullets.append(p[2:])
            continue
        if bullets:
            out.append(Block("ul", items=tuple(bullets)))
            bullets = []
        out.append(Block("p", text=p))
    if bullets:
        out.append(Block("ul", items=tuple(bullets)))
    return tuple(out)


@dataclass(frozen=True)
class ScoreRow:
    name: str  # the scale's label, in words a participant reads
    source: str  # the list of questions it comes from ("DJG-6"), shown in small print
    value: int | None
    min: int
    max: int
    level: str


def _score_rows(results, lang: str) -> list[ScoreRow]:
    """Every scale of every scored instrument, named as the definitions name them."""
    rows = []
    insts = registry()
    for inst_id, result in results.items():
        inst = insts[inst_id]
        for scale_id, scale_result in result.scales.items():
            scale = inst.scales[scale_id]
            rows.append(
                ScoreRow(
                    name=scale.label.get(lang),
                    source=inst.short_title,
                    value=scale_result.value,
                    min=scale.min,
                    max=scale.max,
                    level=scale_result.level_label.get(lang) if scale_result.level_label else "",
                )
            )
    return rows


def _result_context(
    explanation: core_profile.Explanation, results, lang: str, profile: core_profile.Profile
) -> dict:
    sections = explanation.sections
    by_id = {s.id: s for s in sections}
    # Crisis help, the headline, the closing words and the rule ids have their own places.
    body_ids = (
        "feeling", "situation", "duration", "approach", "next_steps", "conversation",
        "life_events",
    )  # fmt: skip
    route = by_id.get("route")
    # The core ends crisis help with the line that leads into the result ("Below you can
    # read what else..."): the call buttons go before it, so that line comes right before
    # the result it announces.
    crisis_lines, crisis_after = explanation.crisis[:-1], explanation.crisis[-1:]
    return {
        "explanation": explanation,
        "crisis_blocks": _blocks(crisis_lines),
        "crisis_after": crisis_after[0] if crisis_after else "",
        "body": [
            ShownSection(s.id, s.heading, _blocks(s.paragraphs))
            for s in sections
            if s.id in body_ids
        ],
        "route_heading": route.heading if route else "",
        "route_blocks": _blocks(explanation.route),
        "scores": _score_rows(results, lang),
        # The top of the page: three short lines and the next step.
        "summary": core_profile.result_in_short(profile, lang),
    }


def _from_apps_above(request, classification) -> dict:
    """What the apps above add to a result page for a logged-in person
    (``signals.result_page_context``): the course tells someone already in it so, instead
    of "sign up for the course", and says whether a coach follows them ("with"), or
    whether the course runs without one ("without") or needs a talk with a coach first
    ("ask"). The core's advice (the route) stays as it is."""
    context = {"enrolled_course": None, "course_coach": ""}
    if request.user.is_authenticated:
        for _receiver, extra in signals.result_page_context.send(
            sender=Measurement, user=request.user, classification=classification
        ):
            context.update(extra or {})
    return context


@require_safe
def result(request):
    """The result of a finished test that is not saved (yet)."""
    progress = selftest.from_request(request)
    if progress is None:
        return _lost_test(request)
    first_open = progress.first_unanswered()
    if first_open is not None:
        return redirect(_question_url(first_open))
    lang = _lang()
    answers = progress.ordered_answers()
    measurement, profile = measurements.evaluate(progress.battery_id, answers, language=lang)
    explanation = core_profile.explain(profile, lang)
    context = _result_context(explanation, progress.battery.score(answers), lang, profile)
    context.update(
        {
            "saved": False,
            "may_store": _may_store(request.user),
            "crisis": measurement.safety_flag,
            "last_question": progress.total,
            "route": profile.classification.effective_route,
            **_from_apps_above(request, profile.classification),
        }
    )
    response = render(request, "screening/result.html", context)
    if not request.user.is_authenticated:
        # Registration (or an invitation link) picks this up to save it, after consent.
        pending.set_cookie(response, progress.battery_id, answers, lang)
    return response


@login_required
@require_POST
def save(request):
    """A logged-in person saves a result they finished before logging in."""
    progress = selftest.from_request(request)
    if progress is None or not progress.complete:
        return _lost_test(request)
    if not _may_store(request.user):
        raise Http404("this account does not store test results")
    measurement = measurements.save_measurement(
        request.user, progress.battery_id, progress.ordered_answers(), language=_lang()
    )
    messages.success(request, _("Your result is saved."))
    response = redirect("screening:saved_result", pk=measurement.pk)
    selftest.clear_cookie(response)
    pending.clear_cookie(response)
    return response


@login_required
@require_safe
def saved_result(request, pk: int):
    """A stored result, explained again. Only its owner sees it here."""
    try:
        measurement = Measurement.objects.get(pk=pk, participant=request.user)
    except Measurement.DoesNotExist:
        raise Http404("no such result for this person") from None
    lang = _lang()
    profile = measurements.profile_of(measurement)
    explanation = core_profile.explain(profile, lang)
    results = get_battery(measurement.battery).score(measurement.answers)
    context = _result_context(explanation, results, lang, profile)
    context.update(
        {
            "saved": True,
            "measurement": measurement,
            "crisis": measurement.safety_flag,
            # The route after crisis help: its next step may need a link (the course).
            "route": profile.classification.effective_route,
            **_from_apps_above(request, profile.classification),
        }
    )
    return render(request, "screening/result.html", context)


@require_POST
def stop(request):
    """Stop the test and remove the answers from this device."""
    messages.info(request, _("Your answers are removed from this device."))
    response = redirect("screening:start")
    selftest.clear_cookie(response)
    pending.clear_cookie(response)
    return response
