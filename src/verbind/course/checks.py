"""A system check: the site refuses to start with an invalid course programme, and says
why (every problem with its file and line, from the core's validator)."""

from __future__ import annotations

from django.core import checks

from verbind.core.programme import available_programmes, check_programme, programme_path


@checks.register()
def programmes_are_valid(app_configs=None, **kwargs):
    errors = []
    for slug in available_programmes():
        problems = check_programme(programme_path(slug))
        if problems:
            errors.append(
                checks.Error(
                    f"course programme {slug!r} is invalid ({len(problems)} problem(s)):\n"
                    + "\n".join(f"  {p}" for p in problems),
                    hint=f"Run `verbind programme check {programme_path(slug)}` and fix them.",
                    id="verbind.course.E001",
                )
            )
    return errors
