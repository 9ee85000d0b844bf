"""CSV files as spreadsheets and statistics packages really write them: Dutch Excel
(';' and the decimal comma, UTF-8 with BOM or Windows-1252), R/SPSS/Stata missing markers,
codes stored as floats, a header without rows, duplicated column names.

Each file is written byte for byte in tmp_path, read with ``read_survey`` and scored with
``score_frame``; every scored row is compared with ``scoring.score`` on the answers the
researcher meant."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import polars as pl
import pytest

from verbind.core import bulk
from verbind.core.instrument import registry
from verbind.core.scoring import score

LSNS = registry()["lsns6"]
DJG = registry()["djg11"]
DJG_COLS = [DJG.column(i.id) for i in DJG.items]
LSNS_COLS = [LSNS.column(i.id) for i in LSNS.items]


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def _lines(header, rows, sep):
    return "\r\n".join(sep.join(r) for r in [header, *rows]) + "\r\n"


def _expected(inst, header, row):
    answers = {c: (v or None) for c, v in zip(header, row, strict=True) if c.startswith(inst.id)}
    return score(inst, answers, strict=False).total.value


LSNS_ROWS = [
    ["1", "één", "geen", "twee", "drie of vier", "vijf tot acht", "negen of meer", "café één"],
    ["2", "Één", "één", "één", "GEEN", "twee", "twee", "Zoë"],
]
HEADER = ["respnr", *LSNS_COLS, "opmerking"]


@pytest.mark.parametrize(
    ("encoding", "note"),
    [("utf-8", None), ("utf-8-sig", None), ("cp1252", "read as Windows-1252"),
     ("latin-1", "read as")],
)  # fmt: skip
def test_dutch_excel_labels_with_accents_in_any_encoding(tmp_path, encoding, note):
    path = _write(tmp_path / "export.csv", _lines(HEADER, LSNS_ROWS, ";"), encoding)
    survey = bulk.read_survey(path)
    assert survey.frame.columns == HEADER  # the BOM is not part of the first name
    result = bulk.score_frame(survey.frame)
    assert result.errors.height == 0, result.errors
    totals = result.frame.get_column("lsns6_total").to_list()
    assert totals == [_expected(LSNS, HEADER, r) for r in LSNS_ROWS] == [15, 7]
    # Other text columns come through unchanged, accents and all.
    assert result.frame.get_column("opmerking").to_list() == ["café één", "Zoë"]
    if note:
        assert any(note in n for n in survey.notes), survey.notes
    else:
        assert not any("UTF-8" in n for n in survey.notes)


def test_windows_1252_below_a_utf8_looking_top_is_read_whole(tmp_path):
    rows = [["1", "2", "3", "3", "1", "0", "0", "gewoon"]] * 5000 + [
        ["2", "één", "1", "1", "1", "1", "1", "café"]
    ]
    path = _write(tmp_path / "late.csv", _lines(HEADER, rows, ","), "cp1252")
    survey = bulk.read_survey(path)
    result = bulk.score_frame(survey.frame)
    assert result.errors.height == 0
    assert result.frame.get_column("lsns6_total").tail(1).item() == 6
    assert result.frame.get_column("opmerking").tail(1).item() == "café"


@pytest.fixture
def temp_files(tmp_path, monkeypatch):
    """The temporary files reading makes: created in a folder of their own, recorded."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    made = []
    mkstemp = tempfile.mkstemp

    def recording_mkstemp(*args, **kwargs):
        fd, name = mkstemp(*args, **kwargs)
        made.append(Path(name))
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", recording_mkstemp)
    return folder, made


ACCENTS = ["café", "België", "€ 12,50", "één", "Zoë en Noël", "€€€"]


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 63, bulk.TRANSCODE_CHUNK_BYTES])
def test_windows_1252_is_converted_in_chunks_to_a_temporary_file_then_removed(
    tmp_path, temp_files, chunk_size
):
    rows = [
        ["1", "één", "geen", "twee", "drie of vier", "vijf tot acht", "negen of meer", t]
        for t in ACCENTS
    ]
    path = _write(tmp_path / "export.csv", _lines(HEADER, rows, ";"), "cp1252")
    raw = path.read_bytes()
    accents = [n for n, b in enumerate(raw) if b >= 0x80]
    # é, ë and € (one byte each in Windows-1252, two or three in UTF-8) start and end
    # chunks: the first byte of a chunk, and the last.
    if chunk_size < len(raw):
        assert any(n % chunk_size == 0 for n in accents)
        assert any(n % chunk_size == chunk_size - 1 for n in accents)
    survey = bulk.read_survey(path, transcode_chunk_size=chunk_size)
    assert any("read as Windows-1252" in n for n in survey.notes), survey.notes
    assert survey.frame.get_column("opmerking").to_list() == ACCENTS
    result = bulk.score_frame(survey.frame, decimal_comma=survey.dutch_excel)
    assert result.errors.height == 0, result.errors
    assert result.frame.get_column("lsns6_total").to_list() == [15] * len(rows)
    folder, made = temp_files
    assert len(made) == 1  # it went through a temporary file ...
    assert not made[0].exists() and not any(folder.iterdir())  # ... that is gone


def test_bytes_windows_1252_leaves_undefined_restart_as_latin_1(tmp_path, temp_files):
    # 0x81 only on the last line: Windows-1252 fails after much was converted already.
    rows = [["1", "één", "1", "1", "1", "1", "1", "café"]] * 200
    text = _lines(HEADER, rows, ",").encode("cp1252") + b"2,1,1,1,1,1,1,x\x81y\r\n"
    path = tmp_path / "latin.csv"
    path.write_bytes(text)
    survey = bulk.read_survey(path, transcode_chunk_size=7)
    assert any("read as Latin-1" in n for n in survey.notes), survey.notes
    assert survey.frame.height == 201
    assert survey.frame.get_column("opmerking").to_list() == ["café"] * 200 + ["x\x81y"]
    folder, made = temp_files
    assert made and not any(folder.iterdir())


def test_the_temporary_file_is_removed_when_reading_fails(tmp_path, temp_files):
    # Windows-1252 and a row with more cells than the header: polars cannot read it.
    text = "djg11_1;opmerking\r\n2;café\r\n3;België;€;x\r\n"
    path = _write(tmp_path / "kapot.csv", text, "cp1252")
    with pytest.raises(bulk.BulkInputError, match=r"kapot\.csv: cannot read this csv file"):
        bulk.read_survey(path, transcode_chunk_size=4)
    folder, made = temp_files
    assert made and not any(folder.iterdir())


def test_transcode_to_utf8_keeps_a_character_split_over_two_chunks(tmp_path):
    # Windows-1252 has one byte per character; an encoding with more shows that the
    # decoder carries a split character over to the next chunk.
    source = tmp_path / "utf16.txt"
    source.write_bytes("é€ë".encode("utf-16-le"))
    out = io.BytesIO()
    bulk.transcode_to_utf8(source, out, "utf-16-le", chunk_size=3)
    assert out.getvalue().decode("utf-8") == "é€ë"


def test_semicolon_file_with_decimal_comma_codes(tmp_path):
    header = ["respnr", *DJG_COLS, "gewicht"]
    codes = [[1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1], [5, 1, 1, 5, 1, 1, 5, 5, 1, 1, 5]]
    rows = [[str(n), *(f"{c},0" for c in r), "1,25"] for n, r in enumerate(codes, 1)]
    path = _write(tmp_path / "komma.csv", _lines(header, rows, ";"))
    survey = bulk.read_survey(path)
    assert any("decimal comma" in n for n in survey.notes)
    result = bulk.score_frame(survey.frame)
    want = [score(DJG, dict(zip(DJG_COLS, r, strict=True))).total.value for r in codes]
    assert result.frame.get_column("djg11_total").to_list() == want == [5, 11]
    assert result.frame.get_column("gewicht").to_list() == [1.25, 1.25]


def test_decimal_comma_codes_in_a_column_that_mixes_labels_and_numbers(tmp_path):
    """Dutch Excel writes "2,0" where someone typed a number, and a label as it is: the
    column becomes text, and "2,0" is still code 2 there, as in the number columns.
    "2,5" is no code: reported with its row and column, as the file wrote it."""
    header = ["respnr", *DJG_COLS]
    rows = [
        ["1", "ja", *["2,0"] * 10],
        ["2", "2,0", *["4,0"] * 9, "nee"],
        ["3", " 5,0 ", "nee!", *["1,0"] * 9],
        ["4", "2,5", *["2,0"] * 10],
        ["5", "ja", *["2,0"] * 9, "2,5"],
    ]
    path = _write(tmp_path / "gemengd.csv", _lines(header, rows, ";"), "cp1252")
    survey = bulk.read_survey(path)
    assert survey.dutch_excel
    assert survey.frame.schema["djg11_1"] == pl.String  # labels and numbers mixed
    result = bulk.score_frame(survey.frame, decimal_comma=survey.dutch_excel)
    meant = [[v.strip().replace(",0", "") for v in r[1:]] for r in rows[:3]]
    want = [score(DJG, dict(zip(DJG_COLS, r, strict=True))).total.value for r in meant]
    assert result.frame.get_column("djg11_total").to_list() == [*want, None, None]
    assert want == [6, 4, 6]
    problems = [(e["row"], e["column"], e["value"], e["problem"]) for e in result.errors.to_dicts()]
    no_route = ("route", None, f"{bulk.NO_ROUTE}: {bulk.NO_ROUTE_WHY}")
    assert problems == [
        (4, "djg11_1", "2,5", bulk.INVALID_ANSWER),
        (4, *no_route),  # no other loneliness or isolation scale in the file
        (5, "djg11_11", "2,5", bulk.INVALID_ANSWER),  # a number column: as the file wrote it
        (5, *no_route),
    ]
    answers = result.errors.filter(pl.col("problem") == bulk.INVALID_ANSWER)
    assert answers.get_column("allowed").str.starts_with("1=").all()


def test_a_comma_file_does_not_read_a_quoted_comma_as_a_decimal_sign(tmp_path):
    # In a ',' file, "2,0" can only be a quoted cell: text, not the number 2.
    rows = [['"2,0"', *["2"] * 10], ["ja", *["2"] * 10]]
    path = _write(tmp_path / "komma.csv", _lines(DJG_COLS, rows, ","))
    survey = bulk.read_survey(path)
    assert not survey.dutch_excel
    result = bulk.score_frame(survey.frame, decimal_comma=survey.dutch_excel)
    assert result.frame.get_column("djg11_total").to_list() == [None, 6]
    error, no_route = result.errors.to_dicts()
    assert (error["row"], error["column"], error["value"]) == (1, "djg11_1", "2,0")
    assert (no_route["row"], no_route["column"]) == (1, "route")


@pytest.mark.parametrize(
    ("cell", "read"),
    [("2,0", "2.0"), (" -1,0 ", " -1.0 "), ("2,5", "2.5"), ("ja, zeker", "ja, zeker"),
     ("1,2,3", "1,2,3"), ("2", "2"), ("١,٠", "١,٠")],
)  # fmt: skip
def test_decimal_point_changes_only_a_whole_decimal_comma_number(cell, read):
    assert bulk.decimal_point(cell) == read


def test_codes_stored_as_floats(tmp_path):
    codes = [[1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1], [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]]
    rows = [[f"{c}.0" for c in r] for r in codes]
    path = _write(tmp_path / "floats.csv", _lines(DJG_COLS, rows, ","))
    result = bulk.score_frame(bulk.read_survey(path).frame)
    want = [score(DJG, dict(zip(DJG_COLS, r, strict=True))).total.value for r in codes]
    assert result.frame.get_column("djg11_total").to_list() == want == [5, 6]


@pytest.mark.parametrize("marker", bulk.CSV_MISSING_MARKERS)
def test_missing_markers_are_not_answered(tmp_path, marker):
    # One marker on a DJG-11 row (1 missing allowed: scored), two on the next (refused
    # as too many missing, not as an unknown answer), in a numeric and a text column.
    rows = [
        ["ja", *["2"] * 9, marker, "Noord"],
        ["nee", *["4"] * 8, marker, marker, marker],
        ["nee", *["4"] * 10, "Zuid"],
    ]
    header = [*DJG_COLS, "regio"]
    path = _write(tmp_path / "na.csv", _lines(header, rows, ","))
    survey = bulk.read_survey(path)
    assert any("read as empty" in n for n in survey.notes)
    result = bulk.score_frame(survey.frame)
    totals = result.frame.get_column("djg11_total").to_list()
    meant = [[None if v == marker else v for v in r[:11]] for r in rows]
    want = [
        score(DJG, dict(zip(DJG_COLS, r, strict=True)), strict=False).total.value for r in meant
    ]
    assert totals == want == [6, None, 5]
    assert result.errors.get_column("problem").to_list() == [
        "too many answers missing: 2 of 11 unanswered",
        f"{bulk.NO_ROUTE}: {bulk.NO_ROUTE_WHY}",
    ]
    assert result.frame.get_column("regio").to_list() == ["Noord", None, "Zuid"]


def test_a_file_without_markers_is_read_as_it_is(tmp_path):
    path = _write(tmp_path / "plain.csv", "djg11_1,naam\n2,NAtalie\n")
    survey = bulk.read_survey(path)
    assert survey.frame.get_column("naam").to_list() == ["NAtalie"]
    assert not survey.notes


@pytest.mark.parametrize("numeric_code", ["9", "99", "-1"])
def test_numeric_missing_codes_are_reported_not_guessed(tmp_path, numeric_code):
    path = _write(tmp_path / "nine.csv", _lines(DJG_COLS, [["2"] * 10 + [numeric_code]], ","))
    result = bulk.score_frame(bulk.read_survey(path).frame)
    assert result.frame.get_column("djg11_total").to_list() == [None]
    error, no_route = result.errors.iter_rows(named=True)
    assert (error["row"], error["column"], error["value"]) == (1, "djg11_11", numeric_code)
    assert no_route["problem"].startswith(bulk.NO_ROUTE)
    assert error["problem"] == bulk.INVALID_ANSWER
    # Declared in a mapping file, the code means "not answered" and the row scores.
    mapping = bulk.parse_mapping({"codings": {"djg11": {int(numeric_code): None}}})
    scored = bulk.score_frame(bulk.read_survey(path).frame, mapping)
    assert scored.frame.get_column("djg11_total").to_list() == [6]


def test_header_only_and_empty_files_say_so(tmp_path):
    path = _write(tmp_path / "kop.csv", ";".join(DJG_COLS) + "\r\n")
    with pytest.raises(bulk.BulkInputError, match=r"kop\.csv: no rows of answers, only the col"):
        bulk.read_survey(path)
    empty = _write(tmp_path / "leeg.csv", "\r\n")
    with pytest.raises(bulk.BulkInputError, match=r"leeg\.csv: the file is empty"):
        bulk.read_survey(empty)


def test_a_duplicated_question_column_is_refused_with_its_positions(tmp_path):
    header = ["id", *DJG_COLS, "djg11_3"]
    path = _write(tmp_path / "dubbel.csv", _lines(header, [["1", *["2"] * 12]], ","))
    with pytest.raises(bulk.BulkInputError) as exc:
        bulk.read_survey(path)
    assert str(exc.value) == (
        "dubbel.csv: column 'djg11_3' appears 2 times (columns 4, 13); keep one column per question"
    )


def test_a_duplicated_other_column_is_kept_with_a_note(tmp_path):
    header = ["opmerking", *DJG_COLS, "opmerking"]
    path = _write(tmp_path / "dubbel.csv", _lines(header, [["a", *["2"] * 11, "b"]], ","))
    survey = bulk.read_survey(path)
    assert any("'opmerking' appears 2 times (columns 1, 13)" in n for n in survey.notes)
    result = bulk.score_frame(survey.frame)
    assert result.frame.get_column("djg11_total").to_list() == [6]
    assert result.frame.get_column("opmerking_duplicated_0").to_list() == ["b"]


def test_results_of_a_dutch_excel_file_are_written_the_same_way(tmp_path):
    """A ';' file with the decimal comma gets its results back as ';', decimal comma and a
    UTF-8 byte order mark (so Dutch Excel opens them in columns); read back, they hold the
    same values. A ',' file keeps plain CSV."""
    from typer.testing import CliRunner

    from verbind.cli.main import app

    inst = registry()["djg6"]
    header = [inst.column(i.id) for i in inst.items]
    rows = [["2,0", "1,0", "3,0", "1,0", "2,0", "3,0"], ["1,0"] * 6]
    source = _write(tmp_path / "excel.csv", _lines(header, rows, ";"))
    out = tmp_path / "uitslag.csv"
    result = CliRunner().invoke(app, ["score", str(source), "--output", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    first = raw[3:].split(b"\n", 1)[0].decode()
    assert first.count(";") > 5 and "," not in first
    again = bulk.read_survey(out)
    assert again.dutch_excel
    scored = bulk.score_frame(bulk.read_survey(source).frame).frame
    numeric = [c for c in scored.columns if c.startswith("djg6") and scored[c].dtype.is_numeric()]
    assert numeric
    for column in numeric:
        assert again.frame[column].to_list() == scored[column].to_list(), column
    # A plain comma file stays a plain comma file.
    comma = _write(tmp_path / "comma.csv", _lines(header, [["2", "1", "3", "1", "2", "3"]], ","))
    out2 = tmp_path / "comma-out.csv"
    assert CliRunner().invoke(app, ["score", str(comma), "--output", str(out2)]).exit_code == 0
    assert not out2.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not bulk.read_survey(out2).dutch_excel
