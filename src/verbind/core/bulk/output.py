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


def write_frame(frame: pl.DataFrame, path: Path | str, *, dutch_excel: bool = False) -> None:
    """Write CSV, Parquet or SPSS. ``dutch_excel`` writes a CSV as Dutch Excel reads it:
    ';' between columns, the decimal comma and a UTF-8 byte order mark."""
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
