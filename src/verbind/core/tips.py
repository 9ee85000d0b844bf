"""Tips about making contact, as data: ``texts/tips.yaml``, loaded and checked once.

The public tips page shows them, and the self-test's result links there when the route is
self-help or meaningful connections. Like the profile texts, every text exists in every
language, is plain text (no HTML: the page adds the markup), and refers to crisis help as
``{crisis:<id>}`` so the numbers stay in ``crisis.yaml``. The loader refuses a file that
breaks this, naming the file and the field.

Pure Python: no Django imports.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from verbind.core.crisis import CrisisDataError, expand_references
from verbind.core.instrument import LANGUAGES
from verbind.core.yaml_files import load_yaml


class TipsError(ValueError):
    """The tips file is wrong. The message names the file and the field."""


_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_MARKUP = re.compile(r"<[a-zA-Z/!]|\[[^\]]*\]\(|\*\*")
_TOP_KEYS = {"title", "intro", "sections", "closing"}
_SECTION_KEYS = {"id", "heading", "intro", "tips", "links"}
_LINK_KEYS = {"url", "label"}


@dataclass(frozen=True)
class Link:
    url: str
    label: Mapping[str, str]


@dataclass(frozen=True)
class TipsSection:
    id: str
    heading: Mapping[str, str]
    intro: Mapping[str, str] | None
    tips: Mapping[str, tuple[str, ...]]
    links: tuple[Link, ...]


@dataclass(frozen=True)
class ShownLink:
    url: str
    label: str


@dataclass(frozen=True)
class ShownSection:
    """One section in one language, ready to show."""

    id: str
    heading: str
    intro: str
    tips: tuple[str, ...]
    links: tuple[ShownLink, ...]


@dataclass(frozen=True)
class Tips:
    source: str
    title: Mapping[str, str]
    intro: Mapping[str, str]
    sections: tuple[TipsSection, ...]
    closing: Mapping[str, str]

    def shown(self, lang: str) -> tuple[ShownSection, ...]:
        """Every section in ``lang``, crisis references already expanded."""
        if lang not in LANGUAGES:
            raise ValueError(f"language {lang!r} is not supported ({', '.join(LANGUAGES)})")
        return tuple(
            ShownSection(
                id=s.id,
                heading=s.heading[lang],
                intro=s.intro[lang] if s.intro else "",
                tips=s.tips[lang],
                links=tuple(ShownLink(link.url, link.label[lang]) for link in s.links),
            )
            for s in self.sections
        )


def _keys(node: Any, allowed: set[str], where: str) -> None:
    if not isinstance(node, Mapping):
        raise TipsError(f"{where}: expected a mapping, got {node!r}")
    missing = sorted(allowed - set(node))
    if missing:
        raise TipsError(f"{where}: missing {', '.join(missing)}")
    extra = sorted(str(k) for k in set(node) - allowed)
    if extra:
        raise TipsError(f"{where}: unknown field(s) {', '.join(extra)}")


def _plain(text: str, lang: str, where: str) -> str:
    text = " ".join(text.split())
    if _MARKUP.search(text):
        raise TipsError(f"{where}: plain text only (no HTML or Markdown): {text[:60]!r}")
    try:
        return expand_references(text, lang, where)
    except CrisisDataError as exc:
        raise TipsError(str(exc)) from exc


def _languages(node: Any, where: str) -> dict[str, str]:
    if not isinstance(node, Mapping) or set(node) != set(LANGUAGES):
        raise TipsError(f"{where}: needs exactly the languages {', '.join(LANGUAGES)}")
    out = {}
    for lang in LANGUAGES:
        value = node[lang]
        if not isinstance(value, str) or not value.strip():
            raise TipsError(f"{where}.{lang}: text missing")
        out[lang] = _plain(value, lang, f"{where}.{lang}")
    return out


def _tip_lists(node: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(node, Mapping) or set(node) != set(LANGUAGES):
        raise TipsError(f"{where}: needs exactly the languages {', '.join(LANGUAGES)}")
    out = {}
    for lang in LANGUAGES:
        value = node[lang]
        if not isinstance(value, list) or not value:
            raise TipsError(f"{where}.{lang}: expected a list of tips")
        for n, tip in enumerate(value):
            if not isinstance(tip, str) or not tip.strip():
                raise TipsError(f"{where}.{lang}[{n}]: text missing")
        out[lang] = tuple(_plain(t, lang, f"{where}.{lang}[{n}]") for n, t in enumerate(value))
    counts = {lang: len(tips) for lang, tips in out.items()}
    if len(set(counts.values())) != 1:
        said = ", ".join(f"{lang} has {n}" for lang, n in counts.items())
        raise TipsError(f"{where}: every language needs the same tips: {said}")
    return out


def _link(node: Any, where: str) -> Link:
    _keys(node, _LINK_KEYS, where)
    url = node["url"]
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme != "https" or not parts.netloc:
        raise TipsError(f"{where}.url: {url!r} must be an https:// address")
    return Link(url=url, label=_languages(node["label"], f"{where}.label"))


def _section(node: Any, where: str) -> TipsSection:
    _keys(node, _SECTION_KEYS, where)
    section_id = node["id"]
    if not isinstance(section_id, str) or not _ID.match(section_id):
        raise TipsError(f"{where}.id: {section_id!r} is not a usable id")
    where = f"{where} ({section_id})"
    links = node["links"]
    if not isinstance(links, list):
        raise TipsError(f"{where}.links: expected a list (may be empty)")
    return TipsSection(
        id=section_id,
        heading=_languages(node["heading"], f"{where}.heading"),
        intro=None if node["intro"] is None else _languages(node["intro"], f"{where}.intro"),
        tips=_tip_lists(node["tips"], f"{where}.tips"),
        links=tuple(_link(n, f"{where}.links[{i}]") for i, n in enumerate(links)),
    )


def parse(data: Any, source: str = "<memory>") -> Tips:
    """Validate parsed YAML. Raises TipsError naming the source and the field."""
    _keys(data, _TOP_KEYS, source)
    nodes = data["sections"]
    if not isinstance(nodes, list) or not nodes:
        raise TipsError(f"{source}: sections: at least one section is needed")
    sections = tuple(_section(n, f"{source}: sections[{i}]") for i, n in enumerate(nodes))
    ids = [s.id for s in sections]
    if len(set(ids)) != len(ids):
        raise TipsError(f"{source}: sections: the ids must differ: {', '.join(ids)}")
    return Tips(
        source=source,
        title=_languages(data["title"], f"{source}: title"),
        intro=_languages(data["intro"], f"{source}: intro"),
        sections=sections,
        closing=_languages(data["closing"], f"{source}: closing"),
    )


def load(path: Path | str) -> Tips:
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TipsError(f"{path.name}: not valid YAML: {exc}") from exc
    return parse(data, source=path.name)


@functools.cache
def tips() -> Tips:
    """The shipped tips (``core/texts/tips.yaml``), loaded and checked once."""
    return load(Path(str(resources.files("verbind.core") / "texts" / "tips.yaml")))
