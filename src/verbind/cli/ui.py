"""What every ``verbind`` command shares: the two consoles, the calm colours, the language
choice and how an error is printed.

Kept light on purpose: ``verbind --help`` imports every command module, and those import
only this module, typer and the standard library at the top. Everything heavy (polars,
the core's definitions, pydantic, networkx, rich.markdown) is imported inside the command
function that needs it.
"""

from __future__ import annotations

import enum

import typer
from rich.console import Console
from rich.markup import escape

# Calm colours; red only for errors and crisis help.
STYLE_QUESTION = "bold"
STYLE_QUIET = "grey50"
STYLE_KIND = "dark_orange"
STYLE_ACCENT = "steel_blue"


class _ConsoleAtUse:
    """A rich Console made when it is used, not when this module is imported: it then
    prints to whatever sys.stdout / sys.stderr is at that moment and reads the terminal's
    width (COLUMNS) then, so a test runner that replaces them, or a terminal resized since
    start-up, is honoured."""

    def __init__(self, **options):
        self._options = options

    def __getattr__(self, name: str):
        return getattr(Console(**self._options), name)


# Text from files and people is never read as rich markup: pass it through escape() or as
# rich.text.Text.
console = _ConsoleAtUse(highlight=False)
err_console = _ConsoleAtUse(stderr=True, highlight=False)


class Lang(enum.StrEnum):
    """The languages of everything a participant reads."""

    nl = "nl"
    en = "en"


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``Error: message`` on stderr; ``raise fail(...)`` then ends with ``code``."""
    err_console.print(f"[bold red]Error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)
