"""The data downloads: the tables (CSV) are for reading and use words in the person's
language; the JSON file is for computer programs and keeps the codes. Each file says which
it is."""

from __future__ import annotations

import codecs
import csv
import io
import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CODES = ("lonely_and_isolated", "chronic", "severely_lonely", "djg6_1", "short", "created_at")

WORDS = {
    "nl": {
        "note": "Deze tabel is om te lezen",
        "json": "verbind-data.json",
        "quadrant": "Eenzaam, met weinig contacten",
        "duration": "Al lange tijd",
        "route": "De cursus van 8 weken",
        "question": "Ik ervaar een leegte om me heen.",
        "answer": "ja",
        "battery": "Korte test over eenzaamheid en contact",
        "safety": "Ja",
    },
    "en": {
        "note": "This table is for reading",
        "json": "verbind-data.json",
        "quadrant": "Lonely, with few contacts",
        "duration": "For a long time",
        "route": "The 8-week course",
        "question": "I experience a general sense of emptiness.",
        "answer": "yes",
        "battery": "Short test about loneliness and contact",
        "safety": "Yes",
    },
}


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_tests_table_uses_words_in_the_persons_language(client_for, lang):
    client = client_for("participant")
    client.cookies["django_language"] = lang
    response = client.get(reverse("accounts:export_csv"))
    # A spreadsheet reads the letters right ("één") only with the UTF-8 mark.
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = _rows(response)
    words = WORDS[lang]
    # The first line says what the table is, and where the codes are.
    note = rows[0][0]
    assert words["note"] in note and words["json"] in note
    header, data = rows[1], rows[2:]
    assert len(data) == 2
    assert words["question"] in header
    newest = dict(zip(header, data[-1], strict=True))
    cells = set(newest.values())
    for key in ("quadrant", "duration", "route", "battery", "safety"):
        assert words[key] in cells, key
    assert newest[words["question"]] == words["answer"]
    for code in CODES:
        assert code not in cells and code not in header, code


def test_the_json_file_keeps_the_codes_and_says_so(client_for):
    client = client_for("participant")
    client.cookies["django_language"] = "nl"
    data = json.loads(client.get(reverse("accounts:export_json")).content)
    assert data["measurements"][-1]["answers"] == {"djg6_1": "yes"}  # codes, for programs
    about = data["about_this_file"]
    assert "codes" in about and "verbind-measurements.csv" in about
    words = data["words_for_codes"]
    assert words["quadrant"]["lonely_and_isolated"] == WORDS["nl"]["quadrant"]
    assert words["route"]["course"] == WORDS["nl"]["route"]
    assert words["answers"]["djg6_1"]["question"] == WORDS["nl"]["question"]
    assert words["answers"]["djg6_1"]["answers"]["yes"] == "ja"
