"""``verbind test``: the self-test in the terminal, one calm question at a time.

Many people who take this test are older and not at ease with computers, so the test
is forgiving: a number or the answer itself is accepted, an unclear answer gets a kind
message and the same question again, "t"/"b" goes back (answers are kept), "s" stops
without fuss. A "yes" to the safety question shows crisis help at once.

Questions come from the battery (``definitions/batteries.yaml``) and the instrument
definitions; the words around them from ``core/texts/cli.yaml``; the profile and its
explanation from ``verbind.core.profile``. Nothing here decides anything about a person.

``--answers FILE`` (or ``-`` for standard input) answers without asking, so the test can
be scripted: every invalid or missing answer is reported with what is allowed (exit 2).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text as RichText

from verbind.cli.texts import Texts, load_cli_texts  # noqa: F401 (load_cli_texts: for tests)
from verbind.cli.ui import (
    STYLE_ACCENT,
    STYLE_KIND,
    STYLE_QUESTION,
    STYLE_QUIET,
    Lang,
    console,
    err_console,
)

if TYPE_CHECKING:
    from verbind.core.battery import AnswerProblem, Battery, Screen
    from verbind.core.instrument import Option
    from verbind.core.scoring import InstrumentResult

# The core (definitions, battery, scoring, profile) is imported inside the functions that
# use it: ``verbind --help`` imports this module, and should not load every definition.

# Exit codes: 0 result shown; 1 the person stopped; 2 the answers could not be used.
EXIT_STOPPED = 1
EXIT_BAD_ANSWERS = 2


# --- the interactive test ------------------------------------------------------------------


class _Stop(Exception):
    """The person chose to stop (or input ended)."""


_NUMBER = re.compile(r"^\s*(\d+)\s*[.)]?\s*$")


@dataclass
class Interview:
    """Walks the battery's screens with a person at the keyboard."""

    battery: Battery
    lang: str
    console: Console
    t: Texts
    answers: dict[str, str] = field(default_factory=dict)  # column -> option key
    _last_stem: str | None = None

    def run(self) -> dict[str, str] | None:
        """The answers, or None when the person stopped."""
        self._welcome()
        screens = self.battery.screens
        i = 0
        try:
            while i < len(screens):
                outcome = self._ask(screens[i])
                if outcome == "back":
                    i -= 1
                    # Show the stem again on the way back; it is easy to lose track.
                    self._last_stem = None
                else:
                    i += 1
        except _Stop:
            self._stopped()
            return None
        return dict(self.answers)

    # -- output helpers

    def _say(self, text: str, style: str | None = None) -> None:
        self.console.print(RichText(text, style=style or ""))

    def _welcome(self) -> None:
        other_short = self.battery.id != "short"
        body = Group(
            RichText(self.battery.intro.get(self.lang)),
            RichText(""),
            RichText(self.t("how_to_answer")),
            RichText(self.t("commands_hint"), style=STYLE_QUIET),
            RichText(
                self.t(
                    "other_battery",
                    other=self.t("battery_short_name" if other_short else "battery_full_name"),
                    flag="--short" if other_short else "--full",
                ),
                style=STYLE_QUIET,
            ),
        )
        self.console.print(
            Panel(
                body,
                title=escape(self.battery.title.get(self.lang)),
                border_style=STYLE_ACCENT,
                padding=(1, 2),
            )
        )

    def _header(self, screen: Screen) -> None:
        total = len(self.battery.screens)
        self.console.print()
        line = Table.grid(padding=(0, 2))
        line.add_row(
            RichText(self.t("question_of", n=screen.number, total=total), style=STYLE_ACCENT),
            ProgressBar(total=total, completed=screen.number - 1, width=20),
        )
        self.console.print(line)
        stem = screen.stem(self.lang)
        if stem and stem != self._last_stem:
            self.console.print(Padding(RichText(stem, style="italic"), (1, 0, 0, 0)))
        self._last_stem = stem
        self.console.print()
        self.console.print(RichText(screen.text(self.lang), style=STYLE_QUESTION))
        item = screen.items[0]
        if not screen.is_group and item.help is not None:
            self._say(item.help.get(self.lang), STYLE_QUIET)

    def _read(self, prompt: str) -> str:
        try:
            return self.console.input(RichText(f"{prompt}: ", style=STYLE_ACCENT))
        except (EOFError, KeyboardInterrupt):
            self.console.print()
            raise _Stop from None

    # -- one screen

    def _ask(self, screen: Screen) -> str:
        self._header(screen)
        if screen.is_group:
            return self._ask_group(screen)
        return self._ask_single(screen)

    def _options(self, screen: Screen) -> tuple[Option, ...]:
        return screen.instrument.options_for(screen.items[0].id, screen.step.form)

    def _ask_single(self, screen: Screen) -> str:

        options = self._options(screen)
        column = screen.columns[0]
        grid = Table.grid(padding=(0, 2))
        for n, opt in enumerate(options, 1):
            grid.add_row(
                RichText(f"{n:>3}", style=STYLE_ACCENT), RichText(opt.label.get(self.lang))
            )
        self.console.print(Padding(grid, (1, 0)))
        previous = next((o for o in options if o.key == self.answers.get(column)), None)
        if previous is not None:
            n = options.index(previous) + 1
            self._say(
                self.t("previous_answer", answer=f"{n} ({previous.label.get(self.lang)})"),
                STYLE_QUIET,
            )
        first, last = 1, len(options)
        while True:
            raw = self._read(self.t("prompt", first=first, last=last))
            command = self.t.command(raw)
            if command == "stop":
                raise _Stop
            if command == "back":
                if screen.number == 1:
                    self._say(self.t("first_question"), STYLE_KIND)
                    continue
                return "back"
            if command == "help":
                self._say(self.t("help"), STYLE_QUIET)
                continue
            if not raw.strip():
                if previous is not None:
                    chosen = previous
                else:
                    self._say(self.t("empty_answer", first=first, last=last), STYLE_KIND)
                    continue
            else:
                chosen = self._match(raw, options)
                if chosen is None:
                    number = _NUMBER.match(raw)
                    if number:
                        message = self.t(
                            "invalid_number", value=number.group(1), first=first, last=last
                        )
                    else:
                        message = self.t("invalid_answer", first=first, last=last)
                    self._say(f"{message} {self.t('no_worries')}", STYLE_KIND)
                    continue
            self.answers[column] = chosen.key
            if self.battery.answers_need_crisis_help({column: chosen.key}):
                show_crisis(self.console, self.t)
                if screen.number < len(self.battery.screens):
                    self._say(self.t("crisis_continue"), STYLE_QUIET)
            return "next"

    @staticmethod
    def _match(raw: str, options: tuple[Option, ...]) -> Option | None:
        """The option a person typed: its number on screen, or its words (either language).

        The number is the position on screen, never the code used in files (LSNS-6 codes
        start at 0, which would confuse anyone reading "1 none").
        """
        from verbind.core.instrument import normalise_label

        number = _NUMBER.match(raw)
        if number:
            n = int(number.group(1))
            return options[n - 1] if 1 <= n <= len(options) else None
        word = normalise_label(raw)
        for opt in options:
            if word == opt.key or word in opt.accepted_labels():
                return opt
        return None

    def _ask_group(self, screen: Screen) -> str:
        items = screen.items
        grid = Table.grid(padding=(0, 2))
        for n, item in enumerate(items, 1):
            grid.add_row(
                RichText(f"{n:>3}", style=STYLE_ACCENT),
                RichText(screen.item_label(item, self.lang)),
            )
        self.console.print(Padding(grid, (1, 0)))
        self._say(self.t("group_hint"), STYLE_QUIET)
        columns = screen.columns
        previous: list[int] | None = None
        if all(c in self.answers for c in columns):
            previous = [n for n, c in enumerate(columns, 1) if self.answers[c] == "yes"]
            shown = ", ".join(map(str, previous)) if previous else f"0 ({self.t('none_chosen')})"
            self._say(self.t("previous_answer", answer=shown), STYLE_QUIET)
        while True:
            raw = self._read(self.t("prompt_group"))
            command = self.t.command(raw)
            if command == "stop":
                raise _Stop
            if command == "back":
                if screen.number == 1:
                    self._say(self.t("first_question"), STYLE_KIND)
                    continue
                return "back"
            if command == "help":
                self._say(self.t("help"), STYLE_QUIET)
                continue
            if not raw.strip():
                if previous is not None:
                    return "next"
                self._say(self.t("invalid_group", last=len(items)), STYLE_KIND)
                continue
            chosen = self._parse_group(raw, len(items))
            if chosen is None:
                self._say(
                    f"{self.t('invalid_group', last=len(items))} {self.t('no_worries')}", STYLE_KIND
                )
                continue
            if chosen == "both":
                self._say(self.t("group_none_and_more"), STYLE_KIND)
                continue
            for n, column in enumerate(columns, 1):
                self.answers[column] = "yes" if n in chosen else "no"
            return "next"

    def _parse_group(self, raw: str, count: int) -> set[int] | str | None:
        """Numbers typed for a group ("1 3", "1, 3", "1 en 3"), or None when unclear."""
        from verbind.core.instrument import normalise_label

        parts = [p for p in re.split(r"[\s,;]+", raw.strip()) if p]
        parts = [p for p in parts if normalise_label(p) not in ("en", "and", "&")]
        if not parts:
            return None
        chosen: set[int] = set()
        saw_none = False
        for part in parts:
            if self.t.is_none(part):
                saw_none = True
                continue
            number = _NUMBER.match(part)
            if not number or not 1 <= int(number.group(1)) <= count:
                return None
            chosen.add(int(number.group(1)))
        if saw_none and chosen:
            return "both"
        return chosen

    # -- endings

    def _stopped(self) -> None:
        self.console.print()
        self.console.print(
            Panel(
                Group(
                    RichText(self.t("stopped")),
                    RichText(""),
                    RichText(self.t("stopped_help"), style=STYLE_QUIET),
                ),
                title=escape(self.t("stopped_title")),
                border_style=STYLE_ACCENT,
                padding=(1, 2),
            )
        )


def show_crisis(console: Console, t: Texts) -> None:
    console.print()
    console.print(
        Panel(
            RichText(t("crisis_body")),
            title=RichText(t("crisis_title"), style="bold"),
            border_style="bold red",
            padding=(1, 2),
        )
    )


# --- the result ----------------------------------------------------------------------------


@dataclass
class Outcome:
    """Everything the test produced for one person."""

    battery: Battery
    lang: str
    answers: dict[str, str]
    results: dict[str, InstrumentResult]
    profile: Any
    explanation: Any

    @property
    def crisis(self) -> bool:
        from verbind.core.battery import needs_crisis_help

        return needs_crisis_help(self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "battery": self.battery.id,
            "lang": self.lang,
            "crisis_help": self.crisis,
            "answers": dict(self.answers),
            "results": {k: r.to_dict() for k, r in self.results.items()},
            "profile": _plain(self.profile),
            "explanation": _plain(self.explanation),
        }


def _plain(obj: Any) -> Any:
    """JSON-ready data from the profile's objects (their to_dict when they have one)."""
    import dataclasses

    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return str(obj)


def evaluate(battery: Battery, answers: Mapping[str, Any], lang: str) -> Outcome:
    """Score the answers and build the profile. Raises AnswerError naming every problem."""
    from verbind.core.profile import build_profile, explain

    results = battery.score(answers)
    profile = build_profile(results)
    return Outcome(
        battery=battery,
        lang=lang,
        answers=battery.normalise(answers),
        results=results,
        profile=profile,
        explanation=explain(profile, lang),
    )


def render_outcome(console: Console, t: Texts, outcome: Outcome) -> None:
    """Crisis help first (when it applies), then the profile in words, then the scores."""
    if outcome.crisis:
        show_crisis(console, t)
    parts: list[Any] = []
    table_shown = False
    for section in outcome.explanation.sections:
        # Crisis help is already shown above, in full, in its own panel.
        if section.id == "crisis":
            continue
        # The scores come after the advice, before the closing words.
        if section.id in ("disclaimer", "help", "rules") and not table_shown:
            parts += [RichText(""), _scores_table(outcome, t)]
            table_shown = True
        if parts:
            parts.append(RichText(""))
        if section.id == "headline":
            parts.append(RichText(section.text, style=f"bold {STYLE_ACCENT}"))
        elif section.id == "rules":
            parts.append(RichText(f"{section.heading}: {section.text}", style=STYLE_QUIET))
        elif section.id == "route" and section.paragraphs:
            title, *rest = section.paragraphs
            if section.heading:
                parts.append(RichText(section.heading, style="bold"))
            parts.append(RichText(title, style=f"bold {STYLE_ACCENT}"))
            parts.extend(RichText(p) for p in rest)
        else:
            if section.heading:
                parts.append(RichText(section.heading, style="bold"))
            parts.extend(RichText(p) for p in section.paragraphs)
    if not table_shown:
        parts += [RichText(""), _scores_table(outcome, t)]
    console.print()
    console.print(
        Panel(
            Group(*parts),
            title=RichText(t("result_title"), style="bold"),
            subtitle=RichText(t("not_a_diagnosis"), style="italic"),
            border_style=STYLE_ACCENT,
            padding=(1, 2),
        )
    )
    console.print(RichText(t("thanks"), style=STYLE_QUIET))


def _scores_table(outcome: Outcome, t: Texts) -> Table:
    from verbind.core.instrument import registry

    lang = outcome.lang
    table = Table(title=t("scores_title"), title_justify="left", expand=False, box=None)
    table.add_column(t("score_column_measure"))
    table.add_column(t("score_column_score"), justify="right")
    table.add_column(t("score_column_level"))
    insts = registry()
    for inst_id, result in outcome.results.items():
        inst = insts[inst_id]
        for scale_id, scale_result in result.scales.items():
            scale = inst.scales[scale_id]
            name = f"{inst.short_title}: {scale.label.get(lang)}"
            if scale_result.value is None:
                table.add_row(name, "", t("score_missing"))
                continue
            level = scale_result.level_label.get(lang) if scale_result.level_label else ""
            table.add_row(name, f"{scale_result.value} ({scale.min}-{scale.max})", level)
    return table


# --- answers from a file -------------------------------------------------------------------


class _BadAnswers(Exception):
    def __init__(self, lines: list[str], problems: list[dict[str, Any]]):
        self.lines = lines
        self.problems = problems


def read_answers(source: str, t: Texts, battery: Battery) -> dict[str, Any]:
    """The JSON object in ``source`` (a path, or ``-`` for standard input)."""
    name = "stdin" if source == "-" else source
    if source == "-":
        raw = sys.stdin.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise _BadAnswers([t("answers_file_missing", path=source)], [{"kind": "file_missing"}])
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _BadAnswers(
                [t("answers_file_unreadable", path=source, problem=exc)], [{"kind": "unreadable"}]
            ) from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _BadAnswers(
            [t("answers_not_json", path=name, line=exc.lineno, col=exc.colno, problem=exc.msg)],
            [{"kind": "not_json", "line": exc.lineno, "column": exc.colno}],
        ) from exc
    if not isinstance(data, dict):
        first = battery.columns[0]
        example = json.dumps({first: 1})
        raise _BadAnswers(
            [t("answers_not_mapping", path=name, example=example)], [{"kind": "not_an_object"}]
        )
    return data


def describe_problems(
    problems: list[AnswerProblem], t: Texts, battery: Battery
) -> tuple[list[str], list[dict[str, Any]]]:
    count = len(problems)
    count_word = t("problems_one") if count == 1 else t("problems_many", count=count)
    lines = [t("answers_problems", count_word=count_word)]
    plain = []
    battery_name = t("battery_short_name" if battery.id == "short" else "battery_full_name")
    for p in problems:
        allowed = ", ".join(p.allowed)
        if p.kind == "unknown_question":
            lines.append(
                "• " + t("problem_unknown_question", column=p.column, battery=battery_name)
            )
        elif p.kind == "missing":
            lines.append("• " + t("problem_missing", column=p.column, allowed=allowed))
        else:
            lines.append(
                "• "
                + t("problem_invalid", column=p.column, value=json.dumps(p.value), allowed=allowed)
            )
        plain.append(
            {"kind": p.kind, "column": p.column, "value": p.value, "allowed": list(p.allowed)}
        )
    return lines, plain


# --- the command ---------------------------------------------------------------------------


def test_command(
    lang: Annotated[
        Lang, typer.Option("--lang", help="Language of the test: nl (Dutch) or en (English).")
    ] = Lang.nl,
    short: Annotated[
        bool,
        typer.Option(
            "--short/--full",
            help="The short test (DJG-6, LSNS-6, duration, wishes, safety) or the full one "
            "(the default: DJG-11, LSNS-6, Steptoe, UCLA-3, duration, context).",
        ),
    ] = False,
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            metavar="FILE|-",
            help="Answer without asking: a JSON object of column name -> answer "
            "(code, option key or label); '-' reads standard input.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON (questions go to stderr).")
    ] = False,
) -> None:
    """Take the self-test: how you feel, the people around you, and a route that fits.

    Exit codes: 0 result shown, 1 stopped before the end, 2 answers could not be used.
    """
    from verbind.core.battery import AnswerError, get_battery

    language = lang.value
    t = Texts(language)
    battery = get_battery("short" if short else "full")
    out = console
    # With --json, stdout carries only JSON: everything a person reads goes to stderr.
    chrome = err_console if as_json else out

    if answers is None:
        given = Interview(battery, language, chrome, t).run()
        if given is None:
            raise typer.Exit(EXIT_STOPPED)
    else:
        try:
            given = read_answers(answers, t, battery)
        except _BadAnswers as exc:
            _report_bad(exc.lines, exc.problems, as_json, out)
            raise typer.Exit(EXIT_BAD_ANSWERS) from None

    try:
        outcome = evaluate(battery, given, language)
    except AnswerError as exc:
        lines, plain = describe_problems(exc.problems, t, battery)
        _report_bad(lines, plain, as_json, out)
        raise typer.Exit(EXIT_BAD_ANSWERS) from None

    if as_json:
        _write_json(out, outcome.to_dict())
    else:
        render_outcome(out, t, outcome)


def _report_bad(
    lines: list[str], problems: list[dict[str, Any]], as_json: bool, out: Console
) -> None:
    for line in lines:
        err_console.print(RichText(line), soft_wrap=True)
    if as_json:
        _write_json(out, {"errors": problems})


def _write_json(out: Console, data: Any) -> None:
    # Written raw: rich would wrap long lines at the terminal width and break the JSON.
    out.file.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    out.file.flush()
