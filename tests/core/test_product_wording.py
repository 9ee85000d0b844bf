"""Code, docs and texts speak of the product only: no references to the work items or
tickets the software was built from ("as in issue 2", "the issue asks")."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUFFIXES = {".py", ".yaml", ".yml", ".md", ".html", ".txt", ".po", ".js", ".css"}
# "issue 2", "issues 3 and 4", "the issue", "the issue's", "finding 3", and the folder the
# project's reference notes were kept in; not "no issues" (Django's check --deploy
# wording) or "issued".
OUTSIDE_REFERENCE = re.compile(
    r"\bissues?\s+\d|\bthe issue\b|\bissue's\b|\bfinding\s+\d|\bshared/", re.IGNORECASE
)


def _files():
    for top in (ROOT / "src", ROOT / "docs"):
        for path in sorted(top.rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                yield path
    yield ROOT / "README.md"


def test_no_text_refers_to_work_items_instead_of_the_product():
    found = []
    for path in _files():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE_REFERENCE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_pattern_catches_the_usual_phrasings():
    for text in (
        "as in issue 2:",
        "as the issue asks",
        "the issue's yardstick",
        "Finding 3",
        "Facts: shared/instruments-reference.md",
    ):
        assert OUTSIDE_REFERENCE.search(text), text
    for text in ("must report no issues", "a token is issued"):
        assert not OUTSIDE_REFERENCE.search(text), text
