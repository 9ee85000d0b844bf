"""Every text the web app marks for translation is in both catalogues, so no English is left
on a Dutch page. The catalogue is extracted the way docs/web.md says (makemessages on a
copy of the package) and compared with the committed .po files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_i18n import po_entries

SRC = Path(__file__).resolve().parents[2] / "src"


def _msgids(po: Path) -> set[str]:
    ids = set()
    for block in re.split(r"\n\s*\n", po.read_text(encoding="utf-8")):
        lines = block.splitlines()
        start = next((i for i, line in enumerate(lines) if line.startswith("msgid ")), None)
        if start is None:
            continue
        # A msgid may go on over several string lines; it ends at the first other line.
        tail = lines[start + 1 :]
        end = next((i for i, line in enumerate(tail) if not line.startswith('"')), len(tail))
        first = lines[start][len("msgid ") :]
        msgid = "".join(json.loads(part) for part in [first, *tail[:end]])
        if msgid:
            ids.add(msgid)
    return ids


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    if shutil.which("xgettext") is None:
        pytest.skip("gettext's xgettext is not installed")
    copy = tmp_path_factory.mktemp("extract") / "verbind"
    shutil.copytree(
        SRC / "verbind",
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po"),
    )
    env = {**os.environ, "PYTHONPATH": str(SRC), "DEBUG": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "--settings=verbind.web.settings",
            "-l",
            "nl",
            "--no-location",
            "--ignore",
            "core/*",
            "--ignore",
            "cli/*",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return _msgids(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_marked_text_is_in_the_catalogue(extracted, lang):
    committed = {msgid for msgid, _, _ in po_entries(lang)}
    missing = sorted(extracted - committed)
    assert len(extracted) > 100
    assert missing == [], f"{lang}: not in the catalogue (run makemessages): {missing}"
