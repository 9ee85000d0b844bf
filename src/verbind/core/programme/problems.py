"""A problem found in a programme, and the error that lists them all."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a programme, located at ``file`` (relative to the folder) and line.

    ``code`` names the kind of problem (stable, for tests and tools): invalid_yaml,
    no_front_matter, missing_file, missing_week, missing_language, missing_field,
    invalid_value, unknown_field, missing_id, duplicate_id, duplicate_key,
    broken_reference, broken_link, unknown_instrument, unknown_crisis_reference,
    reading_too_long, language_mismatch, unexpected_file.
    """

    file: str
    line: int | None
    code: str
    message: str

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ProgrammeError(ValueError):
    """A programme is invalid. ``problems`` lists every problem found."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"programme {path} has {len(problems)} problem(s):\n{lines}")
