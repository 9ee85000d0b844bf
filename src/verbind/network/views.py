"""'Mijn netwerk' pages: drawing in steps (names, circles, a few questions per person),
the map (picture and table) and then-and-now. Lookups go through verbind.network.access;
everything about codes, checks, change and geometry is the core's."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from verbind.accounts.domain.consent import consent_text
from verbind.accounts.models import ConsentPurpose
from verbind.accounts.permissions import login_required
from verbind.coaching.permissions import get_participant_for_coach_or_404
from verbind.core.network import NetworkError, change, sentences
from verbind.core.network.definitions import definitions
from verbind.network import access
from verbind.network.domain import maps
from verbind.network.domain.picture import picture
from verbind.network.forms import PersonForm
from verbind.network.models import NetworkMap

NEW_FIELDS = 3  # empty name fields per question


def _lang() -> str:
    lang = translation.get_language() or "nl"
    return lang if lang in ("nl", "en") else "nl"


def _prompts() -> list[tuple[int, str]]:
    return [
        (1, _("Who do you talk to about things that are on your mind?")),
        (2, _("Who helps you now and then?")),
        (3, _("Who do you do things with?")),
        (4, _("Who do you see often, but do not know well yet?")),
    ]


def _continue_url(draft: NetworkMap) -> str:
    step, number = maps.first_unfinished_step(draft)
    if step == "person":
        return reverse("network:person", kwargs={"number": number})
    return reverse(f"network:{step}")


@login_required
@require_safe
def overview(request):
    user = request.user
    done = list(maps.finished_maps(user).annotate(size=Count("people")))
    return render(
        request,
        "network/overview.html",
        {
            "maps": done,
            "draft": maps.draft_of(user),
            "needs_consent": not maps.has_map_consent(user),
            "consent_text": consent_text(ConsentPurpose.STORE_NETWORK_MAP),
            "last": done[-1] if done else None,
        },
    )


@login_required
@require_POST
def start(request):
    try:
        draft = maps.start(request.user, agreed=bool(request.POST.get("agree")), lang=_lang())
    except maps.DrawingError:
        messages.error(
            request, _("Tick the box to agree that verbind stores your map. Without it we "
                       "cannot save your map.")
        )  # fmt: skip
        return redirect("network:overview")
    return redirect(_continue_url(draft))


def _draft_or_redirect(request):
    draft = maps.draft_of(request.user)
    if draft is None:
        return None, redirect("network:overview")
    return draft, None


@login_required
@require_http_methods(["GET", "POST"])
def names(request):
    """Step 1: the people, by the four questions; people from the last map are confirmed."""
    draft, away = _draft_or_redirect(request)
    if away:
        return away
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove and remove.isdigit():
            maps.remove_person(draft, int(remove))
            return redirect("network:names")
        new = [
            (prompt, request.POST.get(f"name-{prompt}-{i}", ""))
            for prompt, _text in _prompts()
            for i in range(1, NEW_FIELDS + 1)
        ]
        keep = None
        if request.POST.get("carried"):
            keep = {int(v) for v in request.POST.getlist("keep") if v.isdigit()}
        try:
            maps.save_names(draft, new, keep)
        except maps.DrawingError as exc:
            if exc.code == "too_long":
                msg = _("The name “%(name)s” is too long. Use a first name or nickname of "
                        "at most 40 letters.")  # fmt: skip
            else:
                msg = _("“%(name)s” is on your map already. Add something to tell them "
                        "apart, such as “%(name)s B”.")  # fmt: skip
            messages.error(request, msg % {"name": exc.name[:60]})
            return redirect("network:names")
        if request.POST.get("action") == "more":
            messages.success(request, _("Saved. You can add more people."))
            return redirect("network:names")
        if not draft.people.exists():
            messages.error(request, _("Write down at least one name to go on."))
            return redirect("network:names")
        return redirect("network:circles")
    people = list(draft.people.all())
    prompts = [
        {
            "number": number,
            "text": text,
            "people": [p for p in people if p.prompt == number and not p.carried],
            "fields": [f"name-{number}-{i}" for i in range(1, NEW_FIELDS + 1)],
        }
        for number, text in _prompts()
    ]
    carried = [p for p in people if p.carried]
    return render(
        request,
        "network/names.html",
        {"draft": draft, "prompts": prompts, "carried": carried, "step": 1},
    )


@login_required
@require_http_methods(["GET", "POST"])
def circles(request):
    """Step 2: each person in circle 1, 2 or 3 (plain radio buttons)."""
    draft, away = _draft_or_redirect(request)
    if away:
        return away
    people = list(draft.people.all())
    if not people:
        return redirect("network:names")
    if request.method == "POST":
        chosen = {}
        for p in people:
            value = request.POST.get(f"circle-{p.pk}", "")
            if value in ("1", "2", "3"):
                chosen[p.pk] = int(value)
        maps.save_circles(draft, chosen)
        missing = [p.name for p in people if p.pk not in chosen and p.circle is None]
        if request.POST.get("action") == "back":
            return redirect("network:names")
        if missing:
            messages.error(
                request,
                _("Choose a circle for: %(names)s.") % {"names": ", ".join(missing)},
            )
            return redirect("network:circles")
        return redirect("network:person", number=1)
    defs = definitions()
    lang = _lang()
    options = [(c.code, c.label[lang]) for c in defs.circles]
    return render(
        request,
        "network/circles.html",
        {"draft": draft, "people": people, "options": options, "step": 2},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person(request, number: int):
    """Step 3: the few questions, one person per screen; the last one finishes the map."""
    draft, away = _draft_or_redirect(request)
    if away:
        return away
    people = list(draft.people.all())
    if not people or any(p.circle is None for p in people):
        return redirect(_continue_url(draft))
    if not 1 <= number <= len(people):
        return redirect("network:person", number=1)
    who = people[number - 1]
    lang = _lang()
    initial = {
        "relation": who.relation or None,
        "frequency": who.frequency or None,
        "meaningful": None if who.meaningful is None else ("yes" if who.meaningful else "no"),
        "wants": who.wants or None,
    }
    if request.method == "POST":
        if request.POST.get("action") == "back":
            if number == 1:
                return redirect("network:circles")
            return redirect("network:person", number=number - 1)
        form = PersonForm(lang, request.POST)
        if form.is_valid():
            maps.save_answers(who, **form.answers())
            if number < len(people):
                return redirect("network:person", number=number + 1)
            try:
                done = maps.finish(draft)
            except maps.DrawingError:
                messages.error(request, _("Some questions are not answered yet."))
                return redirect(_continue_url(draft))
            except NetworkError:
                messages.error(request, _("Something on your map is not right. Please check "
                                          "the names."))  # fmt: skip
                return redirect("network:names")
            messages.success(request, _("Your map is saved."))
            return redirect("network:map", pk=done.pk)
    else:
        form = PersonForm(lang, initial=initial)
    return render(
        request,
        "network/person.html",
        {
            "draft": draft,
            "who": who,
            "form": form,
            "number": number,
            "total": len(people),
            "last": number == len(people),
            "step": 3,
        },
    )


def _picture(the_map: NetworkMap) -> dict:
    return picture(the_map, _lang(), _("Yes"), _("No"))


@login_required
@require_safe
def map_page(request, pk: int):
    the_map, read_only = access.map_for_viewer_or_404(request, pk)
    earlier = (
        NetworkMap.objects.filter(
            participant_id=the_map.participant_id, finished_at__isnull=False, wave__lt=the_map.wave
        )
        .order_by("-wave")
        .only("pk", "wave", "created_at")
        .first()
    )
    return render(
        request,
        "network/map.html",
        {
            "map": the_map,
            "picture": _picture(the_map),
            "read_only": read_only,
            "earlier": earlier,
        },
    )


@login_required
@require_safe
def compare(request, before: int, after: int):
    """Then and now: two maps of the same person side by side, the change in words."""
    first, read_only = access.map_for_viewer_or_404(request, before)
    second, _read_only = access.map_for_viewer_or_404(request, after)
    if first.participant_id != second.participant_id or first.pk == second.pk:
        raise Http404("not two maps of one person")
    if first.wave > second.wave:
        first, second = second, first
    then, now = _picture(first), _picture(second)
    result = change(then["network"], now["network"])
    return render(
        request,
        "network/compare.html",
        {
            "then": first,
            "now": second,
            "then_picture": then,
            "now_picture": now,
            "sentences": sentences(result, _lang()),
            "read_only": read_only,
        },
    )


@login_required
@require_POST
def hide(request, pk: int):
    """The participant hides a map from their coach, or shows it again."""
    the_map = access.own_map_or_404(request, pk)
    hidden = request.POST.get("hidden") == "1"
    maps.set_hidden(the_map, hidden)
    if hidden:
        messages.success(request, _("Your coach cannot see this map now."))
    else:
        messages.success(request, _("Your coach can see this map now."))
    return redirect("network:map", pk=the_map.pk)


@login_required
@require_POST
def delete_map(request, pk: int):
    """The participant deletes one of their maps, after ticking that they are sure."""
    the_map = access.own_map_or_404(request, pk)
    if request.POST.get("sure") != "1":
        messages.error(request, _("Tick the box to say you are sure, then delete the map."))
        return redirect("network:map", pk=the_map.pk)
    maps.delete_map(the_map)
    messages.success(request, _("The map is deleted."))
    return redirect("network:overview")


@login_required
@require_POST
def discard_draft(request):
    """Stop drawing: the unfinished map is deleted."""
    draft = maps.draft_of(request.user)
    if draft is not None:
        maps.delete_map(draft)
        messages.success(request, _("The unfinished map is deleted."))
    return redirect("network:overview")


@login_required
@require_POST
def withdraw(request):
    """The participant stops: every map and draft is deleted and the consent withdrawn."""
    if request.POST.get("sure") != "1":
        messages.error(request, _("Tick the box to say you are sure, then delete everything."))
        return redirect("network:overview")
    maps.withdraw(request.user)
    messages.success(request, _("All your maps are deleted. verbind no longer stores a map."))
    return redirect("network:overview")


@login_required
@require_safe
def coach_maps(request, pk: int):
    """A coach's read-only list of a participant's maps (those not hidden)."""
    participant = get_participant_for_coach_or_404(request, pk)
    shown = maps.finished_maps(participant).filter(~Q(hidden_from_coach=True))
    return render(
        request,
        "network/coach_maps.html",
        {"participant": participant, "maps": list(shown.annotate(size=Count("people")))},
    )
