"""``verbind score`` (bulk scoring of survey files) and ``verbind demo-data``.

Exit codes of ``score``: 0 when at least one row was scored (problems in other rows are
reported, counted and written to the errors file), 1 when nothing could be scored,
2 when the arguments, the mapping file or the input file cannot be used.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from verbind.cli.ui import console, err_console, fail

if TYPE_CHECKING:
    import polars as pl
    from rich.table import Table

    from verbind.core import bulk, stats

# polars, numpy and the scoring core are imported inside the functions that use them, so
# that ``verbind --help`` (which imports this module) stays fast.

# Show a progress bar from this input size on; small files finish before it would draw.
PROGRESS_FROM_BYTES = 2 * 1024 * 1024

# The default of ``demo-data --instruments``: verbind.core.demo_data.DEFAULT_INSTRUMENTS
# (written out here so that the help needs no polars; a test keeps the two the same).
DEMO_INSTRUMENTS = "djg11,lsns6,steptoe,duration,context"


def default_errors_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}.errors.csv")


def check_output_paths(input_path: Path, output: Path, errors: Path, *, errors_given: bool) -> None:
    """Refuse, before anything is read or written, a file we would write that is the
    input (or the other output), is a folder, or lies in a folder that does not exist:
    a researcher's survey file must never be overwritten."""
    from verbind.core import bulk

    source = input_path.resolve()
    errors_option = "--errors" if errors_given else "the errors file (default name)"
    targets = [("--output", output), (errors_option, errors)]
    for option, path in targets:
        if path.resolve() == source or (
            path.exists() and input_path.exists() and path.samefile(input_path)
        ):
            hint = "" if errors_given or option == "--output" else "; choose one with --errors"
            raise bulk.BulkInputError(
                f"{option} {path}: is the input file; it would be overwritten{hint}"
            )
        if path.is_dir():
            raise bulk.BulkInputError(f"{option} {path}: is a folder; give a file name")
        if not path.parent.is_dir():
            raise bulk.BulkInputError(f"{option} {path}: folder {path.parent} does not exist")
    if output.resolve() == errors.resolve():
        raise bulk.BulkInputError(
            f"--errors {errors}: is also the output file; give two different files"
        )


def run_score(
    input_path: Path,
    output: Path,
    *,
    mapping_path: Path | None = None,
    forms: list[str] | None = None,
    settings: list[str] | None = None,
    group: str | None = None,
    errors_path: Path | None = None,
    progress: bulk.Progress | None = None,
    on_phase_done: bulk.PhaseTimer | None = None,
    keep_formulas: bool = False,
) -> tuple[bulk.BulkResult, Path | None, dict[str, float]]:
    """Read, score and write: the one code path of ``verbind score`` (the benchmark uses it).

    Returns the result, the errors file written (if any) and the time of each step.
    ``on_phase_done`` receives the phases inside scoring (see :func:`bulk.score_frame`).
    """
    from verbind.core import bulk

    timings: dict[str, float] = {}
    bulk.input_kind(input_path)
    bulk.output_kind(output)
    if errors_path is not None and errors_path.suffix.lower() not in (".csv", ".parquet"):
        raise bulk.BulkInputError(f"--errors {errors_path.name}: use a .csv or .parquet file")
    errors_target = errors_path or default_errors_path(output)
    check_output_paths(input_path, output, errors_target, errors_given=errors_path is not None)
    mapping = bulk.load_mapping(mapping_path) if mapping_path else bulk.ColumnMapping()
    mapping = mapping.with_overrides(
        bulk.parse_forms(forms or []), bulk.parse_settings(settings or [])
    )

    tick = progress or (lambda stage, done, total: None)
    start = time.perf_counter()
    tick("reading file", 0, 1)
    survey = bulk.read_survey(input_path)
    timings["read"] = time.perf_counter() - start
    for note in survey.notes:
        err_console.print(f"[cyan]Note:[/] {note}", highlight=False)
    if group is not None and group not in survey.frame.columns:
        raise bulk.BulkInputError(
            f"--group {group!r}: no such column; columns: {', '.join(survey.frame.columns[:20])}"
        )
    start = time.perf_counter()
    result = bulk.score_frame(
        survey.frame,
        mapping,
        value_labels=survey.value_labels,
        progress=progress,
        decimal_comma=survey.dutch_excel,
        on_phase_done=on_phase_done,
    )
    timings["score"] = time.perf_counter() - start

    start = time.perf_counter()
    tick("writing results", 0, 1)
    written_errors = None
    if result.errors.height or errors_path is not None:
        written_errors = errors_target
        if written_errors.suffix.lower() == ".parquet":
            result.errors.write_parquet(written_errors)
        else:
            bulk.write_frame(
                result.errors,
                written_errors,
                dutch_excel=survey.dutch_excel,
                keep_formulas=keep_formulas,
            )
    elif errors_target.is_file():
        # The errors file of an earlier run beside this output would describe another run:
        # this run had no problems, so its (default-named) errors file goes.
        errors_target.unlink()
        err_console.print(
            f"[cyan]Note:[/] removed {escape(errors_target.name)} of an earlier run "
            "(this run found no problems)",
            highlight=False,
        )
    if worth_writing(result):
        # A Dutch Excel file gets its results back in the same form.
        bulk.write_frame(
            result.frame, output, dutch_excel=survey.dutch_excel, keep_formulas=keep_formulas
        )
    timings["write"] = time.perf_counter() - start
    tick("done", 1, 1)
    return result, written_errors, timings


def indicators_for(result: bulk.BulkResult) -> list[stats.Indicator]:
    """The yes/no columns worth a prevalence: each instrument's main cut-off, and isolated."""
    from verbind.core import bulk, stats

    out = []
    for ic in result.instruments:
        inst = ic.instrument
        scale = inst.primary_scale
        if scale is None or scale.cutoff is None:
            continue
        threshold = result.settings.get(scale.cutoff.setting, scale.cutoff.default)
        out.append(
            stats.Indicator(
                bulk.cutoff_column(inst, scale.id),
                f"{scale.cutoff.meaning.en} ({inst.short_title} {scale.cutoff.op} {threshold:g})",
            )
        )
    if "isolated" in result.frame.columns:
        out.append(stats.Indicator("isolated", "isolated (profile)"))
    return out


def _pct(value: float | None) -> str:
    return (
        "–"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else f"{value * 100:.1f}%"
    )


def _num(value: float | None) -> str:
    return _pct(value).rstrip("%")


def prevalence_rich_table(table: pl.DataFrame, group: str | None) -> Table:
    import polars as pl
    from rich.table import Table

    from verbind.core import stats

    # An indicator nobody has a value for (e.g. isolation without its instruments) is left out.
    known = table.filter(pl.col("group") == stats.TOTAL_GROUP, pl.col("n") > 0)["indicator"]
    indicators = (
        table.filter(pl.col("indicator").is_in(known.implode()))
        .select("indicator", "label")
        .unique(maintain_order=True)
        .rows()
    )
    title = f"Prevalence by {group} (95% Wilson CI)" if group else "Prevalence (95% Wilson CI)"
    out = Table(title=title, title_justify="left")
    out.add_column(group or "group")
    out.add_column("n", justify="right")
    for _, label in indicators:
        out.add_column(label, justify="right")
    groups = table.get_column("group").unique(maintain_order=True).to_list()
    for g in groups:
        rows = table.filter(pl.col("group").is_null() if g is None else pl.col("group") == g)
        cells = []
        n_max = 0
        for column, _ in indicators:
            r = rows.filter(pl.col("indicator") == column).row(0, named=True)
            n_max = max(n_max, r["n"])
            cells.append(
                f"{_pct(r['prevalence'])} ({_num(r['ci_low'])}–{_num(r['ci_high'])})"
                if r["n"]
                else "–"
            )
        name = "(missing)" if g is None else str(g)
        style = "bold" if g == stats.TOTAL_GROUP else None
        out.add_row(name, f"{n_max:,}", *cells, style=style)
    return out


# How many distinct unknown answers the terminal shows; the errors file has them all.
SHOWN_UNKNOWN_ANSWERS = 10


def unknown_answers(errors: pl.DataFrame) -> pl.DataFrame:
    """Each distinct unknown answer per column: how many rows, the first rows, allowed."""
    import polars as pl

    from verbind.core import bulk

    return (
        errors.filter(pl.col("problem") == bulk.INVALID_ANSWER)
        .group_by("column", "value", maintain_order=True)
        .agg(
            pl.len().alias("rows"),
            pl.col("row").head(3).alias("first_rows"),
            pl.col("allowed").first(),
        )
        .sort("rows", "column", descending=[True, False], maintain_order=True)
    )


def _codes_of(allowed: str) -> str:
    """'1=yes!/ja!; 2=yes/ja' -> '1, 2': the table stays narrow; the errors file and the
    instrument (verbind instruments show ID) have the labels."""
    parts = [p.partition("=") for p in allowed.split("; ")]
    return ", ".join(code for code, sep, _ in parts if sep) or allowed


def _print_unknown_answers(result: bulk.BulkResult) -> None:
    from rich.table import Table

    table = unknown_answers(result.errors)
    if not table.height:
        return
    out = Table(
        title="Answers that are not one of the options (those rows get no result)",
        title_justify="left",
    )
    for name, justify in [("column", "left"), ("value", "left"), ("rows", "right")]:
        out.add_column(name, justify=justify)  # type: ignore[arg-type]
    out.add_column("first rows")
    out.add_column("allowed codes (or their labels)", overflow="fold")
    for r in table.head(SHOWN_UNKNOWN_ANSWERS).iter_rows(named=True):
        first = ", ".join(map(str, r["first_rows"])) + (", ..." if r["rows"] > 3 else "")
        out.add_row(r["column"], repr(r["value"]), f"{r['rows']:,}", first, _codes_of(r["allowed"]))
    if table.height > SHOWN_UNKNOWN_ANSWERS:
        out.caption = f"... and {table.height - SHOWN_UNKNOWN_ANSWERS} more in the errors file"
    err_console.print(out, highlight=True)
    err_console.print(
        "If one of these codes means 'not answered' (such as 9 or -1), or is another "
        "coding of an answer, say so in a mapping file (--mapping), e.g.\n"
        "  codings:\n    djg11: {9: null}\n    djg11_3: {6: no}",
        highlight=False,
        markup=False,
    )


def score_command(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT", help="Survey file: .csv, .parquet or .sav.")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Scored file; the format follows the extension (.csv, .parquet, .sav).",
        ),
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="YAML file: renamed columns, answer forms, the file's own codings (a 3-point "
            "DJG file must declare its coding, e.g. 'codings: {djg11: manual}'), settings.",
        ),
    ] = None,
    form: Annotated[
        list[str] | None,
        typer.Option(
            "--form",
            help="Answer form of numeric codes, e.g. djg11=three_point (repeatable); a 3-point "
            "file also declares its coding in the mapping file.",
        ),
    ] = None,
    setting: Annotated[
        list[str] | None,
        typer.Option(
            "--setting", help="Override a cut-off or profile setting, e.g. djg11_subscale_cutoff=3."
        ),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option(
            "--group",
            help="Show prevalence with 95% confidence intervals per value of this column.",
        ),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            help="Where to write problem rows (default: OUTPUT name + .errors.csv, if any).",
        ),
    ] = None,
    keep_formulas: Annotated[
        bool,
        typer.Option(
            "--keep-formulas",
            help="In CSV output, write text that starts with =, +, -, @, a tab or a carriage "
            "return as it is. By default it gets a leading ' so a spreadsheet never runs it "
            "as a formula.",
        ),
    ] = False,
) -> None:
    """Score every instrument in a survey file (CSV, Parquet or SPSS) at once."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from verbind.core import bulk, stats

    show_progress = input_path.is_file() and input_path.stat().st_size >= PROGRESS_FROM_BYTES
    try:
        if show_progress:
            with Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                # A live display keeps one console for its whole life.
                console=Console(stderr=True, highlight=False),
                transient=True,
            ) as bar:
                task = bar.add_task("scoring", total=None)

                def progress(stage: str, done: int, total: int) -> None:
                    bar.update(task, description=stage, completed=done, total=total)

                result, errors_file, _ = run_score(
                    input_path, output, mapping_path=mapping, forms=form, settings=setting,
                    group=group, errors_path=errors, progress=progress,
                    keep_formulas=keep_formulas,
                )  # fmt: skip
        else:
            result, errors_file, _ = run_score(
                input_path, output, mapping_path=mapping, forms=form, settings=setting,
                group=group, errors_path=errors, keep_formulas=keep_formulas,
            )  # fmt: skip
    except bulk.BulkInputError as exc:
        raise fail(str(exc), 2) from None
    except OSError as exc:
        raise fail(f"{exc.filename or ''}: {exc.strerror or exc}", 2) from None

    summary = Table(title="Bulk scoring", title_justify="left", show_header=False)
    summary.add_column("what")
    summary.add_column("value", overflow="fold")
    summary.add_row("input", str(input_path))
    summary.add_row(
        "instruments",
        ", ".join(
            f"{ic.instrument.short_title}" + (f" ({ic.form})" if ic.form else "")
            for ic in result.instruments
        ),
    )
    summary.add_row("rows", f"{result.rows:,}")
    summary.add_row("scored (all instruments)", f"{result.scored_rows:,}")
    partly = result.rows - result.scored_rows - result.unscored_rows
    if partly:
        summary.add_row("scored in part", f"{partly:,}")
    summary.add_row("not scored", f"{result.unscored_rows:,}")
    summary.add_row("rows with invalid answers", f"{result.invalid_rows:,}")
    summary.add_row("rows with too many missing", f"{result.incomplete_rows:,}")
    if result.indeterminate_rows:
        # Scored, but a missing answer leaves the level open (see the errors file).
        summary.add_row("rows with an indeterminate level", f"{result.indeterminate_rows:,}")
    if "route" in result.frame.columns:
        summary.add_row("rows with no route", f"{result.no_route_rows:,}")
    summary.add_row("problems reported", f"{result.errors.height:,}")
    summary.add_row("errors file", str(errors_file) if errors_file else "(none: no problems)")
    summary.add_row("output", str(output) if worth_writing(result) else "(not written)")
    console.print(summary, highlight=True)
    for warning in result.warnings:
        err_console.print(f"[yellow]Warning:[/] {warning}", highlight=False)

    _print_unknown_answers(result)
    if not result.anything_scored:
        if worth_writing(result):
            # The safety answers are never hidden, even when nothing else could be scored.
            err_console.print(
                "[yellow]Warning:[/] no instrument could be scored, but the file has the "
                f"safety question: {output} holds its 'safety' column (and the other columns "
                "of the file) so that nobody who answered it is missed.",
                highlight=False,
            )
            return
        reasons = (
            f"see {errors_file} for the reasons"
            if errors_file
            else "every answer in the instrument columns is empty"
        )
        raise fail(f"no row could be scored; {reasons}", 1)

    indicators = indicators_for(result)
    if indicators:
        table = stats.prevalence_table(result.frame, indicators, group)
        console.print(prevalence_rich_table(table, group), highlight=True)


def worth_writing(result: bulk.BulkResult) -> bool:
    """Write the output when something was scored, or when it holds safety answers."""
    return result.anything_scored or "safety" in result.frame.columns


def demo_data_command(
    n: Annotated[int, typer.Argument(help="Number of synthetic respondents.", min=0)],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write: .csv, .parquet or .sav.")
    ],
    seed: Annotated[int | None, typer.Option("--seed", help="Same seed, same data.")] = None,
    invalid_rate: Annotated[
        float,
        typer.Option("--invalid-rate", min=0.0, max=1.0, help="Share of answers made invalid."),
    ] = 0.0,
    missing_rate: Annotated[
        float,
        typer.Option("--missing-rate", min=0.0, max=1.0, help="Share of answers left empty."),
    ] = 0.0,
    labels: Annotated[
        str | None,
        typer.Option(
            "--labels", help="Write answer labels in this language (nl or en) instead of codes."
        ),
    ] = None,
    instruments: Annotated[
        str,
        typer.Option("--instruments", help="Comma-separated instrument ids."),
    ] = DEMO_INSTRUMENTS,
) -> None:
    """Write a synthetic survey with realistic distributions (no real people)."""
    from verbind.core import bulk, demo_data

    try:
        bulk.output_kind(output)
        frame = demo_data.generate(
            n,
            seed=seed,
            invalid_rate=invalid_rate,
            missing_rate=missing_rate,
            labels=labels,
            instruments=[i.strip() for i in instruments.split(",") if i.strip()],
        )
        bulk.write_frame(frame, output)
    except (bulk.BulkInputError, demo_data.DemoDataError) as exc:
        raise fail(str(exc), 2) from None
    except OSError as exc:
        raise fail(f"{exc.filename or output}: {exc.strerror or exc}", 2) from None
    console.print(f"Wrote {frame.height:,} synthetic respondents to {output}", highlight=False)
