from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourseConfig(AppConfig):
    name = "verbind.course"
    label = "course"
    verbose_name = _("Course")

    def ready(self) -> None:
        from verbind.coaching import signals as coaching
        from verbind.course import (
            checks,  # noqa: F401 - registers the programme check
            page_context,
        )
        from verbind.course.domain import coaching_hooks as hooks
        from verbind.screening import signals as screening

        # Coaching sits below the course: it signals, the course acts (docs/decisions.md).
        coaching.coach_gained.connect(hooks.hold_weeks_for_feedback, dispatch_uid="course.gain")
        coaching.coach_access_ended.connect(
            hooks.on_coach_access_ended, dispatch_uid="course.release"
        )
        coaching.alert_resolved.connect(hooks.mark_check_in_seen, dispatch_uid="course.seen")
        coaching.alert_reopened.connect(hooks.unmark_check_in_seen, dispatch_uid="course.unseen")
        # Pages of the apps below show the course through these (they return context).
        screening.result_page_context.connect(
            page_context.for_result_page, dispatch_uid="course.result_page"
        )
        coaching.participant_page_context.connect(
            page_context.for_coach_participant_page, dispatch_uid="course.participant_page"
        )
