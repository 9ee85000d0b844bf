"""The Dutch and English catalogues: complete, consistent, and compiled."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "verbind" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|%d")


def catalogue(lang: str) -> gettext.GNUTranslations:
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as fh:
        return gettext.GNUTranslations(fh)


def po_entries(lang: str) -> list[tuple[str, list[str], str]]:
    """(msgid, msgstrs, flags) of every entry, read from the .po file."""
    import json

    entries, cur, field, flags = [], None, None, ""
    for line in (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text("utf-8").splitlines():
        if line.startswith("#,"):
            flags = line
        m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$', line)
        if m:
            if m.group(1) == "msgid":
                if cur:
                    entries.append(cur)
                cur = {"msgid": "", "msgstr": [], "flags": flags}
                flags = ""
            field = m.group(1)
            value = json.loads(m.group(2))
            if field.startswith("msgstr"):
                cur["msgstr"].append(value)
            elif field == "msgid":
                cur["msgid"] = value
        elif line.startswith('"') and cur is not None and field:
            value = json.loads(line)
            if field.startswith("msgstr"):
                cur["msgstr"][-1] += value
            elif field == "msgid":
                cur["msgid"] += value
    if cur:
        entries.append(cur)
    return [(e["msgid"], e["msgstr"], e["flags"]) for e in entries if e["msgid"]]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_entry_is_translated_and_not_fuzzy(lang):
    entries = po_entries(lang)
    assert len(entries) > 100
    for msgid, msgstrs, flags in entries:
        assert "fuzzy" not in flags, msgid
        assert all(s.strip() for s in msgstrs), f"{lang}: no translation for {msgid!r}"
        for s in msgstrs:
            assert set(PLACEHOLDER.findall(s)) <= set(PLACEHOLDER.findall(msgid)) | {
                "%(counter)s"
            }, f"{lang}: placeholders differ in {msgid!r}"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_compiled_catalogue_matches_the_po_file(lang):
    compiled = catalogue(lang)
    for msgid, msgstrs, _flags in po_entries(lang):
        if len(msgstrs) == 1:
            assert compiled.gettext(msgid) == msgstrs[0], f"{lang}: stale .mo for {msgid!r}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_po_file_is_valid_for_msgfmt(lang, tmp_path):
    result = subprocess.run(
        [
            "msgfmt",
            "--check-format",
            "-o",
            str(tmp_path / "x.mo"),
            str(LOCALE / lang / "LC_MESSAGES" / "django.po"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_dutch_is_the_default_language_of_pages(client, db):
    html = client.get("/").content.decode()
    assert 'lang="nl"' in html
    assert "Inloggen" in html and "Nu meteen hulp nodig?" in html
    assert "0800-0113" in html


def test_dutch_says_bewaren_for_saving_not_opslaan():
    """bewaren is the everyday word (B1), and the word of the rest of the site."""
    computer_words = re.compile(r"\b(opgeslagen|opslaan|op te slaan|slaat .{0,40}\bop)\b", re.I)
    found = [
        msgid for msgid, msgstrs, _ in po_entries("nl") if any(map(computer_words.search, msgstrs))
    ]
    src = LOCALE.parent
    texts = [p for p in src.rglob("*") if p.suffix in {".html", ".txt", ".yaml", ".md", ".js"}]
    for path in texts:
        if path.is_file() and computer_words.search(path.read_text("utf-8", errors="replace")):
            found.append(str(path.relative_to(src)))
    assert not found, found
