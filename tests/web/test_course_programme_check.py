"""The web app refuses an invalid programme at start-up, naming file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

from verbind.core.programme import programme_path
from verbind.course.checks import programmes_are_valid


def test_the_shipped_programmes_pass_the_system_check():
    assert programmes_are_valid() == []


def test_an_invalid_programme_is_refused_with_file_and_line(tmp_path, monkeypatch):
    root = tmp_path / "programmes" / "broken"
    shutil.copytree(programme_path(), root)
    week = root / "week-02.nl.md"
    week.write_text(week.read_text("utf-8").replace("  - id: w2-", "  - idx: w2-", 1), "utf-8")
    monkeypatch.setenv("VERBIND_CONTENT_DIR", str(tmp_path))
    errors = programmes_are_valid()
    assert len(errors) == 1 and errors[0].id == "verbind.course.E001"
    assert "'broken'" in errors[0].msg and "week-02.nl.md:" in errors[0].msg
    assert Path(week).exists()
