"""What a schema cannot see: how the files and entries of a programme fit together.

The shape of each file is checked by :mod:`.schema`; here, on the parts that passed it:

- the manifest: the slug is the folder's name, no language / theme / check-in / week is
  given twice, every week 1..week_count is described, weeks name existing themes,
  check-ins name instruments verbind knows;
- the week files: their names (week-NN.<lang>.md, a language of the programme, a week of
  the course), every week in every language, ``week:`` matches the file name;
- exercises: ids unique in the programme, the same ids / kind / feedback / photo in every
  language of a week, the manifest's feedback moments name exercises of that week;
- texts: ``{crisis:<id>}`` names a known service, readings stay within the word limit, are
  not empty, and link only to files inside the folder that exist.

:func:`run` returns every problem and, when there is none, the :class:`Programme`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verbind.core import crisis
from verbind.core.programme.model import (
    DEFAULT_WORD_LIMIT,
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
from verbind.core.programme.problems import Problem
from verbind.core.programme.reading import count_words, crisis_references, links
from verbind.core.programme.schema import CheckIn, ExerciseSpec, FrontMatter, Manifest, WeekSpec
from verbind.core.programme.validation import validate_front_matter, validate_manifest
from verbind.core.programme.yaml_lines import (
    Map,
    YamlFailure,
    line_of,
    parse_yaml,
    split_front_matter,
)

_WEEK_FILE = re.compile(r"^week-(\d{2})\.([a-z]{2})\.md$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class _WeekFile:
    number: int
    lang: str
    name: str
    front: FrontMatter | None = None
    body: str = ""
    body_line: int = 1
    has_body: bool = False  # the front matter was closed, so what follows is the reading
    # Every exercise id written in the file, valid or not, with its line, in order.
    ids: list[tuple[str, int]] = field(default_factory=list)
    # Every exercise has an id, so the ids can be compared with the other languages ...
    all_ids: bool = False
    # ... and every exercise passed the schema, so their fields can be compared too.
    comparable: bool = False

    @property
    def exercises(self) -> list[ExerciseSpec]:
        return list(self.front.exercises) if self.front and self.front.exercises else []

    def exercises_line(self) -> int | None:
        return self.front.line("exercises") if self.front else None


def _whole_number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _Checker:
    def __init__(self, root: Path, instruments: Collection[str], word_limit: int | None) -> None:
        self.root = root
        self.instruments = set(instruments)
        self.word_limit_override = word_limit
        self.problems: list[Problem] = []

    def add(self, file: str, line: int | None, code: str, message: str) -> None:
        self.problems.append(Problem(file, line, code, message))

    def _read_yaml(self, file: str, text: str, offset: int = 0, what: str = "") -> Any:
        """The YAML in ``text`` (lines shifted by ``offset``), or None after reporting why."""
        try:
            data, duplicates = parse_yaml(text, line_offset=offset)
        except YamlFailure as exc:
            self.add(file, exc.line, "invalid_yaml", f"{what}{exc.message}")
            return None
        for key, line in duplicates:
            self.add(file, line, "duplicate_key", f"key {key!r} appears twice")
        return data

    def _read_text(self, path: Path, file: str) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.add(file, None, "invalid_value", f"not UTF-8 text: {exc}")
            return None

    # --- the whole programme ---------------------------------------------------------------

    def run(self) -> Programme | None:
        root = self.root
        if not root.is_dir():
            self.add(str(root), None, "missing_file", "programme folder does not exist")
            return None
        if not (root / MANIFEST).is_file():
            self.add(MANIFEST, None, "missing_file", f"the manifest {MANIFEST} is missing")
            return None
        text = self._read_text(root / MANIFEST, MANIFEST)
        if text is None:
            return None
        data = self._read_yaml(MANIFEST, text)
        if data is None and self.problems:
            return None
        # What the schema needs to know first: which languages a text needs, which weeks exist.
        languages = _languages(data)
        week_count = _whole_number(data.get("week_count")) if isinstance(data, Map) else None
        if week_count is not None and week_count < 1:
            week_count = None
        manifest, problems = validate_manifest(data, languages=languages, week_count=week_count)
        self.problems += problems
        if manifest is None:
            return None

        self._manifest(manifest, data)
        specs = self._week_specs(manifest, data, week_count)
        files = self._week_files(languages, week_count)
        limit = self.word_limit_override or manifest.reading_word_limit or DEFAULT_WORD_LIMIT
        # With no valid languages (reported), the weeks are checked in the files' languages.
        in_files = tuple(sorted({lang for _, lang in files}))
        self._weeks(specs, files, languages or in_files, week_count, limit)
        if self.problems:
            return None
        return _programme(manifest, specs, files, limit, self.root)

    # --- the manifest ------------------------------------------------------------------------

    def _manifest(self, m: Manifest, data: Map) -> None:
        F = MANIFEST
        if m.slug is not None and m.slug != self.root.name:
            self.add(
                F,
                m.line("slug"),
                "invalid_value",
                f"slug {m.slug!r} must match the folder name {self.root.name!r}",
            )
        raw_languages = data.get("languages")
        if isinstance(raw_languages, list):
            seen: set[str] = set()
            for n, lang in enumerate(raw_languages):
                if not isinstance(lang, str):
                    continue
                if lang in seen:
                    self.add(
                        F,
                        line_of(raw_languages, n),
                        "duplicate_id",
                        f"language {lang!r} is listed twice",
                    )
                seen.add(lang)
        first: dict[str, int | None] = {}
        for theme in m.themes:
            if theme.id in first:
                self.add(
                    F,
                    theme.line("id"),
                    "duplicate_id",
                    f"theme id {theme.id!r} is used twice (first on line {first[theme.id]})",
                )
            first.setdefault(theme.id, theme.line("id"))
        first = {}
        for check_in in m.check_ins:
            if check_in.id in first:
                self.add(
                    F,
                    check_in.line("id"),
                    "duplicate_id",
                    f"check-in id {check_in.id!r} is used twice "
                    f"(first on line {first[check_in.id]})",
                )
            first.setdefault(check_in.id, check_in.line("id"))
            self._instruments(check_in, "instruments", f"check-in {check_in.id!r}")

    def _instruments(self, part: CheckIn | WeekSpec, key: str, what: str) -> None:
        """Every instrument ``part`` names under ``key`` is one verbind knows."""
        for n, name in enumerate(getattr(part, key)):
            if name not in self.instruments:
                known = ", ".join(sorted(self.instruments)) or "none"
                self.add(
                    MANIFEST,
                    part.line(key, n),
                    "unknown_instrument",
                    f"{what}: unknown instrument {name!r}; known: {known}",
                )

    def _week_specs(self, m: Manifest, data: Map, week_count: int | None) -> dict[int, WeekSpec]:
        F = MANIFEST
        # Every theme id written, also of a theme with a problem of its own (reported there).
        raw_themes = data.get("themes")
        theme_ids = (
            {
                t.get("id")
                for t in raw_themes
                if isinstance(t, Mapping) and isinstance(t.get("id"), str)
            }
            if isinstance(raw_themes, list)
            else set()
        )
        specs: dict[int, WeekSpec] = {}
        for spec in m.weeks or []:
            if spec.number in specs:
                first = specs[spec.number].line()
                self.add(
                    F,
                    spec.line("number"),
                    "duplicate_id",
                    f"week {spec.number} is described twice (first on line {first})",
                )
                continue
            specs[spec.number] = spec
            for n, theme_id in enumerate(spec.themes):
                if theme_id not in theme_ids:
                    self.add(
                        F,
                        spec.line("themes", n),
                        "broken_reference",
                        f"week {spec.number} refers to theme {theme_id!r}, which is not in themes",
                    )
            self._instruments(spec, "check_in", f"week {spec.number} check_in")
        raw = data.get("weeks")
        if week_count is not None and isinstance(raw, list):
            # A week whose entry has a problem of its own is described all the same.
            described = {
                _whole_number(item.get("number")) for item in raw if isinstance(item, Mapping)
            }
            for number in range(1, week_count + 1):
                if number not in described:
                    self.add(
                        F,
                        line_of(data, "weeks"),
                        "missing_week",
                        f"week {number} is missing from weeks (week_count is {week_count})",
                    )
        return specs

    # --- the week files ----------------------------------------------------------------------

    def _week_files(
        self, languages: tuple[str, ...], week_count: int | None
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
            files[(number, lang)] = self._week_file(path, number, lang)
        return files

    def _week_file(self, path: Path, number: int, lang: str) -> _WeekFile:
        wf = _WeekFile(number, lang, path.name)
        text = self._read_text(path, path.name)
        if text is None:
            return wf
        split = split_front_matter(text)
        if split is None:
            self.add(
                path.name,
                1,
                "no_front_matter",
                "no front matter: the file must start with a line '---', the exercises in "
                "YAML, and another line '---' before the reading",
            )
            return wf
        front, front_line, wf.body, wf.body_line = split
        wf.has_body = True
        before = len(self.problems)
        data = self._read_yaml(path.name, front, front_line - 1, "front matter ")
        if data is None and len(self.problems) > before:
            return wf
        wf.front, problems = validate_front_matter(data, file=path.name, first_line=front_line)
        self.problems += problems
        if wf.front is None:
            return wf
        if wf.front.week is not None and wf.front.week != number:
            self.add(
                path.name,
                wf.front.line("week"),
                "invalid_value",
                f"week: {wf.front.week!r} does not match the file name (week {number})",
            )
        raw = data.get("exercises")
        if isinstance(raw, list):
            for n, item in enumerate(raw):
                eid = item.get("id") if isinstance(item, Mapping) else None
                if isinstance(eid, str) and eid.strip():
                    wf.ids.append((eid, line_of(item, "id") or line_of(raw, n) or 0))
            wf.all_ids = len(wf.ids) == len(raw)
            # The schema drops an exercise with a problem of its own from ``exercises``.
            wf.comparable = wf.all_ids and len(wf.exercises) == len(raw)
        return wf

    # --- the weeks together ------------------------------------------------------------------

    def _weeks(
        self,
        specs: Mapping[int, WeekSpec],
        files: Mapping[tuple[int, str], _WeekFile],
        languages: tuple[str, ...],
        week_count: int | None,
        limit: int,
    ) -> None:
        first_seen: dict[tuple[str, str], tuple[str, int]] = {}  # (lang, id) -> (file, line)
        if week_count is not None:
            numbers = range(1, week_count + 1)
        else:  # week_count is wrong (and reported): check the weeks that are there
            numbers = sorted({n for n, _ in files} | set(specs))
        for number in numbers:
            spec = specs.get(number)
            spec_line = spec.line() if spec is not None else None
            present = [files[(number, lang)] for lang in languages if (number, lang) in files]
            if not present:
                if spec is not None:  # a week missing from `weeks:` is already reported
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
            for wf in present:
                self._unique_ids(wf, first_seen)
            self._same_in_every_language(present)
            # Feedback moments name exercises of a file whose exercises all have an id.
            complete = [wf for wf in present if wf.all_ids]
            if spec is not None and complete:
                self._feedback_moments(number, spec, complete[0])
            for wf in present:
                for exercise in wf.exercises:
                    for key in ("title", "prompt"):
                        # YAML folds a prompt's lines, so the field's own line is the place.
                        one_line = " ".join(getattr(exercise, key).split())
                        self._crisis(wf.name, one_line, exercise.line(key) or 1)
                if wf.has_body:
                    self._reading(wf, limit)

    def _unique_ids(self, wf: _WeekFile, first_seen: dict[tuple[str, str], tuple[str, int]]):
        """Exercise ids are unique in the programme (per language)."""
        seen_here: set[str] = set()
        for eid, line in wf.ids:
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

    def _same_in_every_language(self, present: list[_WeekFile]) -> None:
        reference = present[0]
        ref_ids = [eid for eid, _ in reference.ids]
        for wf in present[1:]:
            ids = [eid for eid, _ in wf.ids]
            if not (wf.all_ids and reference.all_ids):
                continue  # an exercise without an id is reported; compare once it has one
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
                    wf.exercises_line(),
                    "language_mismatch",
                    f"exercise ids differ from {reference.name}: {'; '.join(detail)}",
                )
                continue
            if not (wf.comparable and reference.comparable):
                continue  # the schema's problems come first
            for ex, ref in zip(wf.exercises, reference.exercises, strict=True):
                for key in ("kind", "feedback_moment", "accepts_photo"):
                    mine, theirs = getattr(ex, key), getattr(ref, key)
                    if mine != theirs:
                        self.add(
                            wf.name,
                            ex.line(key) if key in ex.model_fields_set else ex.line("id"),
                            "language_mismatch",
                            f"exercise {ex.id!r}: {key} is {mine!r} here but {theirs!r} "
                            f"in {reference.name}",
                        )

    def _feedback_moments(self, number: int, spec: WeekSpec, reference: _WeekFile) -> None:
        """The manifest's feedback moments of a week name exercises of that week."""
        ids = {eid for eid, _ in reference.ids}
        for n, eid in enumerate(spec.feedback_moments):
            if eid not in ids:
                self.add(
                    MANIFEST,
                    spec.line("feedback_moments", n),
                    "broken_reference",
                    f"week {number} names feedback moment {eid!r}, but week {number} "
                    f"has no exercise with that id ({reference.name})",
                )
        for exercise in reference.exercises:
            said_no = (
                "feedback_moment" in exercise.model_fields_set and not exercise.feedback_moment
            )
            if said_no and exercise.id in spec.feedback_moments:
                self.add(
                    reference.name,
                    exercise.line("feedback_moment"),
                    "invalid_value",
                    f"exercise {exercise.id!r} says feedback_moment: false, but programme.yaml "
                    f"lists it as a feedback moment of week {number}",
                )

    def _reading(self, wf: _WeekFile, limit: int) -> None:
        if self._crisis(wf.name, wf.body, wf.body_line):
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
        for target, line in links(wf.body, wf.body_line):
            self._link(wf.name, target, line)

    def _crisis(self, file: str, text: str, first_line: int) -> bool:
        """Report every ``{crisis:<id>}`` naming no service; True when all are known."""
        known = [s.id for s in crisis.crisis_help().services]
        ok = True
        for service_id, line in crisis_references(text, first_line):
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

    def _link(self, file: str, target: str, line: int) -> None:
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


def _languages(data: Any) -> tuple[str, ...]:
    """The programme's languages as far as they are valid (the schema reports the rest)."""
    raw = data.get("languages") if isinstance(data, Map) else None
    if not isinstance(raw, list):
        return ()
    return tuple(dict.fromkeys(lang for lang in raw if lang in SUPPORTED_LANGUAGES))


# --- the programme, once every check has passed ----------------------------------------------


def _programme(
    m: Manifest,
    specs: Mapping[int, WeekSpec],
    files: Mapping[tuple[int, str], _WeekFile],
    limit: int,
    root: Path,
) -> Programme:
    languages = tuple(m.languages)

    def text(texts: Any) -> LocalText:
        return LocalText.of({lang: getattr(texts, lang) for lang in languages}, languages)

    weeks = []
    for number in range(1, m.week_count + 1):
        spec = specs[number]
        present = [files[(number, lang)] for lang in languages if (number, lang) in files]
        by_lang = {wf.lang: {e.id: e for e in wf.exercises} for wf in present}
        exercises = tuple(
            Exercise(
                id=ex.id,
                kind=ex.kind,
                title=LocalText.of(
                    {lg: _with_crisis_help(by_lang[lg][ex.id].title, lg) for lg in by_lang},
                    languages,
                ),
                prompt=LocalText.of(
                    {lg: _with_crisis_help(by_lang[lg][ex.id].prompt, lg) for lg in by_lang},
                    languages,
                ),
                feedback_moment=ex.feedback_moment or ex.id in spec.feedback_moments,
                accepts_photo=ex.accepts_photo,
            )
            for ex in present[0].exercises
        )
        readings = tuple(
            Reading(
                wf.lang,
                wf.front.title if wf.front else "",
                wf.body.strip() + "\n",
                count_words(wf.body),
                wf.name,
            )
            for wf in present
        )
        weeks.append(
            Week(
                number=number,
                themes=tuple(spec.themes),
                exercises=exercises,
                readings=readings,
                extra_check_in=tuple(spec.check_in),
            )
        )
    return Programme(
        slug=m.slug,
        version=m.version,
        title=text(m.title),
        summary=text(m.summary) if m.summary else None,
        languages=languages,
        week_count=m.week_count,
        reading_word_limit=limit,
        themes=tuple(Theme(t.id, text(t.title)) for t in m.themes),
        check_ins=tuple(
            CheckInMoment(
                c.id,
                tuple(c.instruments),
                tuple(sorted(set(c.weeks))) if c.weeks is not None else (),
                c.months_after_end,
            )
            for c in m.check_ins
        ),
        weeks=tuple(weeks),
        sources=tuple(
            Source(s.id if s.id is not None else str(n), s.citation, s.used_for)
            for n, s in enumerate(m.sources, 1)
        ),
        path=str(root),
    )


def _with_crisis_help(text: str, lang: str) -> str:
    """An exercise text with ``{crisis:<id>}`` as the service's sentence (ids checked)."""
    return crisis.expand_references(text.strip(), lang)


def run(
    root: Path, instruments: Collection[str], word_limit: int | None
) -> tuple[Programme | None, list[Problem]]:
    """(the programme or None, every problem) for the folder ``root``."""
    checker = _Checker(root, instruments, word_limit)
    programme = checker.run()
    return programme, checker.problems
