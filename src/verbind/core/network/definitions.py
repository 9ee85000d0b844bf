"""The codes of a network map and their labels, loaded once from ``texts/network.yaml``.

Everything that shows or checks a code (validation, measures, the later web form, exports,
docs) asks this module, so a code or a label is written in one place only. The loader
refuses a file with a missing language, a duplicate code, or a sentence without both forms
(one / other) or with a placeholder other than ``{n}``, naming the field.

Pure Python: no Django imports.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from verbind.core.instrument import LANGUAGES
from verbind.core.yaml_files import load_yaml


class NetworkDefinitionError(ValueError):
    """``texts/network.yaml`` is wrong. The message names the field."""


@dataclass(frozen=True)
class Code:
    """One answer option: its stable code and its label per language."""

    code: str | int
    label: Mapping[str, str]
    per_week: float | None = None  # frequencies only

    def text(self, lang: str = "nl") -> str:
        return self.label[lang]


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity: one per file
class Definitions:
    max_alters: int
    social_min: int
    social_relations: frozenset[str]
    relations: tuple[Code, ...]
    circles: tuple[Code, ...]
    frequencies: tuple[Code, ...]
    modes: tuple[Code, ...]
    support: tuple[Code, ...]
    wants: tuple[Code, ...]
    # change sentence key -> language -> {"one": ..., "other": ...}
    change: Mapping[str, Mapping[str, Mapping[str, str]]]

    def codes(self, field: str) -> tuple[Any, ...]:
        return tuple(c.code for c in getattr(self, field))

    def label(self, field: str, code: Any, lang: str = "nl") -> str:
        for c in getattr(self, field):
            if c.code == code:
                return c.label[lang]
        raise KeyError(f"{field}: no code {code!r}")

    @functools.cached_property
    def per_week(self) -> Mapping[str, float]:
        return {str(c.code): float(c.per_week or 0.0) for c in self.frequencies}

    def sentence(self, key: str, n: int, lang: str = "nl") -> str:
        forms = self.change[key][lang]
        return forms["one" if n == 1 else "other"].format(n=n)


# The fields with a list of codes, and which of them are whole numbers.
CODE_FIELDS = ("relations", "circles", "frequencies", "modes", "support", "wants")
CHANGE_KEYS = (
    "new",
    "new_meaningful",
    "now_meaningful",
    "left",
    "left_meaningful",
    "no_longer_meaningful",
    "closer",
    "farther",
    "none",
)


def _languages(node: Any, where: str) -> dict[str, str]:
    if not isinstance(node, Mapping):
        raise NetworkDefinitionError(f"{where}: expected a text per language {LANGUAGES}")
    out = {}
    for lang in LANGUAGES:
        text = node.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise NetworkDefinitionError(f"{where}: no {lang!r} text")
        out[lang] = text.strip()
    return out


def _codes(node: Any, field: str) -> tuple[Code, ...]:
    if not isinstance(node, list) or not node:
        raise NetworkDefinitionError(f"{field}: expected a list of codes")
    out: list[Code] = []
    seen: set[Any] = set()
    for i, item in enumerate(node):
        where = f"{field}[{i}]"
        if not isinstance(item, Mapping) or "code" not in item:
            raise NetworkDefinitionError(f"{where}: expected a mapping with a code")
        code = item["code"]
        if field == "circles":
            if not isinstance(code, int) or isinstance(code, bool):
                raise NetworkDefinitionError(f"{where}: a circle code is a whole number")
        elif not isinstance(code, str) or not code.isidentifier() or code != code.lower():
            raise NetworkDefinitionError(f"{where}: code {code!r} is not a lower-case name")
        if code in seen:
            raise NetworkDefinitionError(f"{where}: code {code!r} appears twice")
        seen.add(code)
        per_week = None
        if field == "frequencies":
            per_week = item.get("per_week")
            if not isinstance(per_week, int | float) or isinstance(per_week, bool) or per_week < 0:
                raise NetworkDefinitionError(f"{where}: per_week must be a number of 0 or more")
        label = _languages({k: v for k, v in item.items() if k in LANGUAGES}, where)
        out.append(Code(code, label, float(per_week) if per_week is not None else None))
    return tuple(out)


def _change(node: Any) -> dict[str, dict[str, dict[str, str]]]:
    if not isinstance(node, Mapping):
        raise NetworkDefinitionError("change: expected the change sentences")
    missing = [k for k in CHANGE_KEYS if k not in node]
    if missing:
        raise NetworkDefinitionError(f"change: missing {', '.join(missing)}")
    out: dict[str, dict[str, dict[str, str]]] = {}
    for key in CHANGE_KEYS:
        out[key] = {}
        for lang in LANGUAGES:
            forms = node[key].get(lang) if isinstance(node[key], Mapping) else None
            where = f"change.{key}.{lang}"
            if not isinstance(forms, Mapping) or set(forms) != {"one", "other"}:
                raise NetworkDefinitionError(f"{where}: expected the forms one and other")
            for form in ("one", "other"):
                text = forms[form]
                if not isinstance(text, str) or not text.strip():
                    raise NetworkDefinitionError(f"{where}.{form}: empty")
                names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
                if names - {"n"}:
                    raise NetworkDefinitionError(
                        f"{where}.{form}: unknown placeholder {sorted(names - {'n'})}"
                    )
            out[key][lang] = {f: str(forms[f]).strip() for f in ("one", "other")}
    return out


def parse(data: Any) -> Definitions:
    if not isinstance(data, Mapping):
        raise NetworkDefinitionError("expected a mapping at the top")
    limits = data.get("limits") or {}
    social = data.get("social") or {}
    values: dict[str, Any] = {}
    for key, where, value in (
        ("max_alters", "limits.max_alters", limits.get("max_alters")),
        ("social_min", "social.min", social.get("min")),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise NetworkDefinitionError(f"{where}: expected a whole number of 1 or more")
        values[key] = value
    fields = {field: _codes(data.get(field), field) for field in CODE_FIELDS}
    relations = social.get("relations")
    known = {c.code for c in fields["relations"]}
    if not isinstance(relations, list) or not relations:
        raise NetworkDefinitionError("social.relations: expected a list of relation codes")
    unknown = [r for r in relations if r not in known]
    if unknown:
        raise NetworkDefinitionError(f"social.relations: {unknown} are not relation codes")
    values["social_relations"] = frozenset(relations)
    if tuple(c.code for c in fields["circles"]) != (1, 2, 3):
        raise NetworkDefinitionError("circles: expected the codes 1, 2 and 3 in this order")
    return Definitions(**values, **fields, change=_change(data.get("change")))


_TITLES = {
    "relations": ("relation", "Relation (one per person)"),
    "circles": ("circle", "Circle (1 is closest)"),
    "frequencies": ("frequency", "Contact frequency"),
    "modes": ("modes", "Mode of contact (a list: more than one allowed)"),
    "support": ("support", "Kinds of support (a list: more than one allowed)"),
    "wants": ("wants", "Wants more, the same or less contact (may be left out)"),
}


def codes_markdown(defs: Definitions | None = None) -> str:
    """The code tables of docs/network.md, made from the definitions (a test checks that
    the docs hold exactly this text)."""
    defs = defs or definitions()
    parts = []
    for field in CODE_FIELDS:
        attr, title = _TITLES[field]
        per_week = field == "frequencies"
        head = "| code | Nederlands | English |" + (" contacts per week |" if per_week else "")
        rule = "|---|---|---|" + ("---|" if per_week else "")
        rows = [
            f"| `{c.code}` | {c.label['nl']} | {c.label['en']} |"
            + (f" {c.per_week:g} |" if per_week else "")
            for c in getattr(defs, field)
        ]
        parts.append("\n".join([f"**{title}** (`{attr}`)", "", head, rule, *rows]))
    return "\n\n".join(parts) + "\n"


def load(path: Path | str) -> Definitions:
    with open(path, encoding="utf-8") as fh:
        return parse(load_yaml(fh))


@functools.cache
def definitions() -> Definitions:
    """The built-in definitions (``verbind/core/texts/network.yaml``)."""
    return load(Path(str(resources.files("verbind.core") / "texts" / "network.yaml")))
