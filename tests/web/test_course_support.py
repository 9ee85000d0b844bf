"""Shared helpers for the course tests (imported by the other test_course_* files)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from verbind.course.domain import enrolment as enrolment_domain
from verbind.screening.domain.measurements import save_measurement

# Short-test answers the core routes to the course (chronic, wants to change, learns,
# reads and writes); variants change one answer.
COURSE_ANSWERS = {
    **{f"djg6_{i}": "yes" for i in (1, 2, 3)},
    **{f"djg6_{i}": "no" for i in (4, 5, 6)},
    **{f"lsns6_{i}": "one" for i in range(1, 7)},
    "duration": "gt_2_years",
    "context_wish_to_change": "yes",
    "context_open_to_learning": "yes",
    "context_literacy": "yes",
    "context_safety": "no",
}
PERSISTENT_ANSWERS = {**COURSE_ANSWERS, "duration": "1_to_2_years"}
NOT_WILLING_ANSWERS = {**COURSE_ANSWERS, "context_wish_to_change": "no"}


def at(days: float = 0, hours: float = 0) -> datetime:
    from datetime import UTC

    return datetime(2026, 3, 2, 9, 0, tzinfo=UTC) + timedelta(days=days, hours=hours)


def measured(participant, answers=COURSE_ANSWERS, when=None):
    """A measurement made through the core (real scoring and profile)."""
    return save_measurement(participant, "short", answers, when=when or timezone.now())


def week1_ids() -> list[str]:
    from verbind.course.domain.programmes import get_programme

    return [e.id for e in get_programme().week(1).exercises]


def weekly_answers(lonely: bool = True, safety: str = "no", mood: str = "okay") -> dict:
    """DJG-6 + mood + safety answers, as a check-in form posts them."""
    out = {f"djg6_{i}": ("yes" if lonely else "no") for i in (1, 2, 3)}
    out.update({f"djg6_{i}": ("no" if lonely else "yes") for i in (4, 5, 6)})
    out.update({"mood": mood, "context_safety": safety})
    return out


def full_answers(lonely: bool = True, safety: str = "no") -> dict:
    """DJG-11 + LSNS-6 + Rosenberg + mood + safety (week 0, 4, 8)."""
    from verbind.core.instrument import registry

    out = {}
    for inst_id in ("djg11", "lsns6", "rses"):
        inst = registry()[inst_id]
        # "lonely": every answer at the worse end of its item's points, else the better end.
        worse_is_high = inst.primary_scale.higher_is == "worse"
        for item in inst.items:
            points = item.key
            pick = (max if worse_is_high == lonely else min)(points, key=points.get)
            out[inst.column(item.id)] = pick
    out.update({"mood": "okay", "context_safety": safety})
    return out


@pytest.fixture(name="enrolled")
def enrolled_fixture(people):
    """``people.participant`` measured through the core and enrolled at ``at(0)``."""
    measured(people.participant)
    return enrolment_domain.enrol(people.participant, now=at(0))


def post_check_in(client, key: str, answers: dict, *, follow: bool = False, **extra):
    """Send a check-in through its steps as a browser without JavaScript does: each step
    posts the whole form, of which the step reads its own questions. Returns the response
    to the last step (followed when ``follow``)."""
    from django.urls import reverse

    url = reverse("course:check_in", args=[key])
    number = 1
    while True:
        r = client.post(url, {**answers, "step": number, "action": "next"}, **extra)
        if r.status_code == 302 and r["Location"] == f"{url}?step={number + 1}":
            number += 1
            continue
        break
    if follow and r.status_code == 302:
        r = client.get(r["Location"], **extra)
    return r
