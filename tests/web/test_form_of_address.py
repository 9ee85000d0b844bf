"""Dutch speaks to participants and coaches with "u", everywhere: the web app's
catalogue and the default course's readings and exercises. A "je" slipping back in
(usually from copying an informal text) fails here, naming the entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
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


# Words the participant might say to a friend ("Hoe was je weekend?") stay natural: only
# the text outside double quotes speaks to the participant.
QUOTED = re.compile(r'"[^"\n]*"')
DEFAULT_PROGRAMME = ROOT / "src" / "verbind" / "content" / "programmes" / "verbinden-in-8-weken"


def test_quoted_speech_is_left_out_of_the_check():
    assert informal_words(QUOTED.sub("", 'Zeg: "Hoe was je weekend?" Dan ziet u het.')) == []
    assert informal_words(QUOTED.sub("", 'Zeg: "Hallo." Dan zie je het.')) == ["je"]


@pytest.mark.parametrize(
    "path", sorted(DEFAULT_PROGRAMME.glob("week-*.nl.md")), ids=lambda p: p.name
)
def test_the_default_course_speaks_to_the_participant_with_u(path):
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if informal_words(QUOTED.sub("", line))
    ]
    assert offenders == []


def test_the_default_course_has_its_eight_dutch_weeks():
    assert len(list(DEFAULT_PROGRAMME.glob("week-*.nl.md"))) == 8
