"""Batteries: which questions a self-test asks, in which order, as data.

A battery is an ordered list of steps. A step asks (part of) one instrument: all its items,
a chosen subset, or a *group* of yes/no items that is shown as one question ("which of these
happened to you?"). The batteries live in ``definitions/batteries.yaml`` and are validated
at load time against the instrument definitions, so a battery that names an unknown
instrument, item, group or answer form fails with the file and the field.

The terminal self-test and the web self-test both walk :attr:`Battery.screens` (one screen
= one question on screen) or :meth:`Battery.questions` (one entry per item), check answers
with :meth:`Battery.check_answers` and score with :meth:`Battery.score`. Answers are keyed
by survey column name (``djg6_3``, ``duration``, ``context_safety``), the same names bulk
scoring uses.

Pure Python: no Django imports.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from verbind.core.instrument import (
    LANGUAGES,
    DefinitionError,
    Instrument,
    Item,
    Option,
    Text,
    _Reader,
    is_missing,
    registry,
)
from verbind.core.scoring import InstrumentResult, ScoringError, resolve_answer, score
from verbind.core.yaml_files import load_yaml

# The flag an item raises when the person needs crisis help at once (see the safety
# question in definitions/context.yaml).
SAFETY_FLAG = "safety"
# Option keys a group step needs: a group is shown as "tick what applies", so every item
# in it must be a plain yes/no question.
GROUP_KEYS = ("yes", "no")


class Choice(NamedTuple):
    """One answer option as shown to a person in one language."""

    key: str
    code: int
    label: str


class Question(NamedTuple):
    """One item as asked in a battery: ``instrument, item, options = question``."""

    instrument: Instrument
    item: Item
    options: tuple[Choice, ...]

    @property
    def column(self) -> str:
        return self.instrument.column(self.item.id)

    def __repr__(self) -> str:
        return f"Question({self.column})"


@dataclass(frozen=True)
class Step:
    """(Part of) one instrument, asked together under the instrument's stem."""

    instrument: Instrument
    items: tuple[Item, ...]
    form: str | None = None
    group: str | None = None
    # The question that introduces a group ("Which of these happened to you?").
    text: Text | None = None
    # Short statements shown for the items of a group ("I moved house"); by item id.
    labels: Mapping[str, Text] = field(default_factory=dict)

    @property
    def is_group(self) -> bool:
        return self.group is not None

    def __repr__(self) -> str:
        items = ",".join(i.id for i in self.items)
        return f"Step({self.instrument.id}: {items})"


@dataclass(frozen=True)
class Screen:
    """One question on screen: a single item, or a group of yes/no items shown together."""

    number: int  # 1-based, what "question 3 of 17" says
    step: Step
    items: tuple[Item, ...]

    def __repr__(self) -> str:
        return f"Screen({self.number}: {', '.join(self.columns)})"

    @property
    def instrument(self) -> Instrument:
        return self.step.instrument

    @property
    def is_group(self) -> bool:
        return self.step.is_group

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.instrument.column(i.id) for i in self.items)

    def stem(self, lang: str) -> str | None:
        stem = self.instrument.stem
        return stem.get(lang) if stem else None

    def text(self, lang: str) -> str:
        """The question: the group's question, or the item's own wording."""
        if self.is_group and self.step.text is not None:
            return self.step.text.get(lang)
        return self.items[0].text.get(lang)

    def item_label(self, item: Item, lang: str) -> str:
        """How an item of a group is listed: its short statement, else its own wording."""
        label = self.step.labels.get(item.id)
        return label.get(lang) if label is not None else item.text.get(lang)

    def options(self, lang: str) -> tuple[Choice, ...]:
        """Answer options of a single-item screen (a group screen is ticked: see items)."""
        return _choices(self.instrument, self.items[0], self.step.form, lang)


class AnswerProblem(NamedTuple):
    """Why one answer (or a missing one) cannot be used.

    ``kind`` is ``unknown_question`` (a column this battery does not ask), ``invalid`` (not
    one of the options) or ``missing``. ``allowed`` lists what the question accepts as
    ``code=key`` plus the labels, for messages in any language.
    """

    kind: str
    column: str
    value: Any
    allowed: tuple[str, ...]
    question: Question | None

    def message(self) -> str:
        """A plain English message (the CLI words it in the person's language itself)."""
        if self.kind == "unknown_question":
            return f"{self.column}: this test does not ask this question"
        if self.kind == "missing":
            return f"{self.column}: no answer (allowed: {', '.join(self.allowed)})"
        return (
            f"{self.column}: answer {self.value!r} is not one of the options "
            f"(allowed: {', '.join(self.allowed)})"
        )


class AnswerError(ValueError):
    """Answers that cannot be scored. ``problems`` names every one of them."""

    def __init__(self, battery: str, problems: list[AnswerProblem]):
        self.battery = battery
        self.problems = problems
        lines = "; ".join(p.message() for p in problems)
        super().__init__(f"battery {battery}: {len(problems)} problem(s) with the answers: {lines}")


@dataclass(frozen=True)
class Battery:
    id: str
    title: Text
    intro: Text
    steps: tuple[Step, ...]
    source_file: str = ""

    # --- what is asked ------------------------------------------------------------------

    @functools.cached_property
    def screens(self) -> tuple[Screen, ...]:
        out: list[Screen] = []
        for step in self.steps:
            if step.is_group:
                out.append(Screen(len(out) + 1, step, step.items))
            else:
                out.extend(Screen(len(out) + 1, step, (item,)) for item in step.items)
        return tuple(out)

    def questions(self, lang: str = "nl") -> Iterator[Question]:
        """Every item asked, in order, with its answer options in ``lang``."""
        for step in self.steps:
            for item in step.items:
                yield Question(
                    step.instrument, item, _choices(step.instrument, item, step.form, lang)
                )

    @functools.cached_property
    def _by_column(self) -> dict[str, tuple[Step, Item]]:
        return {
            step.instrument.column(item.id): (step, item)
            for step in self.steps
            for item in step.items
        }

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self._by_column)

    @property
    def instruments(self) -> tuple[str, ...]:
        """Instrument ids in the order they are first asked."""
        return tuple(dict.fromkeys(s.instrument.id for s in self.steps))

    def question(self, column: str, lang: str = "nl") -> Question:
        try:
            step, item = self._by_column[column]
        except KeyError:
            raise KeyError(f"battery {self.id} does not ask {column!r}") from None
        return Question(step.instrument, item, _choices(step.instrument, item, step.form, lang))

    # --- answers ------------------------------------------------------------------------

    def resolve(self, column: str, value: Any) -> Option | None:
        """The option an answer means (key, code or label in either language).

        None when the answer is missing; ScoringError when it is not one of the options;
        KeyError when the battery does not ask ``column``.
        """
        step, item = self._by_column[column]
        return resolve_answer(step.instrument, item, value, step.form)

    def allowed(self, column: str) -> tuple[str, ...]:
        step, item = self._by_column[column]
        return _allowed(step.instrument, item, step.form)

    def check_answers(
        self, answers: Mapping[str, Any], *, partial: bool = False
    ) -> list[AnswerProblem]:
        """Every problem with ``answers`` (column -> answer), in the order of the test.

        With ``partial`` only the answers given are checked (a test still in progress);
        otherwise every question must be answered.
        """
        problems: list[AnswerProblem] = []
        for column in answers:
            if column not in self._by_column:
                problems.append(
                    AnswerProblem("unknown_question", str(column), answers[column], (), None)
                )
        for column, (step, item) in self._by_column.items():
            value = answers.get(column)
            if is_missing(value):
                if not partial:
                    problems.append(
                        AnswerProblem(
                            "missing", column, None, self.allowed(column), self._question_en(column)
                        )
                    )
                continue
            try:
                resolve_answer(step.instrument, item, value, step.form)
            except ScoringError:
                problems.append(
                    AnswerProblem(
                        "invalid", column, value, self.allowed(column), self._question_en(column)
                    )
                )
        return problems

    def _question_en(self, column: str) -> Question:
        # Built only for a problem: building it for every column made checking one answer
        # cost as much as checking the whole test (the self-test checks each cookie answer).
        step, item = self._by_column[column]
        return Question(step.instrument, item, _choices(step.instrument, item, step.form, "en"))

    def normalise(self, answers: Mapping[str, Any], *, partial: bool = False) -> dict[str, str]:
        """Answers as option keys, in the order of the test. Raises AnswerError."""
        problems = self.check_answers(answers, partial=partial)
        if problems:
            raise AnswerError(self.id, problems)
        out: dict[str, str] = {}
        for column in self._by_column:
            opt = self.resolve(column, answers.get(column))
            if opt is not None:
                out[column] = opt.key
        return out

    def flags_raised(self, column: str, value: Any) -> tuple[str, ...]:
        """Flags (e.g. ``safety``) that this one answer raises; () when none or invalid."""
        step, item = self._by_column[column]
        try:
            opt = resolve_answer(step.instrument, item, value, step.form)
        except ScoringError:
            return ()
        if opt is None:
            return ()
        return tuple(flag for flag, keys in item.flags.items() if opt.key in keys)

    def answers_need_crisis_help(self, answers: Mapping[str, Any]) -> bool:
        """Whether any of these answers (column -> value, not scored yet) asks for crisis
        help at once: the check after each screen, before the test is complete."""
        return any(
            SAFETY_FLAG in self.flags_raised(column, value)
            for column, value in answers.items()
            if column in self._by_column
        )

    def score(
        self,
        answers: Mapping[str, Any],
        *,
        settings: Mapping[str, float] | None = None,
        partial: bool = False,
    ) -> dict[str, InstrumentResult]:
        """Score every instrument of the battery. Raises AnswerError naming every problem.

        Unscored instruments (context) are "scored" too, so their answers and flags are in
        the result. With ``partial``, unanswered questions are allowed and a scale that
        cannot be computed is None instead of an error.
        """
        keys = self.normalise(answers, partial=partial)
        per_instrument: dict[str, dict[str, str]] = {i: {} for i in self.instruments}
        forms: dict[str, str | None] = {}
        for column, (step, item) in self._by_column.items():
            forms.setdefault(step.instrument.id, step.form)
            if column in keys:
                per_instrument[step.instrument.id][item.id] = keys[column]
        results: dict[str, InstrumentResult] = {}
        for inst_id, given in per_instrument.items():
            inst = registry()[inst_id]
            results[inst_id] = score(
                inst, given, form=forms[inst_id], settings=settings, strict=not partial
            )
        return results


def _choices(instrument: Instrument, item: Item, form: str | None, lang: str) -> tuple[Choice, ...]:
    return tuple(
        Choice(o.key, o.code, o.label.get(lang)) for o in instrument.options_for(item.id, form)
    )


def _allowed(instrument: Instrument, item: Item, form: str | None) -> tuple[str, ...]:
    return tuple(
        f"{o.code}={o.key} ({o.label.nl} / {o.label.en})"
        for o in instrument.options_for(item.id, form)
    )


# --- loading -----------------------------------------------------------------------------

_BATTERY_FIELDS = {"title", "intro", "steps"}
_STEP_FIELDS = {"instrument", "items", "group", "form", "text", "labels"}


def parse_batteries(
    data: Any, instruments: Mapping[str, Instrument], source: str = "<memory>"
) -> dict[str, Battery]:
    """Build and validate batteries from parsed YAML. Raises DefinitionError."""
    r = _Reader(source)
    if not isinstance(data, Mapping) or not data:
        raise r.fail("top level", "expected a mapping of battery id -> battery")
    out: dict[str, Battery] = {}
    for battery_id, spec in data.items():
        path = str(battery_id)
        if not isinstance(spec, Mapping):
            raise r.fail(path, "expected a mapping with title, intro and steps")
        r.unknown_keys(spec, _BATTERY_FIELDS, path)
        raw_steps = r.req(spec, "steps", path, list)
        if not raw_steps:
            raise r.fail(f"{path}.steps", "a battery needs at least one step")
        steps = tuple(
            _parse_step(r, s, instruments, f"{path}.steps[{n}]") for n, s in enumerate(raw_steps)
        )
        _check_battery(r, path, steps)
        out[str(battery_id)] = Battery(
            id=str(battery_id),
            title=r.text(r.req(spec, "title", path), f"{path}.title"),
            intro=r.text(r.req(spec, "intro", path), f"{path}.intro"),
            steps=steps,
            source_file=source,
        )
    return out


def _parse_step(r: _Reader, spec: Any, instruments: Mapping[str, Instrument], path: str) -> Step:
    if not isinstance(spec, Mapping):
        raise r.fail(path, "expected a mapping with at least 'instrument'")
    r.unknown_keys(spec, _STEP_FIELDS, path)
    inst_id = str(r.req(spec, "instrument", path, str))
    if inst_id not in instruments:
        raise r.fail(
            f"{path}.instrument",
            f"unknown instrument {inst_id!r}; known: {', '.join(sorted(instruments))}",
        )
    inst = instruments[inst_id]

    form = spec.get("form")
    if form is not None and form not in inst.forms:
        raise r.fail(
            f"{path}.form",
            f"unknown answer form {form!r} of {inst_id}; forms: {', '.join(inst.forms)}",
        )

    group = spec.get("group")
    groups = sorted({i.group for i in inst.items if i.group})
    if group is not None and group not in groups:
        raise r.fail(
            f"{path}.group",
            f"{inst_id} has no item group {group!r}; groups: {', '.join(groups) or 'none'}",
        )

    if "items" in spec:
        raw_items = spec["items"]
        if not isinstance(raw_items, list) or not raw_items:
            raise r.fail(f"{path}.items", "expected a non-empty list of item ids")
        items = []
        for n, item_id in enumerate(raw_items):
            item_id = str(item_id)
            if item_id not in inst.item_map:
                raise r.fail(
                    f"{path}.items[{n}]",
                    f"unknown item {item_id!r} of {inst_id}; items: {', '.join(inst.item_map)}",
                )
            item = inst.item_map[item_id]
            if group is not None and item.group != group:
                raise r.fail(f"{path}.items[{n}]", f"item {item_id!r} is not in group {group!r}")
            items.append(item)
    elif group is not None:
        items = [i for i in inst.items if i.group == group]
    else:
        items = list(inst.items)

    if form is not None:
        for item in items:
            if form not in item.forms:
                raise r.fail(f"{path}.form", f"item {item.id!r} of {inst_id} has no form {form!r}")

    text = None
    if group is not None:
        if not spec.get("text"):
            raise r.fail(f"{path}.text", "a group step needs the question that introduces it")
        text = r.text(spec["text"], f"{path}.text")
        for item in items:
            keys = {o.key for o in inst.options_for(item.id, form)}
            if keys != set(GROUP_KEYS):
                raise r.fail(
                    f"{path}.group",
                    f"item {item.id!r} of {inst_id} has options {', '.join(sorted(keys))}; "
                    f"items shown together must be answered only {' or '.join(GROUP_KEYS)}",
                )
    elif spec.get("text"):
        raise r.fail(f"{path}.text", "only a group step has its own question text")

    labels: dict[str, Text] = {}
    raw_labels = spec.get("labels") or {}
    if raw_labels and group is None:
        raise r.fail(f"{path}.labels", "only the items of a group step have short labels")
    if not isinstance(raw_labels, Mapping):
        raise r.fail(f"{path}.labels", "expected a mapping of item id -> text")
    step_ids = {i.id for i in items}
    for item_id, label in raw_labels.items():
        if str(item_id) not in step_ids:
            raise r.fail(
                f"{path}.labels.{item_id}",
                f"item {item_id!r} is not asked in this step; items: "
                f"{', '.join(i.id for i in items)}",
            )
        labels[str(item_id)] = r.text(label, f"{path}.labels.{item_id}")

    return Step(
        instrument=inst, items=tuple(items), form=form, group=group, text=text, labels=labels
    )


def _check_battery(r: _Reader, path: str, steps: tuple[Step, ...]) -> None:
    seen: dict[str, int] = {}
    asked: dict[str, set[str]] = {}
    forms: dict[str, str | None] = {}
    for n, step in enumerate(steps):
        inst = step.instrument
        for item in step.items:
            column = inst.column(item.id)
            if column in seen:
                raise r.fail(
                    f"{path}.steps[{n}]",
                    f"{column} is already asked in {path}.steps[{seen[column]}]",
                )
            seen[column] = n
            asked.setdefault(inst.id, set()).add(item.id)
        if inst.id in forms and forms[inst.id] != step.form:
            raise r.fail(f"{path}.steps[{n}].form", f"{inst.id} is asked in two answer forms")
        forms[inst.id] = step.form
    # A scored instrument must be asked whole: a score from part of a scale means nothing.
    for inst in {s.instrument.id: s.instrument for s in steps}.values():
        if not inst.scored:
            continue
        left_out = [i.id for i in inst.items if i.id not in asked[inst.id]]
        if left_out:
            raise r.fail(
                f"{path}.steps",
                f"{inst.id} is scored, so all its items must be asked; missing: "
                f"{', '.join(left_out)}",
            )


def _batteries_file() -> Path:
    return Path(str(resources.files("verbind.core") / "definitions" / "batteries.yaml"))


def load_batteries_file(
    path: Path | str, instruments: Mapping[str, Instrument] | None = None
) -> dict[str, Battery]:
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DefinitionError(path.name, "yaml", f"not valid YAML: {exc}") from exc
    return parse_batteries(data, registry() if instruments is None else instruments, path.name)


@functools.cache
def batteries() -> dict[str, Battery]:
    """All batteries shipped with verbind, by id, loaded and validated once."""
    return load_batteries_file(_batteries_file())


def get_battery(battery_id: str) -> Battery:
    try:
        return batteries()[battery_id]
    except KeyError:
        known = ", ".join(sorted(batteries()))
        raise KeyError(f"unknown battery {battery_id!r}; known: {known}") from None


def needs_crisis_help(
    results: Mapping[str, InstrumentResult] | Iterable[InstrumentResult],
) -> bool:
    """Whether scored answers ask for crisis help at once: any result raised the safety
    flag. The one check every caller uses (web, course check-ins, CLI); the answers not
    scored yet are checked by :meth:`Battery.answers_need_crisis_help`."""
    values = results.values() if isinstance(results, Mapping) else results
    return any(SAFETY_FLAG in result.flags for result in values)


__all__ = [
    "LANGUAGES",
    "SAFETY_FLAG",
    "AnswerError",
    "AnswerProblem",
    "Battery",
    "Choice",
    "Question",
    "Screen",
    "Step",
    "batteries",
    "get_battery",
    "load_batteries_file",
    "needs_crisis_help",
    "parse_batteries",
]
