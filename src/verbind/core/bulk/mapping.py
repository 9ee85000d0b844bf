"""Mapping files and command-line options: which file column is which question, in which
answer form and coding; and which instruments a file holds."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from verbind.core.bulk.codings import Coding
from verbind.core.bulk.problems import BulkInputError
from verbind.core.instrument import (
    Instrument,
    Item,
    normalise_label,
    registry,
)
from verbind.core.scoring import as_code


@dataclass(frozen=True)
class ColumnMapping:
    """What a mapping file declares about a survey file.

    ``columns``: file column -> standard column (``V12: djg11_1``).
    ``forms``: instrument -> answer form of its numeric codes (``djg11: three_point``).
    ``codings``: instrument id or standard column -> :class:`Coding`.
    ``settings``: cut-off and profile settings (see :mod:`verbind.core.rule_settings`).
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


@dataclass(frozen=True)
class InstrumentColumns:
    """Which file columns hold one instrument's items, and in which answer form."""

    instrument: Instrument
    form: str | None
    columns: Mapping[str, str]  # item id -> file column (only the items present)

    @property
    def missing_items(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.instrument.items if i.id not in self.columns)


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
