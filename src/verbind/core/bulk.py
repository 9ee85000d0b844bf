"""Bulk scoring of survey files: thousands to millions of respondents at once.

Everything here is generated from the instrument definitions: which columns belong to
which instrument, which answers each column accepts, the points per answer, the scales,
the missing-answer rules, the bands and the cut-offs. No item text or cut-off is written
in this module, so a new instrument YAML is scored as soon as it lands.

How a column is scored (vectorised, no Python per row):

1. The column's *distinct* values are interpreted once each by the very function that
   scores one person (:func:`verbind.core.scoring.resolve_answer`), after the file's own
   codings (mapping file, SPSS value labels). For an integer column only the range
   ``min..max`` is interpreted, which costs nothing on a million rows.
2. That gives a small lookup table value -> option; polars maps the column through it
   (``gather`` on a dense table for small integer codes, ``replace_strict`` otherwise).
3. Points are summed per scale with the scale's missing rule; bands and cut-offs (with
   settings overrides) come from the definitions.

The person-level rules (quadrant, duration band, route) live in
:func:`verbind.core.profile.classify`. Bulk scoring calls it once per *distinct*
combination of its inputs and joins the answers back, so those rules exist only there.

A row with an answer that cannot be interpreted is reported (row, column, value, allowed
values) and gets no result for that instrument; other instruments and rows are still
scored. Too many missing answers is reported too. Nothing is dropped silently.

Pure Python + polars: no Django imports.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml

from verbind.core.instrument import (
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

Progress = Callable[[str, int, int], None]


class BulkInputError(ValueError):
    """A survey file or mapping cannot be used at all. The message says what and why."""


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
        if not isinstance(table, Mapping) or not table:
            raise fail(path, "expected a mapping of value -> option key")
        by_code: dict[int, str | None] = {}
        by_label: dict[str, str | None] = {}
        for value, key in table.items():
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
        forms={str(k): str(v) for k, v in forms.items()},
        codings=codings,
        settings=dict(settings),
        value_labels=value_labels,
        source=source,
    )


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


def read_survey(path: Path | str) -> Survey:
    """Read a CSV, Parquet or SPSS file. Raises BulkInputError with a clear reason."""
    path = Path(path)
    kind = input_kind(path)
    if not path.exists():
        raise BulkInputError(f"{path}: file not found")
    if not path.is_file():
        raise BulkInputError(f"{path}: not a file")
    try:
        if kind == "csv":
            return Survey(_read_csv(path), path=path)
        if kind == "parquet":
            return Survey(pl.read_parquet(path), path=path)
        import pyreadstat

        frame, meta = pyreadstat.read_sav(str(path), output_format="polars")
        labels = {
            col: {k: str(v) for k, v in table.items()}
            for col, table in (meta.variable_value_labels or {}).items()
        }
        return Survey(frame, value_labels=labels, path=path)
    except BulkInputError:
        raise
    except Exception as exc:
        raise BulkInputError(f"{path.name}: cannot read this {kind} file: {_short(exc)}") from exc


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _read_csv(path: Path) -> pl.DataFrame:
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    if not head.strip():
        raise BulkInputError(f"{path.name}: the file is empty")
    # Dutch spreadsheet exports use ";" (the comma is the decimal sign); tabs for .tsv.
    first_line = head.splitlines()[0] if head.splitlines() else head
    counts = {sep: first_line.count(sep.encode()) for sep in (",", ";", "\t")}
    separator = max(counts, key=lambda s: counts[s]) if any(counts.values()) else ","
    encoding = "utf8"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Only a cut-off multi-byte character at the end of the sample is still utf-8.
        if exc.start < len(head) - 4:
            encoding = "utf8-lossy"
    options: dict[str, Any] = {"separator": separator, "encoding": encoding}
    try:
        return pl.read_csv(path, **options)
    except pl.exceptions.ComputeError:
        # A column that looked numeric has text further down: read everything as text
        # and let scoring report the values it cannot interpret.
        return pl.read_csv(path, infer_schema=False, **options)


def write_frame(frame: pl.DataFrame, path: Path | str) -> None:
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
    warnings: list[str] = field(default_factory=list)
    settings: Mapping[str, Any] = field(default_factory=dict)

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
    ):
        self.inst, self.item, self.form = inst, item, form
        self.coding = coding or None
        self.labels = labels or None

    def __call__(self, value: Any) -> str | None:
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


@dataclass
class _ColumnPlan:
    """How one file column maps to the item's options (by position in ``keys``).

    ``dense``: an integer column mapped through a table indexed by the value (``offset``
    subtracted); otherwise ``old`` -> ``positions`` through replace_strict.
    """

    item: Item
    column: str
    keys: tuple[str, ...]  # the item's option keys; position = index here
    allowed: str
    invalid: pl.Expr | None = None  # True where the value could not be interpreted
    invalid_values: list[Any] = field(default_factory=list)
    dense: list[int | None] | None = None
    offset: int = 0
    old: pl.Series | None = None
    positions: list[int] = field(default_factory=list)
    empty: bool = False  # every value missing

    def map(self, per_option: Sequence[Any], dtype: pl.DataType) -> pl.Expr:
        """The column mapped to ``per_option[position]``; null when missing or invalid."""
        col = pl.col(self.column)
        if self.empty:
            return pl.lit(None, dtype)
        if self.dense is not None:
            table = [None if p is None else per_option[p] for p in self.dense]
            return _piecewise(col, table, self.offset, dtype)
        if self.old is None or not len(self.old):
            return pl.lit(None, dtype)
        new = pl.Series([per_option[p] for p in self.positions], dtype=dtype)
        return col.replace_strict(self.old, new, default=None, return_dtype=dtype)


def _piecewise(col: pl.Expr, table: Sequence[Any], offset: int, dtype: pl.DataType) -> pl.Expr:
    """``table[value - offset]`` as a short when/then chain over runs of codes.

    Comparisons on small integer columns are several times faster than a gather (which
    needs an index cast): DJG items become two runs (lonely codes, the rest), LSNS-6 one
    affine run (points = code). Values outside every run (missing, invalid) give null.
    """
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
    """One pass over the data: min/max of small integer columns, distinct values of others."""
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
) -> _ColumnPlan:
    keys = _item_option_keys(inst, item)
    pos_of = {k: n for n, k in enumerate(keys)}
    resolver = _ColumnResolver(inst, item, form, coding, labels)
    allowed = "; ".join(allowed_answers(inst, item, form))
    dtype = frame.schema[column]

    def interpret(value: Any) -> tuple[int | None, bool]:
        try:
            key = resolver(value)
        except ScoringError:
            return None, True
        return (None if key is None else pos_of[key]), False

    col = pl.col(column)
    plan = _ColumnPlan(item, column, keys, allowed)
    if dtype == pl.Null:
        plan.empty = True
        return plan
    if dtype.is_integer():
        lo, hi = stats[f"{column}\0min"], stats[f"{column}\0max"]
        if lo is None:  # every value missing
            plan.empty = True
            return plan
        if hi - lo < _DENSE_RANGE:
            # Small non-negative codes index the table directly (no subtraction).
            start = 0 if 0 <= lo <= 16 else lo
            table = [(None, False)] * (lo - start) + [interpret(v) for v in range(lo, hi + 1)]
            plan.dense, plan.offset = [p for p, _ in table], start
            bad = [start + n for n, (_, b) in enumerate(table) if b]
            if bad:
                flags = [True if b else None for _, b in table]
                plan.invalid = _piecewise(col, flags, start, pl.Boolean).fill_null(False)
                # Codes in the table that are invalid may not occur; the report lists real ones.
                plan.invalid_values = bad
            return plan
        distinct = frame.select(col.unique()).to_series().to_list()
    else:
        distinct = stats[f"{column}\0unique"]
    table = {v: interpret(v) for v in distinct if v is not None}
    good = {v: p for v, (p, b) in table.items() if not b and p is not None}
    bad = [v for v, (_, b) in table.items() if b]
    plan.old = pl.Series(list(good), dtype=dtype)
    plan.positions = list(good.values())
    if bad:
        # NaN is never "bad" (it is missing), so is_in on the real values is exact.
        plan.invalid = col.is_in(pl.lit(pl.Series(bad, dtype=dtype)).implode()).fill_null(False)
        plan.invalid_values = bad
    return plan


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
    for src in mapping.columns:
        if src not in present:
            warnings.append(f"mapping renames column {src!r}, which is not in the file")
    file_of: dict[str, str] = {}
    for col in columns:
        std = mapping.columns.get(col, col)
        if std in file_of:
            raise BulkInputError(
                f"columns {file_of[std]!r} and {col!r} are both {std!r} (after the mapping); "
                "rename one of them in the mapping file"
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


def score_frame(
    frame: pl.DataFrame,
    mapping: ColumnMapping | None = None,
    *,
    value_labels: Mapping[str, Mapping[Any, str]] | None = None,
    progress: Progress | None = None,
) -> BulkResult:
    """Score every instrument found in ``frame``; see the module docstring."""
    from verbind.core.settings import resolve_settings

    mapping = mapping or ColumnMapping()
    try:
        settings = resolve_settings(mapping.settings)
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

    all_columns = [c for ic in found for c in ic.columns.values()]
    stats = _column_stats(frame, all_columns)

    result_columns: list[str] = []
    value_exprs: list[pl.Expr] = []
    plans: dict[str, dict[str, _ColumnPlan]] = {}
    for ic in found:
        inst = ic.instrument
        inst_plans: dict[str, _ColumnPlan] = {}
        for item_id, col in ic.columns.items():
            item = inst.item(item_id)
            std = inst.column(item_id)
            coding = mapping.codings.get(std) or mapping.codings.get(inst.id)
            inst_plans[item_id] = _plan_column(
                frame, stats, inst, item, col, ic.form, coding, labels.get(col)
            )
        plans[inst.id] = inst_plans
        for item_id, plan in inst_plans.items():
            # One work column per item: its points (scored items) or its option key
            # (duration, context: the profile reads those); null = missing or invalid.
            item = inst.item(item_id)
            if item.key is not None:
                points = [item.key[k] for k in plan.keys]
                value = plan.map(points, _points_dtype(points))
            else:
                value = plan.map(list(plan.keys), pl.Enum(list(plan.keys)))
            value_exprs.append(value.alias(_tmp("val", inst.id, item_id)))
            if plan.invalid is not None:
                value_exprs.append(plan.invalid.alias(_tmp("bad", inst.id, item_id)))

    work = frame.lazy().with_columns(value_exprs)
    score_exprs: list[pl.Expr] = []
    derived_exprs: list[pl.Expr] = []
    bad_exprs: list[pl.Expr] = []
    missing_exprs: list[pl.Expr] = []
    for ic in found:
        inst = ic.instrument
        inst_plans = plans[inst.id]
        bad_cols = [_tmp("bad", inst.id, i) for i, p in inst_plans.items() if p.invalid is not None]
        inst_bad = pl.any_horizontal(bad_cols) if bad_cols else pl.lit(False)
        bad_exprs.append(inst_bad.alias(_tmp("inst_bad", inst.id)))
        for scale in inst.scales.values():
            values, derived = _scale_exprs(inst, scale, inst_plans, settings)
            score_exprs += values
            derived_exprs += derived
            result_columns += [e.meta.output_name() for e in values + derived]
        primary = inst.primary_scale
        if primary is not None:
            missing_exprs.append(
                _missing_count(inst.id, primary, inst_plans).alias(_tmp("missing", inst.id))
            )
    work = (
        work.with_columns(*bad_exprs, *missing_exprs)
        .with_columns(score_exprs)
        .with_columns(derived_exprs)
    )
    # The profile's inputs as one integer per row, in the same pass over the data.
    profile_key = _ProfileKey.for_instruments(found)
    if profile_key is not None:
        work = work.with_columns(profile_key.expr.alias(profile_key.name))
    tick("scoring", 1, steps)
    scored = work.collect()
    tick("scoring", len(found) + 1, steps)

    errors = _collect_errors(scored, found, plans)

    # Which rows got results: from the primary scale of each scored instrument.
    primaries = [
        scale_column(ic.instrument, ic.instrument.primary_scale.id)
        for ic in found
        if ic.instrument.primary_scale is not None
    ]
    inst_bads = [_tmp("inst_bad", ic.instrument.id) for ic in found]
    counts = scored.select(
        (pl.all_horizontal([pl.col(c).is_not_null() for c in primaries]).sum()
         if primaries else pl.lit(0)).alias("scored"),
        (pl.all_horizontal([pl.col(c).is_null() for c in primaries]).sum()
         if primaries else pl.lit(scored.height)).alias("unscored"),
        pl.any_horizontal(inst_bads).sum().alias("invalid"),
    ).row(0, named=True)  # fmt: skip
    err_rows = errors.select(pl.col("row").n_unique()).item() if errors.height else 0

    if profile_key is not None:
        scored = _add_profile(scored, profile_key, settings)
        result_columns += list(PROFILE_COLUMNS)
    tick("profile", steps, steps)

    # Output: every input column unchanged, then the results (replacing same-named ones).
    clashes = [c for c in result_columns if c in frame.columns]
    if clashes:
        warnings.append(
            f"input column(s) {', '.join(clashes)} replaced by freshly computed results"
        )
    keep = [c for c in frame.columns if c not in set(result_columns)]
    out = scored.select(keep + result_columns)
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
        warnings=warnings,
        settings=settings,
    )


def _tmp(*parts: str) -> str:
    # Internal work columns; the NUL byte keeps them apart from any real column name.
    return "\0" + "\0".join(parts)


def _points_dtype(points: Sequence[int]) -> pl.DataType:
    return pl.Int8 if all(-128 <= p <= 127 for p in points) else pl.Int32


def _points_expr(inst: Instrument, item_id: str, plan: _ColumnPlan | None) -> pl.Expr:
    if plan is None:
        return pl.lit(None, pl.Int8)
    return pl.col(_tmp("val", inst.id, item_id))


def _missing_count(inst_id: str, scale, plans: Mapping[str, _ColumnPlan]) -> pl.Expr:
    """Unanswered items of a scale per row; a column absent from the file counts as missing."""
    terms = [pl.col(_tmp("val", inst_id, i)).is_null() for i in scale.items if i in plans]
    absent = sum(1 for i in scale.items if i not in plans)
    total = pl.sum_horizontal(terms).cast(pl.Int16) if terms else pl.lit(0, pl.Int16)
    return total + absent if absent else total


def _scale_exprs(
    inst: Instrument, scale, plans: Mapping[str, _ColumnPlan], settings: Mapping[str, Any]
) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """(the scale value, then what derives from it: level and cut-off)."""
    points = [_points_expr(inst, i, plans.get(i)) for i in scale.items]
    # polars sums small integers in their own type: widen when the sum could overflow.
    bound = sum(max(abs(v) for v in inst.item(i).key.values()) for i in scale.items)  # type: ignore[union-attr]
    if bound > 127:
        points = [p.cast(pl.Int32) for p in points]
    n_missing = _missing_count(inst.id, scale, plans)
    ok = (~pl.col(_tmp("inst_bad", inst.id))) & (n_missing <= scale.max_missing)
    # Answered items are summed, nothing imputed: the same rule as scoring.score.
    value = pl.when(ok).then(pl.sum_horizontal(points).cast(pl.Int16)).otherwise(None)
    name = scale_column(inst, scale.id)
    derived: list[pl.Expr] = []
    if scale is inst.primary_scale and scale.bands:
        levels = list(dict.fromkeys(b.level for b in scale.bands))
        lut: list[str | None] = [None] * (scale.max - scale.min + 1)
        for band in scale.bands:
            for v in range(band.min, band.max + 1):
                lut[v - scale.min] = band.level
        index = pl.col(name) - scale.min if scale.min else pl.col(name)
        derived.append(
            pl.lit(pl.Series(lut, dtype=pl.Enum(levels)))
            .gather(index.cast(pl.UInt32))
            .alias(level_column(inst))
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


def _collect_errors(
    scored: pl.DataFrame,
    found: Sequence[InstrumentColumns],
    plans: Mapping[str, Mapping[str, _ColumnPlan]],
) -> pl.DataFrame:
    """One row per problem: an answer that cannot be interpreted, or too many missing."""
    # Filter first, then build the report columns: only problem rows pay for strings.
    lazy = scored.lazy().with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + ROW_BASE).alias("\0row")
    )
    parts: list[pl.LazyFrame] = []
    for ic in found:
        inst = ic.instrument
        for item_id, plan in plans[inst.id].items():
            if plan.invalid is None:
                continue
            parts.append(
                lazy.filter(pl.col(_tmp("bad", inst.id, item_id))).select(
                    pl.col("\0row").alias("row"),
                    pl.lit(inst.id).alias("instrument"),
                    pl.lit(plan.column).alias("column"),
                    pl.lit(inst.column(item_id)).alias("item"),
                    pl.col(plan.column).cast(pl.String).alias("value"),
                    pl.lit(INVALID_ANSWER).alias("problem"),
                    pl.lit(plan.allowed).alias("allowed"),
                )
            )
        primary = inst.primary_scale
        if primary is None:
            continue
        inst_plans = plans[inst.id]
        missing_names = [
            pl.when(pl.col(_tmp("val", inst.id, i)).is_null()).then(pl.lit(inst_plans[i].column))
            if i in inst_plans
            else pl.lit(f"{inst.column(i)} (not in file)")
            for i in primary.items
        ]
        n_missing = pl.col(_tmp("missing", inst.id))
        too_many = (n_missing > primary.max_missing) & ~pl.col(_tmp("inst_bad", inst.id))
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


# --- profile: the one decision function, once per distinct combination ------------------

PROFILE_COLUMNS = ("isolated", "duration_band", "profile", "route", "underlying_route")


@dataclass(frozen=True)
class _Component:
    """One input of the profile as a small integer per row (0 = unknown)."""

    name: str  # "djg11.total.cutoff", "djg11.level", "duration.duration", ...
    expr: pl.Expr  # 0 = null, 1.. = index + 1 into ``values``
    values: tuple[Any, ...]


def _profile_components(found: Sequence[InstrumentColumns]) -> list[_Component]:
    comps: list[_Component] = []
    for ic in found:
        inst = ic.instrument
        if inst.measures in ("loneliness", "isolation"):
            primary = inst.primary_scale
            for scale in inst.scales.values():
                if scale.cutoff is None or (
                    scale is not primary and scale.id not in ("emotional", "social")
                ):
                    continue
                col = pl.col(cutoff_column(inst, scale.id))
                comps.append(
                    _Component(
                        f"{inst.id}.{scale.id}.cutoff",
                        pl.when(col)
                        .then(pl.lit(2, pl.Int32))
                        .when(col.not_())
                        .then(pl.lit(1, pl.Int32))
                        .otherwise(pl.lit(0, pl.Int32)),
                        (False, True),
                    )
                )
            if inst.measures == "loneliness" and primary is not None and primary.bands:
                levels = tuple(dict.fromkeys(b.level for b in primary.bands))
                comps.append(
                    _Component(
                        f"{inst.id}.level",
                        (pl.col(level_column(inst)).to_physical().cast(pl.UInt32) + 1).fill_null(0),
                        levels,
                    )
                )
        elif inst.measures in ("duration", "context"):
            for item_id in ic.columns:
                item = inst.item(item_id)
                if item.key is not None:
                    continue
                opt = pl.col(_tmp("val", inst.id, item_id))
                # An instrument with an answer we cannot read has no result for the row
                # (as in scoring one person): none of its answers count.
                code = (opt.to_physical().cast(pl.Int32) + 1).fill_null(0)
                comps.append(
                    _Component(
                        f"{inst.id}.{item_id}",
                        pl.when(pl.col(_tmp("inst_bad", inst.id))).then(0).otherwise(code),
                        _item_option_keys(inst, item),
                    )
                )
    return comps


class _InputsBuilder:
    """ProfileInputs from one combination of per-instrument verdicts.

    Follows :func:`verbind.core.profile.build_profile` and uses its constants
    (LONELINESS_PREFERENCE, ISOLATION_INSTRUMENTS, LIFE_EVENT_PREFIX); a test checks that
    bulk and build_profile agree row by row.
    """

    def __init__(self, comps: Sequence[_Component]):
        from verbind.core import profile

        self.profile = profile
        at = {c.name: n for n, c in enumerate(comps)}
        self.loneliness = [
            (
                at[f"{i}.total.cutoff"],
                at.get(f"{i}.level"),
                at.get(f"{i}.emotional.cutoff"),
                at.get(f"{i}.social.cutoff"),
            )
            for i in profile.LONELINESS_PREFERENCE
            if f"{i}.total.cutoff" in at
        ]
        self.isolation = [
            (i, at[f"{i}.total.cutoff"])
            for i in profile.ISOLATION_INSTRUMENTS
            if f"{i}.total.cutoff" in at
        ]
        self.duration = at.get("duration.duration")
        self.context = {
            name.split(".", 1)[1]: n for name, n in at.items() if name.startswith("context.")
        }
        prefix = profile.LIFE_EVENT_PREFIX
        self.events = [
            (k[len(prefix) :], n) for k, n in self.context.items() if k.startswith(prefix)
        ]

    def __call__(self, v: Sequence[Any], isolation_combine: str):
        def get(index: int | None) -> Any:
            return None if index is None else v[index]

        lonely = severity = emotional = social = None
        for total, level, emo, soc in self.loneliness:
            if v[total] is None:
                continue  # the first scale that could be computed decides
            lonely, emotional, social = v[total], get(emo), get(soc)
            severity = get(level) if get(level) in self.profile.SEVERITIES else None
            break
        verdicts = [(i, v[n]) for i, n in self.isolation if v[n] is not None]
        isolated = None
        if verdicts:
            flags = [f for _, f in verdicts]
            isolated = any(flags) if isolation_combine == "either" else all(flags)
        ctx = {k: v[n] for k, n in self.context.items()}
        living_alone = ctx.get("living_alone")
        return self.profile.ProfileInputs(
            lonely=lonely,
            severity=severity,
            emotional=emotional,
            social=social,
            isolated=isolated,
            isolation_sources=tuple(i for i, f in verdicts if f),
            duration_answer=get(self.duration),
            wish_to_change=ctx.get("wish_to_change"),
            open_to_learning=ctx.get("open_to_learning"),
            literacy=ctx.get("literacy"),
            safety=ctx.get("safety"),
            living_alone=None if living_alone is None else living_alone == "yes",
            life_events=tuple(e for e, n in self.events if v[n] == "yes"),
        )


@dataclass(frozen=True)
class _ProfileKey:
    """Mixed-radix code of all profile inputs of a row: one integer per row, so the
    distinct combinations are found by counting one column."""

    comps: tuple[_Component, ...]
    radices: tuple[int, ...]
    sizes: tuple[int, ...]
    space: int
    expr: pl.Expr
    name: str = _tmp("profile_key")

    @classmethod
    def for_instruments(cls, found: Sequence[InstrumentColumns]) -> _ProfileKey | None:
        measures = {ic.instrument.measures for ic in found}
        if not measures & {"loneliness", "isolation", "duration"}:
            return None
        comps = tuple(_profile_components(found))
        sizes = tuple(len(c.values) + 1 for c in comps)
        radices, r = [], 1
        for size in sizes:
            radices.append(r)
            r *= size
        dtype = pl.Int32 if r < 2**31 else pl.Int64
        terms = [
            c.expr.cast(dtype) * k if k > 1 else c.expr.cast(dtype)
            for c, k in zip(comps, radices, strict=True)
        ]
        expr = pl.sum_horizontal(terms) if terms else pl.lit(0, dtype)
        return cls(comps, tuple(radices), sizes, r, expr)


def _add_profile(
    scored: pl.DataFrame, pkey: _ProfileKey, settings: Mapping[str, Any]
) -> pl.DataFrame:
    """Add isolated / duration_band / profile / route: classify once per combination."""
    from verbind.core import profile
    from verbind.core.settings import resolve_settings

    keys = scored.get_column(pkey.name)
    dense = pkey.space <= 1 << 20
    if dense:
        # Small key space: which keys occur, by counting (no hashing).
        distinct = np.flatnonzero(np.bincount(keys.to_numpy(), minlength=pkey.space))
    else:
        distinct = keys.unique().sort().to_numpy()
    radices = np.array(pkey.radices, dtype=np.int64)
    sizes = np.array(pkey.sizes, dtype=np.int64)
    digits = (distinct[:, None] // radices[None, :]) % sizes[None, :]

    build = _InputsBuilder(pkey.comps)
    combine = settings.get("isolation_combine", "either")
    # classify() resolves its settings on every call; None takes its cached defaults.
    classify_settings = None if dict(settings) == resolve_settings() else settings
    lookups = [(None, *c.values) for c in pkey.comps]
    out: dict[str, list[Any]] = {c: [] for c in PROFILE_COLUMNS}
    for row in digits.tolist():
        inputs = build([lookups[j][d] for j, d in enumerate(row)], combine)
        decision = profile.classify(inputs, classify_settings)
        out["isolated"].append(inputs.isolated)
        out["duration_band"].append(decision.duration_band)
        out["profile"].append(decision.quadrant)
        out["route"].append(decision.route)
        out["underlying_route"].append(decision.underlying_route)

    dtypes = {
        "isolated": pl.Boolean,
        "duration_band": pl.Enum(list(profile.DURATION_BANDS)),
        "profile": pl.Enum(list(profile.QUADRANTS)),
        "route": pl.Enum(list(profile.ROUTES)),
        "underlying_route": pl.Enum(list(profile.ROUTES)),
    }
    key = pl.col(pkey.name)
    if dense:
        # A dense table indexed by the key: a gather, no hashing.
        index = distinct.tolist()
        exprs = []
        for name in PROFILE_COLUMNS:
            table: list[Any] = [None] * pkey.space
            for k, value in zip(index, out[name], strict=True):
                table[k] = value
            exprs.append(pl.lit(pl.Series(table, dtype=dtypes[name])).gather(key).alias(name))
    else:
        known = pl.Series(distinct, dtype=keys.dtype)
        exprs = [
            key.replace_strict(
                known, pl.Series(out[name], dtype=dtypes[name]), return_dtype=dtypes[name]
            ).alias(name)
            for name in PROFILE_COLUMNS
        ]
    # Only the key column goes through the engine; the results are attached without copying.
    columns = keys.to_frame().select(exprs)
    return scored.drop(pkey.name).hstack(columns.get_columns())
