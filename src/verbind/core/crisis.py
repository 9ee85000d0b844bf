"""Crisis help as data: who to call or chat with, loaded once from ``texts/crisis.yaml``.

Crisis help is one fact that many places show: the web footer, the self-test's crisis
screen, the result page, the course check-in, the terminal self-test and the profile
explanation. So the numbers live in one file, and everything else either asks this module
for them or refers to a service in its own texts as ``{crisis:<id>}`` (see
:func:`expand_references`). The loader refuses a file with a missing language, a phone
whose digits do not match its ``tel:`` form, or a sentence that leaves out a number, naming
the file and the field, so a typo cannot quietly reach someone who needs help.

Pure Python: no Django imports.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from verbind.core.instrument import LANGUAGES
from verbind.core.yaml_files import load_yaml

# How other texts files refer to a service: "{crisis:luisterlijn}".
REFERENCE = re.compile(r"\{crisis:([^{}]*)\}")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TEL = re.compile(r"^\+?[0-9]+$")
_SERVICE_KEYS = {"id", "name", "urgent", "phones", "chat", "hours", "sentence"}
_PHONE_KEYS = {"id", "display", "tel", "note"}
# Placeholders a sentence may use besides its phones' ids.
_SENTENCE_FIELDS = ("name", "hours", "chat")


class CrisisDataError(ValueError):
    """The crisis help file (or a reference to it) is wrong. The message names the field."""


@dataclass(frozen=True)
class Phone:
    id: str
    display: str  # as people write it: "0800-0113"
    tel: str  # digits only, for a tel: link: "08000113"
    note: Mapping[str, str] | None  # nl/en, for a call button ("free"), or None

    @property
    def href(self) -> str:
        return f"tel:{self.tel}"


@dataclass(frozen=True)
class Chat:
    url: str
    display: str


@dataclass(frozen=True)
class Service:
    id: str
    name: Mapping[str, str]
    urgent: bool  # for someone in danger or with thoughts of suicide
    phones: tuple[Phone, ...]
    chat: Chat | None
    hours: Mapping[str, str]
    sentence_template: Mapping[str, str]

    def sentence(self, lang: str) -> str:
        """The service in one or two short B1 sentences, numbers written out."""
        values = {p.id: p.display for p in self.phones}
        values.update(name=self.name[lang], hours=self.hours[lang])
        if self.chat is not None:
            values["chat"] = self.chat.display
        return self.sentence_template[lang].format(**values)

    def phone(self, phone_id: str) -> Phone:
        for p in self.phones:
            if p.id == phone_id:
                return p
        raise KeyError(f"crisis service {self.id!r} has no phone {phone_id!r}")


@dataclass(frozen=True)
class Span:
    """A piece of a text: plain, or a number or chat address that can be a link."""

    text: str
    href: str | None = None
    kind: str = "text"  # "text" | "tel" | "chat"


@dataclass(frozen=True)
class CrisisHelp:
    source: str
    services: tuple[Service, ...]

    def service(self, service_id: str) -> Service:
        for s in self.services:
            if s.id == service_id:
                return s
        known = ", ".join(s.id for s in self.services)
        raise KeyError(f"no crisis service {service_id!r} (known: {known})")

    @property
    def urgent(self) -> tuple[Service, ...]:
        return tuple(s for s in self.services if s.urgent)

    def sentences(self, lang: str, *, urgent_only: bool = False) -> tuple[str, ...]:
        chosen = self.urgent if urgent_only else self.services
        return tuple(s.sentence(lang) for s in chosen)

    def expand(self, text: str, lang: str, where: str = "") -> str:
        """Replace every ``{crisis:<id>}`` in ``text`` by that service's sentence."""
        if lang not in LANGUAGES:
            raise CrisisDataError(f"{where or 'crisis help'}: unknown language {lang!r}")

        def sentence(match: re.Match[str]) -> str:
            try:
                return self.service(match.group(1)).sentence(lang)
            except KeyError as exc:
                raise CrisisDataError(
                    f"{where or 'text'}: {match.group(0)}: {exc.args[0]}"
                ) from None

        return REFERENCE.sub(sentence, text)

    @functools.cached_property
    def _link_pattern(self) -> tuple[re.Pattern[str], dict[str, Span]]:
        # Service names are matched too, but stay plain: "113 Zelfmoordpreventie" is a name,
        # not a number to tap. Longest first, so "0800-0113" wins over "113".
        found: dict[str, Span] = {}
        for s in self.services:
            for p in s.phones:
                found.setdefault(p.display, Span(p.display, p.href, "tel"))
            if s.chat is not None:
                found.setdefault(s.chat.display, Span(s.chat.display, s.chat.url, "chat"))
        for s in self.services:
            for name in s.name.values():
                found[name] = Span(name)
        words = sorted(found, key=len, reverse=True)
        alternatives = "|".join(re.escape(w) for w in words)
        pattern = re.compile(rf"(?<![\w.-])({alternatives})(?![\w-]|\.\w)")
        return pattern, found

    def link_spans(self, text: str) -> tuple[Span, ...]:
        """``text`` cut into spans, with every crisis number and chat address as a link."""
        pattern, found = self._link_pattern
        spans: list[Span] = []
        at = 0
        for match in pattern.finditer(text):
            if match.start() > at:
                spans.append(Span(text[at : match.start()]))
            spans.append(found[match.group(1)])
            at = match.end()
        if at < len(text):
            spans.append(Span(text[at:]))
        return tuple(spans)


# --- loading ------------------------------------------------------------------------------


def _languages(node: Any, where: str) -> dict[str, str]:
    if not isinstance(node, Mapping) or set(node) != set(LANGUAGES):
        raise CrisisDataError(f"{where}: needs exactly the languages {', '.join(LANGUAGES)}")
    out = {}
    for lang in LANGUAGES:
        value = node[lang]
        if not isinstance(value, str) or not value.strip():
            raise CrisisDataError(f"{where}.{lang}: text missing")
        out[lang] = " ".join(value.split())
    return out


def _keys(node: Any, allowed: set[str], where: str) -> None:
    if not isinstance(node, Mapping):
        raise CrisisDataError(f"{where}: expected a mapping, got {node!r}")
    missing = sorted(allowed - set(node))
    if missing:
        raise CrisisDataError(f"{where}: missing {', '.join(missing)}")
    extra = sorted(str(k) for k in set(node) - allowed)
    if extra:
        raise CrisisDataError(f"{where}: unknown field(s) {', '.join(extra)}")


def _phone(node: Any, where: str) -> Phone:
    _keys(node, _PHONE_KEYS, where)
    phone_id, display, tel = node["id"], node["display"], node["tel"]
    if not isinstance(phone_id, str) or not _ID.match(phone_id) or phone_id in _SENTENCE_FIELDS:
        raise CrisisDataError(f"{where}.id: {phone_id!r} is not a usable id")
    where = f"{where} ({phone_id})"
    if not isinstance(display, str) or not display.strip():
        raise CrisisDataError(f"{where}.display: the number as people write it is missing")
    if not isinstance(tel, str) or not _TEL.match(tel):
        raise CrisisDataError(f"{where}.tel: {tel!r} must be digits only (quote it in YAML)")
    # The two forms of one number must agree, so a typo in either is caught here.
    if re.sub(r"[^0-9+]", "", display) != tel:
        raise CrisisDataError(f"{where}: display {display!r} and tel {tel!r} differ")
    note = None if node["note"] is None else _languages(node["note"], f"{where}.note")
    return Phone(phone_id, display.strip(), tel, note)


def _chat(node: Any, where: str) -> Chat | None:
    if node is None:
        return None
    _keys(node, {"url", "display"}, where)
    url, display = node["url"], node["display"]
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme != "https" or not parts.netloc:
        raise CrisisDataError(f"{where}.url: {url!r} must be an https:// address")
    if not isinstance(display, str) or display.lower() not in parts.netloc.lower():
        raise CrisisDataError(f"{where}.display: {display!r} must be the address's site name")
    return Chat(url, display)


def _service(node: Any, where: str) -> Service:
    _keys(node, _SERVICE_KEYS, where)
    service_id = node["id"]
    if not isinstance(service_id, str) or not _ID.match(service_id):
        raise CrisisDataError(f"{where}.id: {service_id!r} is not a usable id")
    where = f"{where} ({service_id})"
    if not isinstance(node["urgent"], bool):
        raise CrisisDataError(f"{where}.urgent: true or false")
    phones_node = node["phones"]
    if not isinstance(phones_node, list) or not phones_node:
        raise CrisisDataError(f"{where}.phones: at least one phone number is needed")
    phones = tuple(_phone(p, f"{where}.phones[{n}]") for n, p in enumerate(phones_node))
    ids = [p.id for p in phones]
    if len(set(ids)) != len(ids):
        raise CrisisDataError(f"{where}.phones: the ids must differ: {', '.join(ids)}")
    chat = _chat(node["chat"], f"{where}.chat")
    sentence = _languages(node["sentence"], f"{where}.sentence")
    allowed = {*ids, "name", "hours", *(["chat"] if chat else [])}
    needed = {*ids, *(["chat"] if chat else [])}
    for lang, text in sentence.items():
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            raise CrisisDataError(f"{where}.sentence.{lang}: {exc}") from exc
        unknown = sorted(used - allowed)
        if unknown:
            raise CrisisDataError(
                f"{where}.sentence.{lang}: unknown placeholder(s) {', '.join(unknown)} "
                f"(allowed: {', '.join(sorted(allowed))})"
            )
        left_out = ", ".join("{" + n + "}" for n in sorted(needed - used))
        if left_out:
            raise CrisisDataError(f"{where}.sentence.{lang}: must mention {left_out}")
    return Service(
        id=service_id,
        name=_languages(node["name"], f"{where}.name"),
        urgent=node["urgent"],
        phones=phones,
        chat=chat,
        hours=_languages(node["hours"], f"{where}.hours"),
        sentence_template=sentence,
    )


def parse(data: Any, source: str = "<memory>") -> CrisisHelp:
    """Validate parsed YAML. Raises CrisisDataError naming the source and the field."""
    if not isinstance(data, Mapping) or set(data) != {"services"}:
        raise CrisisDataError(f"{source}: expected one top-level key, services")
    nodes = data["services"]
    if not isinstance(nodes, list) or not nodes:
        raise CrisisDataError(f"{source}: services: at least one service is needed")
    services = tuple(_service(n, f"{source}: services[{i}]") for i, n in enumerate(nodes))
    ids = [s.id for s in services]
    if len(set(ids)) != len(ids):
        raise CrisisDataError(f"{source}: services: the ids must differ: {', '.join(ids)}")
    if not any(s.urgent for s in services):
        raise CrisisDataError(f"{source}: services: at least one must be urgent")
    return CrisisHelp(source=source, services=services)


def load(path: Path | str) -> CrisisHelp:
    path = Path(path)
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CrisisDataError(f"{path.name}: not valid YAML: {exc}") from exc
    return parse(data, source=path.name)


@functools.cache
def crisis_help() -> CrisisHelp:
    """The shipped crisis help (``core/texts/crisis.yaml``), loaded and checked once."""
    return load(Path(str(resources.files("verbind.core") / "texts" / "crisis.yaml")))


def expand_references(text: str, lang: str, where: str = "") -> str:
    """``text`` with every ``{crisis:<id>}`` replaced by that service's sentence."""
    if "{crisis:" not in text:
        return text
    return crisis_help().expand(text, lang, where)
