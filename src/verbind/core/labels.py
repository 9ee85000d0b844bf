"""Short labels for a stored measurement (quadrant, duration, contacts, route), in Dutch
and English: the words of the tables on the participant's and the coach's pages and of
the data download. The one source of these words.

The texts are data (``core/texts/labels.yaml``); a route's label is its title in the
profile texts (``route.<route>.title`` in ``profile.yaml``), so the result page and the
tables name a route with the same words. A coach reads the same titles, except where a
title speaks to the participant (``coach_route`` in ``labels.yaml``). Any value outside the
vocabulary (empty, ``None``, a value no longer used) is "Not known".
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from verbind.core.instrument import LANGUAGES, registry
from verbind.core.profile import DURATION_BANDS, QUADRANTS, ROUTES, profile_texts
from verbind.core.yaml_files import load_yaml

# Routes whose title addresses the participant, so the coach reads another label.
COACH_ROUTE_LABELS = ("respect_choice",)


class LabelsError(ValueError):
    """The labels file is incomplete or inconsistent. The message names the key."""


def required_label_keys() -> tuple[str, ...]:
    return (
        "not_known",
        *(f"quadrant.{q}" for q in QUADRANTS),
        *(f"duration.{band}" for band in DURATION_BANDS),
        "contacts.isolated",
        "contacts.not_isolated",
        *(f"coach_route.{route}" for route in COACH_ROUTE_LABELS),
    )


def _flatten(node: Any, path: str, out: dict[str, Any], source: str) -> None:
    if not isinstance(node, Mapping):
        raise LabelsError(f"{source}: {path or 'top level'}: expected a mapping, got {node!r}")
    if any(k in LANGUAGES for k in node):
        out[path] = node
        return
    for key, child in node.items():
        _flatten(child, f"{path}.{key}" if path else str(key), out, source)


def parse_labels(data: Any, source: str = "<memory>") -> dict[str, dict[str, str]]:
    """Validate parsed YAML: every key of :func:`required_label_keys`, nothing else, one
    non-empty text per language. Raises LabelsError naming what is wrong."""
    raw: dict[str, Any] = {}
    _flatten(data, "", raw, source)
    required = required_label_keys()
    missing = [k for k in required if k not in raw]
    if missing:
        raise LabelsError(f"{source}: missing label(s): {', '.join(missing)}")
    unknown = sorted(set(raw) - set(required))
    if unknown:
        raise LabelsError(f"{source}: label(s) the code does not use: {', '.join(unknown)}")
    labels: dict[str, dict[str, str]] = {}
    for key in required:
        node = raw[key]
        extra = sorted(str(k) for k in node if k not in LANGUAGES)
        if extra:
            raise LabelsError(f"{source}: {key}: unexpected {', '.join(extra)}")
        for lang in LANGUAGES:
            text = node.get(lang)
            if not isinstance(text, str) or not text.strip():
                raise LabelsError(f"{source}: {key}.{lang}: text missing for language {lang!r}")
        labels[key] = {lang: " ".join(node[lang].split()) for lang in LANGUAGES}
    return labels


def load_labels(path: Path | str) -> dict[str, dict[str, str]]:
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise LabelsError(f"{path.name}: not valid YAML: {exc}") from exc
    return parse_labels(data, source=path.name)


@functools.cache
def labels() -> dict[str, dict[str, str]]:
    """The shipped labels (``core/texts/labels.yaml``), loaded and validated once."""
    return load_labels(Path(str(resources.files("verbind.core") / "texts" / "labels.yaml")))


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not supported (supported: {', '.join(LANGUAGES)})")
    return lang


def _label(key: str, lang: str) -> str:
    return labels()[key][_lang(lang)]


def not_known(lang: str) -> str:
    return _label("not_known", lang)


def quadrant_label(quadrant: Any, lang: str) -> str:
    """ "Lonely, with few contacts" for ``lonely_and_isolated``."""
    return _label(f"quadrant.{quadrant}" if quadrant in QUADRANTS else "not_known", lang)


def duration_label(band: Any, lang: str) -> str:
    """ "For a long time" for ``chronic``."""
    return _label(f"duration.{band}" if band in DURATION_BANDS else "not_known", lang)


def contacts_label(isolated: Any, lang: str) -> str:
    """Few contacts (isolated is True), enough contacts (False), or not known (None)."""
    if isolated is True:
        return _label("contacts.isolated", lang)
    if isolated is False:
        return _label("contacts.not_isolated", lang)
    return not_known(lang)


def route_label(route: Any, lang: str) -> str:
    """The route as the participant reads it: the route's title ("The 8-week course")."""
    if route not in ROUTES:
        return not_known(lang)
    return profile_texts().text(f"route.{route}.title", _lang(lang))


def level_label(instrument_id: Any, level: Any, lang: str) -> str:
    """The loneliness level in words ("moderately lonely") from the definition of the
    instrument that measured it; "" when the instrument or the level is not known."""
    instrument = registry().get(instrument_id) if isinstance(instrument_id, str) else None
    text = instrument.level_label(level) if instrument is not None else None
    return text.get(_lang(lang)) if text is not None else ""


def coach_route_label(route: Any, lang: str) -> str:
    """The route as the coach reads it: its title, or what to do where the title speaks
    to the participant (someone lonely who wants no change now: respect it, inform)."""
    if route in COACH_ROUTE_LABELS:
        return _label(f"coach_route.{route}", lang)
    return route_label(route, lang)
