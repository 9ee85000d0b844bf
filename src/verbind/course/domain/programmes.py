"""Programmes for the web app: loaded once through the core, refused when invalid."""

from __future__ import annotations

import functools

from django.core.exceptions import ImproperlyConfigured

from verbind.core.course import CourseShape
from verbind.core.programme import (
    DEFAULT_PROGRAMME,
    Programme,
    ProgrammeError,
    load_programme,
    programme_path,
)


@functools.cache
def get_programme(slug: str = DEFAULT_PROGRAMME) -> Programme:
    """The programme ``slug`` from the content folder. An invalid one is refused, saying why
    (every problem with file and line), so the site never shows a broken course."""
    path = programme_path(slug)
    if not path.is_dir():
        raise ImproperlyConfigured(f"course programme {slug!r} not found at {path}")
    try:
        return load_programme(path)
    except ProgrammeError as exc:
        raise ImproperlyConfigured(
            f"course programme {slug!r} is invalid; run `verbind programme check {path}`.\n{exc}"
        ) from exc


@functools.cache
def get_shape(slug: str = DEFAULT_PROGRAMME) -> CourseShape:
    return CourseShape.from_programme(get_programme(slug))
