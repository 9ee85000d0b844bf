"""Check-ins: the questions come from the instrument definitions, scores from the core.

Which check-in is due when is the core's (``verbind.core.course.check_in_schedule``) and
which instruments it asks is the programme's. Every check-in also asks the safety
question of the ``context`` instrument: a "yes" shows crisis help at once and flags the
coach, as everywhere in verbind.

A check-in is asked in steps, one instrument per screen (``steps_of``). The answers of the
steps done so far are kept on the server (``CheckInDraft``, ``save_step``) so leaving and
coming back loses nothing; they become a measurement (a ``CheckIn``, with its alerts) only
when the last step is sent (``finish``). The safety question is the last step, so a "yes"
reaches the coach exactly as before: with the check-in it belongs to.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verbind.coaching.domain.alerts import is_strong_worsening, resolve_alert
from verbind.core import change
from verbind.core.battery import Battery, needs_crisis_help, parse_batteries
from verbind.core.instrument import registry
from verbind.core.profile import LONELINESS_PREFERENCE
from verbind.core.scoring import derivable, derive_missing
from verbind.course.domain.check_in_alerts import raise_alerts_for_check_in
from verbind.course.domain.enrolment import touch
from verbind.course.domain.facts import situation
from verbind.course.models import CheckIn, CheckInDraft, Enrolment

SAFETY_STEP = {"instrument": "context", "items": ["safety"]}
MOOD = "mood"
# About how long one question takes an older reader on a phone, for "about 10 minutes".
SECONDS_PER_QUESTION = 20


class CheckInError(ValueError):
    pass


def asked_instruments(instruments: tuple[str, ...]) -> tuple[str, ...]:
    """The instruments a check-in asks. An instrument whose definition says it is derived
    from another due one (the DJG-6 from the DJG-11) is not asked: nobody answers a
    statement twice, and its score is derived from the answers (``scoring.derive``)."""
    derived = derivable(instruments, instruments)
    return tuple(i for i in instruments if i not in derived)


@functools.cache
def check_in_battery(instruments: tuple[str, ...]) -> Battery:
    """A battery built (and validated) by the core from the check-in's instruments."""
    steps = [{"instrument": i} for i in asked_instruments(instruments) if i != "context"]
    steps.append(SAFETY_STEP)
    spec = {
        "title": {"nl": "Check-in", "en": "Check-in"},
        "intro": {"nl": "Check-in", "en": "Check-in"},
        "steps": steps,
    }
    return parse_batteries({"check_in": spec}, registry(), source="course check-in")["check_in"]


@dataclass(frozen=True)
class Step:
    """One screen of a check-in: the questions of one instrument."""

    number: int  # 1-based
    instrument: str
    columns: tuple[str, ...]


def steps_of(battery: Battery) -> tuple[Step, ...]:
    """The check-in's screens: one per instrument, in the order of the battery (the safety
    question, a step of its own, comes last)."""
    return tuple(
        Step(n, step.instrument.id, tuple(step.instrument.column(i.id) for i in step.items))
        for n, step in enumerate(battery.steps, start=1)
    )


def minutes_for(battery: Battery) -> int:
    """About how many minutes the check-in takes (rounded up, at least 1)."""
    return max(1, math.ceil(len(battery.columns) * SECONDS_PER_QUESTION / 60))


def draft_answers(enrolment: Enrolment, key: str) -> dict[str, str]:
    """The answers kept from the steps done so far ({} when none)."""
    draft = CheckInDraft.objects.filter(enrolment=enrolment, key=key).first()
    return dict(draft.answers) if draft else {}


def first_open_step(battery: Battery, answers: dict) -> int:
    """The first step with a question not answered yet (the last step when all are)."""
    steps = steps_of(battery)
    for step in steps:
        if any(c not in answers for c in step.columns):
            return step.number
    return steps[-1].number


def raises_safety(battery: Battery, answers: dict) -> bool:
    return battery.answers_need_crisis_help(answers)


@transaction.atomic
def save_step(
    enrolment: Enrolment, key: str, answers: dict, now: datetime | None = None
) -> dict[str, str]:
    """Keep ``answers`` (some or all of one step) with the answers given before; returns
    all kept answers. Raises AnswerError for an answer that is not one of the options, and
    CheckInError when the check-in is not open. Nothing is scored here."""
    now = now or timezone.now()
    slot = slot_for(enrolment, key, now)
    if slot is None or slot.status != "due":
        raise CheckInError(_("This check-in is not open now."))
    battery = check_in_battery(slot.instruments)
    given = battery.normalise(answers, partial=True)
    draft, _created = CheckInDraft.objects.select_for_update().get_or_create(
        enrolment=enrolment, key=key
    )
    kept = {c: v for c, v in draft.answers.items() if c in battery.columns}
    kept.update(given)
    draft.answers = {c: kept[c] for c in battery.columns if c in kept}
    draft.updated_at = now
    draft.save()
    touch(enrolment, now)
    return dict(draft.answers)


def finish(
    enrolment: Enrolment, key: str, answers: dict, *, language: str = "nl",
    now: datetime | None = None,
) -> CheckIn:  # fmt: skip
    """The last step: the kept answers with ``answers`` become the check-in (scored, its
    alerts raised, the draft removed). AnswerError names what is still missing."""
    with transaction.atomic():
        kept = draft_answers(enrolment, key)
        kept.update({c: v for c, v in answers.items() if v not in (None, "")})
        return save_check_in(enrolment, key, kept, language=language, now=now)


def slot_for(enrolment: Enrolment, key: str, now: datetime | None = None):
    """The check-in slot ``key`` of the enrolment (any status), or None."""
    for slot in situation(enrolment, now).check_ins:
        if slot.key == key:
            return slot
    return None


def _loneliness(results) -> tuple[str, int | None, int | None]:
    for inst_id in LONELINESS_PREFERENCE:
        if inst_id in results:
            total = results[inst_id].total
            scale = registry()[inst_id].primary_scale
            return inst_id, total.value if total else None, scale.max if scale else None
    return "", None, None


def _total(results: dict, instrument: str) -> int | None:
    return ((results.get(instrument) or {}).get("scales") or {}).get("total", {}).get("value")


def worsened(previous: CheckIn | None, current: CheckIn) -> bool:
    """The core's strong-worsening rule (as for self-tests), comparing like with like: the
    first loneliness instrument both check-ins scored (the weekly DJG-6 is in every one,
    derived at the full check-ins), else their headline loneliness scores."""
    if previous is None:
        return False
    for inst_id in LONELINESS_PREFERENCE:
        before, now = _total(previous.results, inst_id), _total(current.results, inst_id)
        if before is not None and now is not None:
            return change.is_strong_worsening(
                change.loneliness_share(inst_id, before), change.loneliness_share(inst_id, now)
            )
    return is_strong_worsening(previous, current)


@transaction.atomic
def save_check_in(
    enrolment: Enrolment,
    key: str,
    answers: dict,
    *,
    language: str = "nl",
    now: datetime | None = None,
) -> CheckIn:
    """Score and store a due check-in. Raises verbind.core.battery.AnswerError (naming every
    problem) for incomplete answers and CheckInError when this check-in is not due."""
    now = now or timezone.now()
    slot = slot_for(enrolment, key, now)
    if slot is None or slot.status != "due":
        raise CheckInError(_("This check-in is not open now."))
    battery = check_in_battery(slot.instruments)
    normalised = battery.normalise(answers)
    results = dict(battery.score(normalised))
    # A full check-in also gives the weekly DJG-6 (from the DJG-11's answers), so the
    # weekly line has no gaps at weeks 0, 4 and 8.
    results.update(derive_missing(slot.instruments, results))
    inst, score, top = _loneliness(results)
    mood = results.get(MOOD)
    check_in = CheckIn(
        enrolment=enrolment,
        key=key,
        week=slot.week,
        language=language,
        instrument_versions={i: r.version for i, r in results.items()},
        answers=dict(normalised),
        results={i: r.to_dict() for i, r in results.items()},
        loneliness_instrument=inst,
        loneliness_score=score,
        loneliness_max=top,
        mood=mood.total.value if mood is not None and mood.total else None,
        safety_flag=needs_crisis_help(results),
        created_at=now,
    )
    previous = (
        CheckIn.objects.filter(enrolment=enrolment, loneliness_score__isnull=False)
        .order_by("-created_at", "-pk")
        .first()
    )
    check_in.worsening_flag = worsened(previous, check_in)
    try:
        with transaction.atomic():
            check_in.save()
    except IntegrityError:
        raise CheckInError(_("You already filled in this check-in.")) from None
    CheckInDraft.objects.filter(enrolment=enrolment, key=key).delete()
    # The coach hears of it as of a self-test: flagged on the dashboard, a link by e-mail.
    raise_alerts_for_check_in(check_in)
    touch(enrolment, now)
    return check_in


@transaction.atomic
def mark_flags_seen(check_in: CheckIn, coach, now: datetime | None = None) -> None:
    """The coach saw this check-in's signals: its alerts are handled too."""
    if check_in.flags_seen_at is None:
        check_in.flags_seen_at = now or timezone.now()
        check_in.flags_seen_by = coach
        check_in.save(update_fields=["flags_seen_at", "flags_seen_by"])
    for alert in check_in.alerts.filter(resolved_at=None):
        resolve_alert(alert, coach)
