"""``verbind network``: measures and research exports of personal network maps.

MAPS is a JSON Lines file, one map per line (see docs/network.md). Every bad line is
reported with its line number and reason. Without ``--skip-bad`` nothing is written when
any line is bad (exit 2); with it the good maps are written and the bad lines go to an
errors file (CSV: line, ego, problem).

Exit codes: 0 done, 2 bad input or arguments (nothing written unless --skip-bad).
networkx and polars are imported inside the commands, so ``verbind --help`` stays fast.
"""

from __future__ import annotations

import csv
import os
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from verbind.cli.ui import console, err_console, fail

# How many bad lines the terminal shows; the errors file (--skip-bad) has them all.
SHOWN_ERRORS = 20


class ExportFormat(StrEnum):
    graphml = "graphml"
    csv = "csv"


MapsArg = Annotated[
    Path,
    typer.Argument(metavar="MAPS", help="JSON Lines file: one network map per line."),
]
SkipBadOpt = Annotated[
    bool,
    typer.Option(
        "--skip-bad",
        help="Write the good maps anyway; the bad lines go to the errors file.",
    ),
]
ErrorsOpt = Annotated[
    Path | None,
    typer.Option(
        "--errors",
        help="Errors file for --skip-bad (default: next to the output, *.errors.csv).",
    ),
]


def _report_errors(path: Path, errors: list, total_lines: int) -> None:
    for e in errors[:SHOWN_ERRORS]:
        err_console.print(f"{escape(str(path))}:{e.line}: {escape(e.message)}", soft_wrap=True)
    if len(errors) > SHOWN_ERRORS:
        err_console.print(f"... and {len(errors) - SHOWN_ERRORS:,} more bad lines")
    verb = "is" if len(errors) == 1 else "are"
    err_console.print(f"{len(errors):,} of {total_lines:,} lines {verb} bad.")


def _atomic_csv(path: Path, header: list[str], rows) -> None:
    """Write a CSV next to its place first, then move it in: never half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cell(value):
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value


def _check_input(maps: Path) -> None:
    if not maps.exists():
        raise fail(f"{maps}: no such file")
    if maps.is_dir():
        raise fail(f"{maps}: is a folder; give a MAPS file (.jsonl)")


def _check_output_file(maps: Path, option: str, path: Path) -> None:
    if path.exists() and path.resolve() == maps.resolve():
        raise fail(f"{option} {path}: is the MAPS file; it would be overwritten")
    if path.is_dir():
        raise fail(f"{option} {path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise fail(f"{option} {path}: folder {path.parent} does not exist")


def _errors_path(output: Path, errors: Path | None) -> Path:
    return errors or output.with_name(f"{output.stem}.errors.csv")


def _write_errors(path: Path, errors: list) -> None:
    _atomic_csv(
        path, ["line", "ego", "problem"], ((e.line, e.ego or "", e.message) for e in errors)
    )


def measures_command(
    maps: MapsArg,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="CSV file: one row of measures per map.")
    ],
    skip_bad: SkipBadOpt = False,
    errors: ErrorsOpt = None,
) -> None:
    """Measures of every map (size, meaningful, inner circle, density, ...) as CSV."""
    from verbind.core.network.bulk import COLUMNS, measure_file

    _check_input(maps)
    _check_output_file(maps, "--output", output)
    if output.suffix.lower() != ".csv":
        raise fail(f"--output {output}: measures are written as CSV; give a .csv file name")
    errors_path = _errors_path(output, errors)
    if skip_bad:
        _check_output_file(maps, "--errors", errors_path)
        if errors_path.resolve() == output.resolve():
            raise fail(f"--errors {errors_path}: is also the output; give two different files")
    try:
        result = measure_file(maps)
    except OSError as exc:
        raise fail(f"{maps}: {exc.strerror or exc}") from None
    total = len(result.rows) + len(result.errors)
    if result.errors:
        _report_errors(maps, result.errors, total)
        if not skip_bad:
            raise fail(f"nothing written; fix these lines or use --skip-bad ({output} unchanged)")
    try:
        _atomic_csv(output, list(COLUMNS), ([_cell(v) for v in row] for row in result.rows))
        if result.errors:
            _write_errors(errors_path, result.errors)
    except OSError as exc:
        raise fail(f"{exc.filename or output}: {exc.strerror or exc}") from None
    console.print(f"Wrote measures of {len(result.rows):,} maps to {escape(str(output))}")
    if result.errors:
        console.print(f"Bad lines ({len(result.errors):,}): {escape(str(errors_path))}")


def export_command(
    maps: MapsArg,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write into (made if missing).")
    ],
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="graphml: one file per map (networkx, Gephi); "
            "csv: the Network Canvas tables (ego, attribute list, edge list).",
        ),
    ] = ExportFormat.graphml,
    skip_bad: SkipBadOpt = False,
    errors: ErrorsOpt = None,
) -> None:
    """Export every map for research, with pseudonymous ids only (never names)."""
    from verbind.core.network import export, read_maps

    _check_input(maps)
    if output.exists() and not output.is_dir():
        raise fail(f"--output {output}: is a file; give a folder")
    if not output.parent.is_dir():
        raise fail(f"--output {output}: folder {output.parent} does not exist")
    errors_path = errors or output.parent / f"{output.name}.errors.csv"
    if skip_bad:
        _check_output_file(maps, "--errors", errors_path)
    try:
        result = read_maps(maps)
    except OSError as exc:
        raise fail(f"{maps}: {exc.strerror or exc}") from None
    errors_list = list(result.errors)
    if errors_list:
        _report_errors(maps, errors_list, len(result.maps) + len(errors_list))
        if not skip_bad:
            raise fail(f"nothing written; fix these lines or use --skip-bad ({output} unchanged)")
    try:
        written = export.export(list(result.maps), output, fmt.value)
        if errors_list:
            _write_errors(errors_path, errors_list)
    except OSError as exc:
        raise fail(f"{exc.filename or output}: {exc.strerror or exc}") from None
    console.print(
        f"Wrote {len(result.maps):,} maps as {fmt.value} ({len(written):,} files) "
        f"to {escape(str(output))}"
    )
    if errors_list:
        console.print(f"Bad lines ({len(errors_list):,}): {escape(str(errors_path))}")
