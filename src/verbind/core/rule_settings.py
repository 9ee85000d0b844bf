"""The documented, overridable settings of scoring and the profile, in one place.

Two kinds of settings exist:

* every instrument cut-off that sources disagree on (``djg11_subscale_cutoff`` ...). Their
  names, defaults and allowed ranges come from the instrument definitions
  (``Cutoff.setting`` / ``Cutoff.default`` and the scale's range), so a cut-off is written
  down once, in its YAML file;
* the profile's own thresholds (how long loneliness lasts before it is persistent or
  chronic, how isolation instruments combine), declared in :data:`PROFILE_SETTINGS`.

:func:`resolve_settings` turns a mapping of overrides (from a config file, the CLI or a
deployment) into the full set of values, refusing an unknown name or a bad value with a
message that names the setting, the value and what is allowed.

Pure Python: no Django imports.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from verbind.core.instrument import registry


class SettingsError(ValueError):
    """An override names an unknown setting or gives a value it cannot take."""


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its default and what values it accepts."""

    name: str
    default: Any
    kind: type  # int or str
    description: str
    source: str  # "profile", "change" or "<instrument>.<scale>[, ...]"
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[Any, ...] | None = None

    def allowed(self) -> str:
        if self.choices is not None:
            return "one of " + ", ".join(str(c) for c in self.choices)
        return f"a whole number from {self.minimum} to {self.maximum}"

    def coerce(self, value: Any) -> Any:
        """The value as this setting's type, or SettingsError naming what is wrong."""
        if self.kind is int:
            number = _as_whole_number(value)
            if number is None:
                raise SettingsError(
                    f"setting {self.name!r}: {value!r} is not a whole number "
                    f"(allowed: {self.allowed()})"
                )
            value = number
        else:
            if not isinstance(value, str):
                raise SettingsError(
                    f"setting {self.name!r}: {value!r} is not text (allowed: {self.allowed()})"
                )
            value = value.strip()
        if self.choices is not None and value not in self.choices:
            raise SettingsError(
                f"setting {self.name!r}: {value!r} is not allowed (allowed: {self.allowed()})"
            )
        if self.minimum is not None and value < self.minimum:
            raise SettingsError(
                f"setting {self.name!r}: {value} is below the minimum {self.minimum} "
                f"(allowed: {self.allowed()})"
            )
        if self.maximum is not None and value > self.maximum:
            raise SettingsError(
                f"setting {self.name!r}: {value} is above the maximum {self.maximum} "
                f"(allowed: {self.allowed()})"
            )
        return value


def _as_whole_number(value: Any) -> int | None:
    # Overrides arrive from YAML, JSON and the command line: accept 3, 3.0 and "3".
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None
    return None


# Month boundaries the duration question can tell apart (its answers are < 6 months,
# 6-12 months, 1-2 years, > 2 years): a threshold between them could not be applied to
# an answer, so only these are allowed.
DURATION_ANSWER_BOUNDARIES = (6, 12, 24)

PROFILE_SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        name="transient_below_months",
        default=6,
        kind=int,
        choices=(6, 12),
        description=(
            "Loneliness that has lasted less than this many months is transient "
            "(a normal part of life). Must be a boundary of the duration question."
        ),
        source="profile",
    ),
    SettingSpec(
        name="chronic_from_months",
        default=24,
        kind=int,
        choices=(12, 24),
        description=(
            "Loneliness that has lasted at least this many months is chronic "
            "(panel studies: lonely at two waves about two years apart). Must be a "
            "boundary of the duration question and above transient_below_months."
        ),
        source="profile",
    ),
    SettingSpec(
        name="chronic_history_span_months",
        default=24,
        kind=int,
        minimum=1,
        maximum=240,
        description=(
            "Loneliness is also chronic when the person was lonely at every stored "
            "measurement over at least this many months, up to today."
        ),
        source="profile",
    ),
    SettingSpec(
        name="isolation_combine",
        default="lsns6_first",
        kind=str,
        choices=("lsns6_first", "both"),
        description=(
            "How LSNS-6 and the Steptoe index combine: 'lsns6_first' (default) = LSNS-6 "
            "decides when it could be scored, the Steptoe index only without it (the index "
            "was built on people over 52, and being single or without a club is common in "
            "younger adults with a strong network); 'both' = stricter, isolated only when "
            "every scored instrument says so. A disagreement is always shown."
        ),
        source="profile",
    ),
    SettingSpec(
        name="strong_worsening_percent",
        default=25,
        kind=int,
        minimum=1,
        maximum=100,
        description=(
            "A coach is alerted to a strong worsening when loneliness rose by at least "
            "this percentage of the scale's range since the previous measurement "
            "(verbind.core.change; 25 = 3 points on the DJG-11, 2 on the DJG-6)."
        ),
        source="change",
    ),
    SettingSpec(
        name="low_mood_check_ins",
        default=3,
        kind=int,
        minimum=2,
        maximum=52,
        description=(
            "A coach is alerted when the mood question is answered with its lowest answer "
            "('very bad') at this many course check-ins in a row "
            "(verbind.core.change.is_persistent_low_mood)."
        ),
        source="change",
    ),
)


def setting_specs() -> dict[str, SettingSpec]:
    """Every setting by name: instrument cut-offs from the registry, then the profile's."""
    return dict(_setting_specs())


@functools.cache
def _setting_specs() -> dict[str, SettingSpec]:
    # Cached like the registry it reads: bulk scoring resolves settings per combination.
    specs: dict[str, SettingSpec] = {}
    for inst in registry().values():
        for scale in inst.scales.values():
            cutoff = scale.cutoff
            if cutoff is None:
                continue
            where = f"{inst.id}.{scale.id}"
            # A threshold from the scale's minimum to one above its maximum (for "<").
            low, high = scale.min, scale.max + 1
            default = int(cutoff.default) if float(cutoff.default).is_integer() else None
            if default is None:
                raise SettingsError(
                    f"{inst.source_file or inst.id}: cut-off {cutoff.setting!r} has a "
                    f"default that is not a whole number ({cutoff.default})"
                )
            known = specs.get(cutoff.setting)
            if known is None:
                specs[cutoff.setting] = SettingSpec(
                    name=cutoff.setting,
                    default=default,
                    kind=int,
                    minimum=low,
                    maximum=high,
                    description=f"{inst.short_title} {scale.id}: {cutoff.op} this value "
                    f"means {cutoff.meaning.en}.",
                    source=where,
                )
                continue
            # One setting may serve several scales (the DJG emotional and social
            # subscales): its range is where all of them accept it.
            if known.default != default:
                raise SettingsError(
                    f"setting {cutoff.setting!r} has default {known.default} in "
                    f"{known.source} but {default} in {where}"
                )
            specs[cutoff.setting] = SettingSpec(
                name=known.name,
                default=known.default,
                kind=int,
                minimum=max(known.minimum or low, low),
                maximum=min(known.maximum if known.maximum is not None else high, high),
                description=known.description.rstrip(".")
                + f"; also {scale.id} ({cutoff.meaning.en}).",
                source=f"{known.source}, {where}",
            )
    for spec in PROFILE_SETTINGS:
        if spec.name in specs:
            raise SettingsError(
                f"setting {spec.name!r} is declared by the profile and by {specs[spec.name].source}"
            )
        specs[spec.name] = spec
    return specs


def default_settings() -> dict[str, Any]:
    return {name: spec.default for name, spec in setting_specs().items()}


def resolve_settings(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """All settings with ``overrides`` applied and checked.

    Raises SettingsError (a ValueError) naming an unknown setting (with the nearest known
    name) or a value of the wrong type or outside the allowed range. Passing an already
    resolved dict returns an equal dict, so callers may resolve more than once.
    """
    specs = _setting_specs()
    values = {name: spec.default for name, spec in specs.items()}
    if overrides is None:
        return values
    if not isinstance(overrides, Mapping):
        raise SettingsError(
            f"settings must be a mapping of name -> value, got {type(overrides).__name__}"
        )
    for name, value in overrides.items():
        spec = specs.get(str(name))
        if spec is None:
            close = difflib.get_close_matches(str(name), list(specs), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise SettingsError(
                f"unknown setting {name!r}{hint}. Known settings: {', '.join(sorted(specs))}"
            )
        values[spec.name] = spec.coerce(value)
    if values["transient_below_months"] >= values["chronic_from_months"]:
        raise SettingsError(
            "setting 'transient_below_months' "
            f"({values['transient_below_months']}) must be below 'chronic_from_months' "
            f"({values['chronic_from_months']}): otherwise no loneliness is persistent"
        )
    return values
