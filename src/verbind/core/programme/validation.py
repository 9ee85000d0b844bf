"""Validating one file against its schema: every pydantic error becomes a :class:`Problem`
with the line it is on and an English sentence that names the entry and the key (the error's
``loc`` is looked up in the YAML, which remembers lines). Also the parts of the file that
*are* valid (:func:`_salvage`), so the cross-file checks still run and every problem is
reported at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from verbind.core.programme.model import MANIFEST
from verbind.core.programme.problems import Problem
from verbind.core.programme.schema import (
    FrontMatter,
    LanguageMap,
    Located,
    Manifest,
    manifest_model,
)
from verbind.core.programme.yaml_lines import Map, Seq, line_at

# --- validating one file -------------------------------------------------------------------


def validate_manifest(
    data: Any, *, languages: tuple[str, ...], week_count: int | None
) -> tuple[Manifest | None, list[Problem]]:
    """The manifest's valid parts (None when it is not a mapping) and its shape problems."""
    context = {"languages": languages, "week_count": week_count}
    return _validate(manifest_model(languages), data, MANIFEST, "", context)


def validate_front_matter(
    data: Any, *, file: str, first_line: int
) -> tuple[FrontMatter | None, list[Problem]]:
    """A week file's front matter (valid parts, see :func:`validate_manifest`) and problems."""
    return _validate(FrontMatter, data, file, "front matter", {}, first_line)


def _validate(
    model: type[Located],
    data: Any,
    file: str,
    top: str,
    context: dict[str, Any],
    first_line: int = 1,
) -> tuple[Any, list[Problem]]:
    try:
        return model.model_validate(data, context=context), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    problems = [
        Problem(
            file,
            line_at(data, err["loc"]) or first_line,
            *_explain(model, data, err, top, context.get("languages", ())),
        )
        for err in errors
    ]
    return _salvage(model, data, [err["loc"] for err in errors], context), problems


def _salvage(
    model: type[Located], data: Any, locs: list[tuple[Any, ...]], context: dict[str, Any]
) -> Any:
    """The valid parts of a file that failed validation: each field without an error, and of
    a list of entries (exercises, themes, ...) the entries without an error. A field with an
    error keeps its default (None when it has none)."""
    if not isinstance(data, Mapping):
        return None
    model_fields = model.model_fields
    model_ = model.model_construct(
        **{name: None for name, f in model_fields.items() if f.is_required()}
    )
    validator = model.__pydantic_validator__
    for name, info in model_fields.items():
        if name not in data:
            continue
        value = data[name]
        errors = [loc[1:] for loc in locs if loc and loc[0] == name]
        if errors:
            if () in errors or not _is_model_list(info.annotation):
                continue
            bad = {loc[0] for loc in errors}
            if not isinstance(value, list) or not all(isinstance(i, int) for i in bad):
                continue
            value = [item for i, item in enumerate(value) if i not in bad]
        try:
            validator.validate_assignment(model_, name, value, context=context)
        except ValidationError:
            continue
    model_._node = data
    return model_


def _is_model_list(annotation: Any) -> bool:
    item = _unwrap(annotation)
    if get_origin(item) is not list:
        return False
    inner = _unwrap(get_args(item)[0])
    return isinstance(inner, type) and issubclass(inner, BaseModel)


def _unwrap(t: Any) -> Any:
    """``t`` without Annotated and Optional."""
    while True:
        origin = get_origin(t)
        if origin is Annotated:
            t = get_args(t)[0]
        elif origin is Union or type(t).__name__ == "UnionType":
            args = [a for a in get_args(t) if a is not type(None)]
            if len(args) != 1:
                return t
            t = args[0]
        else:
            return t


def _owner(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that holds the last key of ``loc`` (for a missing or unknown key)."""
    t: Any = model
    for step in loc[:-1]:
        t = _unwrap(t)
        if isinstance(step, int) and get_origin(t) is list:
            t = get_args(t)[0]
        elif isinstance(t, type) and issubclass(t, BaseModel) and step in t.model_fields:
            t = t.model_fields[step].annotation
        else:
            return None
    t = _unwrap(t)
    return t if isinstance(t, type) and issubclass(t, BaseModel) else None


# --- English -------------------------------------------------------------------------------

# Lists of entries at the top of a file: how one entry is called.
_ENTRY = {
    "themes": "theme",
    "check_ins": "check-in",
    "weeks": "week",
    "sources": "source",
    "exercises": "exercise",
}

_MESSAGES = {
    "string_type": "must be text",
    "string_too_short": "must not be empty",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping (key: value lines)",
    "model_type": "must be a mapping (key: value lines)",
    "model_attributes_type": "must be a mapping (key: value lines)",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "too_short": "must not be empty",
    "literal_error": "must be one of {expected}",
}


def _entry_label(field: str, index: int, entry: Any) -> str:
    noun = _ENTRY[field]
    key = "number" if field == "weeks" else "id"
    value = entry.get(key) if isinstance(entry, Mapping) else None
    if field == "weeks":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return f"week {value}" if ok else f"weeks entry {index + 1}"
    if isinstance(value, str) and value.strip():
        return f"{noun} {value!r}"
    return f"{noun} {index + 1}"


def _path_words(data: Any, loc: tuple[Any, ...]) -> list[str]:
    """``loc`` in words: ('themes', 2, 'title') -> ["theme 'x'", 'title']."""
    words: list[str] = []
    node = data
    i = 0
    while i < len(loc):
        step = loc[i]
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if i == 0 and step in _ENTRY and isinstance(nxt, int):
            items = node.get(step) if isinstance(node, Mapping) else None
            entry = items[nxt] if isinstance(items, list) and 0 <= nxt < len(items) else None
            words.append(_entry_label(step, nxt, entry))
            node, i = entry, i + 2
            continue
        if isinstance(step, int):
            words.append(f"item {step + 1}")
            node = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
        elif isinstance(step, str) and ("[" in step or step.startswith("function-")):
            pass  # a pydantic union branch, not a key
        else:
            words.append(str(step))
            node = node.get(step) if isinstance(node, Mapping) else None
        i += 1
    return words


def _shown(value: Any) -> str:
    if isinstance(value, Map | dict):
        return "a mapping"
    if isinstance(value, Seq | list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _explain(
    model: type[BaseModel],
    data: Any,
    err: Mapping[str, Any],
    top: str,
    languages: tuple[str, ...],
) -> tuple[str, str]:
    """(code, message) for one pydantic error."""
    loc = tuple(err["loc"])
    kind = err["type"]
    words = _path_words(data, loc)
    owner = _owner(model, loc) if loc else None
    key = loc[-1] if loc else None

    entry_id = key == "id" and len(loc) == 3 and loc[0] in _ENTRY
    if entry_id and err.get("input") in (None, ""):  # `id:` with nothing after it
        return "missing_id", f"{_ENTRY[loc[0]]} {loc[1] + 1} has no id"

    if kind == "missing" and owner is not None:
        where = " ".join(words[:-1])
        if issubclass(owner, LanguageMap):
            return "missing_language", f"{where}: text missing for language {key!r}"
        if entry_id:
            return "missing_id", f"{_ENTRY[loc[0]]} {loc[1] + 1} has no id"
        field = owner.model_fields.get(str(key))
        hint = f" ({field.description})" if field is not None and field.description else ""
        prefix = f"{where}: " if where else (f"{top}: " if top else "")
        return "missing_field", f"{prefix}required field {key!r} is missing{hint}"

    if kind == "extra_forbidden" and owner is not None:
        where = " ".join(words[:-1])
        if issubclass(owner, LanguageMap):
            have = ", ".join(languages) or "none valid"
            return (
                "unknown_field",
                f"{where}: language {key!r} is not in the programme's languages ({have})",
            )
        allowed = sorted(owner.model_fields)
        close = difflib.get_close_matches(str(key), allowed, n=1)
        guess = f" (did you mean {close[0]!r}?)" if close else ""
        prefix = f"{where}: " if where else (f"{top}: " if top else "")
        return (
            "unknown_field",
            f"{prefix}unknown field {key!r}{guess}; allowed: {', '.join(allowed)}",
        )

    if not loc:  # the whole file (or front matter) is not a mapping of fields
        whole = f"the {top}" if top else "the manifest"
        if err.get("input") is None:
            return "invalid_value", f"{whole} is empty; it needs its fields (key: value lines)"
        return "invalid_value", f"{whole} must be a mapping of fields (key: value lines)"
    where = " ".join(words)
    if owner is not None and issubclass(owner, LanguageMap):
        where = " ".join(words[:-1]) + f" in {key!r}"  # title in 'en'
    if kind in _MESSAGES:
        message = _MESSAGES[kind].format(**err.get("ctx", {}))
        value = err.get("input")
        if value is None:
            message += ", but it is empty"
        elif kind not in ("too_short", "string_too_short"):
            message += f", got {_shown(value)}"
    elif kind == "value_error":  # our own validators' errors say it all
        message = str(err.get("ctx", {}).get("error", err["msg"]))
    else:
        message = err["msg"]
    return "invalid_value", f"{where}: {message}"
