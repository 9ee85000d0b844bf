"""The shape of a programme's files as pydantic models: which keys, which types, which values.

:class:`Manifest` (``programme.yaml``; :func:`manifest_model` gives the one for a set of
languages) and :class:`FrontMatter` (a week file). Every model is strict (``"8"`` is text,
not a number) and refuses unknown keys. :mod:`.validation` runs them on a file and turns
their errors into problems with a line.

What depends on other values of the manifest (which languages a text needs, which week
numbers exist) comes in through the validation context: ``languages`` and ``week_count``.
Relations between entries and files (duplicate ids, references, instruments, links) are
not shapes; they are in :mod:`.checks`.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from verbind.core.programme.model import DEFAULT_WORD_LIMIT, EXERCISE_KINDS, SUPPORTED_LANGUAGES
from verbind.core.programme.yaml_lines import line_at

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
