"""The words of the terminal self-test and the catalogue, in Dutch and English
(``core/texts/cli.yaml``), read and checked once.

The YAML and the core are imported when the texts are first needed, not when this module
is: ``verbind --help`` imports the commands that use it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class TextsError(ValueError):
    """cli.yaml is inconsistent; the message names the key."""


_PLACEHOLDER = re.compile(r"{(\w+)}")


@functools.cache
def load_cli_texts() -> tuple[dict[str, dict[str, str]], dict[str, tuple[str, ...]]]:
    """The CLI's texts by key and language, and the command words. Validated once."""
    from importlib import resources

    import yaml

    from verbind.core.crisis import CrisisDataError, expand_references
    from verbind.core.instrument import LANGUAGES, normalise_label

    path = Path(str(resources.files("verbind.core") / "texts" / "cli.yaml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts: dict[str, dict[str, str]] = {}
    for key, by_lang in (data.get("texts") or {}).items():
        if not isinstance(by_lang, Mapping) or set(by_lang) != set(LANGUAGES):
            raise TextsError(f"{path.name}: texts.{key}: needs exactly {', '.join(LANGUAGES)}")
        holders = {lang: set(_PLACEHOLDER.findall(str(by_lang[lang]))) for lang in LANGUAGES}
        if len({frozenset(h) for h in holders.values()}) != 1:
            raise TextsError(f"{path.name}: texts.{key}: placeholders differ between languages")
        # Crisis numbers live in crisis.yaml only: "{crisis:<id>}" becomes that sentence.
        try:
            texts[str(key)] = {
                lang: expand_references(str(by_lang[lang]).strip(), lang, f"texts.{key}.{lang}")
                for lang in LANGUAGES
            }
        except CrisisDataError as exc:
            raise TextsError(f"{path.name}: {exc}") from exc
    commands = {
        str(name): tuple(normalise_label(str(w)) for w in words)
        for name, words in (data.get("commands") or {}).items()
    }
    for needed in ("back", "stop", "help", "none"):
        if not commands.get(needed):
            raise TextsError(f"{path.name}: commands.{needed}: at least one word is needed")
    return texts, commands


class Texts:
    """``t("question_of", n=3, total=17)`` -> "Vraag 3 van 17"."""

    def __init__(self, lang: str):
        self.lang = lang
        self.texts, self.commands = load_cli_texts()

    def __call__(self, key: str, **values: Any) -> str:
        return self.texts[key][self.lang].format(**values)

    def command(self, raw: str) -> str | None:
        from verbind.core.instrument import normalise_label

        word = normalise_label(raw)
        for name in ("back", "stop", "help"):
            if word in self.commands[name]:
                return name
        return None

    def is_none(self, raw: str) -> bool:
        from verbind.core.instrument import normalise_label

        return normalise_label(raw) in self.commands["none"]
