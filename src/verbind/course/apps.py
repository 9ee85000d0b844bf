from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourseConfig(AppConfig):
    name = "verbind.course"
    label = "course"
    verbose_name = _("Course")

    def ready(self) -> None:
        from verbind.course import checks  # noqa: F401 - registers the programme check
