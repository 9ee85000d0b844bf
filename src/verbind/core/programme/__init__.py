"""Course programmes as content: a folder of files, a validator and a loader.

A programme lives in ``<content>/programmes/<slug>/`` (see ``content_dir``):

- ``programme.yaml`` — the manifest: slug, title per language, languages, number of
  weeks, themes, the check-in schedule (which instruments, at which week) and per week
  its themes and which exercises are feedback moments;
- ``week-NN.<lang>.md`` — one file per week per language: YAML front matter listing the
  exercises (id, kind, title, prompt, ...) and, below it, the reading in Markdown.

Crisis help is written as ``{crisis:<id>}`` (a service in ``core/texts/crisis.yaml``) in a
reading or an exercise's title or prompt, never as numbers: the loader puts in that
service's sentence, so the numbers live in one file.

:func:`check_programme` reports *every* problem with the file and line it is on, so an
organisation that writes its own programme can fix everything in one go.
:func:`load_programme` returns frozen dataclasses, or raises :class:`ProgrammeError`
listing all problems. The format is documented in ``docs/course.md``.

The modules, one job each:

- :mod:`.model` — the frozen dataclasses a loaded programme is made of, and constants;
- :mod:`.yaml_lines` — YAML that remembers the line of every key and item;
- :mod:`.schema` — the shape of each file as pydantic models;
- :mod:`.validation` — a file against its model: each error in English with its line, and
  the valid parts for the cross-file checks;
- :mod:`.checks` — how files and entries fit together (ids, references, languages, links,
  crisis help, word limits), and building the programme;
- :mod:`.reading` — words, links and crisis references in a text;
- :mod:`.loader` — where programmes live, :func:`check_programme`, :func:`load_programme`.

Pure Python: no Django imports.
"""

from verbind.core.programme.loader import (
    available_programmes,
    check_programme,
    content_dir,
    load_programme,
    programme_path,
    programmes_dir,
)
from verbind.core.programme.model import (
    DEFAULT_PROGRAMME,
    DEFAULT_WORD_LIMIT,
    EXERCISE_KINDS,
    MANIFEST,
    SUPPORTED_LANGUAGES,
    CheckInMoment,
    Exercise,
    LocalText,
    Programme,
    Reading,
    Source,
    Theme,
    Week,
)
from verbind.core.programme.problems import Problem, ProgrammeError
from verbind.core.programme.reading import count_words

__all__ = [
    "DEFAULT_PROGRAMME",
    "DEFAULT_WORD_LIMIT",
    "EXERCISE_KINDS",
    "MANIFEST",
    "SUPPORTED_LANGUAGES",
    "CheckInMoment",
    "Exercise",
    "LocalText",
    "Problem",
    "Programme",
    "ProgrammeError",
    "Reading",
    "Source",
    "Theme",
    "Week",
    "available_programmes",
    "check_programme",
    "content_dir",
    "count_words",
    "load_programme",
    "programme_path",
    "programmes_dir",
]
