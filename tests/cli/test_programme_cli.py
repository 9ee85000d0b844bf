"""``verbind programme check|show``: problems with file:line and exit 1; a summary when valid."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verbind.cli.main import app
from verbind.core.programme import DEFAULT_PROGRAMME, load_programme, programme_path

WIDE = {"COLUMNS": "400", "NO_COLOR": "1"}
REPO = Path(__file__).resolve().parents[2]


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env=WIDE)


@pytest.fixture
def broken(tmp_path):
    dest = tmp_path / DEFAULT_PROGRAMME
    shutil.copytree(programme_path(), dest)
    f = dest / "week-04.nl.md"
    f.write_text(
        f.read_text(encoding="utf-8").replace("id: w4-one-question-back", "id: w4-my-patterns"),
        encoding="utf-8",
    )
    m = dest / "programme.yaml"
    m.write_text(
        m.read_text(encoding="utf-8").replace("[djg6, mood]", "[djg6, moood]"), encoding="utf-8"
    )
    return dest


def _line(path, needle, nth=1):
    return [n for n, t in enumerate(path.read_text().splitlines(), 1) if needle in t][nth - 1]


def test_check_valid_programme_prints_a_summary_and_exits_0():
    result = run("programme", "check", programme_path())
    assert result.exit_code == 0, result.output
    p = load_programme(programme_path())
    n_exercises = sum(len(w.exercises) for w in p.weeks)
    n_feedback = sum(len(ids) for ids in p.feedback_moments().values())
    assert "valid" in result.output
    assert f"{p.week_count} weeks" in result.output
    assert f"{n_exercises} exercises ({n_feedback} feedback moments)" in result.output
    assert "Verbinden in 8 weken" in result.output


def test_check_without_path_checks_the_built_in_programme():
    result = run("programme", "check")
    assert result.exit_code == 0 and "valid" in result.output


def test_check_lists_every_problem_with_file_and_line_and_exits_1(broken):
    result = run("programme", "check", broken)
    assert result.exit_code == 1
    out = result.output
    dup = _line(broken / "week-04.nl.md", "id: w4-my-patterns", nth=2)
    bad = _line(broken / "programme.yaml", "moood")
    assert f"{broken / 'week-04.nl.md'}:{dup}: exercise id 'w4-my-patterns' is used twice" in out
    assert f"{broken / 'programme.yaml'}:{bad}: check-in 'weekly': unknown instrument" in out
    # The English week 4 still has the id the Dutch one lost.
    en = broken / "week-04.en.md"
    assert f"{en}:{_line(en, 'exercises:')}: exercise ids differ from week-04.nl.md" in out
    assert "(duplicate_id)" in out and "(unknown_instrument)" in out
    assert "(language_mismatch)" in out
    assert "3 problems" in out


def test_check_word_limit_option(broken):
    result = run("programme", "check", programme_path(), "--word-limit", "300")
    assert result.exit_code == 1
    assert result.output.count("(reading_too_long)") == 16


def test_check_a_folder_that_does_not_exist(tmp_path):
    result = run("programme", "check", tmp_path / "nope")
    assert result.exit_code == 1
    assert "programme folder does not exist" in result.output


def test_show_one_week_in_english():
    result = run("programme", "show", programme_path(), "--lang", "en", "--week", "2")
    assert result.exit_code == 0, result.output
    out = result.output
    week = load_programme(programme_path()).week(2)
    assert f"Week 2: {week.title('en')}" in out
    assert "Through these glasses you mainly see danger." in out  # the reading, rendered
    for e in week.exercises:
        assert e.title.get("en") in out and e.id in out
    assert "Catching the lens (coach replies)" in out
    assert "photo allowed" in out
    assert "Questionnaires at the end of the week: djg6, mood" in out
    assert "Week 3" not in out


def test_show_whole_programme_in_dutch_by_default():
    result = run("programme", "show")
    assert result.exit_code == 0, result.output
    p = load_programme(programme_path())
    for w in p.weeks:
        assert f"Week {w.number}: {w.title('nl')}" in result.output
    assert "Bij de start: djg6, mood, djg11, lsns6, rses" in result.output
    assert "Na afloop (3 maanden na het einde)" in result.output


def test_show_refuses_an_invalid_programme_and_an_unknown_week(broken):
    result = run("programme", "show", broken)
    assert result.exit_code == 1
    result = run("programme", "show", "--week", "9")
    assert result.exit_code == 2 and "no week 9" in result.output


def test_entry_point_end_to_end(broken):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), **WIDE}
    ok = subprocess.run(
        [sys.executable, "-m", "verbind", "programme", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "valid" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "verbind", "programme", "check", str(broken)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 1
    assert "3 problems" in bad.stdout
