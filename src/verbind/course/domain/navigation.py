"""Where the course shows up outside its own pages: the menu and the participant's home.

The course is shown to a participant who takes part in it, or whose latest test's route
offers it (the core's route, through ``enrolment.eligibility``); to nobody else, so
chosen solitude and other routes are respected (inform, never push).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from verbind.course.domain.enrolment import active_enrolment, eligibility_from
from verbind.course.domain.facts import Situation, situation
from verbind.course.models import Enrolment
from verbind.screening.models import Measurement

ENROLLED = "enrolled"
OFFERED = "offered"


def course_status(user) -> str | None:
    """The course in the menu: "enrolled", "offered" or None. Two queries at most."""
    if user is None or not user.is_authenticated:
        return None
    if Enrolment.objects.filter(participant=user, ended_at=None).exists():
        return ENROLLED
    # Only what the route needs: this runs on every page a participant opens, and the
    # answers and results of the latest test are large JSON that the menu never reads.
    latest = (
        Measurement.objects.filter(participant=user)
        .order_by("-created_at", "-pk")
        .only("route", "profile")
        .first()
    )
    return OFFERED if eligibility_from(latest).may_self_enrol else None


@dataclass(frozen=True)
class HomeCard:
    status: str  # ENROLLED or OFFERED
    situation: Situation | None = None
    programme_title: str = ""

    @property
    def current_week(self) -> int:
        return self.situation.state.current_week if self.situation else 0

    @property
    def week_count(self) -> int:
        return len(self.situation.state.weeks) if self.situation else 0

    @property
    def paused(self) -> bool:
        return bool(self.situation and self.situation.state.paused)

    @property
    def finished(self) -> bool:
        return bool(self.situation and self.situation.state.finished(self.situation.now))

    @property
    def due_check_ins(self):
        return self.situation.due_check_ins if self.situation else ()


def enrolled_card(user) -> HomeCard | None:
    """The course the person takes part in now (where they are in it), or None."""
    enrolment = active_enrolment(user)
    if enrolment is None:
        return None
    s = situation(enrolment)
    lang = translation.get_language() or "nl"
    return HomeCard(ENROLLED, s, s.programme.title.get("en" if lang == "en" else "nl"))


def home_card(user, latest_measurement) -> HomeCard | None:
    """The course card on the participant's home page, or None when it is not shown."""
    card = enrolled_card(user)
    if card is not None:
        return card
    if eligibility_from(latest_measurement).may_self_enrol:
        return HomeCard(OFFERED)
    return None


@dataclass(frozen=True)
class KnownCourseMenu:
    """The menu's course link (``course_menu`` in templates) when the page already knows
    the answer, in place of the lazy one from ``verbind.web.context_processors``."""

    status: str | None


def menu_from_home_card(card: HomeCard | None) -> KnownCourseMenu:
    """The menu on the participant's home page, answered by its course card: the card
    asks what course_status asks (an active enrolment; else whether the latest test
    offers the course), so the menu needs no queries of its own."""
    return KnownCourseMenu(card.status if card is not None else None)
