"""Entry point of the ``verbind`` command. Each sub-command lives in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="verbind",
    help="verbind: measure loneliness and social isolation separately, and find a route that fits.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Sub-commands register themselves here, one line per module (keeps this file conflict-free).
REGISTRATIONS: list[str] = []


def main() -> None:  # pragma: no cover - thin wrapper for `python -m verbind`
    app()
