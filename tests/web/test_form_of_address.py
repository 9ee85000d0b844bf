"""Dutch speaks to participants and coaches with "u", everywhere: the web app's
catalogue and the default course's readings and exercises. A "je" slipping back in
(usually from copying an informal text) fails here, naming the entry."""

from __future__ import annotations

import re
from pathlib import Path

from test_i18n import po_entries

ROOT = Path(__file__).resolve().parents[2]

# The informal forms of address; "u", "uw" and "uzelf" are the formal ones.
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)


def informal_words(text: str) -> list[str]:
    return INFORMAL.findall(text)


def test_the_check_finds_the_informal_forms_and_leaves_the_formal_ones():
    assert informal_words("Dank je wel. Jij beslist, jullie samen, voor jezelf.") == [
        "je",
        "Jij",
        "jullie",
        "jezelf",
    ]
    assert informal_words("Dank u wel. U beslist, voor uzelf, met uw coach. Jeugd, jeuk.") == []


def test_every_dutch_web_text_says_u():
    offenders = [
        (msgid, msgstr)
        for msgid, msgstrs, _ in po_entries("nl")
        for msgstr in msgstrs
        if informal_words(msgstr)
    ]
    assert offenders == []
