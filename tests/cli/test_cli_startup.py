"""The command line starts fast: ``verbind --help`` loads no heavy library, and every
command still works in a fresh process (where nothing was imported before)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
CLI = SRC / "verbind" / "cli"
ENV = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "200", "NO_COLOR": "1"}

# Each of these costs from tens to hundreds of milliseconds to import.
HEAVY = ("polars", "numpy", "scipy", "networkx", "fhir.resources", "pydantic", "pygments", "yaml")


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_importing_the_command_line_loads_no_heavy_library():
    loaded = json.loads(
        _python(
            "import json, sys; import verbind.cli.main; "
            f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
        )
    )
    assert loaded == []


def test_importing_the_command_line_reads_no_definition():
    # The core (definitions, scoring, bulk, FHIR, programmes) is loaded by a command, not by
    # the help.
    loaded = json.loads(
        _python(
            "import json, sys; import verbind.cli.main; "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('verbind.core'))))"
        )
    )
    assert loaded == []


def test_help_of_every_command_loads_no_heavy_library():
    code = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from verbind.cli.main import app\n"
        "for args in [[], ['score'], ['demo-data'], ['test'], ['instruments'],\n"
        "             ['instruments', 'show'], ['fhir', 'response'], ['network', 'measures'],\n"
        "             ['programme', 'show']]:\n"
        "    result = CliRunner().invoke(app, [*args, '--help'])\n"
        "    assert result.exit_code == 0, (args, result.output)\n"
        # typer itself loads pygments (rich.markdown, for its help) and pydantic (to read
        # the parameters of a command), so those two are allowed here.
        f"heavy = [m for m in {HEAVY!r} if m not in ('pygments', 'pydantic')]\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    assert json.loads(_python(code).splitlines()[-1]) == []


def test_no_command_module_imports_main():
    # Commands are registered in main.py; a module importing main back would be a circle.
    for path in CLI.glob("*.py"):
        if path.name in ("main.py", "__main__.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert "verbind.cli.main" not in names, f"{path.name} imports verbind.cli.main"


def test_defaults_written_out_for_a_fast_help_are_the_cores():
    from verbind.cli import bulk as cli_bulk
    from verbind.cli import fhir as cli_fhir
    from verbind.cli import programme as cli_programme
    from verbind.core import demo_data, fhir
    from verbind.core.programme import DEFAULT_PROGRAMME

    assert ",".join(demo_data.DEFAULT_INSTRUMENTS) == cli_bulk.DEMO_INSTRUMENTS
    assert cli_fhir.DEFAULT_BASE == fhir.DEFAULT_BASE
    assert cli_programme.DEFAULT_PROGRAMME == DEFAULT_PROGRAMME


def _verbind(*args: str | Path, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "verbind", *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        env=ENV,
        cwd=cwd,
        check=False,
    )


@pytest.mark.slow
def test_the_commands_work_in_fresh_processes(tmp_path):
    # Each command imports what it needs itself: run them where nothing was imported before.
    done = _verbind("demo-data", "200", "--seed", "7", "-o", "survey.parquet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = _verbind("score", "survey.parquet", "-o", "scored.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Prevalence" in done.stdout
    assert (tmp_path / "scored.csv").read_text(encoding="utf-8").count("\n") == 201

    maps = tmp_path / "maps.jsonl"
    from verbind.core.network import Alter, Network, to_dict

    alters = (
        Alter("a0", "friend", 1, "weekly", True, wants="same"),
        Alter("a1", "neighbour", 2, "weekly", False, wants="same"),
    )
    maps.write_text(json.dumps(to_dict(Network("p1", 1, alters, (("a0", "a1"),)))) + "\n")
    done = _verbind("network", "measures", maps, "-o", "measures.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "measures.csv").read_text(encoding="utf-8").startswith("ego,")

    done = _verbind("test", "--short", "--answers", "-", "--json", cwd=tmp_path, stdin="{}")
    assert done.returncode == 2  # no answers at all: every question is reported
    assert "djg6_1" in done.stderr

    done = _verbind("instruments", "show", "lsns6", "--lang", "en", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = _verbind("fhir", "questionnaire", "djg6", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["resourceType"] == "Questionnaire"
    done = _verbind("programme", "show", "--week", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
