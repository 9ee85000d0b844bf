"""The shape of a programme's files as pydantic models: which keys, which types, which values.

:func:`validate_manifest` and :func:`validate_front_matter` check one file and turn every
pydantic error into a :class:`Problem` with the line it is on and an English sentence that
names the key (its ``loc`` is looked up in the YAML, which remembers lines). They also
return the parts that *are* valid (see :func:`_salvage`), so the cross-file checks still run
and every problem is reported at once.

What depends on other values of the manifest (which languages a text needs, which week
numbers exist) comes in through the validation context: ``languages`` and ``week_count``.
Relations between entries and files (duplicate ids, references, instruments, links) are
not shapes; they are in :mod:`.checks`.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from verbind.core.programme.model import DEFAULT_WORD_LIMIT, EXERCISE_KINDS, SUPPORTED_LANGUAGES
from verbind.core.programme.problems import Problem
from verbind.core.programme.yaml_lines import Map, Seq, line_at

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# --- value types ---------------------------------------------------------------------------


def _id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lower-case letters, digits, '-' and '_'"
        )
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"{value!r} must be lower-case letters, digits and hyphens")
    return value


def _language(value: str) -> str:
    if value not in SUPPORTED_LANGUAGES:
        supported = ", ".join(SUPPORTED_LANGUAGES)
        raise ValueError(f"language {value!r} is not supported; supported: {supported}")
    return value


def _none_is_empty(value: Any) -> Any:
    return [] if value is None else value


def _number_as_text(value: Any) -> Any:
    # version: 1.0 reads as a float in YAML; "1.0" is meant.
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return str(value) if is_number else value


def _context(info: ValidationInfo, key: str) -> Any:
    return (info.context or {}).get(key)


def _all_weeks(value: Any, info: ValidationInfo) -> Any:
    if value == "all":
        week_count = _context(info, "week_count")
        return list(range(0, week_count + 1)) if week_count else []
    if not isinstance(value, list):
        raise ValueError("must be a list of week numbers, or 'all'")
    return value


def _check_in_week(value: int, info: ValidationInfo) -> int:
    week_count = _context(info, "week_count")
    if value < 0 or (week_count is not None and value > week_count):
        last = week_count if week_count is not None else "week_count"
        raise ValueError(f"week {value} is not between 0 and {last} (0 = at enrolment)")
    return value


def _course_week(value: int, info: ValidationInfo) -> int:
    week_count = _context(info, "week_count")
    if value < 1 or (week_count is not None and value > week_count):
        last = week_count if week_count is not None else "week_count"
        raise ValueError(f"week {value} is outside 1-{last} (week_count)")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Name = Annotated[str, StringConstraints(min_length=1)]
Names = Annotated[list[Name], BeforeValidator(_none_is_empty)]
Id = Annotated[str, AfterValidator(_id)]
Slug = Annotated[str, AfterValidator(_slug)]
Language = Annotated[str, AfterValidator(_language)]
Version = Annotated[str, BeforeValidator(_number_as_text)]
PositiveInt = Annotated[int, Field(ge=1)]
CheckInWeeks = Annotated[
    list[Annotated[int, AfterValidator(_check_in_week)]], BeforeValidator(_all_weeks)
]
CourseWeek = Annotated[int, AfterValidator(_course_week)]
Kind = Literal["writing", "reflection", "practical", "creative"]
assert get_args(Kind) == EXERCISE_KINDS


# --- models --------------------------------------------------------------------------------


class Located(BaseModel):
    """A part of a file: strict types, no unknown keys, and it keeps its YAML node so a
    cross-file check can say which line a key is on (:meth:`line`)."""

    model_config = ConfigDict(extra="forbid", strict=True, defer_build=True)
    _node: Any = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_node(cls, data: Any, handler: Any) -> Any:
        model = handler(data)
        model._node = data
        return model

    def line(self, *loc: Any) -> int | None:
        """Line of the key (or item) at ``loc`` in this part, or of the part itself."""
        return line_at(self._node, loc)


class LanguageMap(Located):
    """A text per language; :func:`texts_model` makes one with the programme's languages."""


class Theme(Located):
    id: Id
    title: LanguageMap  # per programme: see manifest_model


class CheckIn(Located):
    id: Text
    instruments: Names
    weeks: CheckInWeeks | None = Field(None, description="0 = at enrolment, or 'all'")
    months_after_end: PositiveInt | None = None

    @model_validator(mode="after")
    def _weeks_or_months(self) -> CheckIn:
        if (self.weeks is None) == (self.months_after_end is None):
            raise ValueError(
                "give either weeks (0 = at enrolment) or months_after_end (a follow-up), "
                "not both or neither"
            )
        return self


class WeekSpec(Located):
    number: CourseWeek
    themes: Names = []
    feedback_moments: Names = []
    check_in: Names = []


class SourceSpec(Located):
    id: Annotated[str, BeforeValidator(_number_as_text)] | None = None
    citation: Text
    used_for: Annotated[str, StringConstraints(strip_whitespace=True)] = ""


class Manifest(Located):
    """The manifest; :func:`manifest_model` gives the one for a programme's languages."""

    slug: Slug = Field(description="must equal the folder name")
    version: Version = "1"
    title: LanguageMap
    summary: LanguageMap | None = None
    languages: Annotated[list[Language], Field(min_length=1)] = Field(description="e.g. [nl, en]")
    week_count: PositiveInt
    reading_word_limit: PositiveInt = DEFAULT_WORD_LIMIT
    themes: Annotated[list[Theme], BeforeValidator(_none_is_empty)] = []
    check_ins: Annotated[list[CheckIn], BeforeValidator(_none_is_empty)] = []
    weeks: list[WeekSpec] = Field(description="one entry per week, 1..week_count")
    sources: Annotated[list[SourceSpec], BeforeValidator(_none_is_empty)] = []


class ExerciseSpec(Located):
    id: Id
    kind: Kind
    feedback_moment: bool = False
    accepts_photo: bool = False
    title: Text
    prompt: Text

    @field_validator("accepts_photo")
    @classmethod
    def _photo_only_when_creative(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("kind", "creative") != "creative":
            raise ValueError("only a creative exercise can accept a photo")
        return value


class FrontMatter(Located):
    week: int | None = Field(None, description="must match the file name")
    title: Text
    exercises: list[ExerciseSpec] = Field(
        description="use 'exercises: []' for a week without exercises"
    )


@functools.cache
def texts_model(languages: tuple[str, ...]) -> type[LanguageMap]:
    """A text per language in ``languages``, each required; no other languages. Without
    (valid) languages, any supported language may be given and none is required."""
    if languages:
        fields: dict[str, Any] = dict.fromkeys(languages, (Text, ...))
    else:
        fields = dict.fromkeys(SUPPORTED_LANGUAGES, (Text | None, None))
    name = "Texts_" + ("_".join(languages) or "any")
    return create_model(name, __base__=LanguageMap, **fields)


@functools.cache
def manifest_model(languages: tuple[str, ...]) -> type[Manifest]:
    """The manifest whose texts (title, summary, theme titles) are in ``languages``."""
    texts = texts_model(languages)
    suffix = "_".join(languages) or "any"
    theme = create_model(f"Theme_{suffix}", __base__=Theme, title=(texts, ...))
    themes = Annotated[list[theme], BeforeValidator(_none_is_empty)]  # type: ignore[valid-type]
    return create_model(
        f"Manifest_{suffix}",
        __base__=Manifest,
        title=(texts, ...),
        summary=(texts | None, None),
        themes=(themes, []),
    )


# --- validating one file -------------------------------------------------------------------


def validate_manifest(
    data: Any, *, languages: tuple[str, ...], week_count: int | None
) -> tuple[Manifest | None, list[Problem]]:
    """The manifest's valid parts (None when it is not a mapping) and its shape problems."""
    context = {"languages": languages, "week_count": week_count}
    return _validate(manifest_model(languages), data, "programme.yaml", "", context)


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
