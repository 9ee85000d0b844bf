"""Demo data for the course: one participant midway (week 4), made through the services,
so every rule (weeks, check-ins, scores) is the core's. Idempotent: a participant who
already has an enrolment is left alone. Called from the platform's load_demo_data."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from verbind.core.instrument import registry
from verbind.course.domain import answers, checkins, feedback
from verbind.course.domain import enrolment as enrolment_domain
from verbind.course.domain.programmes import get_programme
from verbind.course.models import Enrolment

# Demo answers by exercise id (Dutch, as a participant would write them).
TEXTS = {
    "w1-where-i-stand": (
        "Ik voel me vooral 's avonds en in het weekend eenzaam. Sinds mijn verhuizing, nu drie "
        "jaar geleden, zie ik weinig mensen. Ik spreek mijn zus één keer per week. Ik zou "
        "graag iemand hebben om samen mee te wandelen."
    ),
    "w1-my-circle": "Binnenste cirkel: mijn zus. Middelste: de buurvrouw. Buitenste: leeg.",
    "w1-meaning-of-connection": (
        "Vroeger kookte ik met vrienden op zondag. Het fijne was dat niemand haast had."
    ),
    "w1-notice-moments": "Maandag bij de bakker: even gelachen. Donderdag: stil, alleen thuis.",
    "w2-catch-the-lens": (
        "Mijn buurman groette niet terug. Ik dacht: hij mag me niet. Misschien had hij "
        "gewoon zijn gedachten ergens anders."
    ),
    "w2-small-mistake": "Ik vergat een verjaardag en schaamde me dagen. Mijn zus vond het niet erg.",  # noqa: E501
    "w2-two-views": "Twee tekeningen van hetzelfde feest: eentje grijs, eentje met kleur.",
    "w2-expect-the-best": "Ik heb de buurvrouw gevraagd hoe het met haar kat gaat. Leuk gesprek!",
    "w3-make-something": "Ik heb een schaal van klei gemaakt. Scheef, maar van mij.",
    "w3-ten-ways": "Wandelen, koken, tekenen, zingen, een brief schrijven, tuinieren...",
    "w3-inner-critic": "Mijn innerlijke criticus zegt: dat kun jij niet. Ik zeg terug: ik oefen.",
    "w3-something-new": "Ik ben naar de tekenclub in de bibliotheek gegaan.",
    "w4-my-patterns": (
        "Ik merk dat ik vaak ja zeg terwijl ik nee bedoel. En ik vraag weinig terug."
    ),
}
# Exercises of week 4 left as a draft (the participant is working on it).
DRAFTS = {"w4-conversation-comic": "Plaatje 1: ik zeg hallo. Plaatje 2: ..."}
# Feedback moments the coach has not answered yet (shows the inbox).
WAITING = {"w4-my-patterns"}


def _check_in_answers(instruments, lonely_items: int) -> dict[str, str]:
    """Answers where ``lonely_items`` loneliness statements sound lonely; the rest not."""
    out: dict[str, str] = {}
    asked = checkins.check_in_battery(tuple(instruments))
    for q in asked.questions("nl"):
        inst = registry()[q.instrument.id]
        points = q.item.key
        if q.column == "context_safety":
            out[q.column] = "no"
        elif points is None or inst.primary_scale is None:
            out[q.column] = q.options[len(q.options) // 2].key
        else:
            worse_high = inst.primary_scale.higher_is == "worse"
            index = [i.id for i in inst.items].index(q.item.id)
            lonely = index < lonely_items if inst.measures == "loneliness" else True
            pick = max if worse_high == lonely else min
            out[q.column] = pick(points, key=points.get)
    return out


@transaction.atomic
def enrol_midway(participant, coach, now: datetime | None = None, week: int = 4) -> bool:
    """Enrol ``participant`` so that ``week`` is open now, with answers, feedback and
    check-ins. False (and nothing changed) when they already have an enrolment."""
    if Enrolment.objects.filter(participant=participant).exists():
        return False
    now = now or timezone.now()
    start = now - timedelta(days=7 * (week - 1) + 2)
    who = enrolment_domain.eligibility(participant)
    by = None if who.may_self_enrol else coach
    e = enrolment_domain.enrol(
        participant, by=by, reason="" if by is None else "Demo: besproken met de coach.", now=start
    )
    programme = get_programme(e.programme)
    for n in range(1, week + 1):
        opened = start + timedelta(days=7 * (n - 1))
        for k, exercise in enumerate(programme.week(n).exercises):
            t = opened + timedelta(days=1, hours=k)
            if exercise.id in DRAFTS and n == week:
                answers.save_draft(e, exercise.id, DRAFTS[exercise.id], now=t)
                continue
            text = TEXTS.get(exercise.id)
            if text is None:
                continue
            a = answers.submit(e, exercise.id, text, now=t)
            if exercise.feedback_moment and exercise.id not in WAITING:
                feedback.give_feedback(
                    a,
                    coach,
                    "Dank u wel voor uw eerlijke antwoord. Mooi dat u dit zo opschrijft.",
                    now=opened + timedelta(days=5),
                )
    # Check-ins at the start and after each finished week: loneliness slowly goes down.
    for n in range(0, week):
        moment = start if n == 0 else start + timedelta(days=7 * n, hours=1)
        slot = checkins.slot_for(e, f"week-{n}", moment)
        if slot is None or slot.status != "due":
            continue
        checkins.save_check_in(
            e, slot.key, _check_in_answers(slot.instruments, 11 if n == 0 else 6 - n), now=moment
        )
    enrolment_domain.touch(e, now - timedelta(days=1))
    return True
