"""Where programmes live, and the two ways in: :func:`check_programme` (every problem) and
:func:`load_programme` (the programme, or :class:`ProgrammeError` listing every problem)."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from verbind.core.programme import checks
from verbind.core.programme.model import DEFAULT_PROGRAMME, MANIFEST, Programme
from verbind.core.programme.problems import Problem, ProgrammeError


def content_dir() -> Path:
    """The content folder: ``$VERBIND_CONTENT_DIR`` if set, else the one that ships inside
    the package (``src/verbind/content/``), so an installed wheel has its course too."""
    env = os.environ.get("VERBIND_CONTENT_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "content"


def programmes_dir() -> Path:
    return content_dir() / "programmes"


def programme_path(slug: str = DEFAULT_PROGRAMME) -> Path:
    return programmes_dir() / slug


def available_programmes() -> list[str]:
    """Slugs of the folders under ``programmes/`` that have a manifest (valid or not)."""
    root = programmes_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / MANIFEST).is_file())


def _known_instruments() -> set[str]:
    from verbind.core.instrument import registry

    return set(registry())


def _check(
    path: Path | str, *, instruments: Collection[str] | None, word_limit: int | None
) -> tuple[Programme | None, list[Problem]]:
    known = _known_instruments() if instruments is None else instruments
    programme, found = checks.run(Path(path), known, word_limit)
    problems = sorted(
        set(found), key=lambda p: (p.file != MANIFEST, p.file, p.line or 0, p.message)
    )
    return (programme if not problems else None), problems


def check_programme(
    path: Path | str,
    *,
    instruments: Collection[str] | None = None,
    word_limit: int | None = None,
) -> list[Problem]:
    """Every problem of the programme in ``path`` (empty when valid), sorted by file and line.

    ``instruments`` are the instrument ids a check-in may name (default: the registry);
    ``word_limit`` overrides the manifest's ``reading_word_limit``.
    """
    return _check(path, instruments=instruments, word_limit=word_limit)[1]


def load_programme(
    path: Path | str,
    *,
    instruments: Collection[str] | None = None,
    word_limit: int | None = None,
) -> Programme:
    """The programme in ``path``; raises :class:`ProgrammeError` listing every problem."""
    programme, problems = _check(path, instruments=instruments, word_limit=word_limit)
    if problems or programme is None:
        raise ProgrammeError(str(path), problems)
    return programme
