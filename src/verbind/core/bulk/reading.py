"""Reading survey files: CSV (any separator, UTF-8 or Windows-1252, missing markers),
Parquet and SPSS."""

from __future__ import annotations

import codecs
import contextlib
import csv
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from verbind.core.bulk.mapping import _standard_columns
from verbind.core.bulk.problems import BulkInputError

SUPPORTED_INPUTS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet",
                    ".pq": "parquet", ".sav": "sav", ".zsav": "sav"}  # fmt: skip


@dataclass(frozen=True)
class Survey:
    """A survey file as read: the data, plus SPSS value labels per column if any."""

    frame: pl.DataFrame
    value_labels: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    path: Path | None = None
    # How the file was read, where a researcher should know (encoding, decimal comma).
    notes: tuple[str, ...] = ()
    # A ';'-separated CSV with the decimal comma (as Dutch Excel writes): results are
    # written the same way, so they open in the same spreadsheet.
    dutch_excel: bool = False


def input_kind(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_INPUTS:
        raise BulkInputError(
            f"{Path(path).name}: unknown file type {suffix or '(no extension)'!r}; "
            "use .csv, .parquet or .sav"
        )
    return SUPPORTED_INPUTS[suffix]


def read_survey(path: Path | str, *, transcode_chunk_size: int | None = None) -> Survey:
    """Read a CSV, Parquet or SPSS file. Raises BulkInputError with a clear reason.

    ``transcode_chunk_size``: how many bytes of a Windows-1252 CSV file are converted to
    UTF-8 at a time (default :data:`TRANSCODE_CHUNK_BYTES`).
    """
    path = Path(path)
    kind = input_kind(path)
    if not path.exists():
        raise BulkInputError(f"{path}: file not found")
    if not path.is_file():
        raise BulkInputError(f"{path}: not a file")
    try:
        if kind == "csv":
            frame, notes, separator = _read_csv(path, transcode_chunk_size or TRANSCODE_CHUNK_BYTES)
            survey = Survey(frame, path=path, notes=tuple(notes), dutch_excel=separator == ";")
        elif kind == "parquet":
            survey = Survey(pl.read_parquet(path), path=path)
        else:
            import pyreadstat

            frame, meta = pyreadstat.read_sav(str(path), output_format="polars")
            labels = {
                col: {k: str(v) for k, v in table.items()}
                for col, table in (meta.variable_value_labels or {}).items()
            }
            survey = Survey(frame, value_labels=labels, path=path)
    except BulkInputError:
        raise
    except Exception as exc:
        raise BulkInputError(f"{path.name}: cannot read this {kind} file: {_short(exc)}") from exc
    if survey.frame.height == 0:
        raise BulkInputError(
            f"{path.name}: no rows of answers, only the column names "
            f"({', '.join(survey.frame.columns[:8]) or 'none'}"
            f"{' ...' if survey.frame.width > 8 else ''})"
        )
    return survey


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# Cells that mean "no value" in files written by R, Stata/SAS, SPSS and Excel. Read as
# empty in every column of a CSV file (as R and pandas do); only CSV, which has no other
# way to say "missing". Numeric codes such as 9 or -1 are not guessed: a mapping file
# declares them (codings: {djg11: {9: null}}).
CSV_MISSING_MARKERS = ("NA", "N/A", "n/a", "#N/A", "NULL", "null", "#NULL!", ".")
# Excel on Windows in Western Europe writes "CSV" in this code page.
_LEGACY_ENCODING = "cp1252"


# A Windows-1252 file is converted to UTF-8 this many bytes at a time into a temporary
# file, which polars then reads: memory stays bounded, however large the file.
TRANSCODE_CHUNK_BYTES = 4 * 1024 * 1024
# How much of the top of a file shows its separator and whether it is UTF-8.
_SAMPLE_BYTES = 64 * 1024


def _read_csv(
    path: Path, transcode_chunk_size: int = TRANSCODE_CHUNK_BYTES
) -> tuple[pl.DataFrame, list[str], str]:
    """A CSV file as a frame, notes on how it was read, and its separator.

    Separator: the most frequent of , ; and tab on the header line. A ``;`` file is a
    Dutch (or other European) spreadsheet export, where the comma is the decimal sign:
    ``2,0`` is read as 2.0. Encoding: UTF-8 (with or without BOM); a file that is not
    valid UTF-8 is read as Windows-1252 (a note says so), so ``één`` stays ``één``: it is
    converted in chunks to a temporary UTF-8 file, removed when reading ends, also on
    an error.
    """
    with path.open("rb") as fh:
        head = fh.read(_SAMPLE_BYTES)
    if not head.strip():
        raise BulkInputError(f"{path.name}: the file is empty")
    notes: list[str] = []
    with contextlib.ExitStack() as cleanup:
        source = path
        try:
            head.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError as exc:
            # Only a cut-off multi-byte character at the end of the sample is still utf-8.
            utf8 = exc.start >= len(head) - 4
        if not utf8:
            source, note = _transcoded(path, cleanup, transcode_chunk_size)
            notes.append(note)
            with source.open("rb") as fh:
                head = fh.read(_SAMPLE_BYTES)
        lines = head.splitlines()
        first_line = (lines[0] if lines else head).removeprefix(b"\xef\xbb\xbf")
        counts = {sep: first_line.count(sep.encode()) for sep in (",", ";", "\t")}
        separator = max(counts, key=lambda s: counts[s]) if any(counts.values()) else ","
        header = next(csv.reader([first_line.decode("utf-8", "replace")], delimiter=separator), [])
        options: dict[str, Any] = {"separator": separator, "decimal_comma": separator == ";"}
        try:
            frame = _read_csv_frame(source, options)
        except pl.exceptions.ComputeError as exc:
            if source is not path or "utf-8" not in str(exc).lower():
                raise
            # Valid UTF-8 at the top, not further down: the whole file is Windows-1252.
            source, note = _transcoded(path, cleanup, transcode_chunk_size)
            notes.append(note)
            frame = _read_csv_frame(source, options)
        if _has_missing_markers(frame):
            # Read again with the markers as empty (reading with them always costs about
            # 70% more time, so only files that use them pay for it).
            frame = _read_csv_frame(source, {**options, "null_values": list(CSV_MISSING_MARKERS)})
            notes.append(
                f"{path.name}: cells holding only {', '.join(CSV_MISSING_MARKERS)} "
                "are read as empty (not answered)"
            )
    if separator == ";":
        notes.append(f"{path.name}: read as a ';'-separated file with the decimal comma (2,0 = 2)")
    return frame, notes + _duplicate_notes(path, header), separator


def _read_csv_frame(source: Path, options: Mapping[str, Any]) -> pl.DataFrame:
    try:
        return pl.read_csv(source, **options)
    except pl.exceptions.ComputeError as exc:
        if "utf-8" in str(exc).lower():
            raise
        # A column that looked numeric has text further down: read everything as text
        # and let scoring report the values it cannot interpret.
        return pl.read_csv(source, infer_schema=False, **options)


def _has_missing_markers(frame: pl.DataFrame) -> bool:
    # Only text columns can hold them: a marker makes polars read a column as text.
    text = [c for c, t in frame.schema.items() if t == pl.String]
    if not text:
        return False
    markers = pl.lit(pl.Series(CSV_MISSING_MARKERS)).implode()
    return bool(frame.select(pl.any_horizontal(pl.col(text).is_in(markers).any())).item())


def transcode_to_utf8(source: Path, target: BinaryIO, encoding: str, chunk_size: int) -> None:
    """Copy ``source`` in ``encoding`` to ``target`` as UTF-8, ``chunk_size`` bytes at a
    time (an incremental decoder: a character split over two chunks is kept whole).
    Raises UnicodeDecodeError on a byte the encoding does not define."""
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    decoder = codecs.getincrementaldecoder(encoding)()
    with source.open("rb") as fh:
        while chunk := fh.read(chunk_size):
            target.write(decoder.decode(chunk).encode("utf-8"))
    target.write(decoder.decode(b"", final=True).encode("utf-8"))


def _transcoded(path: Path, cleanup: contextlib.ExitStack, chunk_size: int) -> tuple[Path, str]:
    """``path`` converted to a temporary UTF-8 file, removed when ``cleanup`` closes."""
    fd, name = tempfile.mkstemp(prefix="verbind-", suffix=".utf8.csv")
    target = Path(name)
    cleanup.callback(target.unlink, missing_ok=True)
    with os.fdopen(fd, "wb") as out:
        try:
            transcode_to_utf8(path, out, _LEGACY_ENCODING, chunk_size)
            name = "Windows-1252"
        except UnicodeDecodeError:
            # Bytes cp1252 leaves undefined (0x81 ...): Latin-1 reads every byte.
            out.seek(0)
            out.truncate()
            transcode_to_utf8(path, out, "latin-1", chunk_size)
            name = "Latin-1"
    note = f"{path.name}: not UTF-8; read as {name} (the encoding of Excel on Windows)"
    return target, note


def _duplicate_notes(path: Path, header: Sequence[str]) -> list[str]:
    """A column name that appears twice: refused for an instrument's column (which answer
    would count?), a note for others (polars keeps both, the second as ``<name>_duplicated_0``)."""
    seen: dict[str, list[int]] = {}
    for n, name in enumerate(header, start=1):
        seen.setdefault(name.strip().removeprefix("\ufeff"), []).append(n)
    standard = {c.lower() for c in _standard_columns()}
    notes = []
    for name, positions in seen.items():
        if len(positions) < 2:
            continue
        where = ", ".join(map(str, positions))
        if name.strip().lower() in standard:
            raise BulkInputError(
                f"{path.name}: column {name!r} appears {len(positions)} times (columns "
                f"{where}); keep one column per question"
            )
        notes.append(
            f"{path.name}: column {name!r} appears {len(positions)} times (columns {where}); "
            f"the later ones are kept as {name}_duplicated_0 ..."
        )
    return notes
