"""Writing results, and the names of the result columns."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from verbind.core.bulk.problems import BulkInputError
from verbind.core.instrument import (
    Instrument,
)

SUPPORTED_OUTPUTS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".sav": "sav"}


def output_kind(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_OUTPUTS:
        raise BulkInputError(
            f"{Path(path).name}: cannot write {suffix or '(no extension)'!r} files; "
            "use .csv, .parquet or .sav"
        )
    return SUPPORTED_OUTPUTS[suffix]


# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection"):
# =, +, -, @, and a tab or carriage return before them.
FORMULA_START = r"^[=+\-@\t\r]"


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe (the
    spreadsheet's own sign for "this is text"), as the web app's CSV downloads do. Only
    text columns change; numbers stay numbers."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def write_frame(
    frame: pl.DataFrame,
    path: Path | str,
    *,
    dutch_excel: bool = False,
    keep_formulas: bool = False,
) -> None:
    """Write CSV, Parquet or SPSS. ``dutch_excel`` writes a CSV as Dutch Excel reads it:
    ';' between columns, the decimal comma and a UTF-8 byte order mark. In a CSV, text that
    a spreadsheet would run as a formula is written with a leading apostrophe unless
    ``keep_formulas`` (for people who read the file with a program, not a spreadsheet)."""
    path = Path(path)
    kind = output_kind(path)
    if not path.parent.exists():
        raise BulkInputError(f"{path}: folder {path.parent} does not exist")
    if kind == "parquet":
        frame.write_parquet(path)
        return
    # CSV and SPSS have no enum type: write the labels as text.
    plain = frame.with_columns(pl.col(pl.Enum, pl.Categorical).cast(pl.String))
    if kind == "csv":
        if not keep_formulas:
            plain = neutralise_formulas(plain)
        if dutch_excel:
            plain.write_csv(path, separator=";", decimal_comma=True, include_bom=True)
        else:
            plain.write_csv(path)
        return
    import pyreadstat

    pyreadstat.write_sav(plain, str(path))


def scale_column(inst: Instrument, scale_id: str) -> str:
    """Output column of a scale: ``djg11_total``, ``djg11_emotional``, ``lsns6_family``."""
    return f"{inst.id}_{scale_id}"


def level_column(inst: Instrument) -> str:
    return f"{inst.id}_level"


def cutoff_column(inst: Instrument, scale_id: str) -> str:
    """Boolean output column: the scale meets its cut-off (``djg11_total_cutoff``)."""
    return f"{inst.id}_{scale_id}_cutoff"
