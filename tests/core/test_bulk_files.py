"""Bulk scoring of real files: CSV (labels, codes), Parquet, SPSS .sav, mappings, errors."""

from __future__ import annotations

import numpy as np
import polars as pl
import pyreadstat
import pytest

from verbind.core import bulk
from verbind.core.scoring import as_code, score

# Hand-worked DJG-11 rows (5-point codes 1..5). Negative items 2,3,5,6,9,10 score 1 for
# codes 1-3; positive items 1,4,7,8,11 score 1 for codes 3-5.
ALL_CONNECTED = [1, 5, 5, 1, 5, 5, 1, 1, 5, 5, 1]  # total 0
ALL_LONELY = [5, 1, 1, 5, 1, 1, 5, 5, 1, 1, 5]  # total 11
TWO_EMOTIONAL = [1, 2, 3, 1, 5, 5, 1, 1, 5, 5, 1]  # items 2, 3 -> total 2, emotional 2
THREE = [3, 2, 3, 1, 5, 5, 1, 1, 5, 5, 1]  # + item 1 "more or less" -> total 3


def djg_frame(rows, *, as_text=None):
    data = {f"djg11_{i + 1}": [r[i] for r in rows] for i in range(11)}
    frame = pl.DataFrame(data)
    if as_text:
        frame = frame.with_columns(pl.all().replace_strict(as_text, return_dtype=pl.String))
    return frame


def test_hand_worked_totals_levels_and_cutoffs():
    result = bulk.score_frame(djg_frame([ALL_CONNECTED, ALL_LONELY, TWO_EMOTIONAL, THREE]))
    f = result.frame
    assert f["djg11_total"].to_list() == [0, 11, 2, 3]
    assert f["djg11_emotional"].to_list() == [0, 6, 2, 2]
    assert f["djg11_social"].to_list() == [0, 5, 0, 1]
    assert f["djg11_level"].cast(pl.String).to_list() == [
        "not_lonely",
        "very_severely_lonely",
        "not_lonely",
        "moderately_lonely",
    ]
    assert f["djg11_total_cutoff"].to_list() == [False, True, False, True]
    assert f["djg11_emotional_cutoff"].to_list() == [False, True, True, True]
    assert result.errors.height == 0
    assert result.scored_rows == 4


def test_setting_override_moves_the_cutoff():
    mapping = bulk.ColumnMapping(settings={"djg11_subscale_cutoff": 3})
    f = bulk.score_frame(djg_frame([TWO_EMOTIONAL, ALL_LONELY]), mapping).frame
    assert f["djg11_emotional_cutoff"].to_list() == [False, True]


def test_csv_with_dutch_labels_any_case_and_spacing(tmp_path):
    nl = {1: "JA!", 2: " ja ", 3: "Min  of meer", 4: "nee", 5: "Nee!"}
    path = tmp_path / "nl.csv"
    djg_frame([ALL_LONELY, THREE], as_text=nl).write_csv(path)
    result = bulk.score_frame(bulk.read_survey(path).frame)
    assert result.frame["djg11_total"].to_list() == [11, 3]


def test_csv_with_semicolons_and_numeric_codes(tmp_path):
    path = tmp_path / "codes.csv"
    djg_frame([THREE, ALL_CONNECTED]).write_csv(path, separator=";")
    frame = bulk.read_survey(path).frame
    assert frame.width == 11
    assert bulk.score_frame(frame).frame["djg11_total"].to_list() == [3, 0]


def test_csv_with_text_far_below_the_first_rows_is_read_and_reported(tmp_path):
    rows = [ALL_CONNECTED] * 300 + [THREE]
    frame = djg_frame(rows).with_columns(pl.col("djg11_5").cast(pl.String))
    frame[300, "djg11_5"] = "weet niet"
    path = tmp_path / "late.csv"
    frame.write_csv(path)
    result = bulk.score_frame(bulk.read_survey(path).frame)
    assert result.frame["djg11_total"][299] == 0
    assert result.frame["djg11_total"][300] is None
    errors = result.errors.to_dicts()
    assert [(e["row"], e["column"], e["value"]) for e in errors] == [
        (301, "djg11_5", "weet niet"),
        (301, "route", None),  # the file has no other loneliness or isolation scale
    ]


def test_parquet_round_trip(tmp_path):
    path = tmp_path / "s.parquet"
    djg_frame([ALL_LONELY]).write_parquet(path)
    result = bulk.score_frame(bulk.read_survey(path).frame)
    out = tmp_path / "out.parquet"
    bulk.write_frame(result.frame, out)
    back = pl.read_parquet(out)
    assert back["djg11_total"].to_list() == [11]
    assert back["djg11_level"].cast(pl.String).to_list() == ["very_severely_lonely"]


def test_sav_value_labels_are_used_before_codes(tmp_path):
    # The file's own coding: 1 = nee, 2 = min of meer, 3 = ja (not our 3-point codes).
    own = {1.0: "nee", 2.0: "min of meer", 3.0: "ja"}
    codes = {"no": 1.0, "more_or_less": 2.0, "yes": 3.0}
    lonely_row = ["no" if i in (0, 3, 6, 7, 10) else "yes" for i in range(11)]
    frame = pl.DataFrame(
        {f"djg11_{i + 1}": [codes[lonely_row[i]], codes["more_or_less"]] for i in range(11)}
    )
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels=dict.fromkeys(frame.columns, own))
    survey = bulk.read_survey(path)
    result = bulk.score_frame(survey.frame, value_labels=survey.value_labels)
    assert result.frame["djg11_total"].to_list() == [11, 11]
    # Without the labels the same codes mean 1 = yes!, 2 = yes, 3 = more or less.
    plain = bulk.score_frame(survey.frame, bulk.ColumnMapping(value_labels=False))
    want = score("djg11", {f"djg11_{i + 1}": codes[lonely_row[i]] for i in range(11)})
    assert plain.frame["djg11_total"][0] == want.total.value


def test_sav_output_is_readable(tmp_path):
    result = bulk.score_frame(djg_frame([THREE]))
    out = tmp_path / "out.sav"
    bulk.write_frame(result.frame, out)
    back, _ = pyreadstat.read_sav(str(out), output_format="polars")
    assert back["djg11_total"].to_list() == [3]
    assert back["djg11_level"].to_list() == ["moderately_lonely"]


def test_mapping_renames_columns_declares_form_and_custom_codes(tmp_path):
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text(
        "columns:\n"
        + "".join(f"  V{i}: djg11_{i}\n" for i in range(1, 12))
        + "forms:\n  djg11: three_point\n"
        + "codings:\n  djg11:\n    1: 'yes'\n    2: more_or_less\n    3: 'no'\n    9: null\n"
        + "    j: 'yes'\n",
        encoding="utf-8",
    )
    mapping = bulk.load_mapping(mapping_file)
    # 3-point codes, as declared: 1 = yes, 2 = more or less, 3 = no.
    three = [3, 1, 1, 3, 1, 1, 3, 3, 1, 1, 3]
    frame = pl.DataFrame({f"V{i + 1}": [str(three[i]), "9" if i == 0 else "j"] for i in range(11)})
    result = bulk.score_frame(frame, mapping)
    assert result.frame["djg11_total"].to_list() == [11, 6]
    assert "V1" in result.frame.columns and "djg11_1" not in result.frame.columns
    assert result.errors.height == 0


@pytest.mark.parametrize(
    "text, message",
    [
        ("forms:\n  djg11: seven_point\n", "unknown answer form 'seven_point'"),
        ("forms:\n  nope: five_point\n", "unknown instrument 'nope'"),
        ("codings:\n  djg11:\n    9: maybe\n", "unknown option 'maybe'"),
        ("codings:\n  whatever:\n    9: null\n", "not an instrument id or a standard column"),
        ("colums: {}\n", "colums: unknown field"),
        ("columns: [a, b]\n", "columns: expected a mapping"),
    ],
)
def test_bad_mapping_files_name_the_field(tmp_path, text, message):
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(bulk.BulkInputError, match=message):
        bulk.load_mapping(path)


def test_invalid_values_are_reported_and_only_that_instrument_is_null():
    frame = djg_frame([THREE, THREE]).with_columns(
        pl.Series("lsns6_1", [2, 7]), *(pl.lit(3).alias(f"lsns6_{i}") for i in range(2, 7))
    )
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(9).otherwise(pl.col("djg11_4")).alias("djg11_4")
    )
    result = bulk.score_frame(frame)
    f = result.frame
    assert f["djg11_total"].to_list() == [None, 3]
    assert f["lsns6_total"].to_list() == [17, None]
    errors = {(e["row"], e["column"], e["value"]) for e in result.errors.to_dicts()}
    assert errors == {(1, "djg11_4", "9"), (2, "lsns6_1", "7")}
    assert all(
        "0=none/geen" in e["allowed"]
        for e in result.errors.to_dicts()
        if e["instrument"] == "lsns6"
    )
    assert result.invalid_rows == 2 and result.scored_rows == 0 and result.unscored_rows == 0


def test_too_many_missing_is_reported_with_the_missing_columns():
    row = list(THREE)
    frame = djg_frame([row, row]).with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("djg11_2", "djg11_7")
    )
    result = bulk.score_frame(frame)
    assert result.frame["djg11_total"].to_list() == [None, 3]
    error, no_route = result.errors.to_dicts()
    assert error["row"] == 1 and error["column"] == "djg11_2, djg11_7"
    assert error["problem"].startswith(bulk.TOO_MANY_MISSING)
    assert (no_route["row"], no_route["column"]) == (1, "route")
    assert result.incomplete_rows == 1 and result.invalid_rows == 0
    assert result.no_route_rows == 1


def test_one_missing_answer_is_allowed_and_not_imputed():
    frame = djg_frame([ALL_LONELY]).with_columns(pl.lit(None, pl.Int64).alias("djg11_2"))
    result = bulk.score_frame(frame)
    assert result.frame["djg11_total"].to_list() == [10]
    assert result.frame["djg11_emotional"].to_list() == [None]  # subscales allow none
    # 10 or 11: severely or very severely lonely. Lonely either way, the band is open: not
    # a problem, but reported as an indeterminate level.
    assert result.frame["djg11_level"].to_list() == ["indeterminate"]
    assert result.frame["djg11_total_cutoff"].to_list() == [True]
    assert result.errors["problem"].str.starts_with(bulk.INDETERMINATE_LEVEL).all()
    assert (result.incomplete_rows, result.indeterminate_rows) == (0, 1)


def test_profile_columns_come_from_classify():
    from verbind.core import profile

    frame = djg_frame([ALL_LONELY, ALL_CONNECTED]).with_columns(
        *(pl.lit(0).alias(f"lsns6_{i}") for i in range(1, 7)),
        pl.Series("duration", [4, 0]),
    )
    f = bulk.score_frame(frame).frame
    assert f["isolated"].to_list() == [True, True]
    assert f["profile"].cast(pl.String).to_list() == ["lonely_and_isolated", "chosen_solitude"]
    assert f["duration_band"].cast(pl.String).to_list() == ["chronic", "none"]
    expected = profile.classify(
        profile.ProfileInputs(
            lonely=True, severity="very_severely_lonely", emotional=True, social=True,
            isolated=True, isolation_sources=("lsns6",), duration_answer="gt_2_years",
        )
    )  # fmt: skip
    assert f["route"][0] == expected.route


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("survey.xlsx", b"x", "unknown file type '.xlsx'"),
        ("survey", b"x", r"unknown file type '\(no extension\)'"),
        ("empty.csv", b"", "the file is empty"),
        ("broken.parquet", b"not parquet at all", "cannot read this parquet file"),
        ("broken.sav", b"not spss", "cannot read this sav file"),
    ],
)
def test_unreadable_inputs_give_clear_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(bulk.BulkInputError, match=message):
        bulk.read_survey(path)


def test_missing_file_and_no_instrument_columns(tmp_path):
    with pytest.raises(bulk.BulkInputError, match="file not found"):
        bulk.read_survey(tmp_path / "nope.csv")
    with pytest.raises(bulk.BulkInputError, match="no instrument columns found"):
        bulk.score_frame(pl.DataFrame({"age": [30], "q1": [2]}))


def test_parse_forms_and_settings_arguments():
    assert bulk.parse_forms(["djg11=three_point"]) == {"djg11": "three_point"}
    with pytest.raises(bulk.BulkInputError, match="expected INSTRUMENT=FORM"):
        bulk.parse_forms(["djg11"])
    with pytest.raises(bulk.BulkInputError, match="unknown answer form"):
        bulk.parse_forms(["djg11=eleven"])
    with pytest.raises(bulk.BulkInputError, match="unknown setting"):
        bulk.score_frame(djg_frame([THREE]), bulk.ColumnMapping(settings={"djg11_cutof": 3}))


@pytest.mark.parametrize(
    "value, code",
    [
        (3, 3), (3.0, 3), ("3", 3), (" 3.0 ", 3), ("-1", -1), (np.int8(4), 4),
        (np.float32(2.0), 2), (3.5, None), ("3.5", None), ("1_0", None), (True, None),
        (float("nan"), None), (float("inf"), None), ("ja", None), ("", None), (None, None),
        ("¹", None), ("٣", None), ("３", None),
    ],
)  # fmt: skip
def test_as_code_reads_file_codes(value, code):
    assert as_code(value) == code


# --- safety first: a "yes" to the safety question is never hidden -------------------------

CONTEXT_OK = {
    "context_wish_to_change": "ja",
    "context_open_to_learning": "ja",
    "context_literacy": "ja",
}


def safety_frame(rows):
    """A lonely, chronically lonely person (course route) with context answers per row."""
    base = djg_frame([ALL_LONELY] * len(rows)).with_columns(pl.lit(4).alias("duration"))
    columns = sorted({c for r in rows for c in r})
    return base.hstack([pl.Series(c, [r.get(c) for r in rows], dtype=pl.String) for c in columns])


def test_safety_yes_reaches_output_and_route_when_another_context_answer_is_invalid():
    frame = safety_frame(
        [
            {**CONTEXT_OK, "context_safety": "ja"},
            {**CONTEXT_OK, "context_literacy": "misschien?", "context_safety": "ja"},
            {**CONTEXT_OK, "context_literacy": "misschien?", "context_safety": "nee"},
            {**CONTEXT_OK, "context_safety": "nee"},
            {**CONTEXT_OK, "context_safety": None},
        ]
    )
    result = bulk.score_frame(frame)
    f = result.frame
    assert f["safety"].to_list() == [True, True, False, False, None]
    assert f["route"].cast(pl.String).to_list() == [
        "crisis_help", "crisis_help", "alternative_support", "course", "course",
    ]  # fmt: skip
    # The unreadable literacy answer voids the other context answers of its row (as for
    # one person), so the route beneath crisis help is the one without them.
    assert f["underlying_route"].cast(pl.String).to_list() == [
        "course", "alternative_support", None, None, None,
    ]  # fmt: skip
    # ... and it is still reported.
    problems = [(e["row"], e["column"], e["value"]) for e in result.errors.to_dicts()]
    assert problems == [
        (2, "context_literacy", "misschien?"),
        (3, "context_literacy", "misschien?"),
    ]


def test_unreadable_safety_answer_is_reported_and_not_taken_as_no_or_yes():
    frame = safety_frame([{**CONTEXT_OK, "context_safety": "soms"}])
    result = bulk.score_frame(frame)
    assert result.frame["safety"].to_list() == [None]
    assert result.frame["route"][0] != "crisis_help"
    (error,) = result.errors.to_dicts()
    assert (error["column"], error["value"]) == ("context_safety", "soms")


def test_safety_in_integer_codes_with_a_bad_code_elsewhere():
    # Codes: yes = 1, no = 0; 7 is not an answer to the literacy question.
    frame = djg_frame([ALL_LONELY] * 3).with_columns(
        pl.Series("duration", [4, 4, 4]),
        pl.Series("context_literacy", [7, 7, 1]),
        pl.Series("context_safety", [1, 0, 1]),
    )
    result = bulk.score_frame(frame)
    assert result.frame["safety"].to_list() == [True, False, True]
    assert result.frame["route"].cast(pl.String).to_list() == [
        "crisis_help", "alternative_support", "crisis_help",
    ]  # fmt: skip
    assert [e["row"] for e in result.errors.to_dicts()] == [1, 2]


def test_a_row_with_nothing_scored_gets_no_route_and_a_reason(tmp_path):
    """Neither loneliness nor isolation could be scored: no route is invented (the
    person-level rule offers a conversation); crisis help still shows for a "yes"."""
    lsns = [f"lsns6_{i}" for i in range(1, 7)]
    header = [f"djg11_{i}" for i in range(1, 12)] + lsns + ["duration", "context_safety"]
    empty = [""] * 17
    rows = [
        [*map(str, ALL_LONELY), *["1"] * 6, "4", "nee"],  # scored: lonely and isolated
        [*empty, "4", "nee"],  # nothing scored, no danger: no route
        [*empty, "4", "ja"],  # nothing scored, safety yes: crisis help, nothing beneath
        [*["x"] * 11, *["1"] * 6, "4", "nee"],  # isolation only: the documented rule
        [*["x"] * 11, *[""] * 6, "", ""],  # unreadable and empty
    ]
    path = tmp_path / "leeg.csv"
    path.write_text("\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    result = bulk.score_frame(bulk.read_survey(path).frame)
    f = result.frame
    assert f["route"].cast(pl.String).to_list() == [
        "alternative_support", None, "crisis_help", "alternative_support", None,
    ]  # fmt: skip
    assert f["underlying_route"].to_list() == [None] * 5
    assert f["safety"].to_list() == [False, False, True, False, None]
    assert f["profile"].cast(pl.String).to_list()[1:3] == ["unknown", "unknown"]
    no_route = result.errors.filter(pl.col("column") == "route")
    assert no_route.select("row", "instrument", "problem").rows() == [
        (2, "profile", f"{bulk.NO_ROUTE}: {bulk.NO_ROUTE_WHY}"),
        (3, "profile", f"{bulk.NO_ROUTE} beneath crisis help: {bulk.NO_ROUTE_WHY}"),
        (5, "profile", f"{bulk.NO_ROUTE}: {bulk.NO_ROUTE_WHY}"),
    ]
    assert "DJG-11" in no_route["allowed"][0] and "LSNS-6" in no_route["allowed"][0]
    assert result.no_route_rows == 3
    # The row's own problems come first, then why it has no route.
    assert result.errors.filter(pl.col("row") == 2)["column"].to_list()[-1] == "route"
    # Counts of the other problems do not change.
    assert result.invalid_rows == 2 and result.incomplete_rows == 2


def test_a_file_without_loneliness_or_isolation_questions_says_so_once():
    frame = pl.DataFrame({"duration": [4, 1, None], "context_safety": ["nee", "ja", None]})
    result = bulk.score_frame(frame)
    assert result.frame["route"].cast(pl.String).to_list() == [None, "crisis_help", None]
    assert result.no_route_rows == 3
    assert result.errors.height == 0  # not one line per row: one warning
    (warning,) = [w for w in result.warnings if w.startswith(bulk.NO_ROUTE)]
    assert "no loneliness or social isolation questions" in warning


def test_safety_column_without_any_scored_instrument():
    frame = pl.DataFrame({"context_safety": ["ja", "nee", "", "x"]})
    result = bulk.score_frame(frame)
    assert result.frame["safety"].to_list() == [True, False, None, None]
    assert [e["row"] for e in result.errors.to_dicts()] == [4]
