"""Enrolling in the course, pausing, and what a coach may change for one participant.

Who may enrol follows the core's route (verbind.core.profile) of the latest measurement:
the route "course" offers it; when the core says the course needs the coach's agreement
(persistent rather than chronic loneliness) only a coach can enrol; a coach may enrol
someone whose route is different, recording why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from verbind.coaching.domain.assignments import has_coach
from verbind.core.programme import DEFAULT_PROGRAMME
from verbind.course.domain.programmes import get_programme
from verbind.course.models import Enrolment, Pause, WeekOpening
from verbind.screening.domain.measurements import latest_measurement

COURSE_ROUTE = "course"


class EnrolmentError(ValueError):
    """A course action that cannot be done; the message is for the person (translated)."""


@dataclass(frozen=True)
class Eligibility:
    # "offered": the route offers the course; "needs_coach": the core asks for the coach's
    # agreement; "other_route": the route is another one; "no_measurement": no test yet.
    status: str
    route: str

    @property
    def may_self_enrol(self) -> bool:
        return self.status == "offered"


def eligibility(participant) -> Eligibility:
    return eligibility_from(latest_measurement(participant))


def eligibility_from(m) -> Eligibility:
    """What the route of this (latest) measurement says about the course; None: no test."""
    if m is None:
        return Eligibility("no_measurement", "")
    profile = m.profile or {}
    # Crisis help comes first but does not take the course away: the underlying route counts.
    route = profile.get("underlying_route") or m.route
    if route != COURSE_ROUTE:
        return Eligibility("other_route", route)
    if profile.get("course_needs_coach_agreement"):
        return Eligibility("needs_coach", route)
    return Eligibility("offered", route)


def active_enrolment(participant) -> Enrolment | None:
    return Enrolment.objects.filter(participant=participant, ended_at=None).first()


@transaction.atomic
def enrol(
    participant,
    *,
    by=None,
    reason: str = "",
    programme: str = DEFAULT_PROGRAMME,
    now: datetime | None = None,
) -> Enrolment:
    """Start the course. ``by`` is the coach when a coach enrols the participant.

    Raises EnrolmentError when the route does not offer the course to the participant
    themselves, or when a coach enrols someone outside the route without a reason.
    """
    now = now or timezone.now()
    if active_enrolment(participant) is not None:
        raise EnrolmentError(_("You are already taking part in the course."))
    who = eligibility(participant)
    reason = (reason or "").strip()
    if by is None and not who.may_self_enrol:
        if who.status == "needs_coach":
            raise EnrolmentError(
                _("Talk to your coach first. Together you decide if the course fits you now.")
            )
        raise EnrolmentError(
            _("The course is not the route that fits your test result. Your coach can help.")
        )
    if by is not None and who.status in ("other_route", "no_measurement") and not reason:
        raise EnrolmentError(
            _("The test result does not offer the course. Write down why you enrol this person.")
        )
    prog = get_programme(programme)
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                participant=participant,
                programme=prog.slug,
                programme_version=prog.version,
                started_at=now,
                enrolled_by=by,
                route_at_enrolment=who.route,
                reason=reason,
                last_activity_at=now,
                # Without a coach nobody would respond: the weeks open by time alone
                # until a coach is assigned (coaching.domain.assignments.assign_coach).
                feedback_blocks=has_coach(participant),
            )
    except IntegrityError:  # two clicks at once: the first one enrolled
        raise EnrolmentError(_("You are already taking part in the course.")) from None


def touch(enrolment: Enrolment, now: datetime | None = None) -> None:
    """The participant did something (an answer, a check-in): not inactive."""
    now = now or timezone.now()
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now)
    enrolment.last_activity_at = now


@transaction.atomic
def pause(enrolment: Enrolment, now: datetime | None = None) -> Pause:
    now = now or timezone.now()
    if enrolment.pauses.filter(ended_at=None).exists():
        raise EnrolmentError(_("The course is already paused."))
    return Pause.objects.create(enrolment=enrolment, started_at=now)


@transaction.atomic
def resume(enrolment: Enrolment, now: datetime | None = None) -> None:
    now = now or timezone.now()
    open_pause = enrolment.pauses.select_for_update().filter(ended_at=None).first()
    if open_pause is None:
        raise EnrolmentError(_("The course is not paused."))
    open_pause.ended_at = max(now, open_pause.started_at)
    open_pause.save(update_fields=["ended_at"])
    touch(enrolment, now)


@transaction.atomic
def end(enrolment: Enrolment, *, by, reason: str = "", now: datetime | None = None) -> Enrolment:
    """Stop the course before its end. ``by`` is the participant themselves (no reason
    asked: stopping is their choice) or a coach, who writes down why.

    An open pause is closed at the same moment. Nothing the participant wrote is deleted;
    they can start the course again later when their route offers it.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    by_coach = by is not None and by.pk != enrolment.participant_id
    if by_coach and not reason:
        raise EnrolmentError(_("Write down why the course stops."))
    # Locked and read again: two clicks, or a coach and the participant at the same time.
    current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if current.ended_at is not None:
        raise EnrolmentError(_("The course has already stopped."))
    Pause.objects.filter(enrolment=current, ended_at=None).update(ended_at=now)
    current.ended_at = max(now, current.started_at)
    current.ended_by = by
    current.end_reason = reason if by_coach else ""
    current.save(update_fields=["ended_at", "ended_by", "end_reason"])
    enrolment.ended_at, enrolment.ended_by, enrolment.end_reason = (
        current.ended_at,
        current.ended_by,
        current.end_reason,
    )
    return current


def last_ended(participant) -> Enrolment | None:
    """The participant's most recently stopped course, if any (for the course page)."""
    return (
        Enrolment.objects.filter(participant=participant)
        .exclude(ended_at=None)
        .select_related("ended_by")
        .order_by("-ended_at", "-pk")
        .first()
    )


@transaction.atomic
def open_week(enrolment: Enrolment, week: int, coach, now: datetime | None = None) -> WeekOpening:
    """A coach opens ``week`` now (and with it the weeks before it: a core rule)."""
    now = now or timezone.now()
    count = get_programme(enrolment.programme).week_count
    if not 1 <= week <= count:
        raise EnrolmentError(_("This course has weeks 1 to %(count)s.") % {"count": count})
    opening, _created = WeekOpening.objects.get_or_create(
        enrolment=enrolment, week=week, defaults={"opened_at": now, "opened_by": coach}
    )
    return opening


@transaction.atomic
def set_feedback_blocking(enrolment: Enrolment, blocks: bool, now: datetime | None = None) -> None:
    """Turning waiting back on counts from now: a week that opened stays open."""
    if blocks and not enrolment.feedback_blocks:
        enrolment.feedback_blocks_since = now or timezone.now()
    enrolment.feedback_blocks = blocks
    enrolment.save(update_fields=["feedback_blocks", "feedback_blocks_since"])


@transaction.atomic
def save_plan(enrolment: Enrolment, text: str) -> None:
    enrolment.plan_after_course = text.strip()
    enrolment.save(update_fields=["plan_after_course"])
