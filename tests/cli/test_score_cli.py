"""``verbind score`` and ``verbind demo-data`` end to end, on real files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pyreadstat
from typer.testing import CliRunner

from verbind.cli.main import app
from verbind.core import bulk

WIDE = {"COLUMNS": "400", "NO_COLOR": "1"}
REPO = Path(__file__).resolve().parents[2]
LONELY = [5, 1, 1, 5, 1, 1, 5, 5, 1, 1, 5]  # DJG-11 total 11
CONNECTED = [1, 5, 5, 1, 5, 5, 1, 1, 5, 5, 1]  # total 0


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env=WIDE)


def survey(rows, groups):
    data = {f"djg11_{i + 1}": [r[i] for r in rows] for i in range(11)}
    return pl.DataFrame({"region": groups, **data})


def test_score_csv_with_errors_file_and_group_table(tmp_path):
    src = tmp_path / "in.csv"
    frame = survey([LONELY, CONNECTED, LONELY, CONNECTED], ["Noord", "Noord", "Zuid", "Zuid"])
    frame = frame.with_columns(pl.Series("djg11_3", [1, 5, 8, 5]))  # row 3: 8 is no code
    frame.write_csv(src)
    out = tmp_path / "out.csv"
    result = run("score", src, "-o", out, "--group", "region")
    assert result.exit_code == 0, result.output
    scored = pl.read_csv(out)
    assert scored["djg11_total"].to_list() == [11, 0, None, 0]
    assert scored.columns[: frame.width] == frame.columns  # input kept as it was
    errors = pl.read_csv(tmp_path / "out.errors.csv", infer_schema=False)
    assert errors.select("row", "column", "value").rows() == [
        ("3", "djg11_3", "8"),
        ("3", "route", None),  # no loneliness score on row 3, and no isolation instrument
    ]
    assert "3=more or less/min of meer" in errors["allowed"][0]
    assert errors["problem"][1] == f"{bulk.NO_ROUTE}: {bulk.NO_ROUTE_WHY}"
    text = result.output
    assert re.search(r"rows with invalid answers\s*│\s*1\s", text)
    assert re.search(r"rows with no route\s*│\s*1\s", text)
    assert pl.read_csv(out)["route"].to_list()[2] is None
    assert "isolated" not in text  # no isolation instrument: no empty column
    assert "out.errors.csv" in text
    # Noord: 1 of 2 lonely = 50.0% (9.5-90.5); Zuid: the invalid row is left out (0 of 1).
    assert "Noord" in text and "50.0% (9.5–90.5)" in text
    assert "0.0% (0.0–79.3)" in text
    assert "lonely (DJG-11 >= 3)" in text


def test_three_point_form_renamed_columns_and_settings_via_mapping(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "columns:\n"
        + "".join(f"  q{i}: djg11_{i}\n" for i in range(1, 12))
        + "codings:\n  djg11: yes_first\n",
        encoding="utf-8",
    )
    three = [3, 1, 1, 3, 1, 1, 3, 3, 1, 1, 3]  # declared 3-point: 1 yes, 2 more or less, 3 no
    src = tmp_path / "in.parquet"
    pl.DataFrame({f"q{i + 1}": [three[i], 2] for i in range(11)}).write_parquet(src)
    out = tmp_path / "out.parquet"
    result = run(
        "score", src, "-o", out, "--mapping", mapping, "--form", "djg11=three_point",
        "--setting", "djg11_lonely_cutoff=12",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    scored = pl.read_parquet(out)
    assert scored["djg11_total"].to_list() == [11, 11]
    assert scored["djg11_total_cutoff"].to_list() == [False, False]  # cut-off moved to 12
    assert not (tmp_path / "out.errors.csv").exists()


def test_sav_in_with_value_labels_and_sav_out(tmp_path):
    labels = {1.0: "ja!", 2.0: "ja", 3.0: "min of meer", 4.0: "nee", 5.0: "nee!"}
    frame = pl.DataFrame({f"djg11_{i + 1}": [float(LONELY[i])] for i in range(11)})
    src = tmp_path / "in.sav"
    pyreadstat.write_sav(
        frame, str(src), variable_value_labels=dict.fromkeys(frame.columns, labels)
    )
    out = tmp_path / "out.sav"
    result = run("score", src, "-o", out)
    assert result.exit_code == 0, result.output
    back, _ = pyreadstat.read_sav(str(out), output_format="polars")
    assert back["djg11_total"].to_list() == [11]


def test_nothing_scored_exits_1_and_writes_errors_but_no_output(tmp_path):
    src = tmp_path / "in.csv"
    survey([[9] * 11], ["x"]).write_csv(src)
    out = tmp_path / "out.csv"
    errors = tmp_path / "problems.csv"
    result = run("score", src, "-o", out, "--errors", errors)
    assert result.exit_code == 1
    assert "no row could be scored" in result.output
    assert not out.exists()
    problems = pl.read_csv(errors)
    assert problems.height == 12  # 11 unknown answers, then why the row has no route
    assert problems["column"][-1] == "route"


def test_wrong_arguments_exit_2_with_a_clear_message(tmp_path):
    src = tmp_path / "in.csv"
    survey([LONELY], ["x"]).write_csv(src)
    cases = [
        (["score", src, "-o", tmp_path / "out.xlsx"], "cannot write '.xlsx'"),
        (["score", tmp_path / "nope.csv", "-o", tmp_path / "o.csv"], "file not found"),
        (["score", src, "-o", tmp_path / "o.csv", "--form", "djg11=x"], "unknown answer form"),
        (["score", src, "-o", tmp_path / "o.csv", "--group", "age"], "--group 'age': no such"),
        (["score", src, "-o", tmp_path / "o.csv", "--setting", "nope=1"], "unknown setting"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
    other = tmp_path / "other.csv"
    pl.DataFrame({"age": [1]}).write_csv(other)
    result = run("score", other, "-o", tmp_path / "o.csv")
    assert result.exit_code == 2 and "no instrument columns found" in result.output


def test_demo_data_then_score_in_a_real_process(tmp_path):
    env = {**os.environ, **WIDE, "PYTHONPATH": str(REPO / "src")}
    demo = tmp_path / "demo.parquet"
    made = subprocess.run(
        [sys.executable, "-m", "verbind", "demo-data", "3000", "-o", demo, "--seed", "4",
         "--invalid-rate", "0.002"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    out = tmp_path / "scored.csv"
    done = subprocess.run(
        [sys.executable, "-m", "verbind", "score", demo, "-o", out, "--group", "age_group"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    scored = pl.read_csv(out)
    assert scored.height == 3000
    assert {"djg11_total", "lsns6_total", "isolated", "duration_band", "profile", "route"} <= set(
        scored.columns
    )
    errors = pl.read_csv(tmp_path / "scored.errors.csv")
    assert errors.height > 0 and set(errors["problem"]) == {"unknown answer"}
    assert "Prevalence by age_group" in done.stdout and "75+" in done.stdout


def test_demo_data_rejects_bad_arguments(tmp_path):
    result = run("demo-data", "10", "-o", tmp_path / "x.json")
    assert result.exit_code == 2 and "cannot write '.json'" in result.output
    result = run("demo-data", "10", "-o", tmp_path / "x.csv", "--instruments", "djg99")
    assert result.exit_code == 2 and "unknown instrument" in result.output


def test_a_file_with_only_the_safety_question_still_shows_who_said_yes(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,context_safety\n1,yes\n2,no\n3,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("score", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert "no instrument could be scored" in result.output
    back = pl.read_csv(out)
    assert back["id"].to_list() == [1, 2, 3]
    assert back["safety"].to_list() == [True, False, None]


def test_nothing_to_score_and_no_problems_says_why_without_a_missing_file(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,djg11_1,djg11_2\n1,,\n2,,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("score", src, "-o", out)
    assert result.exit_code == 1
    assert "None" not in result.output
    assert "no row could be scored" in result.output
    assert not out.exists()


# --- 3-point files: the coding is declared; reversed-looking answers are flagged ------------

POSITIVE_ITEMS = {1, 4, 7, 8, 11}


def _manual_row(lonely: bool) -> list[int]:
    """The manual's 3-point codes (1 = nee, 2 = min of meer, 3 = ja)."""
    return [
        (1 if lonely else 3) if i in POSITIVE_ITEMS else (3 if lonely else 1) for i in range(1, 12)
    ]


def test_a_3_point_file_without_its_coding_is_refused_with_what_to_declare(tmp_path):
    src = tmp_path / "ggd.csv"
    survey([_manual_row(False), _manual_row(True)], ["a", "b"]).write_csv(src)
    out = tmp_path / "out.csv"
    result = run("score", src, "-o", out, "--form", "djg11=three_point")
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "DJG-11 (djg11), answer form three_point" in text
    assert "manual = 1 nee, 2 min of meer, 3 ja" in text
    assert "djg11: manual" in text
    assert not out.exists()
    mapping = tmp_path / "m.yaml"
    mapping.write_text("forms: {djg11: three_point}\ncodings: {djg11: manual}\n", encoding="utf-8")
    result = run("score", src, "-o", out, "--mapping", mapping)
    assert result.exit_code == 0, result.output
    assert pl.read_csv(out)["djg11_total"].to_list() == [0, 11]


def test_answers_that_look_reversed_are_warned_on_screen_and_in_the_errors_file(tmp_path):
    rows = [_manual_row(n % 5 == 0) for n in range(30)]  # one in five lonely
    src = tmp_path / "in.csv"
    survey(rows, ["x"] * 30).write_csv(src)
    mapping = tmp_path / "m.yaml"
    # The wrong coding for this file: its codes run the manual's way.
    mapping.write_text(
        "forms: {djg11: three_point}\ncodings: {djg11: yes_first}\n", encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    result = run("score", src, "-o", out, "--mapping", mapping)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Warning: answers look reversed: DJG-11 (djg11): 24 of 30 fully answered rows" in text
    errors = pl.read_csv(tmp_path / "out.errors.csv")
    finding = errors.filter(pl.col("problem").str.starts_with(bulk.ANSWERS_LOOK_REVERSED))
    assert finding.height == 1 and finding["row"].to_list() == [None]
    assert "codings: djg11: one of manual, yes_first" in finding["allowed"][0]


def test_an_open_level_is_counted_and_reported(tmp_path):
    row = [*CONNECTED[:10], None]  # ten answers, total 0: 0 or 1, not lonely either way
    open_row = [1, 1, 1, 1, 5, 5, 1, 1, 5, 5, None]  # total 2 so far: 2 or 3
    src = tmp_path / "in.csv"
    survey([row, open_row], ["a", "b"]).write_csv(src)
    out = tmp_path / "out.csv"
    result = run("score", src, "-o", out)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert re.search(r"rows with an indeterminate level\W+1 ", text)
    scored = pl.read_csv(out)
    assert scored["djg11_level"].to_list() == ["not_lonely", "indeterminate"]
    errors = pl.read_csv(tmp_path / "out.errors.csv")
    assert errors.filter(pl.col("row") == 2)["problem"][0].startswith("indeterminate: 1 of 11")


FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1", "-2+3"]


def _formula_survey(tmp_path):
    """Respondent ids a spreadsheet would run as formulas; row 2 has an invalid answer
    written as a formula, so it reaches the errors file too."""
    frame = survey([CONNECTED] * len(FORMULAS), ["Noord"] * len(FORMULAS))
    frame = frame.with_columns(
        pl.Series("id", FORMULAS),
        pl.Series("djg11_3", ["5", "=1+1", "5", "5", "5"]),
    )
    src = tmp_path / "in.csv"
    frame.write_csv(src)
    return src


def test_text_a_spreadsheet_would_run_is_written_as_text(tmp_path):
    src = _formula_survey(tmp_path)
    out = tmp_path / "out.csv"
    result = run("score", src, "-o", out)
    assert result.exit_code == 0, result.output
    scored = pl.read_csv(out, infer_schema=False)
    assert scored["id"].to_list() == ["'" + f for f in FORMULAS]
    errors = pl.read_csv(tmp_path / "out.errors.csv", infer_schema=False)
    assert errors.filter(pl.col("column") == "djg11_3")["value"].to_list() == ["'=1+1"]
    # Every text cell of both files: nothing starts a formula.
    for frame in (scored, errors):
        for name in frame.columns:
            for value in frame[name].drop_nulls().to_list():
                assert not re.match(r"[=+\-@\t\r]", value), (name, value)
    # Numbers stay numbers.
    assert pl.read_csv(out)["djg11_total"].to_list() == [0, None, 0, 0, 0]


def test_the_dutch_excel_form_is_escaped_too(tmp_path):
    src = _formula_survey(tmp_path)
    text = src.read_text(encoding="utf-8").replace(",", ";")
    dutch = tmp_path / "dutch.csv"
    dutch.write_text(text, encoding="utf-8-sig")
    out = tmp_path / "out.csv"
    result = run("score", dutch, "-o", out)
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8-sig")
    assert ";" in written.splitlines()[0]  # written back in the Dutch Excel form
    scored = pl.read_csv(out, separator=";", infer_schema=False, encoding="utf8-lossy")
    # (the ';' of this file's form replaced the ',' inside the first formula too)
    assert scored["id"].to_list() == ["'" + f.replace(",", ";") for f in FORMULAS]


def test_keep_formulas_writes_text_as_it_is(tmp_path):
    src = _formula_survey(tmp_path)
    out = tmp_path / "out.csv"
    result = run("score", src, "-o", out, "--keep-formulas")
    assert result.exit_code == 0, result.output
    assert pl.read_csv(out, infer_schema=False)["id"].to_list() == FORMULAS


def test_an_errors_file_of_an_earlier_run_does_not_stay_beside_a_clean_run(tmp_path):
    bad = tmp_path / "bad.csv"
    frame = survey([LONELY, CONNECTED], ["Noord", "Zuid"])
    frame.with_columns(pl.Series("djg11_3", [1, 8])).write_csv(bad)
    out = tmp_path / "out.csv"
    assert run("score", bad, "-o", out).exit_code == 0
    stale = tmp_path / "out.errors.csv"
    assert stale.is_file()
    good = tmp_path / "good.csv"
    frame.write_csv(good)
    result = run("score", good, "-o", out)
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert "removed out.errors.csv of an earlier run" in result.output
