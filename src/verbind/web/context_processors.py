"""What every template needs: the person's roles (for the menu), whether the menu shows
the course, and the site address."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from verbind.accounts import permissions
from verbind.course.domain.navigation import course_status


class CourseMenu:
    """The course's place in the menu: ``status`` is "enrolled", "offered" or None.
    Read only when a template asks (pages without the menu pay nothing)."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def status(self) -> str | None:
        return course_status(self._user)


def verbind(request):
    user = getattr(request, "user", None)
    # Lazy: pages that never show the menu do not pay for the query.
    roles = SimpleLazyObject(lambda: permissions.roles_of(user))
    return {"roles": roles, "course_menu": CourseMenu(user), "site_url": settings.SITE_URL}
