"""Instruments as data: the model, and a loader that validates each definition file.

Every questionnaire verbind uses is one YAML file in ``definitions/``. This module turns
such a file into frozen dataclasses and refuses a file that is inconsistent (an answer
option that does not exist, a scale that names an unknown item, overlapping bands...),
naming the file and the field. Everything else — the terminal test, the web form, bulk
scoring, FHIR export — is generated from these objects, so item wording and cut-offs
live in the YAML files and nowhere else.

Pure Python: no Django imports.
"""

from __future__ import annotations

import functools
import itertools
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from verbind.core.yaml_files import load_yaml

Lang = Literal["nl", "en"]
LANGUAGES: tuple[Lang, ...] = ("nl", "en")
DEFAULT_LANGUAGE: Lang = "nl"

# What a dichotomy on a scale means; the profile reads these, not raw numbers.
CUTOFF_OPERATORS = (">=", "<")

# The level of a scale whose missing answers could move it across a band or cut-off
# boundary: the answered items alone do not say which side it is on.
INDETERMINATE = "indeterminate"


class DefinitionError(ValueError):
    """An instrument definition file is inconsistent. The message names file and field."""

    def __init__(self, source: str, field_path: str, problem: str):
        self.source = source
        self.field_path = field_path
        self.problem = problem
        super().__init__(f"{source}: {field_path}: {problem}")


@dataclass(frozen=True)
class Text:
    """A text in every supported language."""

    nl: str
    en: str

    def get(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return self.en if lang == "en" else self.nl

    def as_dict(self) -> dict[str, str]:
        return {"nl": self.nl, "en": self.en}


@dataclass(frozen=True)
class Option:
    """One answer option. ``key`` is stable across forms; ``code`` is what files contain."""

    key: str
    code: int
    label: Text
    aliases: tuple[str, ...] = ()

    def accepted_labels(self) -> tuple[str, ...]:
        """Every text that means this option, normalised (lower case, trimmed)."""
        return tuple(
            dict.fromkeys(normalise_label(t) for t in (self.label.nl, self.label.en, *self.aliases))
        )


@dataclass(frozen=True)
class AnswerForm:
    """A set of answer options, e.g. the 5-point and the 3-point form of the DJG scale.

    ``declare_file_codes``: survey files code this form in more than one way (the DJG
    3-point form: the manual's SPSS syntax has 1 = nee, others 1 = ja), so a file's
    numeric codes are read only through a coding the file declares (a mapping file or SPSS
    value labels), never through the codes written here (``file_codes: declare``).
    """

    id: str
    label: Text
    options: tuple[Option, ...]
    declare_file_codes: bool = False
    # Named file codings of this form: name -> {file code: option key} (``manual``).
    codings: Mapping[str, Mapping[int, str]] = field(default_factory=dict)

    def by_code(self) -> dict[int, Option]:
        return {o.code: o for o in self.options}

    def keys(self) -> tuple[str, ...]:
        return tuple(o.key for o in self.options)


@dataclass(frozen=True)
class Item:
    id: str
    text: Text
    forms: tuple[str, ...]
    # option key -> points; None for items that are asked but not scored (context).
    key: Mapping[str, int] | None = None
    key_name: str | None = None
    # flag name -> option keys that raise it (e.g. "safety": ("yes",)).
    flags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    group: str | None = None
    help: Text | None = None

    @property
    def default_form(self) -> str:
        return self.forms[0]


@dataclass(frozen=True)
class Band:
    min: int
    max: int
    level: str
    label: Text

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max


@dataclass(frozen=True)
class Cutoff:
    """A dichotomy on a scale: value ``op`` threshold means ``meaning``.

    ``setting`` names the threshold so a deployment or a researcher can change it where
    sources disagree; ``default`` is what we use unless told otherwise.
    """

    setting: str
    op: str
    default: float
    meaning: Text
    # Level ids for a scale that has a cut-off but no bands (UCLA-3, LSNS-6, ...): the
    # result's level then follows the cut-off, including a threshold changed by a setting.
    level: str | None = None
    otherwise_level: str | None = None
    otherwise: Text | None = None

    def applies(self, value: float, threshold: float | None = None) -> bool:
        t = self.default if threshold is None else threshold
        return value >= t if self.op == ">=" else value < t


INDETERMINATE_LABEL = Text(nl="onbepaald", en="indeterminate")


@dataclass(frozen=True)
class Reading:
    """What a scale's value means: its level (and the level's words) and whether it meets
    the cut-off. None where the scale has no such thing, or where it cannot be told."""

    level: str | None
    label: Text | None
    meets_cutoff: bool | None


@dataclass(frozen=True)
class Scale:
    id: str
    label: Text
    items: tuple[str, ...]
    min: int
    max: int
    max_missing: int
    bands: tuple[Band, ...] = ()
    cutoff: Cutoff | None = None
    # "worse" when a higher value means more loneliness / isolation; "better" otherwise.
    higher_is: Literal["worse", "better"] = "worse"

    def band_for(self, value: float) -> Band | None:
        for band in self.bands:
            if band.contains(value):
                return band
        return None

    def read(
        self, low: float, high: float | None = None, threshold: float | None = None
    ) -> Reading:
        """The :class:`Reading` of a total that lies between ``low`` and ``high``.

        ``low`` is the sum of the answered items (nothing imputed); ``high`` what it would
        be if every unanswered item had its highest points (None: nothing unanswered).
        When the two ends fall in different bands the level is :data:`INDETERMINATE`
        ("onbepaald"); when they fall on different sides of the cut-off (``threshold``
        overrides its default), ``meets_cutoff`` is None. Bands are contiguous and a
        cut-off splits the range once, so the two ends decide for every value between.
        """
        lo = self._read_one(low, threshold)
        if high is None or high == low:
            return lo
        hi = self._read_one(high, threshold)
        if lo.level == hi.level:
            level, label = lo.level, lo.label
        else:
            level, label = INDETERMINATE, INDETERMINATE_LABEL
        meets = lo.meets_cutoff if lo.meets_cutoff == hi.meets_cutoff else None
        return Reading(level, label, meets)

    def _read_one(self, value: float, threshold: float | None) -> Reading:
        band = self.band_for(value)
        level, label = (band.level, band.label) if band is not None else (None, None)
        meets = None
        cutoff = self.cutoff
        if cutoff is not None:
            meets = cutoff.applies(value, threshold)
            if band is None and cutoff.level is not None:
                # No bands: the level follows the (possibly overridden) cut-off.
                if meets:
                    level, label = cutoff.level, cutoff.meaning
                else:
                    level, label = cutoff.otherwise_level, cutoff.otherwise
        return Reading(level, label, meets)


@dataclass(frozen=True)
class Derivation:
    """This instrument's items are items of another instrument (``derived_from`` in YAML):
    its answers can be read from an answered ``instrument`` instead of being asked again.
    ``items`` maps each of this instrument's item ids to the source's item id."""

    instrument: str
    items: Mapping[str, str]


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: Text
    short_title: str
    measures: str
    citation: str
    stem: Text | None
    forms: Mapping[str, AnswerForm]
    items: tuple[Item, ...]
    scales: Mapping[str, Scale]
    notes: Text | None = None
    terms: str | None = None
    codes: Mapping[str, str] = field(default_factory=dict)
    source_file: str = ""
    derived_from: Derivation | None = None

    @functools.cached_property
    def item_map(self) -> dict[str, Item]:
        return {i.id: i for i in self.items}

    def item(self, item_id: str) -> Item:
        return self.item_map[item_id]

    def column(self, item_id: str) -> str:
        """The standard column name of an item in survey files: ``<instrument>_<item>``.

        A one-question instrument whose item has the instrument's own id (``duration``)
        is simply that column.
        """
        return self.id if item_id == self.id else f"{self.id}_{item_id}"

    @property
    def scored(self) -> bool:
        return bool(self.scales)

    @property
    def primary_scale(self) -> Scale | None:
        if "total" in self.scales:
            return self.scales["total"]
        return next(iter(self.scales.values()), None)

    def level_label(self, level: str | None) -> Text | None:
        """The words for a level id of the main scale (a band's label, or a cut-off's
        meaning for scales without bands); None for an unknown or empty level, e.g. one
        stored by a version of the definition that had other levels."""
        scale = self.primary_scale
        if scale is None or not level:
            return None
        if level == INDETERMINATE and scale.max_missing:
            return INDETERMINATE_LABEL
        for band in scale.bands:
            if band.level == level:
                return band.label
        cutoff = scale.cutoff
        if cutoff is not None:
            if cutoff.level == level:
                return cutoff.meaning
            if cutoff.otherwise_level == level:
                return cutoff.otherwise
        return None

    def options_for(self, item_id: str, form: str | None = None) -> tuple[Option, ...]:
        item = self.item(item_id)
        return self.forms[form if form in item.forms else item.default_form].options


def normalise_label(text: str) -> str:
    """Labels in files vary in case and spacing; ``Min of meer`` means ``min of meer``."""
    return " ".join(str(text).strip().lower().split())


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, numbers.Real) and not isinstance(value, int):
        # float NaN, numpy.float32 NaN ...: how data frames say "not answered".
        return math.isnan(float(value))
    return isinstance(value, str) and value.strip() == ""


# --- loading -----------------------------------------------------------------------------


class _Reader:
    """Small helpers that read a mapping and raise DefinitionError with a field path."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, problem: str) -> DefinitionError:
        return DefinitionError(self.source, path, problem)

    def req(self, data: Mapping[str, Any], key: str, path: str, kind: type | tuple = object):
        if not isinstance(data, Mapping):
            raise self.fail(path, f"expected a mapping, got {type(data).__name__}")
        if key not in data:
            raise self.fail(f"{path}.{key}" if path else key, "is required but missing")
        value = data[key]
        kinds = (kind,) if isinstance(kind, type) else tuple(kind)
        wrong = kind is not object and not isinstance(value, kind)
        if isinstance(value, bool) and bool not in kinds and object not in kinds:
            wrong = True  # YAML reads unquoted yes/no/true as booleans
        if wrong:
            names = "/".join(k.__name__ for k in kinds)
            hint = " (quote yes/no in YAML)" if isinstance(value, bool) else ""
            raise self.fail(
                f"{path}.{key}" if path else key, f"expected {names}, got {value!r}{hint}"
            )
        return value

    def text(self, value: Any, path: str) -> Text:
        if not isinstance(value, Mapping):
            raise self.fail(path, "expected a mapping with 'nl' and 'en' texts")
        missing = [lang for lang in LANGUAGES if not str(value.get(lang) or "").strip()]
        if missing:
            raise self.fail(path, f"text missing for language(s): {', '.join(missing)}")
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            raise self.fail(path, f"unknown language(s): {', '.join(unknown)}")
        return Text(nl=str(value["nl"]).strip(), en=str(value["en"]).strip())

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected a mapping, got {value!r}")
        return value

    def str_list(self, value: Any, path: str) -> list[str]:
        """A list of names; a single name is a list of one."""
        if isinstance(value, str | int) and not isinstance(value, bool):
            return [str(value)]
        if not isinstance(value, list) or any(
            isinstance(v, bool) or not isinstance(v, str | int) for v in value
        ):
            raise self.fail(path, f"expected a list of names, got {value!r} (quote yes/no)")
        return [str(v) for v in value]

    def points(self, value: Any, path: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(path, f"points must be a whole number, got {value!r}")
        return value

    def unknown_keys(self, data: Mapping[str, Any], allowed: Iterable[str], path: str) -> None:
        if not isinstance(data, Mapping):
            raise self.fail(path or "top level", f"expected a mapping, got {data!r}")
        extra = sorted(set(data) - set(allowed))
        if extra:
            where = path or "top level"
            raise self.fail(
                path or extra[0],
                f"unknown field(s) {', '.join(map(str, extra))} in {where}; "
                f"allowed: {', '.join(sorted(allowed))}",
            )


_TOP_FIELDS = {
    "id", "version", "title", "short_title", "measures", "citation", "stem", "forms",
    "keys", "items", "scales", "notes", "terms", "codes", "derived_from",
}  # fmt: skip
_MEASURES = {"loneliness", "isolation", "duration", "self_esteem", "context", "mood"}


def parse_instrument(data: Mapping[str, Any], source: str = "<memory>") -> Instrument:
    """Build and validate an Instrument from parsed YAML. Raises DefinitionError."""
    r = _Reader(source)
    if not isinstance(data, Mapping):
        raise r.fail("top level", "expected a mapping")
    r.unknown_keys(data, _TOP_FIELDS, "")
    inst_id = r.req(data, "id", "", str)
    if not inst_id.isidentifier() or inst_id != inst_id.lower():
        raise r.fail("id", f"{inst_id!r} must be a lower-case identifier (used in column names)")
    measures = r.req(data, "measures", "", str)
    if measures not in _MEASURES:
        raise r.fail("measures", f"{measures!r} is not one of {', '.join(sorted(_MEASURES))}")

    forms = _parse_forms(r, r.req(data, "forms", "", Mapping))
    keys = _parse_keys(r, r.mapping(data.get("keys"), "keys"), forms)
    items = _parse_items(r, r.req(data, "items", "", list), forms, keys)
    item_ids = {i.id for i in items}
    scales = _parse_scales(r, r.mapping(data.get("scales"), "scales"), items, item_ids)

    codes = data.get("codes", {}) or {}
    if not isinstance(codes, Mapping):
        raise r.fail("codes", "expected a mapping of coding system -> code")
    derived_from = (
        _parse_derivation(r, data["derived_from"], inst_id, items)
        if "derived_from" in data
        else None
    )

    return Instrument(
        id=inst_id,
        version=str(r.req(data, "version", "", (str, int, float))),
        title=r.text(r.req(data, "title", ""), "title"),
        short_title=str(r.req(data, "short_title", "", str)),
        measures=measures,
        citation=str(r.req(data, "citation", "", str)).strip(),
        stem=r.text(data["stem"], "stem") if data.get("stem") else None,
        forms=forms,
        items=items,
        scales=scales,
        notes=r.text(data["notes"], "notes") if data.get("notes") else None,
        terms=str(data["terms"]).strip() if data.get("terms") else None,
        codes={str(k): str(v) for k, v in codes.items()},
        source_file=source,
        derived_from=derived_from,
    )


def _parse_derivation(r: _Reader, raw: Any, inst_id: str, items: tuple[Item, ...]) -> Derivation:
    """The file's own side of ``derived_from``; the source is checked against the registry
    by :func:`check_derivation` once every file is loaded."""
    path = "derived_from"
    if not isinstance(raw, Mapping):
        raise r.fail(path, f"expected a mapping with 'instrument' and 'items', got {raw!r}")
    r.unknown_keys(raw, {"instrument", "items"}, path)
    source = r.req(raw, "instrument", path, str)
    if source == inst_id:
        raise r.fail(f"{path}.instrument", "an instrument cannot be derived from itself")
    mapping = r.req(raw, "items", path, Mapping)
    own = [i.id for i in items]
    pairs: dict[str, str] = {}
    used: dict[str, str] = {}
    for target, src in mapping.items():
        tpath = f"{path}.items.{target}"
        if isinstance(target, bool) or str(target) not in own:
            raise r.fail(tpath, f"unknown item {target!r} of {inst_id}; items are {', '.join(own)}")
        if isinstance(src, bool) or not isinstance(src, str | int):
            raise r.fail(tpath, f"expected an item id of {source}, got {src!r} (quote it)")
        if str(src) in used:
            raise r.fail(tpath, f"{source} item {src} is already used for item {used[str(src)]}")
        used[str(src)] = str(target)
        pairs[str(target)] = str(src)
    missing = [i for i in own if i not in pairs]
    if missing:
        raise r.fail(
            f"{path}.items",
            f"every item must come from {source}; no source for item(s) {', '.join(missing)}",
        )
    return Derivation(instrument=source, items=pairs)


def check_derivation(inst: Instrument, known: Mapping[str, Instrument]) -> None:
    """A derived instrument against its source: the source and its items exist, each pair
    of items asks the same statement, and the answer options are the same (same forms,
    option keys and codes), so an answer to the source is an answer to the derived item.
    Raises DefinitionError naming the derived instrument's file and the field."""
    d = inst.derived_from
    if d is None:
        return
    r = _Reader(inst.source_file or inst.id)
    source = known.get(d.instrument)
    if source is None:
        raise r.fail(
            "derived_from.instrument",
            f"unknown instrument {d.instrument!r}; known: {', '.join(sorted(known))}",
        )
    if source.derived_from is not None:
        raise r.fail(
            "derived_from.instrument",
            f"{source.id} is itself derived from {source.derived_from.instrument}; "
            "derive from the instrument that is asked",
        )
    for target_id, source_id in d.items.items():
        path = f"derived_from.items.{target_id}"
        if source_id not in source.item_map:
            raise r.fail(
                path,
                f"unknown item {source_id!r} of {source.id}; items are "
                f"{', '.join(i.id for i in source.items)}",
            )
        target, src = inst.item(target_id), source.item(source_id)
        if target.text != src.text:
            raise r.fail(
                path,
                f"item {target_id} and {source.id} item {source_id} are different statements",
            )
        if set(src.forms) != set(target.forms):
            raise r.fail(
                path,
                f"answer forms differ: {source.id} item {source_id} has "
                f"{', '.join(src.forms)}, item {target_id} has {', '.join(target.forms)}",
            )
        for form_id in src.forms:
            theirs = [(o.key, o.code) for o in source.forms[form_id].options]
            ours = [(o.key, o.code) for o in inst.forms[form_id].options]
            if theirs != ours:
                raise r.fail(
                    path,
                    f"options of form {form_id!r} differ from {source.id}'s "
                    f"({', '.join(f'{k}={c}' for k, c in theirs)}): an answer would not carry over",
                )
            a, b = source.forms[form_id], inst.forms[form_id]
            if (a.declare_file_codes, dict(a.codings)) != (b.declare_file_codes, dict(b.codings)):
                raise r.fail(
                    path,
                    f"form {form_id!r} reads file codes differently from {source.id}'s "
                    "(file_codes / codings): the same file would score differently",
                )


def _parse_forms(r: _Reader, raw: Mapping[str, Any]) -> dict[str, AnswerForm]:
    if not raw:
        raise r.fail("forms", "at least one answer form is required")
    forms: dict[str, AnswerForm] = {}
    for form_id, spec in raw.items():
        path = f"forms.{form_id}"
        r.unknown_keys(spec, {"label", "options", "file_codes", "codings"}, path)
        file_codes = spec.get("file_codes", "standard")
        if file_codes not in ("standard", "declare"):
            raise r.fail(
                f"{path}.file_codes",
                f"expected 'standard' (files use the codes written here) or 'declare' (a "
                f"file must declare its coding), got {file_codes!r}",
            )
        options = []
        seen_keys: set[str] = set()
        seen_codes: set[int] = set()
        seen_labels: dict[str, str] = {}
        for n, opt in enumerate(r.req(spec, "options", path, list)):
            opath = f"{path}.options[{n}]"
            r.unknown_keys(opt, {"key", "code", "label", "aliases"}, opath)
            key = str(r.req(opt, "key", opath, str))
            code = r.req(opt, "code", opath, int)
            if key in seen_keys:
                raise r.fail(f"{opath}.key", f"duplicate option key {key!r}")
            if code in seen_codes:
                raise r.fail(f"{opath}.code", f"duplicate code {code}")
            seen_keys.add(key)
            seen_codes.add(code)
            option = Option(
                key=key,
                code=code,
                label=r.text(r.req(opt, "label", opath), f"{opath}.label"),
                aliases=tuple(r.str_list(opt.get("aliases") or [], f"{opath}.aliases")),
            )
            for label in option.accepted_labels():
                other = seen_labels.get(label)
                if other is not None and other != key:
                    raise r.fail(
                        f"{opath}.label", f"label {label!r} already means option {other!r}"
                    )
                seen_labels[label] = key
            options.append(option)
        if not options:
            raise r.fail(f"{path}.options", "a form needs at least one option")
        named: dict[str, dict[int, str]] = {}
        keys_here = {o.key for o in options}
        for name, table in r.mapping(spec.get("codings"), f"{path}.codings").items():
            cpath = f"{path}.codings.{name}"
            if not isinstance(table, Mapping) or not table:
                raise r.fail(cpath, "expected a mapping of file code -> option key")
            coding: dict[int, str] = {}
            for code, key in table.items():
                if isinstance(code, bool) or not isinstance(code, int):
                    raise r.fail(
                        f"{cpath}.{code}", f"file code must be a whole number, got {code!r}"
                    )
                if str(key) not in keys_here:
                    raise r.fail(
                        f"{cpath}.{code}",
                        f"unknown option {key!r}; options are {', '.join(sorted(keys_here))}",
                    )
                coding[code] = str(key)
            if sorted(coding.values()) != sorted(keys_here):
                raise r.fail(cpath, "a named coding must give every option exactly one code")
            named[str(name)] = coding
        if file_codes == "declare" and not named:
            raise r.fail(
                f"{path}.codings",
                "a form whose file codes must be declared needs at least one named coding",
            )
        forms[str(form_id)] = AnswerForm(
            id=str(form_id),
            label=r.text(spec.get("label") or {"nl": str(form_id), "en": str(form_id)}, path),
            options=tuple(options),
            declare_file_codes=file_codes == "declare",
            codings=named,
        )
    return forms


def _parse_keys(
    r: _Reader, raw: Mapping[str, Any], forms: Mapping[str, AnswerForm]
) -> dict[str, dict[str, int]]:
    all_keys = {o.key for f in forms.values() for o in f.options}
    keys: dict[str, dict[str, int]] = {}
    for name, mapping in raw.items():
        path = f"keys.{name}"
        if not isinstance(mapping, Mapping):
            raise r.fail(path, "expected a mapping of option key -> points")
        for opt_key, points in mapping.items():
            if opt_key not in all_keys:
                raise r.fail(
                    f"{path}.{opt_key}",
                    f"unknown option {opt_key!r}; options are {', '.join(sorted(all_keys))}",
                )
            r.points(points, f"{path}.{opt_key}")
        keys[str(name)] = {str(k): int(v) for k, v in mapping.items()}
    return keys


def _parse_items(
    r: _Reader,
    raw: list[Any],
    forms: Mapping[str, AnswerForm],
    keys: Mapping[str, Mapping[str, int]],
) -> tuple[Item, ...]:
    items: list[Item] = []
    seen: set[str] = set()
    for n, spec in enumerate(raw):
        path = f"items[{n}]"
        r.unknown_keys(spec, {"id", "text", "forms", "key", "flags", "group", "help"}, path)
        item_id = str(r.req(spec, "id", path, (str, int)))
        if item_id in seen:
            raise r.fail(f"{path}.id", f"duplicate item id {item_id!r}")
        seen.add(item_id)
        path = f"items[{item_id}]"
        item_forms = r.str_list(spec.get("forms") or list(forms), f"{path}.forms")
        for f in item_forms:
            if f not in forms:
                raise r.fail(f"{path}.forms", f"unknown form {f!r}; forms are {', '.join(forms)}")
        option_keys = {o.key for f in item_forms for o in forms[f].options}

        key: dict[str, int] | None = None
        key_name = spec.get("key")
        if key_name is not None:
            if isinstance(key_name, Mapping):
                key = {str(k): r.points(v, f"{path}.key.{k}") for k, v in key_name.items()}
                key_name = None
            elif not isinstance(key_name, str):
                raise r.fail(f"{path}.key", f"expected a key name or a mapping, got {key_name!r}")
            elif key_name not in keys:
                raise r.fail(
                    f"{path}.key",
                    f"unknown scoring key {key_name!r}; keys are {', '.join(keys) or 'none'}",
                )
            else:
                key = dict(keys[key_name])
            unscored = sorted(option_keys - set(key))
            if unscored:
                raise r.fail(f"{path}.key", f"no points given for option(s) {', '.join(unscored)}")
            stray = sorted(set(key) - option_keys)
            if stray:
                raise r.fail(f"{path}.key", f"points for unknown option(s) {', '.join(stray)}")

        flags: dict[str, tuple[str, ...]] = {}
        for flag, opts in r.mapping(spec.get("flags"), f"{path}.flags").items():
            opts = tuple(r.str_list(opts, f"{path}.flags.{flag}"))
            bad = [o for o in opts if o not in option_keys]
            if bad:
                raise r.fail(
                    f"{path}.flags.{flag}",
                    f"unknown option(s) {', '.join(bad)}; options are "
                    f"{', '.join(sorted(option_keys))}",
                )
            flags[str(flag)] = opts

        items.append(
            Item(
                id=item_id,
                text=r.text(r.req(spec, "text", path), f"{path}.text"),
                forms=tuple(item_forms),
                key=key,
                key_name=key_name if isinstance(key_name, str) else None,
                flags=flags,
                group=spec.get("group"),
                help=r.text(spec["help"], f"{path}.help") if spec.get("help") else None,
            )
        )
    if not items:
        raise r.fail("items", "an instrument needs at least one item")
    return tuple(items)


def _parse_scales(
    r: _Reader, raw: Mapping[str, Any], items: tuple[Item, ...], item_ids: set[str]
) -> dict[str, Scale]:
    by_id = {i.id: i for i in items}
    scales: dict[str, Scale] = {}
    allowed = {"label", "items", "range", "max_missing", "bands", "cutoff", "higher_is"}
    for scale_id, spec in raw.items():
        path = f"scales.{scale_id}"
        r.unknown_keys(spec, allowed, path)
        names = r.req(spec, "items", path)
        listed = list(by_id) if names == "all" else r.str_list(names, f"{path}.items")
        scale_items = tuple(listed)
        if not scale_items:
            raise r.fail(f"{path}.items", "a scale needs at least one item")
        for i in scale_items:
            if i not in item_ids:
                raise r.fail(f"{path}.items", f"unknown item {i!r}")
            if by_id[i].key is None:
                raise r.fail(f"{path}.items", f"item {i!r} has no scoring key")
        rng = r.req(spec, "range", path, list)
        if len(rng) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in rng):
            raise r.fail(f"{path}.range", f"expected [min, max] as whole numbers, got {rng!r}")
        lo, hi = rng
        # The declared range must be exactly what the keys can produce.
        real_lo = sum(min(by_id[i].key.values()) for i in scale_items)  # type: ignore[union-attr]
        real_hi = sum(max(by_id[i].key.values()) for i in scale_items)  # type: ignore[union-attr]
        if (lo, hi) != (real_lo, real_hi):
            raise r.fail(
                f"{path}.range",
                f"declared {lo}-{hi} but the items' keys give {real_lo}-{real_hi}",
            )
        max_missing = spec.get("max_missing", 0)
        if not isinstance(max_missing, int) or isinstance(max_missing, bool):
            raise r.fail(f"{path}.max_missing", f"expected a whole number, got {max_missing!r}")
        if not 0 <= max_missing < len(scale_items):
            raise r.fail(f"{path}.max_missing", "must be between 0 and the number of items - 1")
        if max_missing and any(min(by_id[i].key.values()) != 0 for i in scale_items):  # type: ignore[union-attr]
            # Answered items are summed and nothing is imputed: with an item whose lowest
            # points are above 0, a total with a gap would fall outside the range.
            raise r.fail(
                f"{path}.max_missing",
                "allowing missing answers needs items whose lowest points are 0",
            )

        bands = []
        raw_bands = spec.get("bands") or []
        if not isinstance(raw_bands, list):
            raise r.fail(f"{path}.bands", f"expected a list of bands, got {raw_bands!r}")
        for n, b in enumerate(raw_bands):
            bpath = f"{path}.bands[{n}]"
            r.unknown_keys(b, {"min", "max", "level", "label"}, bpath)
            band = Band(
                min=r.req(b, "min", bpath, int),
                max=r.req(b, "max", bpath, int),
                level=str(r.req(b, "level", bpath, str)),
                label=r.text(r.req(b, "label", bpath), f"{bpath}.label"),
            )
            if band.min > band.max:
                raise r.fail(bpath, f"min {band.min} is above max {band.max}")
            if band.level == INDETERMINATE:
                raise r.fail(
                    f"{bpath}.level",
                    f"{INDETERMINATE!r} is reserved for a level that missing answers leave open",
                )
            bands.append(band)
        if bands:
            bands.sort(key=lambda b: b.min)
            for a, b in itertools.pairwise(bands):
                if b.min <= a.max:
                    raise r.fail(f"{path}.bands", f"bands {a.level} and {b.level} overlap")
                if b.min != a.max + 1:
                    raise r.fail(
                        f"{path}.bands", f"gap between {a.level} ({a.max}) and {b.level} ({b.min})"
                    )
            if bands[0].min != lo or bands[-1].max != hi:
                raise r.fail(f"{path}.bands", f"bands must cover the whole range {lo}-{hi}")

        cutoff = None
        if spec.get("cutoff"):
            cpath = f"{path}.cutoff"
            c = r.mapping(spec["cutoff"], cpath)
            r.unknown_keys(c, {"setting", "op", "default", "meaning", "level", "otherwise"}, cpath)
            op = r.req(c, "op", cpath, str)
            if op not in CUTOFF_OPERATORS:
                raise r.fail(f"{cpath}.op", f"{op!r} is not one of {', '.join(CUTOFF_OPERATORS)}")
            default = r.req(c, "default", cpath, (int, float))
            if not lo <= default <= hi + 1:
                raise r.fail(f"{cpath}.default", f"{default} lies outside the range {lo}-{hi}")
            level = otherwise_level = otherwise = None
            if "level" in c or "otherwise" in c:
                if bands:
                    raise r.fail(
                        f"{cpath}.level",
                        "a scale with bands takes its level from the bands; "
                        "give cut-off levels only to a scale without bands",
                    )
                level = str(r.req(c, "level", cpath, str))
                o = r.req(c, "otherwise", cpath, Mapping)
                r.unknown_keys(o, {"level", "label"}, f"{cpath}.otherwise")
                otherwise_level = str(r.req(o, "level", f"{cpath}.otherwise", str))
                otherwise = r.text(r.req(o, "label", f"{cpath}.otherwise"), f"{cpath}.otherwise")
                if otherwise_level == level:
                    raise r.fail(f"{cpath}.otherwise.level", f"must differ from level {level!r}")
            cutoff = Cutoff(
                setting=str(r.req(c, "setting", cpath, str)),
                op=op,
                default=default,
                meaning=r.text(r.req(c, "meaning", cpath), f"{cpath}.meaning"),
                level=level,
                otherwise_level=otherwise_level,
                otherwise=otherwise,
            )
        higher_is = spec.get("higher_is", "worse")
        if higher_is not in ("worse", "better"):
            raise r.fail(f"{path}.higher_is", "must be 'worse' or 'better'")
        scales[str(scale_id)] = Scale(
            id=str(scale_id),
            label=r.text(r.req(spec, "label", path), f"{path}.label"),
            items=scale_items,
            min=lo,
            max=hi,
            max_missing=max_missing,
            bands=tuple(bands),
            cutoff=cutoff,
            higher_is=higher_is,
        )
    return scales


def load_instrument_file(path: Path | str) -> Instrument:
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DefinitionError(path.name, "yaml", f"not valid YAML: {exc}") from exc
    instrument = parse_instrument(data, source=path.name)
    if instrument.id != path.stem:
        raise DefinitionError(path.name, "id", f"id {instrument.id!r} must match the file name")
    return instrument


def _definition_dir() -> Path:
    return Path(str(resources.files("verbind.core") / "definitions"))


def load_definitions(directory: Path | str) -> dict[str, Instrument]:
    """Every instrument file of ``directory`` by id, each validated, and derivations
    checked against the other files (so the order of the files does not matter)."""
    out: dict[str, Instrument] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        if path.stem.startswith("_") or path.stem == "batteries":
            continue
        inst = load_instrument_file(path)
        out[inst.id] = inst
    for inst in out.values():
        check_derivation(inst, out)
    return out


@functools.cache
def registry() -> dict[str, Instrument]:
    """All instruments shipped with verbind, by id, loaded and validated once."""
    return load_definitions(_definition_dir())


def get_instrument(instrument_id: str) -> Instrument:
    try:
        return registry()[instrument_id]
    except KeyError:
        known = ", ".join(sorted(registry()))
        raise KeyError(f"unknown instrument {instrument_id!r}; known: {known}") from None


def all_instruments() -> list[Instrument]:
    return list(registry().values())
