"""Which file columns are questions: names as researchers' files have them (upper case
from SPSS, a trailing space from a spreadsheet), extra columns, an id column, only some
instruments. Scored rows equal ``scoring.score`` on the same answers."""

from __future__ import annotations

import polars as pl
import pyreadstat
import pytest

from verbind.core import bulk
from verbind.core.instrument import registry
from verbind.core.scoring import score

DJG6 = registry()["djg6"]
UCLA = registry()["ucla3"]
DJG6_ROWS = [[1, 2, 3, 4, 5, 1], [5, 5, 5, 1, 1, 1], [3, 3, 3, 3, 3, 3]]
UCLA_ROWS = [[1, 2, 3], [3, 3, 3], [1, 1, 1]]


def _want(inst, rows):
    cols = [inst.column(i.id) for i in inst.items]
    return [score(inst, dict(zip(cols, r, strict=True))).total.value for r in rows]


def _frame(names, rows):
    return {name: [r[n] for r in rows] for n, name in enumerate(names)}


def test_names_in_another_case_or_with_spaces_are_the_questions(tmp_path):
    djg6 = [f" DJG6_{n} " if n % 2 else f"Djg6_{n}" for n in range(1, 7)]
    ucla = [f"UCLA3_{n}" for n in range(1, 4)]
    data = {"Respondent ID": ["a", "b", "c"], "Regio": ["N", "Z", "N"]}
    data |= _frame(djg6, DJG6_ROWS) | _frame(ucla, UCLA_ROWS)
    path = tmp_path / "mixed.csv"
    pl.DataFrame(data).write_csv(path)
    result = bulk.score_frame(bulk.read_survey(path).frame)
    assert result.errors.height == 0 and not result.warnings, result.warnings
    assert result.frame.get_column("djg6_total").to_list() == _want(DJG6, DJG6_ROWS)
    assert result.frame.get_column("ucla3_total").to_list() == _want(UCLA, UCLA_ROWS)
    # Every input column comes back under its own name, unchanged, in its place.
    assert result.frame.columns[: len(data)] == list(data)
    assert result.frame.get_column("Respondent ID").to_list() == ["a", "b", "c"]


def test_upper_case_spss_variables(tmp_path):
    path = tmp_path / "spss.sav"
    names = [f"DJG6_{n}" for n in range(1, 7)]
    frame = pl.DataFrame(_frame(names, [[float(v) for v in r] for r in DJG6_ROWS]))
    pyreadstat.write_sav(frame, str(path))
    result = bulk.score_frame(bulk.read_survey(path).frame)
    assert result.frame.get_column("djg6_total").to_list() == _want(DJG6, DJG6_ROWS)


def test_two_columns_for_one_question_are_refused_naming_both():
    frame = pl.DataFrame({"djg6_1": [1], "DJG6_1 ": [5]})
    with pytest.raises(bulk.BulkInputError) as exc:
        bulk.score_frame(frame)
    assert "columns 'djg6_1' and 'DJG6_1 ' are both 'djg6_1'" in str(exc.value)


def test_columns_that_are_no_questions_may_share_a_name_up_to_case():
    frame = pl.DataFrame({"Opmerking": ["x"], "opmerking": ["y"], "ucla3_1": [1]})
    frame = frame.with_columns(ucla3_2=pl.lit(1), ucla3_3=pl.lit(1))
    result = bulk.score_frame(frame)
    assert result.frame.select("Opmerking", "opmerking", "ucla3_total").row(0) == ("x", "y", 3)


def test_mapping_source_names_match_ignoring_case_and_spaces():
    frame = pl.DataFrame({"V1 ": [1], "v2": [2], "V3": [3]})
    mapping = bulk.parse_mapping({"columns": {"v1": "ucla3_1", "V2": "ucla3_2", "V3": "ucla3_3"}})
    result = bulk.score_frame(frame, mapping)
    assert not result.warnings
    assert result.frame.get_column("ucla3_total").to_list() == [6]
    assert result.frame.columns[:3] == ["V1 ", "v2", "V3"]


def test_a_file_with_one_instrument_of_many_gets_only_its_results():
    frame = pl.DataFrame({"id": [7], "leeftijd": [70]} | _frame(
        [UCLA.column(i.id) for i in UCLA.items], [UCLA_ROWS[1]]
    ))  # fmt: skip
    result = bulk.score_frame(frame)
    assert [ic.instrument.id for ic in result.instruments] == ["ucla3"]
    assert not any(c.startswith(("djg", "lsns")) for c in result.frame.columns)
    assert result.frame.get_column("ucla3_total").to_list() == [9]
