"""Bulk scoring of survey files: thousands to millions of respondents at once.

Everything here is generated from the instrument definitions: which columns belong to
which instrument, which answers each column accepts, the points per answer, the scales,
the missing-answer rules, the bands and the cut-offs. No item text or cut-off is written
in this module, so a new instrument YAML is scored as soon as it lands.

How a column is scored (vectorised, no Python per row):

1. The column's *distinct* values are interpreted once each by the very function that
   scores one person (:func:`verbind.core.scoring.resolve_answer`), after the file's own
   codings (mapping file, SPSS value labels). For an integer column only the codes from
   its minimum to its maximum are interpreted, which costs nothing on a million rows.
2. That gives a small lookup table value -> option. For integer codes it becomes
   integer arithmetic derived from the table (:func:`_lookup`: ``a * code + b``, or a
   sum of step terms); text goes through ``replace_strict``.
3. Points are summed per scale with the scale's missing rule; bands and cut-offs (with
   settings overrides) come from the definitions. Work that the data cannot need (missing
   counts without missing answers, masks without invalid codes) is left out.

The person-level facts and rules live in :mod:`verbind.core.profile`: per row, bulk
scoring packs what :class:`~verbind.core.profile.InputSummary` holds (per instrument:
cut-off met, level, subscale cut-offs; the duration and context answers) into one
integer, and calls :func:`~verbind.core.profile.derive_inputs` and
:func:`~verbind.core.profile.classify` once per *distinct* integer, then joins the answers
back. So which scale counts, how isolation combines and the routes exist only there,
including :func:`~verbind.core.profile.research_route`: a row in which neither loneliness
nor isolation could be scored gets no route (crisis help still shows), and a reason in the
error report.

A row with an answer that cannot be interpreted is reported (row, column, value, allowed
values) and gets no result for that instrument; other instruments and rows are still
scored. Too many missing answers is reported too. Nothing is dropped silently.

Safety first: an item that can raise a flag (the safety question) is read on its own,
whatever the other answers of its instrument: a valid "yes" always reaches the ``safety``
column and the profile's crisis route, even when another context answer on the row
cannot be read (that one is still reported).

Pure Python + polars: no Django imports.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import functools
import itertools
import operator
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import polars as pl
import yaml

from verbind.core.instrument import (
    INDETERMINATE,
    Instrument,
    Item,
    is_missing,
    normalise_label,
    registry,
)
from verbind.core.scoring import ScoringError, allowed_answers, as_code, resolve_answer

# Integer columns whose codes span at most this many values are mapped through a dense
# lookup table (one gather, no hashing); wider ones through their distinct values.
_DENSE_RANGE = 4096
# Row numbers in reports start at 1 for the first data row (line 2 of a CSV file).
ROW_BASE = 1

SUPPORTED_INPUTS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet",
                    ".pq": "parquet", ".sav": "sav", ".zsav": "sav"}  # fmt: skip
SUPPORTED_OUTPUTS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".sav": "sav"}

ERROR_SCHEMA = {
    "row": pl.Int64,
    "instrument": pl.String,
    "column": pl.String,
    "item": pl.String,
    "value": pl.String,
    "problem": pl.String,
    "allowed": pl.String,
}

# Kinds of reported problems (the "problem" column starts with one of these).
INVALID_ANSWER = "unknown answer"
TOO_MANY_MISSING = "too many answers missing"
NO_ROUTE = "no route"
INDETERMINATE_LEVEL = "indeterminate"
NO_ROUTE_WHY = "neither loneliness nor social isolation could be determined"

Progress = Callable[[str, int, int], None]


class BulkInputError(ValueError):
    """A survey file or mapping cannot be used at all. The message says what and why."""


class UndeclaredCoding(Exception):
    """Numeric codes of an answer form that files code in more than one way, with no
    coding declared for them (see :func:`undeclared_coding_message`)."""

    def __init__(self, inst: Instrument, form: str | None):
        super().__init__(inst.id)
        self.instrument = inst
        self.form = form


def undeclared_coding_message(inst: Instrument, form: str, columns: Sequence[str]) -> str:
    """What a researcher must declare, from the definition: the form, its named codings
    (the loader makes sure such a form has at least one)."""
    answer_form = inst.forms[form]
    labels = {o.key: o.label.nl for o in answer_form.options}
    named = "; ".join(
        f"{name} = " + ", ".join(f"{code} {labels[key]}" for code, key in sorted(table.items()))
        for name, table in answer_form.codings.items()
    )
    first, table = next(iter(answer_form.codings.items()))
    by_code = ", ".join(f"{code}: {key}" for code, key in sorted(table.items()))
    shown = ", ".join(columns[:4]) + (" ..." if len(columns) > 4 else "")
    return (
        f"{inst.short_title} ({inst.id}), answer form {form}: the file holds numeric codes "
        f"({shown}) but does not say what they mean. Files code this form both ways round, "
        f"so there is no default. Known codings: {named}. Declare the file's coding in a "
        f"mapping file (--mapping), by name:\n  codings:\n    {inst.id}: {first}\n"
        f"or code by code:\n  codings:\n    {inst.id}: {{{by_code}}}"
    )


# --- mapping file -----------------------------------------------------------------------

_MISSING = object()  # a custom coding that means "not answered"


@dataclass(frozen=True)
class Coding:
    """A file's own answer coding for a column or a whole instrument: value -> option key.

    Numeric values are compared as codes (``9``, ``"9"`` and ``9.0`` are the same), text
    values as normalised labels. An option key of ``None`` means "not answered"
    (e.g. 9 = "don't know").
    """

    by_code: Mapping[int, str | None] = field(default_factory=dict)
    by_label: Mapping[str, str | None] = field(default_factory=dict)

    def lookup(self, value: Any) -> Any:
        """The option key for ``value``, ``None`` for missing, ``_MISSING`` if not coded."""
        if isinstance(value, bool) or is_missing(value):
            return _MISSING if not self.by_code and not self.by_label else _lookup_missing()
        code = as_code(value)
        if code is not None and code in self.by_code:
            return self.by_code[code]
        label = normalise_label(str(value))
        if label in self.by_label:
            return self.by_label[label]
        return _MISSING

    def __bool__(self) -> bool:
        return bool(self.by_code or self.by_label)


def _lookup_missing() -> Any:
    return _MISSING


@dataclass(frozen=True)
class ColumnMapping:
    """What a mapping file declares about a survey file.

    ``columns``: file column -> standard column (``V12: djg11_1``).
    ``forms``: instrument -> answer form of its numeric codes (``djg11: three_point``).
    ``codings``: instrument id or standard column -> :class:`Coding`.
    ``settings``: cut-off and profile settings (see :mod:`verbind.core.settings`).
    ``value_labels``: for SPSS files, read the value labels (default) or only the codes.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    forms: Mapping[str, str] = field(default_factory=dict)
    codings: Mapping[str, Coding] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)
    value_labels: bool = True
    source: str = "<mapping>"

    def with_overrides(
        self, forms: Mapping[str, str] | None = None, settings: Mapping[str, Any] | None = None
    ) -> ColumnMapping:
        """Command-line options win over the mapping file."""
        return dataclasses.replace(
            self,
            forms={**self.forms, **(forms or {})},
            settings={**self.settings, **(settings or {})},
        )


def _standard_columns() -> dict[str, tuple[Instrument, Item]]:
    return {
        inst.column(item.id): (inst, item) for inst in registry().values() for item in inst.items
    }


def _item_option_keys(inst: Instrument, item: Item) -> tuple[str, ...]:
    return tuple(dict.fromkeys(o.key for f in item.forms for o in inst.forms[f].options))


def parse_mapping(data: Any, source: str = "<mapping>") -> ColumnMapping:
    """Validate a parsed mapping file. Raises BulkInputError naming the file and field."""

    def fail(where: str, problem: str) -> BulkInputError:
        return BulkInputError(f"{source}: {where}: {problem}")

    if data is None:
        return ColumnMapping(source=source)
    if not isinstance(data, Mapping):
        raise fail("top level", "expected a mapping with columns / forms / codings / settings")
    allowed = {"columns", "forms", "codings", "settings", "value_labels"}
    extra = sorted(set(map(str, data)) - allowed)
    if extra:
        raise fail(extra[0], f"unknown field; allowed: {', '.join(sorted(allowed))}")
    instruments = registry()
    standard = _standard_columns()

    columns = data.get("columns") or {}
    if not isinstance(columns, Mapping):
        raise fail("columns", "expected a mapping of file column -> standard column")
    targets: dict[str, str] = {}
    for src, dst in columns.items():
        if not isinstance(dst, str) or not dst.strip():
            raise fail(f"columns.{src}", f"expected a column name, got {dst!r}")
        if dst in targets:
            raise fail(f"columns.{src}", f"{dst!r} is already the new name of {targets[dst]!r}")
        targets[dst] = str(src)

    forms = data.get("forms") or {}
    if not isinstance(forms, Mapping):
        raise fail("forms", "expected a mapping of instrument -> answer form")
    for inst_id, form in forms.items():
        _check_form(str(inst_id), form, fail, f"forms.{inst_id}")
    forms = {str(k): str(v) for k, v in forms.items()}

    codings: dict[str, Coding] = {}
    raw_codings = data.get("codings") or {}
    if not isinstance(raw_codings, Mapping):
        raise fail("codings", "expected a mapping of instrument or column -> value -> option")
    for target, table in raw_codings.items():
        target = str(target)
        path = f"codings.{target}"
        if target in instruments:
            inst = instruments[target]
            option_keys = {k for i in inst.items for k in _item_option_keys(inst, i)}
        elif target in standard:
            inst, item = standard[target]
            option_keys = set(_item_option_keys(inst, item))
        else:
            raise fail(path, "not an instrument id or a standard column name (e.g. djg11_3)")
        if isinstance(table, str):
            form_id, table = _named_coding(inst, table, fail, path)
            # A named coding belongs to one answer form: it says the form too.
            declared = forms.setdefault(inst.id, form_id)
            if declared != form_id:
                raise fail(
                    path,
                    f"coding {raw_codings[target]!r} is a coding of the {form_id} form, but "
                    f"forms.{inst.id} says {declared}",
                )
        if not isinstance(table, Mapping) or not table:
            raise fail(
                path,
                "expected a mapping of value -> option key, or the name of a coding "
                "(e.g. djg11: manual)",
            )
        by_code: dict[int, str | None] = {}
        by_label: dict[str, str | None] = {}
        for value, key in table.items():
            if isinstance(key, bool) and ("yes" if key else "no") in option_keys:
                # YAML reads an unquoted yes / no as true / false: the option meant.
                key = "yes" if key else "no"
            if key is not None and str(key) not in option_keys:
                raise fail(
                    f"{path}.{value}",
                    f"unknown option {key!r}; options are {', '.join(sorted(option_keys))} "
                    "(or null for 'not answered')",
                )
            key = None if key is None else str(key)
            code = None if isinstance(value, bool) else as_code(value)
            if code is not None:
                by_code[code] = key
            else:
                by_label[normalise_label(str(value))] = key
        codings[target] = Coding(by_code=by_code, by_label=by_label)

    settings = data.get("settings") or {}
    if not isinstance(settings, Mapping):
        raise fail("settings", "expected a mapping of setting name -> value")
    value_labels = data.get("value_labels", True)
    if not isinstance(value_labels, bool):
        raise fail("value_labels", f"expected true or false, got {value_labels!r}")
    return ColumnMapping(
        columns={str(k): str(v) for k, v in columns.items()},
        forms=forms,
        codings=codings,
        settings=dict(settings),
        value_labels=value_labels,
        source=source,
    )


def _named_coding(
    inst: Instrument, name: str, fail: Callable[[str, str], Exception], where: str
) -> tuple[str, Mapping[int, str]]:
    """A coding named in the instrument definition (``djg11: manual``) and its form."""
    named = {n: (f.id, c) for f in inst.forms.values() for n, c in f.codings.items()}
    if name not in named:
        known = ", ".join(sorted(named)) or "none"
        raise fail(where, f"{inst.id} has no coding named {name!r}; named codings: {known}")
    return named[name]


def _check_form(inst_id: str, form: Any, fail: Callable[[str, str], Exception], where: str):
    instruments = registry()
    if inst_id not in instruments:
        raise fail(
            where, f"unknown instrument {inst_id!r}; known: {', '.join(sorted(instruments))}"
        )
    if form not in instruments[inst_id].forms:
        raise fail(
            where,
            f"unknown answer form {form!r} for {inst_id}; forms: "
            f"{', '.join(instruments[inst_id].forms)}",
        )


def load_mapping(path: Path | str) -> ColumnMapping:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BulkInputError(f"cannot read mapping file {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise BulkInputError(f"{path.name}: not valid YAML: {exc}") from exc
    return parse_mapping(data, source=path.name)


def parse_forms(pairs: Iterable[str]) -> dict[str, str]:
    """``["djg11=three_point"]`` -> ``{"djg11": "three_point"}``, checked."""
    out: dict[str, str] = {}
    for pair in pairs:
        inst_id, sep, form = pair.partition("=")
        if not sep:
            raise BulkInputError(
                f"--form {pair!r}: expected INSTRUMENT=FORM, e.g. djg11=three_point"
            )
        inst_id, form = inst_id.strip(), form.strip()
        _check_form(inst_id, form, lambda w, p: BulkInputError(f"--form {w}: {p}"), pair)
        out[inst_id] = form
    return out


def parse_settings(pairs: Iterable[str]) -> dict[str, str]:
    """``["djg11_subscale_cutoff=3"]`` -> ``{"djg11_subscale_cutoff": "3"}`` (checked later)."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BulkInputError(
                f"--setting {pair!r}: expected NAME=VALUE, e.g. djg11_subscale_cutoff=3"
            )
        out[name.strip()] = value.strip()
    return out


# --- reading and writing ----------------------------------------------------------------


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


def output_kind(path: Path | str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in SUPPORTED_OUTPUTS:
        raise BulkInputError(
            f"{Path(path).name}: cannot write {suffix or '(no extension)'!r} files; "
            "use .csv, .parquet or .sav"
        )
    return SUPPORTED_OUTPUTS[suffix]


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


# --- scoring ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InstrumentColumns:
    """Which file columns hold one instrument's items, and in which answer form."""

    instrument: Instrument
    form: str | None
    columns: Mapping[str, str]  # item id -> file column (only the items present)

    @property
    def missing_items(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.instrument.items if i.id not in self.columns)


@dataclass
class BulkResult:
    """The scored frame plus everything a report needs."""

    frame: pl.DataFrame
    errors: pl.DataFrame
    instruments: tuple[InstrumentColumns, ...]
    result_columns: tuple[str, ...]
    rows: int
    scored_rows: int  # rows where every instrument present got a result
    unscored_rows: int  # rows where no instrument got a result
    invalid_rows: int  # rows with at least one answer that could not be interpreted
    incomplete_rows: int  # rows with too many missing answers (and no invalid answer)
    # Rows scored with a missing answer that leaves the level (or the cut-off) open.
    indeterminate_rows: int = 0
    # Rows with neither loneliness nor social isolation scored: no route (crisis help only
    # when the safety question says so). 0 without profile columns.
    no_route_rows: int = 0
    warnings: list[str] = field(default_factory=list)
    settings: Mapping[str, Any] = field(default_factory=dict)
    # Seconds per step of score_frame (plan, pass, report, profile), for benchmarks.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def anything_scored(self) -> bool:
        return self.rows > self.unscored_rows


class _ColumnResolver:
    """Interprets one file value of one item, the same way as scoring one person.

    Order: the file's own coding (mapping file), then the SPSS value label of a code,
    then :func:`resolve_answer` (option keys, Dutch/English labels, codes in the form).
    Returns the option key, None for missing, or raises ScoringError.
    """

    def __init__(
        self,
        inst: Instrument,
        item: Item,
        form: str | None,
        coding: Coding | None,
        labels: Mapping[Any, str] | None,
        decimal_comma: bool = False,
    ):
        self.inst, self.item, self.form = inst, item, form
        self.coding = coding or None
        self.labels = labels or None
        self.decimal_comma = decimal_comma
        # A form whose codes files write both ways round (DJG 3-point): a numeric code is
        # read only through the file's declared coding, never the definition's codes.
        form_id = form if form in item.forms else item.default_form
        self.declared_only = inst.forms[form_id].declare_file_codes

    def __call__(self, value: Any) -> str | None:
        if self.decimal_comma and isinstance(value, str):
            value = decimal_point(value)
        if self.coding is not None and not is_missing(value):
            key = self.coding.lookup(value)
            if key is not _MISSING:
                return key
        if self.labels is not None and not is_missing(value):
            label = self._label(value)
            if label is not None:
                if self.coding is not None:
                    key = self.coding.lookup(label)
                    if key is not _MISSING:
                        return key
                try:
                    opt = resolve_answer(self.inst, self.item, label, self.form)
                except ScoringError as exc:
                    raise ScoringError(
                        self.inst.id,
                        f"answer {value!r} (label {label!r}) is not one of the options",
                        item=self.item.id,
                        value=value,
                        allowed=exc.allowed,
                    ) from None
                return opt.key if opt else None
        if self.declared_only and not is_missing(value) and as_code(value) is not None:
            if self.coding is None and self.labels is None:
                raise UndeclaredCoding(self.inst, self.form)
            raise ScoringError(
                self.inst.id,
                f"code {value!r} is not in the file's declared coding",
                item=self.item.id,
                value=value,
                allowed=allowed_answers(self.inst, self.item, self.form),
            )
        opt = resolve_answer(self.inst, self.item, value, self.form)
        return opt.key if opt else None

    def _label(self, value: Any) -> str | None:
        assert self.labels is not None
        if value in self.labels:
            return self.labels[value]
        code = as_code(value)
        if code is not None:
            for k in (code, float(code)):
                if k in self.labels:
                    return self.labels[k]
        return None


# A number written with the decimal comma, as a whole cell: "2,0", " -1,0 ", "2,5".
_DECIMAL_COMMA_NUMBER = re.compile(r"\s*[-+]?[0-9]+,[0-9]+\s*")


def decimal_point(value: str) -> str:
    """``"2,0"`` -> ``"2.0"`` for a file with the decimal comma (Dutch Excel), so the text
    cell of a column that mixes labels and numbers reads as code 2, as its number cells
    do; ``"2,5"`` becomes ``"2.5"``, which is no code (reported as an unknown answer).
    Anything else, such as the label ``"ja, zeker"``, is returned unchanged."""
    return value.replace(",", ".") if _DECIMAL_COMMA_NUMBER.fullmatch(value) else value


@dataclass
class _ColumnPlan:
    """How one file column maps to the item's options (by position in ``keys``).

    ``dense``: an integer column whose codes span ``span`` (min, max), mapped through a
    table indexed by ``code - offset``; otherwise the distinct values ``old`` map to
    ``positions`` through replace_strict.
    """

    item: Item
    column: str
    keys: tuple[str, ...]  # the item's option keys; position = index here
    allowed: str
    dtype: pl.DataType  # the file column's type
    invalid: pl.Expr | None = None  # True where the value could not be interpreted
    invalid_values: list[Any] = field(default_factory=list)
    dense: list[int | None] | None = None
    offset: int = 0
    span: tuple[int, int] = (0, 0)
    # Codes inside ``span`` with no option (invalid, or a coding that means missing).
    no_option: list[int] = field(default_factory=list)
    old: pl.Series | None = None
    positions: list[int] = field(default_factory=list)
    empty: bool = False  # every value missing
    nullable: bool = True  # some row may have no option (missing or invalid)

    def map(self, per_option: Sequence[int], dtype: pl.DataType) -> pl.Expr:
        """The column mapped to ``per_option[position]`` (whole numbers), as a signed
        integer type at least ``dtype``; null when the answer is missing or invalid."""
        col = pl.col(self.column)
        if self.empty:
            return pl.lit(None, dtype)
        if self.dense is not None:
            table = [None if p is None else per_option[p] for p in self.dense]
            expr = _lookup(col, table, self.offset, self.span, self.dtype, dtype)
            if self.no_option:
                # The formula is exact on codes with an option only: mask the others.
                expr = pl.when(_code_in(col, self.no_option, self.span).not_()).then(expr)
            return expr
        if self.old is None or not len(self.old):
            return pl.lit(None, dtype)
        new = pl.Series([per_option[p] for p in self.positions], dtype=dtype)
        return col.replace_strict(self.old, new, default=None, return_dtype=dtype)


# Signed integer types by width, for arithmetic that must not overflow.
_SIGNED: tuple[tuple[pl.DataType, int], ...] = (
    (pl.Int8, 2**7), (pl.Int16, 2**15), (pl.Int32, 2**31), (pl.Int64, 2**63),
)  # fmt: skip
# A table with more changes than this between its codes is looked up by a when/then chain.
_MAX_STEPS = 4


def _signed_type(bound: int, at_least: pl.DataType | None = None) -> pl.DataType:
    """The narrowest signed type holding -bound..bound, and at least ``at_least``."""
    floor = 0
    for n, (dtype, _) in enumerate(_SIGNED):
        if dtype == at_least:
            floor = n
    for dtype, limit in _SIGNED[floor:]:
        if bound < limit:
            return dtype
    raise BulkInputError(f"codes too large to score (up to {bound})")  # pragma: no cover


def _work_type(in_dtype: pl.DataType, bound: int, at_least: pl.DataType | None) -> pl.DataType:
    """Where to compute: wide enough for ``bound`` and ``at_least``, and never narrower
    than the column, so the column is at most widened (cheap), never narrowed (a checked
    pass over the data)."""
    floor = at_least
    if in_dtype.is_integer():
        if in_dtype.is_signed_integer():
            floor = _signed_type(0, in_dtype) if floor is None else _wider(floor, in_dtype)
        else:
            # UInt8 fits Int16 without a check, UInt16 fits Int32 ...
            bits = {pl.UInt8: pl.Int16, pl.UInt16: pl.Int32}.get(in_dtype, pl.Int64)
            floor = bits if floor is None else _wider(floor, bits)
    return _signed_type(bound, floor)


def _wider(a: pl.DataType, b: pl.DataType) -> pl.DataType:
    order = [d for d, _ in _SIGNED]
    return a if order.index(a) >= order.index(b) else b


def _lookup(
    col: pl.Expr,
    table: Sequence[int | None],
    offset: int,
    span: tuple[int, int],
    in_dtype: pl.DataType,
    at_least: pl.DataType | None = None,
) -> pl.Expr:
    """``table[code - offset]`` as integer arithmetic on the column: a few cheap kernels.

    Exact for every code in ``span`` whose entry is not None (the caller masks the
    others); null stays null. The result is a signed integer type at least ``at_least``
    (never narrower than the column). The formula is derived from the table, never
    written per instrument: an affine table (LSNS-6: points = code) is
    ``a * code + b`` (nothing at all for points = code); a table with a few steps (a DJG
    item: 1 point for codes 1-3, 0 for 4-5) is a sum of step terms, each
    ``[code >= s] = (code + K - s) // K`` with K wide enough that the division gives 0
    below s and 1 from s on, for every valid code. (A comparison gives a boolean, and
    turning booleans into numbers costs several times more than the division.)
    """
    known = {
        offset + n: v
        for n, v in enumerate(table)
        if v is not None and span[0] <= offset + n <= span[1]
    }
    if not known:
        return pl.lit(None, at_least or pl.Int8)
    codes = sorted(known)
    lo, hi = codes[0], codes[-1]
    first = known[lo]
    steps = [(b, known[b] - known[a]) for a, b in itertools.pairwise(codes) if known[b] != known[a]]
    slope = None
    if len(codes) == 1:
        slope = 0
    elif (known[codes[1]] - first) % (codes[1] - lo) == 0:
        slope = (known[codes[1]] - first) // (codes[1] - lo)
        if any(known[c] != first + slope * (c - lo) for c in codes):
            slope = None
    if slope is None and len(steps) > _MAX_STEPS:
        # Rare (no instrument has such a table): affine runs of the chain in Int64.
        return _piecewise(col, table, offset, pl.Int64)
    # Every code in the column (codes without an option too: they are masked, but must
    # not overflow) keeps every intermediate value inside the working type.
    reach = max(abs(span[0]), abs(span[1]))
    if slope is not None:
        intercept = first - slope * lo
        bound = reach * abs(slope) + abs(intercept)
    else:
        width = hi - lo + 1
        bound = (reach + 2 * width + abs(hi)) * max(abs(first), *(abs(d) for _, d in steps))
        bound = bound * (len(steps) + 1) + abs(first)
    work = _work_type(in_dtype, bound, at_least)
    x = col if in_dtype == work else col.cast(work)

    def lit(value: int) -> pl.Expr:
        return pl.lit(value, work)

    def plus(expr: pl.Expr, value: int) -> pl.Expr:
        return expr + lit(value) if value else expr

    def times(expr: pl.Expr, value: int) -> pl.Expr:
        return expr if value == 1 else expr * lit(value)

    if slope is not None:
        # x * 0 keeps null where the answer is missing.
        return plus(times(x, slope) if slope else x * lit(0), intercept)

    def at_least_step(s: int) -> pl.Expr:  # [code >= s] for codes lo..hi
        k = max(s - lo, hi - s + 1)
        return plus(x, k - s) // lit(k)

    def below_step(s: int) -> pl.Expr:  # [code < s] for codes lo..hi
        k = max(s - lo, hi - s + 1)
        return (lit(k + s - 1) - x) // lit(k)

    if len(steps) == 1 and first + steps[0][1] == 0:
        # One step down to 0 (DJG negative items): a single [code < s] term.
        return times(below_step(steps[0][0]), first)
    expr = None
    for s, d in steps:
        term = times(at_least_step(s), d)
        expr = term if expr is None else expr + term
    assert expr is not None
    return plus(expr, first)


def _code_in(col: pl.Expr, codes: Sequence[int], span: tuple[int, int]) -> pl.Expr:
    """True where the column holds one of ``codes`` (a subset of ``span``); never null."""
    inside = sorted(set(range(span[0], span[1] + 1)) - set(codes))
    if inside and inside[-1] - inside[0] + 1 == len(inside):
        # The other codes form one run: outside it (two comparisons, no hashing).
        expr = (col < inside[0]) | (col > inside[-1])
    else:
        expr = col.is_in(pl.lit(pl.Series(list(codes))).implode())
    return expr.fill_null(False)


def _piecewise(col: pl.Expr, table: Sequence[Any], offset: int, dtype: pl.DataType) -> pl.Expr:
    """``table[value - offset]`` as a when/then chain over runs of codes, for tables with
    too many steps for :func:`_lookup`. Values outside every run give null."""
    numeric = dtype.is_numeric()
    runs: list[tuple[int, int, Any, Any]] = []  # (first, last, value at first, slope)
    n = 0
    while n < len(table):
        value = table[n]
        if value is None:
            n += 1
            continue
        end, slope = n, None
        while end + 1 < len(table) and table[end + 1] is not None:
            step = table[end + 1] - table[end] if numeric else None
            if not numeric:
                if table[end + 1] != value:
                    break
            elif slope is None:
                slope = step
            elif step != slope:
                break
            end += 1
        runs.append((n, end, value, slope or 0))
        n = end + 1
    if not runs:
        return pl.lit(None, dtype)
    chain: Any = pl
    for first, last, value, slope in runs:
        lo, hi = first + offset, last + offset
        cond = col == lo if lo == hi else col.is_between(lo, hi)
        if slope:
            # value + slope * (code - lo), computed in the output type.
            then = (col.cast(dtype) * slope + (value - slope * lo)).cast(dtype)
        else:
            then = pl.lit(value, dtype)
        chain = chain.when(cond).then(then)
    return chain


def _column_stats(frame: pl.DataFrame, columns: Sequence[str]) -> dict[str, Any]:
    """One pass over the data: min/max of integer columns, distinct values of others."""
    exprs: list[pl.Expr] = []
    for col in columns:
        dtype = frame.schema[col]
        if dtype.is_integer():
            exprs += [
                pl.col(col).min().alias(f"{col}\0min"),
                pl.col(col).max().alias(f"{col}\0max"),
            ]
        elif dtype == pl.Null:
            continue
        else:
            exprs.append(pl.col(col).unique().implode().alias(f"{col}\0unique"))
    row = frame.select(exprs).row(0, named=True) if exprs else {}
    return row


def _plan_column(
    frame: pl.DataFrame,
    stats: Mapping[str, Any],
    inst: Instrument,
    item: Item,
    column: str,
    form: str | None,
    coding: Coding | None,
    labels: Mapping[Any, str] | None,
    decimal_comma: bool = False,
) -> _ColumnPlan:
    keys = _item_option_keys(inst, item)
    pos_of = {k: n for n, k in enumerate(keys)}
    resolver = _ColumnResolver(inst, item, form, coding, labels, decimal_comma)
    allowed = "; ".join(allowed_answers(inst, item, form))
    if resolver.declared_only:
        # The definition's codes do not apply to this file: list the codes it declared.
        allowed = _declared_allowed(inst, item, coding, labels) or allowed
    series = frame.get_column(column)
    dtype = series.dtype
    has_nulls = series.null_count() > 0  # known without a pass over the data

    def interpret(value: Any) -> tuple[int | None, bool]:
        try:
            key = resolver(value)
        except ScoringError:
            return None, True
        return (None if key is None else pos_of[key]), False

    col = pl.col(column)
    plan = _ColumnPlan(item, column, keys, allowed, dtype)
    if dtype == pl.Null:
        plan.empty = True
        return plan
    if dtype.is_integer():
        lo, hi = stats[f"{column}\0min"], stats[f"{column}\0max"]
        if lo is None:  # every value missing
            plan.empty = True
            return plan
        if hi - lo < _DENSE_RANGE:
            # Only the codes that occur between min and max are interpreted.
            table = [interpret(v) for v in range(lo, hi + 1)]
            plan.dense, plan.offset, plan.span = [p for p, _ in table], lo, (lo, hi)
            plan.no_option = [lo + n for n, (p, _) in enumerate(table) if p is None]
            bad = [lo + n for n, (_, b) in enumerate(table) if b]
            if bad:
                plan.invalid = _code_in(col, bad, plan.span)
                # Codes in the range that are invalid may not occur; the report lists real ones.
                plan.invalid_values = bad
            plan.nullable = has_nulls or bool(plan.no_option)
            return plan
        distinct = frame.select(col.unique()).to_series().to_list()
    else:
        distinct = stats[f"{column}\0unique"]
    table = {v: interpret(v) for v in distinct if v is not None}
    good = {v: p for v, (p, b) in table.items() if not b and p is not None}
    bad = [v for v, (_, b) in table.items() if b]
    plan.old = pl.Series(list(good), dtype=dtype)
    plan.positions = list(good.values())
    plan.nullable = has_nulls or len(good) < len(table)
    if bad:
        # NaN is never "bad" (it is missing), so is_in on the real values is exact.
        plan.invalid = col.is_in(pl.lit(pl.Series(bad, dtype=dtype)).implode()).fill_null(False)
        plan.invalid_values = bad
    return plan


def _coding_for(mapping: ColumnMapping, inst: Instrument, item_id: str) -> Coding | None:
    """The file's coding of one column: the column's own entries over the instrument's
    (``djg11: manual`` with ``djg11_3: {9: null}`` reads both)."""
    whole = mapping.codings.get(inst.id)
    own = mapping.codings.get(inst.column(item_id))
    if whole is None or own is None:
        return own or whole
    return Coding(
        by_code={**whole.by_code, **own.by_code}, by_label={**whole.by_label, **own.by_label}
    )


def _declared_allowed(
    inst: Instrument, item: Item, coding: Coding | None, labels: Mapping[Any, str] | None
) -> str:
    """The codes a file declared for an item (mapping coding, else SPSS value labels)."""
    options = {o.key: o for f in item.forms for o in inst.forms[f].options}
    parts = []
    for code, key in sorted((coding.by_code if coding else {}).items()):
        text = "not answered" if key is None else f"{options[key].label.en}/{options[key].label.nl}"
        parts.append(f"{code}={text}")
    if not parts and labels:
        parts = [f"{as_code(v) if as_code(v) is not None else v}={t}" for v, t in labels.items()]
    return "; ".join(parts) + " (the file's declared coding)" if parts else ""


def scale_column(inst: Instrument, scale_id: str) -> str:
    """Output column of a scale: ``djg11_total``, ``djg11_emotional``, ``lsns6_family``."""
    return f"{inst.id}_{scale_id}"


def level_column(inst: Instrument) -> str:
    return f"{inst.id}_level"


def cutoff_column(inst: Instrument, scale_id: str) -> str:
    """Boolean output column: the scale meets its cut-off (``djg11_total_cutoff``)."""
    return f"{inst.id}_{scale_id}_cutoff"


def find_instruments(
    columns: Sequence[str], mapping: ColumnMapping
) -> tuple[list[InstrumentColumns], list[str]]:
    """Which instruments a file holds (by standard column names after the mapping)."""
    warnings: list[str] = []
    present = set(columns)
    # Names are matched ignoring case and surrounding spaces ("DJG11_1 " from SPSS or a
    # spreadsheet is djg11_1); the output keeps the file's own names.
    by_key = {_name_key(c): c for c in reversed(columns)}
    renames: dict[str, str] = {}
    for src, dst in mapping.columns.items():
        col = src if src in present else by_key.get(_name_key(src))
        if col is None:
            warnings.append(f"mapping renames column {src!r}, which is not in the file")
        else:
            renames[col] = dst
    standard = _standard_columns()
    file_of: dict[str, str] = {}
    for col in columns:
        std = _name_key(renames.get(col, col))
        if std not in standard:
            continue  # not a question: kept as it is, whatever its name
        if std in file_of:
            how = "after the mapping" if renames else "names match ignoring case and spaces"
            raise BulkInputError(
                f"columns {file_of[std]!r} and {col!r} are both {std!r} ({how}); keep one, "
                "or rename one of them in a mapping file"
            )
        file_of[std] = col
    found: list[InstrumentColumns] = []
    for inst in registry().values():
        cols = {
            i.id: file_of[inst.column(i.id)] for i in inst.items if inst.column(i.id) in file_of
        }
        if not cols:
            continue
        ic = InstrumentColumns(inst, mapping.forms.get(inst.id), cols)
        if ic.missing_items and inst.scored:
            warnings.append(
                f"{inst.short_title}: column(s) "
                f"{', '.join(inst.column(i) for i in ic.missing_items)} not in the file; "
                "treated as not answered"
            )
        found.append(ic)
    return found, warnings


def _name_key(name: str) -> str:
    return name.strip().lower()


def score_frame(
    frame: pl.DataFrame,
    mapping: ColumnMapping | None = None,
    *,
    value_labels: Mapping[str, Mapping[Any, str]] | None = None,
    progress: Progress | None = None,
    decimal_comma: bool = False,
) -> BulkResult:
    """Score every instrument found in ``frame``; see the module docstring.

    ``decimal_comma``: the file writes numbers with the decimal comma (a Dutch Excel CSV,
    :attr:`Survey.dutch_excel`): a text cell ``"2,0"`` is code 2, as the number cells of
    such a file are, and unknown answers are reported as the file wrote them (``2,5``).
    """
    from verbind.core.profile import resolved_settings

    mapping = mapping or ColumnMapping()
    try:
        settings = dict(resolved_settings(mapping.settings))
    except ValueError as exc:
        raise BulkInputError(str(exc)) from exc
    labels = (value_labels or {}) if mapping.value_labels else {}
    found, warnings = find_instruments(frame.columns, mapping)
    if not found:
        examples = ", ".join(
            inst.column(inst.items[0].id) for inst in list(registry().values())[:4]
        )
        shown = ", ".join(frame.columns[:12]) + (" ..." if frame.width > 12 else "")
        raise BulkInputError(
            "no instrument columns found. Standard names are <instrument>_<item> "
            f"(e.g. {examples}); rename others with a mapping file. "
            f"Columns in the file: {shown or '(none)'}"
        )
    steps = len(found) + 2
    tick = progress or (lambda stage, done, total: None)
    tick("reading answers", 0, steps)

    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[step] = now - clock
        clock = now

    all_columns = [c for ic in found for c in ic.columns.values()]
    stats = _column_stats(frame, all_columns)

    plans: dict[str, dict[str, _ColumnPlan]] = {}
    undeclared: list[str] = []
    for ic in found:
        inst = ic.instrument
        inst_plans: dict[str, _ColumnPlan] = {}
        uncoded: list[str] = []
        for item_id, col in ic.columns.items():
            coding = _coding_for(mapping, inst, item_id)
            try:
                inst_plans[item_id] = _plan_column(
                    frame, stats, inst, inst.item(item_id), col, ic.form, coding,
                    labels.get(col), decimal_comma,
                )  # fmt: skip
            except UndeclaredCoding:
                uncoded.append(col)
        if uncoded:
            undeclared.append(undeclared_coding_message(inst, str(ic.form), uncoded))
        plans[inst.id] = inst_plans
    if undeclared:
        raise BulkInputError("\n".join(undeclared))
    work = _Work(found, plans, decimal_comma)

    # Pass 1: per item its points (scored items) or its option position (the others);
    # null = missing or invalid. Then per instrument: any invalid answer, missing counts.
    value_exprs: list[pl.Expr] = []
    for ic in found:
        inst = ic.instrument
        for item_id, plan in plans[inst.id].items():
            item = inst.item(item_id)
            if item.key is not None:
                points = [item.key[k] for k in plan.keys]
                value = plan.map(points, _points_dtype(points))
                value_exprs.append(value.alias(_tmp("val", inst.id, item_id)))
            if plan.invalid is not None:
                value_exprs.append(plan.invalid.alias(_tmp("bad", inst.id, item_id)))
    bad_exprs: list[pl.Expr] = []
    for ic in found:
        inst = ic.instrument
        bad_cols = [
            _tmp("bad", inst.id, i) for i, p in plans[inst.id].items() if p.invalid is not None
        ]
        if bad_cols:
            bad_exprs.append(pl.any_horizontal(bad_cols).alias(_tmp("inst_bad", inst.id)))
        primary = inst.primary_scale
        if primary is not None and work.missing_matters(inst, primary):
            n_missing = work.missing_count(inst, primary)
            if isinstance(n_missing, int):
                n_missing = pl.lit(n_missing, pl.Int16)
            bad_exprs.append(n_missing.alias(_tmp("missing", inst.id)))

    # Pass 2: scale values; pass 3: what derives from them (levels, cut-offs, profile key).
    result_columns: list[str] = []
    score_exprs: list[pl.Expr] = []
    derived_exprs: list[pl.Expr] = []
    for ic in found:
        inst = ic.instrument
        for scale in inst.scales.values():
            values, derived = _scale_exprs(work, inst, scale, settings)
            score_exprs += values
            derived_exprs += derived
            # Work columns (the headroom of missing answers) start with NUL: not output.
            result_columns += [
                name
                for e in values + derived
                if not (name := e.meta.output_name()).startswith("\0")
            ]
    flag_exprs = _flag_exprs(found, plans)
    result_columns += [e.meta.output_name() for e in flag_exprs]
    profile_key = _ProfileKey.for_instruments(work, settings)
    if profile_key is not None:
        derived_exprs.append(profile_key.expr.alias(profile_key.name))

    lazy = frame.lazy().with_columns(value_exprs)
    if bad_exprs:
        lazy = lazy.with_columns(bad_exprs)
    lazy = lazy.with_columns(score_exprs).with_columns(*derived_exprs, *flag_exprs)
    tick("scoring", 1, steps)
    lap("plan")
    scored = lazy.collect()
    lap("pass")
    tick("scoring", len(found) + 1, steps)

    errors = _collect_errors(scored, work)

    # Which rows got results: from the primary scale of each scored instrument.
    primaries = [
        scale_column(ic.instrument, ic.instrument.primary_scale.id)
        for ic in found
        if ic.instrument.primary_scale is not None
    ]
    nullable = [c for c in primaries if scored.get_column(c).null_count()]
    inst_bads = [
        c for c in (_tmp("inst_bad", ic.instrument.id) for ic in found) if c in scored.columns
    ]
    # Null counts are known without a pass over the data: rows are counted only when
    # some result can be missing.
    counts: dict[str, Any] = {"scored": scored.height, "unscored": 0, "invalid": 0}
    count_exprs: list[pl.Expr] = []
    if not primaries:
        counts["scored"], counts["unscored"] = 0, scored.height
    else:
        if nullable:
            ok = pl.all_horizontal([pl.col(c).is_not_null() for c in nullable])
            count_exprs.append(ok.sum().alias("scored"))
        if nullable and len(nullable) == len(primaries):
            none = pl.all_horizontal([pl.col(c).is_null() for c in primaries])
            count_exprs.append(none.sum().alias("unscored"))
    if inst_bads:
        count_exprs.append(pl.any_horizontal(inst_bads).sum().alias("invalid"))
    if count_exprs:
        counts.update(scored.select(count_exprs).row(0, named=True))
    open_rows = errors.filter(pl.col("problem").str.starts_with(INDETERMINATE_LEVEL))
    indeterminate_rows = open_rows.get_column("row").n_unique() if open_rows.height else 0
    problems = errors.filter(pl.col("problem").str.starts_with(INDETERMINATE_LEVEL).not_())
    err_rows = problems.select(pl.col("row").n_unique()).item() if problems.height else 0

    reversed_rows: list[dict[str, Any]] = []
    for ic in found:
        for finding in (_short_form_codes(frame, stats, ic), _reversed_pattern(scored, work, ic)):
            if finding is not None:
                warnings.append(finding["problem"])
                reversed_rows.append(finding)

    lap("report")
    columns = {name: scored.get_column(name) for name in (*frame.columns, *result_columns)}
    no_route_rows = 0
    if profile_key is not None:
        profile_series, no_route = _profile_columns(
            scored.get_column(profile_key.name), profile_key, settings
        )
        for series in profile_series:
            columns[series.name] = series
        result_columns += list(PROFILE_COLUMNS)
        if no_route is not None:
            no_route_rows = int(no_route.sum())
            if not work.measures_loneliness_or_isolation():
                # The file has no scale to base a route on: one warning, not one per row.
                warnings.append(
                    f"{NO_ROUTE}: the file has no loneliness or social isolation questions, "
                    "so the route column is empty (crisis help only where the safety "
                    "question was answered yes)"
                )
            else:
                extra = _no_route_errors(columns["route"], no_route)
                errors = pl.concat([errors, extra.cast(ERROR_SCHEMA)])  # type: ignore[arg-type]
                errors = errors.sort("row", maintain_order=True)
    if reversed_rows:
        # File-wide findings: no row number, after the row problems.
        errors = pl.concat([errors, pl.DataFrame(reversed_rows, schema=ERROR_SCHEMA)])
    tick("profile", steps, steps)

    # Output: every input column unchanged, then the results (replacing same-named ones).
    clashes = [c for c in result_columns if c in frame.columns]
    if clashes:
        warnings.append(
            f"input column(s) {', '.join(clashes)} replaced by freshly computed results"
        )
    keep = [c for c in frame.columns if c not in set(result_columns)]
    # Assembled from the computed columns as they are: no copy of a million rows.
    out = pl.DataFrame([columns[c] for c in keep + result_columns])
    lap("profile")
    return BulkResult(
        frame=out,
        errors=errors,
        instruments=tuple(found),
        result_columns=tuple(result_columns),
        rows=frame.height,
        scored_rows=int(counts["scored"] or 0),
        unscored_rows=int(counts["unscored"] or 0),
        invalid_rows=int(counts["invalid"] or 0),
        incomplete_rows=int(err_rows - (counts["invalid"] or 0)),
        indeterminate_rows=int(indeterminate_rows),
        no_route_rows=no_route_rows,
        warnings=warnings,
        settings=settings,
        timings=timings,
    )


def _tmp(*parts: str) -> str:
    # Internal work columns; the NUL byte keeps them apart from any real column name.
    return "\0" + "\0".join(parts)


def _points_dtype(points: Iterable[int]) -> pl.DataType:
    return pl.Int8 if all(-128 <= p <= 127 for p in points) else pl.Int32


@dataclass(frozen=True)
class _Work:
    """The plans of one scoring run, and what they tell about the work columns."""

    found: Sequence[InstrumentColumns]
    plans: Mapping[str, Mapping[str, _ColumnPlan]]
    decimal_comma: bool = False

    def value(self, inst: Instrument, item_id: str) -> pl.Expr:
        """Points (or option position) of an item; null literal for a column not in the file."""
        if item_id not in self.plans[inst.id]:
            return pl.lit(None, pl.Int8)
        return pl.col(_tmp("val", inst.id, item_id))

    def measures_loneliness_or_isolation(self) -> bool:
        """Whether the file holds a scale the profile reads loneliness or isolation from."""
        from verbind.core.profile import VERDICT_INSTRUMENTS

        return any(ic.instrument.id in VERDICT_INSTRUMENTS for ic in self.found)

    def may_be_invalid(self, inst: Instrument) -> bool:
        return any(p.invalid is not None for p in self.plans[inst.id].values())

    def inst_bad(self, inst: Instrument) -> pl.Expr:
        """True where an answer of the instrument could not be interpreted."""
        if not self.may_be_invalid(inst):
            return pl.lit(False)
        return pl.col(_tmp("inst_bad", inst.id))

    def missing_count(self, inst: Instrument, scale) -> pl.Expr | int:
        """Unanswered items of a scale per row (a column not in the file counts as
        unanswered); a plain number when no answer of the scale can be missing."""
        plans = self.plans[inst.id]
        absent = sum(1 for i in scale.items if i not in plans)
        can_miss = [i for i in scale.items if i in plans and plans[i].nullable]
        if not can_miss:
            return absent
        # when/then on literals and "+": far cheaper than summing booleans.
        one, zero = pl.lit(1, pl.Int16), pl.lit(0, pl.Int16)
        flags = [pl.when(self.value(inst, i).is_null()).then(one).otherwise(zero) for i in can_miss]
        total = functools.reduce(operator.add, flags)
        return total + absent if absent else total

    def headroom_bound(self, inst: Instrument, scale) -> int:
        """The most points the unanswered items of a row with a value could add to the
        scale (0 when the scale allows no missing answer or none can be missing)."""
        if not scale.max_missing:
            return 0
        count = self.missing_count(inst, scale)
        if isinstance(count, int) and count == 0:
            return 0
        maxima = sorted((max(inst.item(i).key.values()) for i in scale.items), reverse=True)  # type: ignore[union-attr]
        return sum(maxima[: scale.max_missing])

    def headroom(self, inst: Instrument, scale) -> pl.Expr:
        """Per row, the points the unanswered items could add (scoring.headroom_points):
        the highest points of each item that is missing or not in the file."""
        plans = self.plans[inst.id]
        top = {i: max(inst.item(i).key.values()) for i in scale.items}  # type: ignore[union-attr]
        absent = sum(top[i] for i in scale.items if i not in plans)
        zero = pl.lit(0, pl.Int16)
        terms = [
            pl.when(self.value(inst, i).is_null()).then(pl.lit(top[i], pl.Int16)).otherwise(zero)
            for i in scale.items
            if i in plans and plans[i].nullable
        ]
        total = functools.reduce(operator.add, terms) if terms else zero
        return total + pl.lit(absent, pl.Int16) if absent else total

    def nullable(self, inst: Instrument, item_id: str) -> bool:
        plan = self.plans[inst.id].get(item_id)
        return plan is not None and plan.nullable

    def missing_matters(self, inst: Instrument, scale) -> bool:
        """Whether some row may have too many answers missing for the scale."""
        count = self.missing_count(inst, scale)
        return not isinstance(count, int) or count > scale.max_missing


def _scale_exprs(
    work: _Work, inst: Instrument, scale, settings: Mapping[str, Any]
) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """(the scale value, then what derives from it: level and cut-off)."""
    present = [i for i in scale.items if i in work.plans[inst.id]]
    # Answered items are summed, nothing imputed: the same rule as scoring.score. "+"
    # after fill_null: summing columns that hold nulls is several times slower.
    points = [
        work.value(inst, i).fill_null(0) if work.nullable(inst, i) else work.value(inst, i)
        for i in present
    ]
    # polars adds small integers in their own type: widen when the sum could overflow.
    bound = sum(max(abs(v) for v in inst.item(i).key.values()) for i in scale.items)  # type: ignore[union-attr]
    if bound > 127:
        points = [p.cast(pl.Int32) for p in points]
    total = functools.reduce(operator.add, points).cast(pl.Int16) if points else pl.lit(0, pl.Int16)
    n_missing = work.missing_count(inst, scale)
    if isinstance(n_missing, int) and n_missing > scale.max_missing:
        value = pl.lit(None, pl.Int16)
    else:
        ok = work.inst_bad(inst).not_() if work.may_be_invalid(inst) else None
        if not isinstance(n_missing, int):
            enough = n_missing <= scale.max_missing
            ok = enough if ok is None else ok & enough
        value = total if ok is None else pl.when(ok).then(total)
    name = scale_column(inst, scale.id)
    derived: list[pl.Expr] = []
    bound = work.headroom_bound(inst, scale)
    if bound:
        # Unanswered items could add up to ``bound`` points: level and cut-off are read
        # from (value, headroom) through the same Scale.read as scoring one person, one
        # table entry per pair, so "indeterminate" and an unknown cut-off agree with it.
        return [value.alias(name), work.headroom(inst, scale).alias(_headroom(inst, scale))], (
            _read_exprs(inst, scale, settings, bound)
        )
    if scale is inst.primary_scale and scale.bands:
        levels = list(dict.fromkeys(b.level for b in scale.bands))
        if scale.max_missing:
            # The same column type whether or not this file has missing answers.
            levels.append(INDETERMINATE)
        lut: list[str | None] = [None] * (scale.max - scale.min + 1)
        for band in scale.bands:
            for v in range(band.min, band.max + 1):
                lut[v - scale.min] = band.level
        index = pl.col(name) - scale.min if scale.min else pl.col(name)
        # gather takes the Int16 value as it is (a cast to UInt32 first costs more).
        derived.append(
            pl.lit(pl.Series(lut, dtype=pl.Enum(levels))).gather(index).alias(level_column(inst))
        )
    cutoff = scale.cutoff
    if cutoff is not None:
        threshold = settings.get(cutoff.setting, cutoff.default)
        meets = pl.col(name) >= threshold if cutoff.op == ">=" else pl.col(name) < threshold
        derived.append(meets.alias(cutoff_column(inst, scale.id)))
        if scale is inst.primary_scale and not scale.bands and cutoff.level is not None:
            # No bands: the level follows the (possibly overridden) cut-off, as in score().
            levels = pl.Enum([cutoff.level, cutoff.otherwise_level])
            derived.append(
                pl.when(meets)
                .then(pl.lit(cutoff.level, levels))
                .when(meets.not_())
                .then(pl.lit(cutoff.otherwise_level, levels))
                .alias(level_column(inst))
            )
    return [value.alias(name)], derived


def _headroom(inst: Instrument, scale) -> str:
    return _tmp("headroom", inst.id, scale.id)


def _pair_index(inst: Instrument, scale, bound: int) -> pl.Expr:
    """(value - min) * (bound + 1) + headroom: one index per (value, headroom) pair."""
    value = pl.col(scale_column(inst, scale.id))
    if scale.min:
        value = value - scale.min
    return value * pl.lit(bound + 1, pl.Int16) + pl.col(_headroom(inst, scale))


def _pair_readings(scale, settings: Mapping[str, Any], bound: int) -> list:
    """Scale.read for every (value, headroom) pair, in :func:`_pair_index` order."""
    threshold = settings.get(scale.cutoff.setting) if scale.cutoff is not None else None
    return [
        scale.read(v, v + h if h else None, threshold)
        for v in range(scale.min, scale.max + 1)
        for h in range(bound + 1)
    ]


def _read_exprs(inst: Instrument, scale, settings: Mapping[str, Any], bound: int) -> list[pl.Expr]:
    """Level (primary scale) and cut-off columns of a scale that allows missing answers."""
    readings = _pair_readings(scale, settings, bound)
    index = _pair_index(inst, scale, bound)
    out: list[pl.Expr] = []
    if scale is inst.primary_scale and (
        scale.bands or (scale.cutoff is not None and scale.cutoff.level is not None)
    ):
        levels = [b.level for b in scale.bands] or [
            scale.cutoff.level,  # type: ignore[union-attr]
            scale.cutoff.otherwise_level,  # type: ignore[union-attr]
        ]
        enum = pl.Enum([*dict.fromkeys(levels), INDETERMINATE])
        table = pl.Series([r.level for r in readings], dtype=enum)
        out.append(pl.lit(table).gather(index).alias(level_column(inst)))
    if scale.cutoff is not None:
        table = pl.Series([r.meets_cutoff for r in readings], dtype=pl.Boolean)
        out.append(pl.lit(table).gather(index).alias(cutoff_column(inst, scale.id)))
    return out


def _flag_exprs(
    found: Sequence[InstrumentColumns], plans: Mapping[str, Mapping[str, _ColumnPlan]]
) -> list[pl.Expr]:
    """One column per flag an item can raise (``safety``): True when an answer raises it.

    Read per item, whatever the other answers of the row: one unreadable answer
    elsewhere must never hide a "yes" to the safety question. Null when no item that can
    raise the flag has a valid answer.
    """
    raised: dict[str, list[pl.Expr]] = {}
    for ic in found:
        inst = ic.instrument
        for plan in plans[inst.id].values():
            for flag, keys in plan.item.flags.items():
                table = [1 if k in keys else 0 for k in plan.keys]
                raised.setdefault(flag, []).append(plan.map(table, pl.Int8))
    return [
        ((exprs[0] if len(exprs) == 1 else pl.max_horizontal(exprs)) == 1).alias(flag)
        for flag, exprs in raised.items()
    ]


def _as_written(plan: _ColumnPlan, decimal_comma: bool) -> pl.Expr:
    """A column's value as text, with the file's decimal sign (``2,5`` in a Dutch Excel
    file, not polars' ``2.5``), so a researcher finds it in the file."""
    value = pl.col(plan.column).cast(pl.String)
    if decimal_comma and plan.dtype.is_float():
        value = value.str.replace(".", ",", literal=True)
    return value


def _collect_errors(scored: pl.DataFrame, work: _Work) -> pl.DataFrame:
    """One row per problem: an answer that cannot be interpreted, or too many missing."""
    # Filter first, then build the report columns: only problem rows pay for strings.
    lazy = scored.lazy().with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + ROW_BASE).alias("\0row")
    )
    parts: list[pl.LazyFrame] = []
    for ic in work.found:
        inst = ic.instrument
        inst_plans = work.plans[inst.id]
        for item_id, plan in inst_plans.items():
            if plan.invalid is None:
                continue
            parts.append(
                lazy.filter(pl.col(_tmp("bad", inst.id, item_id))).select(
                    pl.col("\0row").alias("row"),
                    pl.lit(inst.id).alias("instrument"),
                    pl.lit(plan.column).alias("column"),
                    pl.lit(inst.column(item_id)).alias("item"),
                    _as_written(plan, work.decimal_comma).alias("value"),
                    pl.lit(INVALID_ANSWER).alias("problem"),
                    pl.lit(plan.allowed).alias("allowed"),
                )
            )
        primary = inst.primary_scale
        if primary is not None and work.headroom_bound(inst, primary):
            parts.append(_indeterminate_errors(lazy, work, inst, primary))
        if primary is None or not work.missing_matters(inst, primary):
            continue
        missing_names = [
            pl.when(pl.col(_tmp("val", inst.id, i)).is_null()).then(pl.lit(inst_plans[i].column))
            if i in inst_plans
            else pl.lit(f"{inst.column(i)} (not in file)")
            for i in primary.items
        ]
        n_missing = pl.col(_tmp("missing", inst.id))
        too_many = (n_missing > primary.max_missing) & work.inst_bad(inst).not_()
        parts.append(
            lazy.filter(too_many).select(
                pl.col("\0row").alias("row"),
                pl.lit(inst.id).alias("instrument"),
                pl.concat_str(missing_names, separator=", ", ignore_nulls=True).alias("column"),
                pl.lit(None, pl.String).alias("item"),
                pl.lit(None, pl.String).alias("value"),
                pl.format(
                    "{}: {} of {} unanswered",
                    pl.lit(TOO_MANY_MISSING),
                    n_missing,
                    pl.lit(len(primary.items)),
                ).alias("problem"),
                pl.lit(
                    f"at most {primary.max_missing} unanswered for {inst.short_title} {primary.id}"
                ).alias("allowed"),
            )
        )
    if not parts:
        return pl.DataFrame(schema=ERROR_SCHEMA)
    frames = pl.collect_all(parts)
    errors = pl.concat([f.cast(ERROR_SCHEMA) for f in frames])  # type: ignore[arg-type]
    return errors.sort("row", "instrument", maintain_order=True)


def _missing_names(work: _Work, inst: Instrument, scale) -> list[pl.Expr]:
    plans = work.plans[inst.id]
    return [
        pl.when(pl.col(_tmp("val", inst.id, i)).is_null()).then(pl.lit(plans[i].column))
        if i in plans
        else pl.lit(f"{inst.column(i)} (not in file)")
        for i in scale.items
    ]


def _indeterminate_errors(lazy: pl.LazyFrame, work: _Work, inst: Instrument, scale) -> pl.LazyFrame:
    """Rows scored with an unanswered item that could move the total into another band or
    across the cut-off: their level is "indeterminate" (and the cut-off empty). Reported,
    so a researcher sees why, and counted apart from the problems."""
    value = pl.col(scale_column(inst, scale.id))
    open_ = pl.lit(False)
    if scale.bands or (scale.cutoff is not None and scale.cutoff.level is not None):
        open_ = pl.col(level_column(inst)) == INDETERMINATE
    if scale.cutoff is not None:
        open_ = open_ | (value.is_not_null() & pl.col(cutoff_column(inst, scale.id)).is_null())
    n_missing = work.missing_count(inst, scale)
    if isinstance(n_missing, int):
        n_missing = pl.lit(n_missing, pl.Int16)
    return lazy.filter(open_.fill_null(False)).select(
        pl.col("\0row").alias("row"),
        pl.lit(inst.id).alias("instrument"),
        pl.concat_str(_missing_names(work, inst, scale), separator=", ", ignore_nulls=True).alias(
            "column"
        ),
        pl.lit(None, pl.String).alias("item"),
        pl.lit(None, pl.String).alias("value"),
        pl.format(
            "{}: {} of {} unanswered; with that answer the total ({} so far) could fall in "
            "another band or across the cut-off",
            pl.lit(INDETERMINATE_LEVEL),
            n_missing,
            pl.lit(len(scale.items)),
            value,
        ).alias("problem"),
        pl.lit(
            f"scored; level {INDETERMINATE!r} and, where the cut-off could be crossed, no "
            "cut-off verdict: the row counts on neither side"
        ).alias("allowed"),
    )


# --- answers that look coded the other way round ---------------------------------------

ANSWERS_LOOK_REVERSED = "answers look reversed"
# The heuristic (docs/instruments.md, "Answers that look reversed"), on the rows that
# answer every item of the main scale validly, and only with this many such rows.
PATTERN_MIN_ROWS = 20
# "Split": one wording's items score at least 2/3 of their points, the other's at most
# 1/3. Warned when more than this share of the rows is split.
SPLIT_SHARE = 0.5
# "Mirrored": every answer at the worst end; warned when at least this share of the rows
# is, and more rows are at the worst end than at the best end.
MIRROR_SHARE = 0.2


def _wording_groups(inst: Instrument, scale, form: str | None) -> tuple[list[str], list[str]]:
    """The scale's items split by wording: points falling along the file codes (DJG's
    negatively worded items, Rosenberg's positively worded ones) and points rising."""
    falling, rising = [], []
    for item_id in scale.items:
        item = inst.item(item_id)
        options = sorted(inst.options_for(item_id, form), key=lambda o: o.code)
        first, last = item.key[options[0].key], item.key[options[-1].key]  # type: ignore[index]
        if first > last:
            falling.append(item_id)
        elif last > first:
            rising.append(item_id)
    return falling, rising


CODES_LOOK_SHORTER = "codes look like another answer form"


def _short_form_codes(frame: pl.DataFrame, stats: Mapping[str, Any], ic: InstrumentColumns):
    """A finding when an instrument read with its default form (no ``forms:`` declared)
    has, in every column and at least :data:`PATTERN_MIN_ROWS` rows, only codes of a
    shorter form whose codes must be declared (a DJG file with nothing but 1, 2 and 3 is
    almost surely 3-point: on the 5-point form nobody would have said nee or nee!)."""
    inst = ic.instrument
    if ic.form is not None or frame.height < PATTERN_MIN_ROWS:
        return None
    default = inst.forms[inst.items[0].default_form]
    seen: set[int] = set()
    for col in ic.columns.values():
        dtype = frame.schema[col]
        if dtype.is_integer():
            lo, hi = stats.get(f"{col}\0min"), stats.get(f"{col}\0max")
            values = [] if lo is None else [lo, hi]
        elif dtype == pl.Null:
            continue
        else:
            values = [v for v in stats.get(f"{col}\0unique") or [] if not is_missing(v)]
        codes = [as_code(v) for v in values]
        if any(c is None for c in codes):
            return None  # labels or other text: the form does not matter for those
        seen.update(c for c in codes if c is not None)
    for form in inst.forms.values():
        codes = {o.code for o in form.options}
        if form.declare_file_codes and seen and seen <= codes and len(codes) < len(default.options):
            names = ", ".join(form.codings)
            return {
                "row": None,
                "instrument": inst.id,
                "column": ", ".join(ic.columns.values()),
                "item": None,
                "value": None,
                "problem": (
                    f"{CODES_LOOK_SHORTER}: {inst.short_title} ({inst.id}): every code lies "
                    f"between {min(codes)} and {max(codes)}, but the file is read with the "
                    f"{default.id} form ({len(default.options)} answers). If it is the "
                    f"{form.id} form, say so and declare its coding (forms: {{{inst.id}: "
                    f"{form.id}}}, codings: {{{inst.id}: one of {names}}})."
                ),
                "allowed": f"scored as read with the {default.id} form",
            }
    return None


def _reversed_pattern(scored: pl.DataFrame, work: _Work, ic: InstrumentColumns):
    """A file-wide finding (an errors-file row, its problem also a warning) when the
    answers to one instrument look coded the other way round, else None."""
    inst = ic.instrument
    scale = inst.primary_scale
    if scale is None or any(i not in work.plans[inst.id] for i in scale.items):
        return None
    falling, rising = _wording_groups(inst, scale, ic.form)
    if not falling or not rising:
        return None
    val = {i: pl.col(_tmp("val", inst.id, i)).cast(pl.Int32) for i in scale.items}
    top = {i: max(inst.item(i).key.values()) for i in scale.items}  # type: ignore[union-attr]

    def share(items: list[str]) -> pl.Expr:
        return functools.reduce(operator.add, [val[i] for i in items]) / sum(top[i] for i in items)

    a, b = share(falling), share(rising)
    split = ((a >= 2 / 3) & (b <= 1 / 3)) | ((b >= 2 / 3) & (a <= 1 / 3))
    total = functools.reduce(operator.add, list(val.values()))
    worst, best = (scale.max, scale.min) if scale.higher_is == "worse" else (scale.min, scale.max)
    complete = pl.all_horizontal([v.is_not_null() for v in val.values()])
    counts = scored.select(
        complete.sum().alias("n"),
        (complete & split).sum().alias("split"),
        (complete & (total == worst)).sum().alias("worst"),
        (complete & (total == best)).sum().alias("best"),
    ).row(0, named=True)
    n = counts["n"]
    if n < PATTERN_MIN_ROWS:
        return None
    title = f"{inst.short_title} ({inst.id})"
    form_id = ic.form or inst.items[0].default_form
    names = ", ".join(inst.forms[form_id].codings)
    declare = f"declare the file's coding in the mapping file (codings: {inst.id}: " + (
        f"one of {names}, or a table of code: option)" if names else "{code: option, ...})"
    )
    if counts["split"] > SPLIT_SHARE * n:
        problem = (
            f"{ANSWERS_LOOK_REVERSED}: {title}: in {counts['split']} of {n} fully answered "
            f"rows ({counts['split'] / n:.0%}) the items worded one way and the items worded "
            "the other way point in opposite directions (one group at least 2/3 of its "
            "points, the other at most 1/3). Were some items recoded in the file already?"
        )
    elif counts["worst"] >= MIRROR_SHARE * n and counts["worst"] > counts["best"]:
        problem = (
            f"{ANSWERS_LOOK_REVERSED}: {title}: {counts['worst']} of {n} fully answered rows "
            f"({counts['worst'] / n:.0%}) score {worst}, every answer at the worst end, and "
            f"only {counts['best']} score {best}. That is rare in any group; it is what a "
            "file coded the other way round gives."
        )
    else:
        return None
    return {
        "row": None,
        "instrument": inst.id,
        "column": ", ".join(work.plans[inst.id][i].column for i in scale.items),
        "item": None,
        "value": None,
        "problem": problem,
        "allowed": f"scored as read; check the codebook and, if the codes run the other way, "
        f"{declare}",
    }


# --- profile: the one derivation and decision, once per distinct combination ------------

PROFILE_COLUMNS = ("isolated", "duration_band", "profile", "route", "underlying_route")


@dataclass(frozen=True)
class _Component:
    """One part of a row's profile summary, as a digit of the row's key (0 = unknown).

    ``target`` says where the value goes in the :class:`~verbind.core.profile.InputSummary`:
    ``("verdict", inst)`` with values ``(meets_cutoff, level)``, ``("subscale", inst,
    scale)`` with the subscale's cut-off, ``("duration",)`` or ``("context", item)`` with
    option keys. ``digit(radix, dtype)`` is the row's term of the key: radix * (index + 1).
    """

    target: tuple[str, ...]
    values: tuple[Any, ...]
    digit: Callable[[int, pl.DataType], pl.Expr]


def _scale_component(
    work: _Work, inst: Instrument, scale, describe: Callable[[int, int | None], Any]
) -> tuple[tuple[Any, ...], Callable[[int, pl.DataType], pl.Expr]]:
    """A component read from a scale's value: ``describe(low, high)`` for every value in
    the scale's range (``high``: the value plus what unanswered items could add, None
    when nothing is unanswered), numbered by distinct description, as arithmetic on the
    value column (and the headroom column where the scale allows missing answers)."""
    bound = work.headroom_bound(inst, scale)
    pairs = [(v, h) for v in range(scale.min, scale.max + 1) for h in range(bound + 1)]
    described = [describe(v, v + h if h else None) for v, h in pairs]
    values = tuple(dict.fromkeys(described))
    index = [values.index(d) for d in described]
    if bound:
        col, offset, span = _pair_index(inst, scale, bound), 0, (0, len(pairs) - 1)
    else:
        col = pl.col(scale_column(inst, scale.id))
        offset, span = scale.min, (scale.min, scale.max)

    def digit(radix: int, dtype: pl.DataType) -> pl.Expr:
        table = [radix * (n + 1) for n in index]
        return _lookup(col, table, offset, span, pl.Int16, dtype).fill_null(0)

    return values, digit


def _profile_components(work: _Work, settings: Mapping[str, Any]) -> list[_Component]:
    from verbind.core import profile

    comps: list[_Component] = []
    by_id = {ic.instrument.id: ic for ic in work.found}
    for inst_id in profile.VERDICT_INSTRUMENTS:
        if inst_id not in by_id:
            continue
        inst = by_id[inst_id].instrument
        primary = inst.primary_scale
        if primary is None:
            continue

        def verdict(low: int, high: int | None, scale=primary) -> tuple[bool | None, str | None]:
            # The same reading of a value as scoring one person: band, cut-off, level,
            # "indeterminate" when unanswered items could cross a boundary.
            cutoff = scale.cutoff
            threshold = settings.get(cutoff.setting) if cutoff is not None else None
            reading = scale.read(low, high, threshold)
            return reading.meets_cutoff, reading.level

        values, digit = _scale_component(work, inst, primary, verdict)
        comps.append(_Component(("verdict", inst_id), values, digit))
        for sid in profile.LONELINESS_SUBSCALES:
            scale = inst.scales.get(sid)
            if scale is None or scale.cutoff is None:
                continue
            cut = scale.cutoff

            def meets(low: int, high: int | None, s=scale, c=cut) -> bool | None:
                return s.read(low, high, settings.get(c.setting)).meets_cutoff

            values, digit = _scale_component(work, inst, scale, meets)
            comps.append(_Component(("subscale", inst_id, sid), values, digit))
    duration_id, duration_item = profile.DURATION_ITEM
    answer_items = [(duration_id, duration_item, ("duration",))]
    if profile.CONTEXT_INSTRUMENT in by_id:
        context = by_id[profile.CONTEXT_INSTRUMENT].instrument
        answer_items += [(context.id, item.id, ("context", item.id)) for item in context.items]
    for inst_id, item_id, target in answer_items:
        plan = work.plans.get(inst_id, {}).get(item_id)
        if plan is None:
            continue
        inst = by_id[inst_id].instrument

        def answer_digit(radix: int, dtype: pl.DataType, plan=plan, inst=inst) -> pl.Expr:
            term = plan.map([radix * (n + 1) for n in range(len(plan.keys))], dtype)
            if plan.item.flags or not work.may_be_invalid(inst):
                # An item that can raise a flag counts on its own (safety first).
                return term.fill_null(0)
            # Otherwise an instrument with an answer we cannot read has no result for
            # the row (as in scoring one person): none of its answers count.
            return pl.when(work.inst_bad(inst)).then(0).otherwise(term.fill_null(0))

        comps.append(_Component(target, plan.keys, answer_digit))
    return comps


def _summary(comps: Sequence[_Component], digits: Sequence[int]):
    """The InputSummary of one key: the per-instrument facts, no rules."""
    from verbind.core.profile import InputSummary, ScaleVerdict

    verdicts: dict[str, dict[str, Any]] = {}
    duration = None
    context: dict[str, str] = {}
    for comp, digit in zip(comps, digits, strict=True):
        value = None if digit == 0 else comp.values[digit - 1]
        kind = comp.target[0]
        if kind == "verdict":
            meets, level = value if value is not None else (None, None)
            verdicts.setdefault(comp.target[1], {}).update(meets_cutoff=meets, level=level)
        elif kind == "subscale":
            verdicts.setdefault(comp.target[1], {})[comp.target[2]] = value
        elif kind == "duration":
            duration = value
        elif value is not None:
            context[comp.target[1]] = value
    return InputSummary(
        verdicts=tuple(
            (inst_id, ScaleVerdict(**{"meets_cutoff": None, **fields}))
            for inst_id, fields in verdicts.items()
        ),
        duration_answer=duration,
        context=context,
    )


@dataclass(frozen=True)
class _ProfileKey:
    """Mixed-radix code of a row's profile summary: one integer per row, so the distinct
    combinations are found by counting one column."""

    comps: tuple[_Component, ...]
    radices: tuple[int, ...]
    sizes: tuple[int, ...]
    space: int
    expr: pl.Expr
    name: str = _tmp("profile_key")

    @classmethod
    def for_instruments(cls, work: _Work, settings: Mapping[str, Any]) -> _ProfileKey | None:
        measures = {ic.instrument.measures for ic in work.found}
        if not measures & {"loneliness", "isolation", "duration"}:
            return None
        comps = tuple(_profile_components(work, settings))
        sizes = tuple(len(c.values) + 1 for c in comps)
        radices, r = [], 1
        for size in sizes:
            radices.append(r)
            r *= size
        if r >= 2**63:  # pragma: no cover - every instrument at once stays far below
            raise BulkInputError("too many profile inputs in one file")
        # Added up in the narrowest type that holds every key (no nulls: "+" is cheap).
        work = _signed_type(r)
        terms = [c.digit(k, work) for c, k in zip(comps, radices, strict=True)]
        expr = functools.reduce(operator.add, terms) if terms else pl.lit(0, work)
        return cls(comps, tuple(radices), sizes, r, expr)


def _profile_columns(
    keys: pl.Series, pkey: _ProfileKey, settings: Mapping[str, Any]
) -> tuple[list[pl.Series], pl.Series | None]:
    """isolated / duration_band / profile / route / underlying_route per row:
    :func:`verbind.core.profile.derive_inputs` and ``classify`` once per distinct key,
    the route as :func:`~verbind.core.profile.research_route` gives it. Also, when some
    row has neither loneliness nor isolation (no route), a boolean column saying where."""
    from verbind.core import profile

    codes = keys.rechunk().to_numpy()  # one buffer, no copy; keys are never null
    if pkey.space <= 1 << 20:
        # Small key space: which keys occur, by counting (no hashing, no sorting).
        distinct = np.flatnonzero(np.bincount(codes, minlength=pkey.space))
        if pkey.space <= 1 << 16:
            # The key indexes the result tables itself (keys are >= 0: same bits).
            index, slots = codes.astype(np.uint32, copy=False), distinct
        else:
            remap = np.zeros(pkey.space, dtype=np.uint32)
            remap[distinct] = np.arange(len(distinct), dtype=np.uint32)
            index, slots = remap[codes], np.arange(len(distinct))
    else:
        distinct, inverse = np.unique(codes, return_inverse=True)
        index, slots = inverse.astype(np.uint32), np.arange(len(distinct))
    radices = np.array(pkey.radices, dtype=np.int64)
    sizes = np.array(pkey.sizes, dtype=np.int64)
    digits = (distinct.astype(np.int64)[:, None] // radices[None, :]) % sizes[None, :]

    resolved = profile.resolved_settings(settings)
    size = int(slots[-1]) + 1 if len(slots) else 0
    out: dict[str, list[Any]] = {c: [None] * size for c in PROFILE_COLUMNS}
    no_data = [False] * size
    decided: dict[Any, Any] = {}
    for slot, row in zip(slots.tolist(), digits.tolist(), strict=True):
        inputs = profile.derive_inputs(_summary(pkey.comps, row), resolved)
        decision = decided.get(inputs)
        if decision is None:
            decision = decided[inputs] = profile.classify(inputs, resolved)
        out["isolated"][slot] = inputs.isolated
        out["duration_band"][slot] = decision.duration_band
        out["profile"][slot] = decision.quadrant
        out["route"][slot], out["underlying_route"][slot] = profile.research_route(inputs, decision)
        no_data[slot] = profile.nothing_measured(inputs)

    dtypes = {
        "isolated": pl.Boolean,
        "duration_band": pl.Enum(list(profile.DURATION_BANDS)),
        "profile": pl.Enum(list(profile.QUADRANTS)),
        "route": pl.Enum(list(profile.ROUTES)),
        "underlying_route": pl.Enum(list(profile.ROUTES)),
    }
    # A small table per column, indexed by the key: a gather, no hashing.
    frame = (
        pl.Series("key", index)
        .to_frame()
        .select(
            pl.lit(pl.Series(out[name], dtype=dtypes[name])).gather(pl.col("key")).alias(name)
            for name in PROFILE_COLUMNS
        )
    )
    mask = None
    if any(no_data):
        mask = (
            pl.Series("key", index)
            .to_frame()
            .select(pl.lit(pl.Series(no_data, dtype=pl.Boolean)).gather(pl.col("key")))
        )
        mask = mask.to_series().alias(NO_ROUTE_COLUMN)
    return frame.get_columns(), mask


NO_ROUTE_COLUMN = _tmp("no_route")


def _no_route_errors(route: pl.Series, no_route: pl.Series) -> pl.DataFrame:
    """One problem per row that has no route because neither loneliness nor social
    isolation could be scored (its other problems say why), or only crisis help."""
    from verbind.core import profile

    titles = registry()
    needs = (
        f"{' / '.join(titles[i].short_title for i in profile.LONELINESS_PREFERENCE)} "
        f"or {' / '.join(titles[i].short_title for i in profile.ISOLATION_INSTRUMENTS)} "
        "with enough valid answers"
    )
    return (
        pl.DataFrame([route, no_route])
        .with_row_index("row", offset=ROW_BASE)
        .filter(pl.col(NO_ROUTE_COLUMN))
        .select(
            pl.col("row").cast(pl.Int64),
            pl.lit("profile").alias("instrument"),
            pl.lit("route").alias("column"),
            pl.lit(None, pl.String).alias("item"),
            pl.lit(None, pl.String).alias("value"),
            pl.when(pl.col("route").is_null())
            .then(pl.lit(f"{NO_ROUTE}: {NO_ROUTE_WHY}"))
            .otherwise(pl.lit(f"{NO_ROUTE} beneath crisis help: {NO_ROUTE_WHY}"))
            .alias("problem"),
            pl.lit(needs).alias("allowed"),
        )
    )
