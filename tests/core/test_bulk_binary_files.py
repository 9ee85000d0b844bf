"""Parquet with categorical / dictionary columns and SPSS files with value labels and
user-missing codes, written in tmp_path and compared with ``scoring.score``."""

from __future__ import annotations

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat

from verbind.core import bulk
from verbind.core.instrument import registry
from verbind.core.scoring import score

DJG6 = registry()["djg6"]
COLS = [DJG6.column(i.id) for i in DJG6.items]
LABELS = [
    ["ja", "nee", "min of meer", "nee!", "ja!", "nee"],
    ["nee", "nee", "nee", "ja", "ja", "ja"],
    [None, "ja", "ja", "nee", "nee", "nee"],
]


def _want(rows):
    return [score(DJG6, dict(zip(COLS, r, strict=True)), strict=False).total.value for r in rows]


def test_parquet_categorical_enum_and_arrow_dictionary_columns(tmp_path):
    data = {c: [r[n] for r in LABELS] for n, c in enumerate(COLS)}
    cat = tmp_path / "cat.parquet"
    pl.DataFrame(data).with_columns(pl.all().cast(pl.Categorical)).write_parquet(cat)
    dictionary = tmp_path / "dict.parquet"
    pq.write_table(
        pa.table({c: pa.array(v).dictionary_encode() for c, v in data.items()}), dictionary
    )
    for path in (cat, dictionary):
        result = bulk.score_frame(bulk.read_survey(path).frame)
        assert result.errors.height == 0, (path, result.errors)
        assert result.frame.get_column("djg6_total").to_list() == _want(LABELS) == [4, 0, 5]


def test_spss_value_labels_and_user_missing_codes(tmp_path):
    # Codes 1-5 with labels; 9 = "weet niet", declared user-missing in the file.
    codes = [[2.0, 4.0, 3.0, 5.0, 1.0, 4.0], [4.0, 4.0, 4.0, 2.0, 2.0, 2.0], [9.0] * 6,
             [9.0, 2.0, 2.0, 4.0, 4.0, 4.0]]  # fmt: skip
    frame = pl.DataFrame({c: [r[n] for r in codes] for n, c in enumerate(COLS)})
    labels = {1: "ja!", 2: "ja", 3: "min of meer", 4: "nee", 5: "nee!", 9: "weet niet"}
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        variable_value_labels=dict.fromkeys(COLS, labels),
        missing_ranges={c: [9] for c in COLS},
    )
    result = bulk.score_frame(bulk.read_survey(path).frame)
    meant = [[None if v == 9 else v for v in r] for r in codes]
    want = _want(meant)
    assert want == [4, 0, None, 5]
    assert result.frame.get_column("djg6_total").to_list() == want
    problem, no_route = result.errors.get_column("problem").to_list()
    assert problem.startswith(bulk.TOO_MANY_MISSING)
    assert no_route.startswith(bulk.NO_ROUTE)
