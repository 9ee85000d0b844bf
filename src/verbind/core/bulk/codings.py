"""A file's own answer codings (declared in a mapping file or as SPSS value labels) and
how one file value of one item is interpreted: the same way as scoring one person."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from verbind.core.instrument import (
    Instrument,
    Item,
    is_missing,
    normalise_label,
)
from verbind.core.scoring import ScoringError, allowed_answers, as_code, resolve_answer


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
