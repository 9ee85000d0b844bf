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

Pure Python: no Django imports.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from verbind.core import crisis

MANIFEST = "programme.yaml"
DEFAULT_PROGRAMME = "verbinden-in-8-weken"
DEFAULT_WORD_LIMIT = 600
# Languages a participant can read the platform in; a programme uses one or more of them.
SUPPORTED_LANGUAGES = ("nl", "en")
EXERCISE_KINDS = ("writing", "reflection", "practical", "creative")

_WEEK_FILE = re.compile(r"^week-(\d{2})\.([a-z]{2})\.md$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Markdown inline links and images: [text](target "title") / ![alt](target)
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
# Reference definitions: [label]: target
_REF_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


# --- where programmes live -----------------------------------------------------------------


def content_dir() -> Path:
    """The content folder: ``$VERBIND_CONTENT_DIR`` if set, else the one that ships inside
    the package (``src/verbind/content/``), so an installed wheel has its course too."""
    env = os.environ.get("VERBIND_CONTENT_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1] / "content"


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


# --- the model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalText:
    """A text in each language of a programme (which may be fewer than the platform's)."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, mapping: Mapping[str, str], languages: Iterable[str]) -> LocalText:
        return cls(tuple((lang, mapping[lang]) for lang in languages if lang in mapping))

    def get(self, lang: str | None = None) -> str:
        """The text in ``lang``; falls back to the programme's first language."""
        d = dict(self.values)
        if lang in d:
            return d[lang]
        return self.values[0][1] if self.values else ""

    def as_dict(self) -> dict[str, str]:
        return dict(self.values)


@dataclass(frozen=True)
class Theme:
    id: str
    title: LocalText


@dataclass(frozen=True)
class Exercise:
    id: str
    kind: str  # one of EXERCISE_KINDS
    title: LocalText
    prompt: LocalText
    feedback_moment: bool = False
    # Only creative exercises may take a photo of something made.
    accepts_photo: bool = False


@dataclass(frozen=True)
class Reading:
    lang: str
    title: str
    markdown: str
    word_count: int
    source_file: str


@dataclass(frozen=True)
class Week:
    number: int
    themes: tuple[str, ...]
    exercises: tuple[Exercise, ...]
    readings: tuple[Reading, ...]
    # Instruments asked at the end of this week in addition to the programme's schedule.
    extra_check_in: tuple[str, ...] = ()

    def reading(self, lang: str | None = None) -> Reading:
        for r in self.readings:
            if r.lang == lang:
                return r
        return self.readings[0]

    def title(self, lang: str | None = None) -> str:
        return self.reading(lang).title

    def exercise(self, exercise_id: str) -> Exercise:
        for e in self.exercises:
            if e.id == exercise_id:
                return e
        raise KeyError(f"week {self.number} has no exercise {exercise_id!r}")

    @property
    def feedback_moments(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.exercises if e.feedback_moment)


@dataclass(frozen=True)
class CheckInMoment:
    """A named part of the check-in schedule, e.g. weekly DJG-6 + mood.

    ``weeks`` are week numbers; week 0 is at enrolment, week n is at the end of week n.
    ``months_after_end`` places the moment after the end of the course (follow-up).
    """

    id: str
    instruments: tuple[str, ...]
    weeks: tuple[int, ...] = ()
    months_after_end: int | None = None


@dataclass(frozen=True)
class Source:
    id: str
    citation: str
    used_for: str = ""


@dataclass(frozen=True)
class Programme:
    slug: str
    version: str
    title: LocalText
    summary: LocalText | None
    languages: tuple[str, ...]
    week_count: int
    reading_word_limit: int
    themes: tuple[Theme, ...]
    check_ins: tuple[CheckInMoment, ...]
    weeks: tuple[Week, ...]
    sources: tuple[Source, ...] = ()
    path: str = ""

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def week(self, number: int) -> Week:
        for w in self.weeks:
            if w.number == number:
                return w
        raise KeyError(f"programme {self.slug!r} has no week {number}")

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(f"programme {self.slug!r} has no theme {theme_id!r}")

    def exercise(self, exercise_id: str) -> tuple[Week, Exercise]:
        for w in self.weeks:
            for e in w.exercises:
                if e.id == exercise_id:
                    return w, e
        raise KeyError(f"programme {self.slug!r} has no exercise {exercise_id!r}")

    def feedback_moments(self) -> dict[int, tuple[str, ...]]:
        """Week number -> ids of its feedback-moment exercises (plain data for course rules)."""
        return {w.number: w.feedback_moments for w in self.weeks}

    def check_in_instruments(self, week: int) -> tuple[str, ...]:
        """Instruments asked at the check-in after ``week`` weeks (0 = at enrolment)."""
        out: list[str] = []
        for m in self.check_ins:
            if week in m.weeks:
                out.extend(m.instruments)
        if 1 <= week <= self.week_count:
            out.extend(self.week(week).extra_check_in)
        return tuple(dict.fromkeys(out))

    def follow_ups(self) -> tuple[CheckInMoment, ...]:
        return tuple(m for m in self.check_ins if m.months_after_end is not None)


# --- problems ------------------------------------------------------------------------------


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


# --- YAML that remembers line numbers --------------------------------------------------------


class _Map(dict):
    """A YAML mapping that knows its line and the line of each key (1-based, in the file)."""

    line: int = 0
    key_lines: dict[Any, int]


class _Seq(list):
    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    def __init__(self, stream: str, line_offset: int = 0):
        super().__init__(stream)
        self.line_offset = line_offset
        self.duplicate_keys: list[tuple[str, int]] = []

    def _line(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    m = _Map()
    m.line = loader._line(node)
    m.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) or key is None:
            key = str(key)
        if key in m:
            loader.duplicate_keys.append((str(key), loader._line(key_node)))
        m[key] = loader.construct_object(value_node, deep=True)
        m.key_lines[key] = loader._line(key_node)
    return m


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> _Seq:
    s = _Seq()
    s.line = loader._line(node)
    s.item_lines = []
    for child in node.value:
        s.append(loader.construct_object(child, deep=True))
        s.item_lines.append(loader._line(child))
    return s


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


class _YamlFailure(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message


def _parse_yaml(text: str, line_offset: int = 0) -> tuple[Any, list[tuple[str, int]]]:
    loader = _LineLoader(text, line_offset)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        raise _YamlFailure(line, f"not valid YAML: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise _YamlFailure(None, f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return data, loader.duplicate_keys


def _line(container: Any, key: Any = None) -> int | None:
    """Line of ``key`` in a mapping, of item ``key`` in a list, or of the container itself."""
    if isinstance(container, _Map):
        if key is not None and key in container.key_lines:
            return container.key_lines[key]
        return container.line or None
    if isinstance(container, _Seq):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line or None
    return None


# --- reading the body ------------------------------------------------------------------------


def count_words(markdown: str) -> int:
    """Words a reader reads: link targets, HTML tags and Markdown markers are not words."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(!?\[[^\]]*\])\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}\[[^\]]+\]:.*$", " ", text, flags=re.M)
    return len(_WORD.findall(text))


def _links(body: str, first_line: int) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    in_code = False
    for n, line in enumerate(body.splitlines()):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        for m in _INLINE_LINK.finditer(line):
            out.append((m.group(1), first_line + n))
        m = _REF_LINK.match(line)
        if m:
            out.append((m.group(1), first_line + n))
    return out


def _crisis_references(text: str, first_line: int) -> list[tuple[str, int]]:
    """Every ``{crisis:<id>}`` in ``text`` as (id, 1-based line in the file)."""
    return [
        (m.group(1), first_line + text.count("\n", 0, m.start()))
        for m in crisis.REFERENCE.finditer(text)
    ]


def _split_front_matter(text: str) -> tuple[str, int, str, int] | None:
    """(front matter, its first line, body, body's first line) or None without front matter.

    Lines are 1-based line numbers in the file.
    """
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for n in range(1, len(lines)):
        if lines[n].strip() in ("---", "..."):
            return "".join(lines[1:n]), 2, "".join(lines[n + 1 :]), n + 2
    return None


# --- the checker ---------------------------------------------------------------------------


@dataclass
class _WeekFile:
    number: int
    lang: str
    name: str
    title: str | None = None
    body: str = ""
    body_line: int = 1
    # exercise id -> (raw mapping, line)
    exercises: list[tuple[str, Mapping[str, Any], int]] = field(default_factory=list)
    exercises_line: int | None = None
    ok: bool = False  # front matter parsed well enough to compare across languages


_MANIFEST_FIELDS = {
    "slug",
    "version",
    "title",
    "summary",
    "languages",
    "week_count",
    "reading_word_limit",
    "themes",
    "check_ins",
    "weeks",
    "sources",
}
_WEEK_FIELDS = {"number", "themes", "feedback_moments", "check_in"}
_CHECK_IN_FIELDS = {"id", "instruments", "weeks", "months_after_end"}
_FRONT_FIELDS = {"week", "title", "exercises"}
_EXERCISE_FIELDS = {"id", "kind", "title", "prompt", "feedback_moment", "accepts_photo"}


class _Checker:
    def __init__(self, root: Path, instruments: Collection[str], word_limit: int | None) -> None:
        self.root = root
        self.instruments = set(instruments)
        self.word_limit_override = word_limit
        self.problems: list[Problem] = []

    # helpers
    def add(self, file: str, line: int | None, code: str, message: str) -> None:
        self.problems.append(Problem(file, line, code, message))

    def _text_map(
        self, file: str, parent: Mapping[str, Any], key: str, languages: Iterable[str], what: str
    ) -> dict[str, str] | None:
        value = parent.get(key)
        line = _line(parent, key)
        if not isinstance(value, Mapping):
            self.add(
                file,
                line,
                "invalid_value",
                f"{what}: expected a text per language, e.g. {{nl: ..., en: ...}}, got {value!r}",
            )
            return None
        out: dict[str, str] = {}
        for lang in languages:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.add(
                    file,
                    _line(value, lang) or line,
                    "missing_language",
                    f"{what}: text missing for language {lang!r}",
                )
            else:
                out[lang] = text.strip()
        for lang in value:
            if lang not in languages:
                self.add(
                    file,
                    _line(value, lang),
                    "unknown_field",
                    f"{what}: language {lang!r} is not in the programme's languages",
                )
        return out

    def _unknown_fields(self, file: str, m: Mapping[str, Any], allowed: set[str], what: str):
        for key in m:
            if key not in allowed:
                self.add(
                    file,
                    _line(m, key),
                    "unknown_field",
                    f"{what}: unknown field {key!r}; allowed: {', '.join(sorted(allowed))}",
                )

    def _str_list(self, file: str, parent: Mapping[str, Any], key: str, what: str) -> list:
        """A list of strings; returns (value, line) pairs for the valid ones."""
        value = parent.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(
                file, _line(parent, key), "invalid_value", f"{what}: expected a list, got {value!r}"
            )
            return []
        out = []
        for n, item in enumerate(value):
            if not isinstance(item, str) or not item:
                self.add(
                    file, _line(value, n), "invalid_value", f"{what}: expected a name, got {item!r}"
                )
            else:
                out.append((item, _line(value, n)))
        return out

    # the whole programme
    def run(self) -> Programme | None:
        root = self.root
        if not root.is_dir():
            self.add(str(root), None, "missing_file", "programme folder does not exist")
            return None
        manifest_path = root / MANIFEST
        if not manifest_path.is_file():
            self.add(MANIFEST, None, "missing_file", f"the manifest {MANIFEST} is missing")
            return None
        try:
            data, dups = _parse_yaml(manifest_path.read_text(encoding="utf-8"))
        except _YamlFailure as exc:
            self.add(MANIFEST, exc.line, "invalid_yaml", exc.message)
            return None
        except UnicodeDecodeError as exc:
            self.add(MANIFEST, None, "invalid_value", f"not UTF-8 text: {exc}")
            return None
        for key, line in dups:
            self.add(MANIFEST, line, "duplicate_key", f"key {key!r} appears twice")
        if not isinstance(data, _Map):
            self.add(MANIFEST, 1, "invalid_value", "expected a mapping of fields at the top level")
            return None
        return self._manifest(data)

    def _manifest(self, m: _Map) -> Programme | None:
        F = MANIFEST
        self._unknown_fields(F, m, _MANIFEST_FIELDS, "programme.yaml")
        for key in ("slug", "title", "languages", "week_count", "weeks"):
            if key not in m:
                self.add(F, m.line, "missing_field", f"required field {key!r} is missing")

        slug = m.get("slug")
        if "slug" in m:
            if not isinstance(slug, str) or not _SLUG.match(slug):
                self.add(
                    F,
                    _line(m, "slug"),
                    "invalid_value",
                    f"slug {slug!r} must be lower-case letters, digits and hyphens",
                )
            elif slug != self.root.name:
                self.add(
                    F,
                    _line(m, "slug"),
                    "invalid_value",
                    f"slug {slug!r} must match the folder name {self.root.name!r}",
                )

        languages: list[str] = []
        raw_langs = m.get("languages")
        if "languages" in m:
            if not isinstance(raw_langs, list) or not raw_langs:
                self.add(
                    F,
                    _line(m, "languages"),
                    "invalid_value",
                    "languages: expected a non-empty list, e.g. [nl, en]",
                )
            else:
                for n, lang in enumerate(raw_langs):
                    if lang not in SUPPORTED_LANGUAGES:
                        self.add(
                            F,
                            _line(raw_langs, n),
                            "invalid_value",
                            f"language {lang!r} is not supported; "
                            f"supported: {', '.join(SUPPORTED_LANGUAGES)}",
                        )
                    elif lang in languages:
                        self.add(
                            F,
                            _line(raw_langs, n),
                            "duplicate_id",
                            f"language {lang!r} is listed twice",
                        )
                    else:
                        languages.append(lang)

        title = self._text_map(F, m, "title", languages, "title") if "title" in m else None
        summary = self._text_map(F, m, "summary", languages, "summary") if "summary" in m else None

        week_count = m.get("week_count")
        if "week_count" in m and (
            not isinstance(week_count, int) or isinstance(week_count, bool) or week_count < 1
        ):
            self.add(
                F,
                _line(m, "week_count"),
                "invalid_value",
                f"week_count must be a whole number of at least 1, got {week_count!r}",
            )
            week_count = None
        if not isinstance(week_count, int):
            week_count = None

        limit = m.get("reading_word_limit", DEFAULT_WORD_LIMIT)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            self.add(
                F,
                _line(m, "reading_word_limit"),
                "invalid_value",
                f"reading_word_limit must be a positive whole number, got {limit!r}",
            )
            limit = DEFAULT_WORD_LIMIT
        if self.word_limit_override is not None:
            limit = self.word_limit_override

        themes = self._themes(m, languages)
        check_ins = self._check_ins(m, week_count)
        sources = self._sources(m)
        week_specs = self._week_specs(m, week_count, {t.id for t in themes})

        week_files = self._week_files(languages, week_count)
        weeks = self._weeks(week_specs, week_files, languages, week_count, limit)

        if self.problems:
            return None
        assert title is not None and week_count is not None
        return Programme(
            slug=str(slug),
            version=str(m.get("version", "1")),
            title=LocalText.of(title, languages),
            summary=LocalText.of(summary, languages) if summary else None,
            languages=tuple(languages),
            week_count=week_count,
            reading_word_limit=limit,
            themes=tuple(themes),
            check_ins=tuple(check_ins),
            weeks=tuple(weeks),
            sources=tuple(sources),
            path=str(self.root),
        )

    def _themes(self, m: _Map, languages: list[str]) -> list[Theme]:
        F = MANIFEST
        raw = m.get("themes", [])
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.add(F, _line(m, "themes"), "invalid_value", "themes: expected a list")
            return []
        themes: list[Theme] = []
        seen: dict[str, int | None] = {}
        for n, spec in enumerate(raw):
            line = _line(raw, n)
            if not isinstance(spec, Mapping):
                self.add(
                    F, line, "invalid_value", f"themes[{n}]: expected a mapping with id and title"
                )
                continue
            self._unknown_fields(F, spec, {"id", "title"}, f"theme {n + 1}")
            tid = spec.get("id")
            if not isinstance(tid, str) or not tid:
                self.add(F, line, "missing_id", f"theme {n + 1} has no id")
                continue
            if not _ID.match(tid):
                self.add(
                    F,
                    _line(spec, "id"),
                    "invalid_value",
                    f"theme id {tid!r}: use lower-case letters, digits, '-' and '_'",
                )
            if tid in seen:
                self.add(
                    F,
                    _line(spec, "id"),
                    "duplicate_id",
                    f"theme id {tid!r} is used twice (first on line {seen[tid]})",
                )
                continue
            seen[tid] = _line(spec, "id")
            if "title" not in spec:
                self.add(F, line, "missing_field", f"theme {tid!r}: title is missing")
                continue
            title = self._text_map(F, spec, "title", languages, f"theme {tid!r} title")
            themes.append(Theme(tid, LocalText.of(title or {}, languages)))
        return themes

    def _check_ins(self, m: _Map, week_count: int | None) -> list[CheckInMoment]:
        F = MANIFEST
        raw = m.get("check_ins", [])
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.add(F, _line(m, "check_ins"), "invalid_value", "check_ins: expected a list")
            return []
        out: list[CheckInMoment] = []
        seen: dict[str, int | None] = {}
        for n, spec in enumerate(raw):
            line = _line(raw, n)
            if not isinstance(spec, Mapping):
                self.add(F, line, "invalid_value", f"check_ins[{n}]: expected a mapping")
                continue
            self._unknown_fields(F, spec, _CHECK_IN_FIELDS, f"check-in {n + 1}")
            cid = spec.get("id")
            if not isinstance(cid, str) or not cid:
                self.add(F, line, "missing_id", f"check-in {n + 1} has no id")
                cid = f"#{n + 1}"
            elif cid in seen:
                self.add(
                    F,
                    _line(spec, "id"),
                    "duplicate_id",
                    f"check-in id {cid!r} is used twice (first on line {seen[cid]})",
                )
            seen.setdefault(cid, _line(spec, "id"))
            instruments = self._instrument_list(spec, "instruments", f"check-in {cid!r}")
            if "instruments" not in spec:
                self.add(F, line, "missing_field", f"check-in {cid!r}: instruments is missing")
            has_weeks = "weeks" in spec
            has_months = "months_after_end" in spec
            if has_weeks == has_months:
                self.add(
                    F,
                    line,
                    "invalid_value",
                    f"check-in {cid!r}: give either weeks (0 = at enrolment) or "
                    "months_after_end (a follow-up), not both or neither",
                )
            weeks: tuple[int, ...] = ()
            if has_weeks:
                raw_weeks = spec["weeks"]
                if raw_weeks == "all":
                    weeks = tuple(range(0, (week_count or 0) + 1))
                elif isinstance(raw_weeks, list):
                    good = []
                    for k, w in enumerate(raw_weeks):
                        bad = not isinstance(w, int) or isinstance(w, bool)
                        if bad or (week_count is not None and not 0 <= w <= week_count):
                            self.add(
                                F,
                                _line(raw_weeks, k),
                                "invalid_value",
                                f"check-in {cid!r}: week {w!r} is not between 0 and {week_count}",
                            )
                        else:
                            good.append(w)
                    weeks = tuple(sorted(set(good)))
                else:
                    self.add(
                        F,
                        _line(spec, "weeks"),
                        "invalid_value",
                        f"check-in {cid!r}: weeks must be a list of week numbers or 'all'",
                    )
            months = spec.get("months_after_end")
            if has_months and (
                not isinstance(months, int) or isinstance(months, bool) or months < 1
            ):
                self.add(
                    F,
                    _line(spec, "months_after_end"),
                    "invalid_value",
                    f"check-in {cid!r}: months_after_end must be a whole number ≥ 1",
                )
                months = None
            out.append(
                CheckInMoment(cid, tuple(instruments), weeks, months if has_months else None)
            )
        return out

    def _instrument_list(self, parent: Mapping[str, Any], key: str, what: str) -> list[str]:
        out = []
        for name, line in self._str_list(MANIFEST, parent, key, what):
            if name not in self.instruments:
                known = ", ".join(sorted(self.instruments)) or "none"
                self.add(
                    MANIFEST,
                    line,
                    "unknown_instrument",
                    f"{what}: unknown instrument {name!r}; known: {known}",
                )
            else:
                out.append(name)
        return out

    def _sources(self, m: _Map) -> list[Source]:
        raw = m.get("sources", [])
        if not isinstance(raw, list):
            self.add(MANIFEST, _line(m, "sources"), "invalid_value", "sources: expected a list")
            return []
        out = []
        for n, spec in enumerate(raw):
            if not isinstance(spec, Mapping) or not isinstance(spec.get("citation"), str):
                self.add(
                    MANIFEST,
                    _line(raw, n),
                    "invalid_value",
                    f"sources[{n}]: expected a mapping with at least a citation",
                )
                continue
            self._unknown_fields(MANIFEST, spec, {"id", "citation", "used_for"}, f"source {n + 1}")
            out.append(
                Source(
                    str(spec.get("id", n + 1)),
                    spec["citation"].strip(),
                    str(spec.get("used_for", "")).strip(),
                )
            )
        return out

    def _week_specs(
        self, m: _Map, week_count: int | None, theme_ids: set[str]
    ) -> dict[int, tuple[Mapping[str, Any], int | None]]:
        F = MANIFEST
        raw = m.get("weeks")
        specs: dict[int, tuple[Mapping[str, Any], int | None]] = {}
        if raw is None:
            return specs
        if not isinstance(raw, list):
            self.add(F, _line(m, "weeks"), "invalid_value", "weeks: expected a list of weeks")
            return specs
        for n, spec in enumerate(raw):
            line = _line(raw, n)
            if not isinstance(spec, Mapping):
                self.add(F, line, "invalid_value", f"weeks[{n}]: expected a mapping")
                continue
            self._unknown_fields(F, spec, _WEEK_FIELDS, f"weeks[{n}]")
            number = spec.get("number")
            if not isinstance(number, int) or isinstance(number, bool):
                self.add(F, line, "missing_field", f"weeks[{n}]: number is missing or not a number")
                continue
            if week_count is not None and not 1 <= number <= week_count:
                self.add(
                    F,
                    _line(spec, "number"),
                    "invalid_value",
                    f"week {number} is outside 1-{week_count} (week_count)",
                )
                continue
            if number in specs:
                self.add(
                    F,
                    _line(spec, "number"),
                    "duplicate_id",
                    f"week {number} is described twice (first on line {specs[number][1]})",
                )
                continue
            specs[number] = (spec, line)
            for tid, tline in self._str_list(F, spec, "themes", f"week {number} themes"):
                if tid not in theme_ids:
                    self.add(
                        F,
                        tline,
                        "broken_reference",
                        f"week {number} refers to theme {tid!r}, which is not in themes",
                    )
            self._instrument_list(spec, "check_in", f"week {number} check_in")
        if week_count is not None:
            for number in range(1, week_count + 1):
                if number not in specs:
                    self.add(
                        F,
                        _line(m, "weeks"),
                        "missing_week",
                        f"week {number} is missing from weeks (week_count is {week_count})",
                    )
        return specs

    def _week_files(
        self, languages: list[str], week_count: int | None
    ) -> dict[tuple[int, str], _WeekFile]:
        files: dict[tuple[int, str], _WeekFile] = {}
        for path in sorted(self.root.iterdir()):
            if not path.is_file() or path.suffix != ".md" or path.name == "README.md":
                continue
            match = _WEEK_FILE.match(path.name)
            if not match:
                if path.name.startswith("week"):
                    self.add(
                        path.name,
                        None,
                        "unexpected_file",
                        "file name not understood; week files are named week-NN.<lang>.md, "
                        "e.g. week-01.nl.md",
                    )
                continue
            number, lang = int(match.group(1)), match.group(2)
            if languages and lang not in languages:
                self.add(
                    path.name,
                    None,
                    "unexpected_file",
                    f"language {lang!r} is not in the programme's languages "
                    f"({', '.join(languages)})",
                )
                continue
            if week_count is not None and not 1 <= number <= week_count:
                self.add(
                    path.name,
                    None,
                    "unexpected_file",
                    f"week {number} is beyond week_count ({week_count})",
                )
                continue
            files[(number, lang)] = self._read_week_file(path, number, lang)
        return files

    def _read_week_file(self, path: Path, number: int, lang: str) -> _WeekFile:
        wf = _WeekFile(number, lang, path.name)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.add(path.name, None, "invalid_value", f"not UTF-8 text: {exc}")
            return wf
        split = _split_front_matter(text)
        if split is None:
            self.add(
                path.name,
                1,
                "no_front_matter",
                "no front matter: the file must start with a line '---', the exercises in "
                "YAML, and another line '---' before the reading",
            )
            return wf
        front, front_line, body, body_line = split
        wf.body, wf.body_line = body, body_line
        try:
            data, dups = _parse_yaml(front, line_offset=front_line - 1)
        except _YamlFailure as exc:
            self.add(path.name, exc.line, "invalid_yaml", f"front matter {exc.message}")
            return wf
        for key, line in dups:
            self.add(path.name, line, "duplicate_key", f"key {key!r} appears twice")
        if not isinstance(data, _Map):
            self.add(
                path.name,
                front_line,
                "invalid_value",
                "front matter must be a mapping with title and exercises",
            )
            return wf
        self._unknown_fields(path.name, data, _FRONT_FIELDS, "front matter")
        if "week" in data and data["week"] != number:
            self.add(
                path.name,
                _line(data, "week"),
                "invalid_value",
                f"week: {data['week']!r} does not match the file name (week {number})",
            )
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            self.add(path.name, _line(data, "title"), "missing_field", "title is missing or empty")
        else:
            wf.title = title.strip()
        raw = data.get("exercises")
        if raw is None:
            self.add(
                path.name,
                data.line,
                "missing_field",
                "exercises is missing (use 'exercises: []' for a week without exercises)",
            )
            return wf
        if not isinstance(raw, list):
            self.add(
                path.name, _line(data, "exercises"), "invalid_value", "exercises: expected a list"
            )
            return wf
        wf.ok = True
        wf.exercises_line = _line(data, "exercises")
        for n, ex in enumerate(raw):
            line = _line(raw, n)
            if not isinstance(ex, Mapping):
                self.add(path.name, line, "invalid_value", f"exercise {n + 1}: expected a mapping")
                wf.ok = False
                continue
            self._unknown_fields(path.name, ex, _EXERCISE_FIELDS, f"exercise {n + 1}")
            eid = ex.get("id")
            if eid is None or (isinstance(eid, str) and not eid.strip()):
                self.add(path.name, line, "missing_id", f"exercise {n + 1} has no id")
                wf.ok = False
                continue
            if not isinstance(eid, str) or not _ID.match(eid):
                self.add(
                    path.name,
                    _line(ex, "id"),
                    "invalid_value",
                    f"exercise id {eid!r}: use lower-case letters, digits, '-' and '_'",
                )
                eid = str(eid)
            what = f"exercise {eid!r}"
            kind = ex.get("kind")
            if kind not in EXERCISE_KINDS:
                self.add(
                    path.name,
                    _line(ex, "kind"),
                    "invalid_value" if "kind" in ex else "missing_field",
                    f"{what}: kind {kind!r} is not one of {', '.join(EXERCISE_KINDS)}",
                )
            for key in ("title", "prompt"):
                v = ex.get(key)
                if not isinstance(v, str) or not v.strip():
                    self.add(
                        path.name,
                        _line(ex, key),
                        "missing_field",
                        f"{what}: {key} is missing or empty",
                    )
                else:
                    # YAML folds a prompt's lines, so the field's own line is the place.
                    one_line = " ".join(v.split())
                    self._check_crisis_references(path.name, one_line, _line(ex, key) or line or 1)
            for key in ("feedback_moment", "accepts_photo"):
                if key in ex and not isinstance(ex[key], bool):
                    self.add(
                        path.name,
                        _line(ex, key),
                        "invalid_value",
                        f"{what}: {key} must be true or false, got {ex[key]!r}",
                    )
            if ex.get("accepts_photo") is True and kind != "creative":
                self.add(
                    path.name,
                    _line(ex, "accepts_photo"),
                    "invalid_value",
                    f"{what}: only a creative exercise can accept a photo",
                )
            wf.exercises.append((eid, ex, _line(ex, "id") or line or 0))
        return wf

    def _weeks(
        self,
        specs: Mapping[int, tuple[Mapping[str, Any], int | None]],
        files: Mapping[tuple[int, str], _WeekFile],
        languages: list[str],
        week_count: int | None,
        limit: int,
    ) -> list[Week]:
        weeks: list[Week] = []
        first_seen: dict[tuple[str, str], tuple[str, int]] = {}  # (lang, id) -> (file, line)
        for number in range(1, (week_count or 0) + 1):
            spec, spec_line = specs.get(number, ({}, None))
            present = [files[(number, lang)] for lang in languages if (number, lang) in files]
            if not present:
                if spec_line is not None:  # a week missing from `weeks:` is already reported
                    self.add(
                        MANIFEST,
                        spec_line,
                        "missing_week",
                        f"week {number} has no text in any language (expected "
                        + ", ".join(f"week-{number:02d}.{lang}.md" for lang in languages)
                        + ")",
                    )
                continue
            for lang in languages:
                if (number, lang) not in files:
                    self.add(
                        MANIFEST,
                        spec_line,
                        "missing_language",
                        f"week {number} has no {lang!r} text: week-{number:02d}.{lang}.md "
                        f"is missing ({lang!r} is in languages)",
                    )

            # ids: unique within the programme (per language), same across languages
            for wf in present:
                seen_here: set[str] = set()
                for eid, _ex, line in wf.exercises:
                    key = (wf.lang, eid)
                    if eid in seen_here or key in first_seen:
                        f, ln = first_seen.get(key, (wf.name, line))
                        self.add(
                            wf.name,
                            line,
                            "duplicate_id",
                            f"exercise id {eid!r} is used twice (first at {f}:{ln})",
                        )
                    seen_here.add(eid)
                    first_seen.setdefault(key, (wf.name, line))
            reference = present[0]
            ref_ids = [e[0] for e in reference.exercises]
            for wf in present[1:]:
                if not (wf.ok and reference.ok):
                    continue
                ids = [e[0] for e in wf.exercises]
                if ids != ref_ids:
                    missing = [i for i in ref_ids if i not in ids]
                    extra = [i for i in ids if i not in ref_ids]
                    detail = []
                    if missing:
                        detail.append(f"missing {', '.join(missing)}")
                    if extra:
                        detail.append(f"extra {', '.join(extra)}")
                    if not detail:
                        detail.append("same ids in a different order")
                    self.add(
                        wf.name,
                        _exercises_line(wf),
                        "language_mismatch",
                        f"exercise ids differ from {reference.name}: {'; '.join(detail)}",
                    )
                    continue
                for (eid, ex, line), (_, ref_ex, _) in zip(
                    wf.exercises, reference.exercises, strict=True
                ):
                    for key, default in (
                        ("kind", None),
                        ("feedback_moment", False),
                        ("accepts_photo", False),
                    ):
                        if ex.get(key, default) != ref_ex.get(key, default):
                            self.add(
                                wf.name,
                                _line(ex, key) or line,
                                "language_mismatch",
                                f"exercise {eid!r}: {key} is {ex.get(key, default)!r} here but "
                                f"{ref_ex.get(key, default)!r} in {reference.name}",
                            )

            # the manifest's feedback moments refer to this week's exercises
            ex_ids = set(ref_ids)
            manifest_fm = set()
            for eid, line in self._str_list(
                MANIFEST, spec, "feedback_moments", f"week {number} feedback_moments"
            ):
                if eid not in ex_ids:
                    self.add(
                        MANIFEST,
                        line,
                        "broken_reference",
                        f"week {number} names feedback moment {eid!r}, but week {number} "
                        f"has no exercise with that id ({reference.name})",
                    )
                manifest_fm.add(eid)
            for eid, ex, _line_no in reference.exercises:
                if ex.get("feedback_moment") is False and eid in manifest_fm:
                    self.add(
                        reference.name,
                        _line(ex, "feedback_moment"),
                        "invalid_value",
                        f"exercise {eid!r} says feedback_moment: false, but programme.yaml "
                        f"lists it as a feedback moment of week {number}",
                    )

            # readings
            for wf in present:
                if self._check_crisis_references(wf.name, wf.body, wf.body_line):
                    # What the participant reads: the services' sentences, not the references.
                    wf.body = crisis.expand_references(wf.body, wf.lang, wf.name)
                words = count_words(wf.body)
                if words > limit:
                    self.add(
                        wf.name,
                        wf.body_line,
                        "reading_too_long",
                        f"the reading has {words} words; the limit is {limit}",
                    )
                if not wf.body.strip():
                    self.add(wf.name, wf.body_line, "missing_field", "the reading is empty")
                for target, line in _links(wf.body, wf.body_line):
                    self._check_link(wf.name, target, line)

            if self.problems:
                continue  # building the model needs clean data; keep collecting problems
            exercises = []
            by_lang = {wf.lang: {e[0]: e[1] for e in wf.exercises} for wf in present}
            for eid, ex, _ in reference.exercises:
                exercises.append(
                    Exercise(
                        id=eid,
                        kind=ex["kind"],
                        title=LocalText.of(
                            {
                                lg: _with_crisis_help(by_lang[lg][eid]["title"], lg)
                                for lg in by_lang
                            },
                            languages,
                        ),
                        prompt=LocalText.of(
                            {
                                lg: _with_crisis_help(by_lang[lg][eid]["prompt"], lg)
                                for lg in by_lang
                            },
                            languages,
                        ),
                        feedback_moment=bool(ex.get("feedback_moment")) or eid in manifest_fm,
                        accepts_photo=bool(ex.get("accepts_photo")),
                    )
                )
            readings = tuple(
                Reading(
                    wf.lang, wf.title or "", wf.body.strip() + "\n", count_words(wf.body), wf.name
                )
                for wf in present
            )
            weeks.append(
                Week(
                    number=number,
                    themes=self._names(spec, "themes"),
                    exercises=tuple(exercises),
                    readings=readings,
                    extra_check_in=self._names(spec, "check_in"),
                )
            )
        return weeks

    @staticmethod
    def _names(spec: Mapping[str, Any], key: str) -> tuple[str, ...]:
        """A list already validated (and reported) by ``_str_list``, read again quietly."""
        return tuple(str(v) for v in (spec.get(key) or []))

    def _check_crisis_references(self, file: str, text: str, first_line: int) -> bool:
        """Report every ``{crisis:<id>}`` naming no service; True when all are known."""
        services = crisis.crisis_help()
        known = [s.id for s in services.services]
        ok = True
        for service_id, line in _crisis_references(text, first_line):
            if service_id not in known:
                ok = False
                self.add(
                    file,
                    line,
                    "unknown_crisis_reference",
                    f"{{crisis:{service_id}}} names no crisis service "
                    f"(known: {', '.join(known)}; see core/texts/crisis.yaml)",
                )
        return ok

    def _check_link(self, file: str, target: str, line: int) -> None:
        if target.startswith(("#", "//")) or _SCHEME.match(target):
            return  # web links, mail links and anchors are not files of the programme
        rel = target.split("#", 1)[0].split("?", 1)[0]
        if not rel:
            return
        resolved = (self.root / rel).resolve()
        root = self.root.resolve()
        if resolved != root and root not in resolved.parents:
            self.add(
                file, line, "broken_link", f"link {target!r} points outside the programme folder"
            )
        elif not resolved.exists():
            self.add(file, line, "broken_link", f"link to a missing file: {target!r}")


def _with_crisis_help(text: str, lang: str) -> str:
    """An exercise text with ``{crisis:<id>}`` as the service's sentence (ids checked)."""
    return crisis.expand_references(text.strip(), lang)


def _exercises_line(wf: _WeekFile) -> int | None:
    return wf.exercises_line


# --- public API ----------------------------------------------------------------------------


def _known_instruments() -> set[str]:
    from verbind.core.instrument import registry

    return set(registry())


def _check(
    path: Path | str, *, instruments: Collection[str] | None, word_limit: int | None
) -> tuple[Programme | None, list[Problem]]:
    checker = _Checker(
        Path(path), _known_instruments() if instruments is None else instruments, word_limit
    )
    programme = checker.run()
    problems = sorted(
        set(checker.problems), key=lambda p: (p.file != MANIFEST, p.file, p.line or 0, p.message)
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
