"""``verbind programme``: check a course programme folder, or show it.

``check`` lists every problem as ``path/file:line: message (kind)`` — one per line, so an
editor or ``grep`` can jump to it — and exits 1 when there is any. ``show`` prints the
programme as a participant would read it, in Dutch or English.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from verbind.cli.ui import Lang, console, err_console

if TYPE_CHECKING:
    from rich.console import Console

    from verbind.core.programme import Problem, Programme

# verbind.core.programme (pydantic) and rich.markdown (pygments) are imported inside the
# commands: ``verbind --help`` imports this module.

# The built-in programme: verbind.core.programme.DEFAULT_PROGRAMME, written out here so that
# the help needs no pydantic (a test keeps the two the same).
DEFAULT_PROGRAMME = "verbinden-in-8-weken"

PathArg = Annotated[
    Path | None,
    typer.Argument(
        metavar="PATH",
        help=f"Programme folder (default: the built-in {DEFAULT_PROGRAMME}).",
        show_default=False,
    ),
]


def _where(path: Path, problem: Problem) -> str:
    file = path / problem.file if problem.file and not Path(problem.file).is_absolute() else None
    shown = str(file) if file is not None else problem.file
    return f"{shown}:{problem.line}" if problem.line else shown


def _print_problems(console: Console, path: Path, problems: list[Problem]) -> None:
    for p in problems:
        console.print(
            f"[bold red]{escape(_where(path, p))}[/]: {escape(p.message)} [dim]({p.code})[/]",
            soft_wrap=True,
        )
    noun = "problem" if len(problems) == 1 else "problems"
    console.print(f"\n[bold red]{len(problems)} {noun}[/] in {escape(str(path))}", soft_wrap=True)


def _summary(programme: Programme) -> str:
    exercises = [e for w in programme.weeks for e in w.exercises]
    feedback = sum(e.feedback_moment for e in exercises)
    return (
        f"{programme.title.get()} — {programme.week_count} weeks, "
        f"languages {', '.join(programme.languages)}, {len(exercises)} exercises "
        f"({feedback} feedback moments), {len(programme.check_ins)} check-in moments"
    )


def check(
    path: PathArg = None,
    word_limit: Annotated[
        int | None,
        typer.Option(
            "--word-limit", min=1, help="Maximum words per reading (default: the manifest's)."
        ),
    ] = None,
) -> None:
    """Validate a programme; list every problem with file and line (exit 1 if any)."""
    from verbind.core.programme import check_programme, load_programme, programme_path

    path = path or programme_path()
    problems = check_programme(path, word_limit=word_limit)
    if problems:
        _print_problems(console, path, problems)
        raise typer.Exit(1)
    programme = load_programme(path, word_limit=word_limit)
    console.print(f"[bold green]valid[/]: {escape(_summary(programme))}", soft_wrap=True)


_KIND_LABEL = {
    "nl": {"writing": "schrijven", "reflection": "reflectie", "practical": "praktisch",
           "creative": "creatief"},
    "en": {"writing": "writing", "reflection": "reflection", "practical": "practical",
           "creative": "creative"},
}  # fmt: skip
_HEAD = {
    "nl": {"week": "Week", "themes": "Thema's", "exercises": "Opdrachten", "kind": "Soort",
           "title": "Titel", "feedback": "reactie coach", "photo": "foto mag",
           "check_in": "Vragenlijsten aan het eind van de week", "follow_up": "Na afloop",
           "months": "maanden na het einde", "start": "Bij de start"},
    "en": {"week": "Week", "themes": "Themes", "exercises": "Exercises", "kind": "Kind",
           "title": "Title", "feedback": "coach replies", "photo": "photo allowed",
           "check_in": "Questionnaires at the end of the week", "follow_up": "Afterwards",
           "months": "months after the end", "start": "At the start"},
}  # fmt: skip


def show(
    path: PathArg = None,
    lang: Annotated[
        Lang, typer.Option("--lang", help="Language: nl (Dutch) or en (English).")
    ] = Lang.nl,
    week: Annotated[int | None, typer.Option("--week", min=1, help="Show only this week.")] = None,
) -> None:
    """Show a programme: per week the reading, the exercises and the check-ins."""
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.rule import Rule
    from rich.table import Table

    from verbind.core.programme import check_programme, load_programme, programme_path

    path = path or programme_path()
    problems = check_programme(path)
    if problems:
        _print_problems(err_console, path, problems)
        raise typer.Exit(1)
    programme = load_programme(path)
    code = lang.value
    if code not in programme.languages:
        err_console.print(
            f"This programme has no {code!r} text; its languages are "
            f"{', '.join(programme.languages)}."
        )
        raise typer.Exit(2)
    if week is not None and not 1 <= week <= programme.week_count:
        err_console.print(
            f"There is no week {week}; this programme has weeks 1-{programme.week_count}."
        )
        raise typer.Exit(2)
    h = _HEAD[code]

    summary = programme.summary.get(code) if programme.summary else ""
    console.print(Panel(escape(summary), title=f"[bold]{escape(programme.title.get(code))}[/]"))
    if week is None and programme.check_in_instruments(0):
        console.print(f"[bold]{h['start']}[/]: {', '.join(programme.check_in_instruments(0))}")

    for w in programme.weeks:
        if week is not None and w.number != week:
            continue
        console.print(Rule(f"{h['week']} {w.number}: {escape(w.title(code))}"))
        themes = ", ".join(programme.theme(t).title.get(code) for t in w.themes)
        console.print(f"[dim]{h['themes']}: {escape(themes)}[/]")
        console.print(Markdown(w.reading(code).markdown))
        table = Table(title=h["exercises"], title_justify="left", show_lines=True)
        table.add_column("id", style="dim", no_wrap=True)
        table.add_column(h["kind"], no_wrap=True)
        table.add_column(h["title"])
        for e in w.exercises:
            marks = [h["feedback"]] if e.feedback_moment else []
            marks += [h["photo"]] if e.accepts_photo else []
            title = f"[bold]{escape(e.title.get(code))}[/]"
            if marks:
                title += f" [magenta]({escape(', '.join(marks))})[/]"
            table.add_row(e.id, _KIND_LABEL[code][e.kind], f"{title}\n{escape(e.prompt.get(code))}")
        console.print(table)
        instruments = programme.check_in_instruments(w.number)
        if instruments:
            console.print(f"[bold]{h['check_in']}[/]: {', '.join(instruments)}")

    if week is None:
        for m in programme.follow_ups():
            console.print(
                f"[bold]{h['follow_up']}[/] ({m.months_after_end} {h['months']}): "
                f"{', '.join(m.instruments)}"
            )
