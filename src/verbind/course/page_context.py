"""What the course adds to pages of the apps below it: the receivers of
``screening.signals.result_page_context`` and ``coaching.signals.participant_page_context``,
connected in ``course/apps.py`` (docs/decisions.md, 24)."""

from __future__ import annotations

from verbind.coaching.domain.assignments import has_coach
from verbind.course.domain.enrolment import active_enrolment, eligibility_from
from verbind.course.domain.facts import situation
from verbind.course.domain.navigation import enrolled_card


def for_result_page(sender, user, classification, **kwargs) -> dict:
    """On a self-test's result page, for the course route: the course the person already
    takes part in (told so instead of "sign up"), and "with" when a coach follows them;
    without one, "without" (the course then runs on its own) or "ask" when the course
    needs a talk with a coach first. Nothing for another route."""
    if classification.effective_route != "course":
        return {}
    if has_coach(user):
        coach = "with"
    else:
        coach = "ask" if classification.course_needs_coach_agreement else "without"
    return {"enrolled_course": enrolled_card(user), "course_coach": coach}


def for_coach_participant_page(sender, participant, latest, **kwargs) -> dict:
    """On the coach's page about a participant: the running course and where they are in
    it, or whether the latest result offers the course (to enrol them)."""
    enrolment = active_enrolment(participant)
    return {
        "enrolment": enrolment,
        "course_situation": situation(enrolment) if enrolment else None,
        "course_eligibility": None if enrolment else eligibility_from(latest),
    }
