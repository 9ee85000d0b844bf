"""The profile's texts (``core/texts/profile.yaml``): loaded, checked against every key
the rules need."""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from verbind.core.crisis import CrisisDataError, expand_references
from verbind.core.instrument import LANGUAGES
from verbind.core.profile.build import Profile
from verbind.core.profile.derive import COACH_FLAGS
from verbind.core.profile.inputs import (
    LIFE_EVENTS,
    LITERACY,
    OPEN_TO_LEARNING,
    QUADRANTS,
    ROUTES,
    WISH_TO_CHANGE,
)
from verbind.core.profile.rules import DURATION_RULES, ROUTE_RULES
from verbind.core.yaml_files import load_yaml

SECTION_TITLES = (
    "crisis", "feeling", "situation", "duration", "approach", "route", "next_steps",
    "conversation", "events", "rules",
)  # fmt: skip


class TextsError(ValueError):
    """The profile texts file is incomplete or inconsistent. The message names the key."""


def _suffix(rule_id: str) -> str:
    return rule_id.split(".", 1)[1]


def required_text_keys() -> dict[str, str]:
    """Every text key explain() can use, with its kind ("text" or "list")."""
    keys: dict[str, str] = {}
    for name in SECTION_TITLES:
        keys[f"title.{name}"] = "text"
    for quadrant in QUADRANTS:
        keys[f"headline.{quadrant}"] = "text"
        keys[f"approach.{quadrant}"] = "text"
    keys["headline.loneliness_unclear"] = "text"
    keys["duration.loneliness_unclear"] = "text"
    keys["approach.loneliness_unclear"] = "text"
    for name in (
        "lonely", "not_lonely", "unknown", "score", "score_plain", "severe",
        "emotional_and_social", "emotional", "social", "scales_disagree",
        "uncertain_lonely", "uncertain_level",
    ):  # fmt: skip
        keys[f"feeling.{name}"] = "text"
    for name in (
        "isolated", "not_isolated", "unknown", "disagree_network_enough",
        "disagree_network_small", "family_limited", "friends_limited",
    ):  # fmt: skip
        keys[f"situation.{name}"] = "text"
    for name in ("severe", "scales_disagree"):
        keys[f"conversation.{name}"] = "text"
    keys["conversation.steps"] = "list"
    for flag in COACH_FLAGS:
        keys[f"coach_flag.{flag}"] = "text"
    for rule in DURATION_RULES:
        keys[f"duration.{_suffix(rule.id)}"] = "text"
    for name in (
        "chosen_solitude_health", "retest", "emotional", "social", "transient", "persistent",
        "chronic", "chronic_effects_intro", "chronic_steps_intro", "chronic_then",
        "self_esteem_low",
    ):  # fmt: skip
        keys[f"approach.{name}"] = "text"
    keys["approach.chronic_effects"] = "list"
    keys["approach.chronic_steps"] = "list"
    for route in ROUTES:
        keys[f"route.{route}.title"] = "text"
        keys[f"route.{route}.steps"] = "list"
    keys["crisis.text"] = "text"
    keys["crisis.after"] = "text"
    for rule in ROUTE_RULES:
        keys[f"why.{_suffix(rule.id)}"] = "text"
    keys["why.coach_agreement"] = "text"
    keys["why.coach_agreement_reading"] = "text"
    keys["unmet.loneliness_unknown"] = "text"
    keys["unmet.duration_unknown"] = "text"
    for condition, vocabulary in (
        ("wish_to_change", WISH_TO_CHANGE),
        ("open_to_learning", OPEN_TO_LEARNING),
        ("literacy", LITERACY),
    ):
        for answer in (*(a for a in vocabulary if a != "yes"), "missing"):
            # "No" to change leads to respect_choice, never to alternative_support.
            if (condition, answer) != ("wish_to_change", "no"):
                keys[f"unmet.{condition}.{answer}"] = "text"
    keys["events.intro"] = "text"
    for event in LIFE_EVENTS:
        keys[f"events.{event}"] = "text"
    keys["disclaimer"] = "text"
    keys["help_footer"] = "text"
    keys.update(dict.fromkeys(summary_text_keys(), "text"))
    return keys


def _with_crisis_help(text: str, lang: str, where: str) -> str:
    """Crisis numbers live in crisis.yaml only: "{crisis:<id>}" becomes that sentence."""
    try:
        return expand_references(" ".join(text.split()), lang, where)
    except CrisisDataError as exc:
        raise TextsError(str(exc)) from exc


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class ProfileTexts:
    """The validated texts: key -> language -> a text or a tuple of texts."""

    source: str
    entries: Mapping[str, Mapping[str, str | tuple[str, ...]]]

    def text(self, key: str, lang: str, **values: Any) -> str:
        value = self.entries[key][lang]
        assert isinstance(value, str), key
        return value.format(**values) if values or "{" in value else value

    def items(self, key: str, lang: str) -> tuple[str, ...]:
        value = self.entries[key][lang]
        assert isinstance(value, tuple), key
        return value


def _flatten(node: Any, path: str, out: dict[str, Any], source: str) -> None:
    if not isinstance(node, Mapping):
        raise TextsError(f"{source}: {path or 'top level'}: expected a mapping, got {node!r}")
    langs = [k for k in node if k in LANGUAGES]
    if langs:
        extra = sorted(str(k) for k in node if k not in LANGUAGES)
        if extra:
            raise TextsError(
                f"{source}: {path}: a text has only the languages {', '.join(LANGUAGES)}; "
                f"unexpected {', '.join(extra)}"
            )
        out[path] = node
        return
    for key, child in node.items():
        if isinstance(key, bool):
            raise TextsError(f"{source}: {path}.{key}: quote yes/no keys in YAML")
        _flatten(child, f"{path}.{key}" if path else str(key), out, source)


def parse_texts(data: Any, source: str = "<memory>") -> ProfileTexts:
    """Validate parsed YAML against :func:`required_text_keys`. Raises TextsError."""
    raw: dict[str, Any] = {}
    _flatten(data, "", raw, source)
    required = required_text_keys()
    missing = [k for k in required if k not in raw]
    if missing:
        raise TextsError(f"{source}: missing text(s): {', '.join(missing)}")
    unknown = sorted(set(raw) - set(required))
    if unknown:
        raise TextsError(f"{source}: text(s) the profile does not use: {', '.join(unknown)}")
    entries: dict[str, dict[str, str | tuple[str, ...]]] = {}
    for key, kind in required.items():
        node = raw[key]
        per_lang: dict[str, str | tuple[str, ...]] = {}
        for lang in LANGUAGES:
            value = node.get(lang)
            where = f"{source}: {key}.{lang}"
            if value is None or (isinstance(value, str | list) and not value):
                raise TextsError(f"{where}: text missing for language {lang!r}")
            if kind == "text":
                if not isinstance(value, str) or not value.strip():
                    raise TextsError(f"{where}: expected one text, got {value!r}")
                per_lang[lang] = _with_crisis_help(value, lang, where)
            else:
                if not isinstance(value, list) or not all(
                    isinstance(v, str) and v.strip() for v in value
                ):
                    raise TextsError(f"{where}: expected a list of texts, got {value!r}")
                per_lang[lang] = tuple(_with_crisis_help(v, lang, where) for v in value)
        nl, en = per_lang["nl"], per_lang["en"]
        if kind == "list" and len(nl) != len(en):
            raise TextsError(
                f"{source}: {key}: nl has {len(nl)} texts, en has {len(en)}: they must match"
            )
        nl_names = set().union(*(_placeholders(t) for t in ((nl,) if kind == "text" else nl)))
        en_names = set().union(*(_placeholders(t) for t in ((en,) if kind == "text" else en)))
        if nl_names != en_names:
            raise TextsError(
                f"{source}: {key}: placeholders differ: "
                f"nl {sorted(nl_names)}, en {sorted(en_names)}"
            )
        entries[key] = per_lang
    return ProfileTexts(source=source, entries=entries)


def load_texts(path: Path | str) -> ProfileTexts:
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TextsError(f"{path.name}: not valid YAML: {exc}") from exc
    return parse_texts(data, source=path.name)


@functools.cache
def profile_texts() -> ProfileTexts:
    """The shipped texts (``core/texts/profile.yaml``), loaded and validated once."""
    return load_texts(Path(str(resources.files("verbind.core") / "texts" / "profile.yaml")))


def stored_flags(stored: Mapping[str, Any]) -> tuple[str, ...]:
    """The flags of a stored profile (:meth:`Profile.to_dict`). A profile stored before
    flags were kept still shows its isolation disagreement."""
    flags = stored.get("flags")
    if flags is None:
        flags = ["isolation_scales_disagree"] if stored.get("isolation_disagrees") else []
    return tuple(flag for flag in COACH_FLAGS if flag in flags)


def coach_flags(profile: Profile | Mapping[str, Any], lang: str = "nl") -> tuple[str, ...]:
    """:attr:`Profile.flags` (of a Profile or a stored one) in words for the coach, who may
    read instrument names."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not supported (supported: {', '.join(LANGUAGES)})")
    flags = profile.flags if isinstance(profile, Profile) else stored_flags(profile)
    return tuple(profile_texts().text(f"coach_flag.{flag}", lang) for flag in flags)


# The lines of the result in short (summary.py), by kind.
SUMMARY_FEELINGS = (
    "lonely_transient", "lonely_persistent", "lonely_chronic", "lonely", "not_lonely", "unknown",
)  # fmt: skip
SUMMARY_SITUATIONS = ("isolated", "not_isolated", "unknown")


def summary_text_keys() -> tuple[str, ...]:
    """The texts of :func:`result_in_short` (``summary.*`` in profile.yaml)."""
    return (
        "summary.title",
        *(f"summary.feeling.{name}" for name in SUMMARY_FEELINGS),
        *(f"summary.situation.{name}" for name in SUMMARY_SITUATIONS),
        *(f"summary.next.{route}" for route in ROUTES),
        "summary.next.course_coach_first",
    )
