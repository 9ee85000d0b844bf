"""``verbind score`` refuses, before reading or writing anything, output paths that would
overwrite the survey file, collide, or cannot be written: one message, exit 2, the input
untouched and nothing half-written."""

from __future__ import annotations

import os

import polars as pl
import pytest
from typer.testing import CliRunner

from verbind.cli.main import app

WIDE = {"COLUMNS": "400", "NO_COLOR": "1"}


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env=WIDE)


def said(result, message) -> bool:
    # rich wraps long paths at the terminal width, anywhere: compare without whitespace.
    return "".join(str(message).split()) in "".join(result.output.split())


@pytest.fixture
def survey(tmp_path):
    src = tmp_path / "survey.csv"
    # Row 2 has an unknown code, so an errors file is due.
    pl.DataFrame({f"djg11_{i}": [2, 9 if i == 3 else 4] for i in range(1, 12)}).write_csv(src)
    return src


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--errors", "{src}"], "--errors {src}: is the input file"),
        (["-o", "{dir}/out.parquet", "--errors", "{dir}/out.parquet"], "is also the output file"),
        (["--errors", "{dir}/nofolder/e.csv"], "folder {dir}/nofolder does not exist"),
        (["-o", "{dir}/nofolder/out.csv"], "folder {dir}/nofolder does not exist"),
        (["-o", "{dir}/afolder.csv"], "--output {dir}/afolder.csv: is a folder"),
        (["-o", "{dir}/./survey.csv"], "is the input file; it would be overwritten"),
        (["-o", "{dir}/link.csv"], "is the input file"),
    ],
)
def test_a_path_that_would_lose_data_is_refused_before_anything_is_written(
    tmp_path, survey, args, message
):
    (tmp_path / "afolder.csv").mkdir()
    (tmp_path / "link.csv").symlink_to(survey)
    before = survey.read_bytes()
    names = _files(tmp_path)
    fill = {"src": survey, "dir": tmp_path}
    args = [a.format(**fill) for a in args]
    if "-o" not in args:
        args = ["-o", tmp_path / "out.csv", *args]
    result = run("score", survey, *args)
    assert result.exit_code == 2, result.output
    assert said(result, message.format(**fill)), result.output
    assert "Traceback" not in result.output
    assert survey.read_bytes() == before
    assert _files(tmp_path) == names


def test_default_errors_file_that_is_the_input_is_refused(tmp_path):
    # Scoring "x.errors.csv" into "x.csv" would write the errors over the input.
    src = tmp_path / "x.errors.csv"
    pl.DataFrame({f"djg11_{i}": [9] for i in range(1, 12)}).write_csv(src)
    before = src.read_bytes()
    result = run("score", src, "-o", tmp_path / "x.csv")
    assert result.exit_code == 2, result.output
    assert said(result, "would be overwritten; choose one with --errors")
    assert src.read_bytes() == before
    ok = run("score", src, "-o", tmp_path / "x.csv", "--errors", tmp_path / "e.csv")
    assert ok.exit_code == 1, ok.output  # nothing scorable, but reported, input kept
    assert pl.read_csv(tmp_path / "e.csv").height == 12  # 11 answers, and no route
    assert src.read_bytes() == before


def test_hard_link_to_the_input_is_the_input(tmp_path, survey):
    os.link(survey, tmp_path / "same.csv")
    result = run("score", survey, "-o", tmp_path / "same.csv")
    assert result.exit_code == 2 and said(result, "is the input file"), result.output
