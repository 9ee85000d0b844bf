"""Entry point of the ``verbind`` command: every command and group is registered here.

Each command lives in its own module (``cli/bulk.py``, ``cli/selftest.py``, ...); shared
console helpers are in ``cli/ui.py``. No command module imports this one.

``verbind --help`` imports every command module, so those modules import only typer, rich's
console, ``cli/ui.py`` and the standard library at the top, and keep their parameter
annotations to those. Everything heavy (polars, pydantic and fhir.resources, networkx, the
definitions, rich.markdown) is imported inside the command that needs it; a test checks that
importing this module loads none of them.
"""

from __future__ import annotations

import typer

from verbind.cli import bulk, catalogue, fhir, network, programme, selftest

app = typer.Typer(
    name="verbind",
    help="verbind: measure loneliness and social isolation separately, and find a route that fits.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Listed in the order of `verbind --help` (typer keeps the order of registration).
app.command("score")(bulk.score_command)
app.command("demo-data")(bulk.demo_data_command)
app.command("test")(selftest.test_command)

instruments_app = typer.Typer(
    help="List the questionnaires verbind uses, or show one in full.",
    no_args_is_help=False,
)
instruments_app.callback(invoke_without_command=True)(catalogue.list_instruments)
instruments_app.command("show")(catalogue.show_instrument)
app.add_typer(instruments_app, name="instruments")

fhir_app = typer.Typer(
    help="Export questionnaires and answers as FHIR (R5 or R4B), generated from the definitions.",
    no_args_is_help=True,
)
fhir_app.command("questionnaire")(fhir.questionnaire_command)
fhir_app.command("codesystems")(fhir.codesystems_command)
fhir_app.command("response")(fhir.response_command)
app.add_typer(fhir_app, name="fhir")

network_app = typer.Typer(
    help="Personal network maps: measures per map, and exports for research (GraphML, CSV).",
    no_args_is_help=True,
)
network_app.command("measures")(network.measures_command)
network_app.command("export")(network.export_command)
app.add_typer(network_app, name="network")

programme_app = typer.Typer(
    help="Check or show a course programme (a folder with programme.yaml and week files).",
    no_args_is_help=True,
)
programme_app.command("check")(programme.check)
programme_app.command("show")(programme.show)
app.add_typer(programme_app, name="programme")


def main() -> None:  # pragma: no cover - thin wrapper for `python -m verbind`
    app()
