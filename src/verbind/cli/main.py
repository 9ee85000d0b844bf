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


def main() -> None:  # pragma: no cover - thin wrapper for `python -m verbind`
    app()


# Each sub-command module does `from verbind.cli.main import app` and decorates its commands.
# One import line per module below (imported last, after `app` exists).
import verbind.cli.bulk as _bulk  # noqa: E402, F401
import verbind.cli.catalogue as _catalogue  # noqa: E402, F401
import verbind.cli.fhir as _fhir  # noqa: E402, F401
import verbind.cli.network as _network  # noqa: E402, F401
import verbind.cli.programme as _programme  # noqa: E402, F401
import verbind.cli.selftest as _selftest  # noqa: E402, F401
