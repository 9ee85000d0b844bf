"""``verbind score`` on files as researchers have them, end to end: what the terminal
says, the exit code, and the files written."""

from __future__ import annotations

import polars as pl
import pyreadstat
from typer.testing import CliRunner

from verbind.cli import bulk as cli_bulk
from verbind.cli.main import app
from verbind.core.instrument import registry
from verbind.core.scoring import score

WIDE = {"COLUMNS": "400", "NO_COLOR": "1"}
DJG = registry()["djg11"]
DJG_COLS = [DJG.column(i.id) for i in DJG.items]


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env=WIDE)


def said(result, message) -> bool:
    # rich wraps at the terminal width, anywhere: compare without whitespace.
    return "".join(str(message).split()) in "".join(result.output.split())


def test_dutch_excel_export_scores_and_says_how_it_was_read(tmp_path):
    rows = [["ja!", "nee", "min of meer", "Nee!", "JA", "nee", "nee", "ja", "ja", "nee", "nee"]]
    text = ";".join(["respnr", *DJG_COLS, "opmerking"]) + "\r\n"
    text += ";".join(["1", *rows[0], "één café"]) + "\r\n"
    src = tmp_path / "export.csv"
    src.write_bytes(text.encode("cp1252"))
    out = tmp_path / "scored.csv"
    result = run("score", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert said(result, "Note: export.csv: not UTF-8; read as Windows-1252")
    assert said(result, "decimal comma")
    # Written back as Dutch Excel reads it: ';', decimal comma, UTF-8 with a BOM.
    assert out.read_bytes().startswith(b"\xef\xbb\xbfrespnr;")
    scored = pl.read_csv(out, separator=";", decimal_comma=True)
    want = score(DJG, dict(zip(DJG_COLS, rows[0], strict=True))).total.value
    assert scored.get_column("djg11_total").to_list() == [want] == [6]
    assert scored.get_column("opmerking").to_list() == ["één café"]


def test_dutch_excel_column_mixing_labels_and_decimal_comma_codes(tmp_path):
    rows = [["ja", *["2,0"] * 10], ["2,0", *["2,0"] * 10], ["2,5", *["2,0"] * 10]]
    src = tmp_path / "gemengd.csv"
    src.write_bytes(("\r\n".join(";".join(r) for r in [DJG_COLS, *rows]) + "\r\n").encode())
    out = tmp_path / "uitslag.csv"
    result = run("score", src, "-o", out)
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.strip("│ ").split()) for line in result.output.splitlines()]
    assert "djg11_1 │ '2,5' │ 1 │ 3 │ 1, 2, 3, 4, 5" in lines, result.output
    scored = pl.read_csv(out, separator=";", decimal_comma=True)
    assert scored.get_column("djg11_total").to_list() == [6, 6, None]
    errors = pl.read_csv(tmp_path / "uitslag.errors.csv", separator=";")
    assert errors.select("row", "column", "value").rows() == [
        (3, "djg11_1", "2,5"),
        (3, "route", None),  # no loneliness score, and no isolation instrument
    ]


def test_no_route_without_loneliness_or_isolation_scales_is_said_once(tmp_path):
    # The ONS question is scored but the profile does not read it (no validated cut-off).
    src = tmp_path / "ons.csv"
    src.write_text("ons,duration,context_safety\n2,4,nee\n1,4,ja\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("score", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert said(result, "Warning: no route: the file has no loneliness or social isolation")
    assert said(result, "rows with no route │ 2")
    scored = pl.read_csv(out)
    assert scored["route"].to_list() == [None, "crisis_help"]
    assert scored["safety"].to_list() == [False, True]
    assert not (tmp_path / "out.errors.csv").exists()


def test_unknown_codes_are_listed_once_each_with_rows_and_allowed_codes(tmp_path):
    codes = [[2] * 11, [2] * 10 + [9], [4] * 10 + [9], [4] * 11, [2] * 5 + [-1] + [2] * 5]
    src = tmp_path / "nine.csv"
    pl.DataFrame({c: [r[n] for r in codes] for n, c in enumerate(DJG_COLS)}).write_csv(src)
    out = tmp_path / "out.csv"
    result = run("score", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert said(result, "Answers that are not one of the options")
    lines = [" ".join(line.strip("│ ").split()) for line in result.output.splitlines()]
    assert "djg11_11 │ '9' │ 2 │ 2, 3 │ 1, 2, 3, 4, 5" in lines, result.output
    assert "djg11_6 │ '-1' │ 1 │ 5 │ 1, 2, 3, 4, 5" in lines, result.output
    assert said(result, "djg11: {9: null}")
    # The hint as written works: 9 is "not answered", -1 is still reported.
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("codings:\n  djg11: {9: null}\n", encoding="utf-8")
    result = run("score", src, "-o", out, "--mapping", mapping)
    assert result.exit_code == 0, result.output
    meant = [dict(zip(DJG_COLS, [None if v == 9 else v for v in r], strict=True)) for r in codes]
    want = [score(DJG, a, strict=False).total.value for a in meant[:4]] + [None]
    assert pl.read_csv(out).get_column("djg11_total").to_list() == want == [6, 6, 4, 5, None]
    assert not said(result, "djg11_11 │ '9'")


def test_unknown_answers_table_is_short_on_a_large_mess():
    errors = pl.DataFrame(
        {
            "row": list(range(1, 31)),
            "column": [f"c{n % 15}" for n in range(30)],
            "value": ["x"] * 30,
            "problem": ["unknown answer"] * 30,
            "allowed": ["1=a; 2=b"] * 30,
        }
    )
    table = cli_bulk.unknown_answers(errors)
    assert table.height == 15
    assert table.row(0, named=True)["rows"] == 2
    assert table.row(0, named=True)["first_rows"] == [1, 16]


def test_files_that_cannot_be_used_get_one_message_and_exit_2(tmp_path):
    header_only = tmp_path / "kop.csv"
    header_only.write_text(";".join(DJG_COLS) + "\n", encoding="utf-8")
    folder = tmp_path / "map.csv"
    folder.mkdir()
    empty_sav = tmp_path / "leeg.sav"
    pyreadstat.write_sav(pl.DataFrame({"djg11_1": pl.Series([], dtype=pl.Float64)}), empty_sav)
    cases = [
        (header_only, "kop.csv: no rows of answers, only the column names (djg11_1, djg11_2"),
        (folder, "map.csv: not a file"),
        (tmp_path / "enorm" / "2GB.csv", "2GB.csv: file not found"),
        (empty_sav, "leeg.sav: no rows of answers"),
    ]
    for src, message in cases:
        result = run("score", src, "-o", tmp_path / "out.csv")
        assert result.exit_code == 2, (src, result.output)
        assert said(result, message), (src, result.output)
        assert "Traceback" not in result.output
        assert not (tmp_path / "out.csv").exists()
