"""3-point De Jong Gierveld files: their numeric codes mean nothing until the file says
which way round they run, and a file whose answers look coded the wrong way is flagged.

The scale's manual (SPSS syntax) codes 1 = nee, 2 = min of meer, 3 = ja; other files code
1 = ja ... 3 = nee. Read the wrong way, a respondent who is not lonely scores 11.
"""

from __future__ import annotations

import polars as pl
import pyreadstat
import pytest
import yaml

from verbind.core import bulk, demo_data
from verbind.core.instrument import DefinitionError, parse_instrument, registry
from verbind.core.scoring import score

POSITIVE = {"1", "4", "7", "8", "11"}  # DJG-11 items worded positively
DECLARED = sorted(
    (inst.id, form.id)
    for inst in registry().values()
    for form in inst.forms.values()
    if form.declare_file_codes
)


def manual_codes(inst_id: str, lonely: bool) -> dict[str, int]:
    """One respondent as the manual codes them: 1 = nee, 2 = min of meer, 3 = ja."""
    inst = registry()[inst_id]
    out = {}
    for item in inst.items:
        positive = item.key["yes"] == 0  # agreeing with a positive statement: not lonely
        agrees = positive != lonely
        out[inst.column(item.id)] = 3 if agrees else 1
    return out


def frame_of(rows: list[dict[str, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows)


def test_the_3_point_forms_are_the_ones_that_need_a_declared_coding():
    assert DECLARED == [("djg11", "three_point"), ("djg6", "three_point")]


@pytest.mark.parametrize(("inst_id", "form"), DECLARED)
def test_numeric_codes_without_a_declared_coding_are_refused(inst_id, form):
    frame = frame_of([manual_codes(inst_id, lonely=False)])
    with pytest.raises(bulk.BulkInputError) as caught:
        bulk.score_frame(frame, bulk.ColumnMapping(forms={inst_id: form}))
    message = str(caught.value)
    # Names the instrument and the form, gives both known codings and what to write.
    assert f"({inst_id}), answer form {form}" in message
    assert "manual = 1 nee, 2 min of meer, 3 ja" in message
    assert "yes_first = 1 ja, 2 min of meer, 3 nee" in message
    assert f"codings:\n    {inst_id}: manual" in message
    assert "mapping file" in message


@pytest.mark.parametrize(("inst_id", "form"), DECLARED)
def test_the_manual_coding_scores_a_not_lonely_respondent_as_not_lonely(inst_id, form):
    rows = [manual_codes(inst_id, lonely=False), manual_codes(inst_id, lonely=True)]
    mapping = bulk.parse_mapping({"forms": {inst_id: form}, "codings": {inst_id: "manual"}})
    out = bulk.score_frame(frame_of(rows), mapping).frame
    inst = registry()[inst_id]
    assert out[f"{inst_id}_total"].to_list() == [0, inst.primary_scale.max]
    assert out[f"{inst_id}_level"][0] == "not_lonely"


def test_a_coding_can_be_written_out_code_by_code_with_plain_yes_and_no():
    # YAML reads unquoted yes / no as true / false: they still mean the options.
    mapping = bulk.parse_mapping(
        yaml.safe_load(
            "forms: {djg11: three_point}\ncodings: {djg11: {1: no, 2: more_or_less, 3: yes}}"
        )
    )
    out = bulk.score_frame(frame_of([manual_codes("djg11", lonely=False)]), mapping).frame
    assert out["djg11_total"].to_list() == [0]


def test_labels_need_no_declaration():
    answers = {"djg11_" + str(n): ("ja" if str(n) in POSITIVE else "nee") for n in range(1, 12)}
    result = bulk.score_frame(
        pl.DataFrame([answers]), bulk.ColumnMapping(forms={"djg11": "three_point"})
    )
    assert result.frame["djg11_total"].to_list() == [0]


def test_spss_value_labels_are_a_declared_coding(tmp_path):
    frame = frame_of([manual_codes("djg11", lonely=False)]).cast(pl.Float64)
    labels = {1.0: "nee", 2.0: "min of meer", 3.0: "ja"}
    path = tmp_path / "manual.sav"
    pyreadstat.write_sav(
        frame, str(path), variable_value_labels=dict.fromkeys(frame.columns, labels)
    )
    survey = bulk.read_survey(path)
    result = bulk.score_frame(
        survey.frame,
        bulk.ColumnMapping(forms={"djg11": "three_point"}),
        value_labels=survey.value_labels,
    )
    assert result.frame["djg11_total"].to_list() == [0]


def test_a_column_coding_adds_to_the_instruments_and_other_codes_are_reported():
    row = manual_codes("djg11", lonely=False) | {"djg11_3": 9}
    other = manual_codes("djg11", lonely=False) | {"djg11_5": 4}  # 4 is in no declared coding
    mapping = bulk.parse_mapping(
        {"forms": {"djg11": "three_point"}, "codings": {"djg11": "manual", "djg11_3": {9: None}}}
    )
    result = bulk.score_frame(frame_of([row, other]), mapping)
    assert result.frame["djg11_total"].to_list() == [0, None]  # 9 = not answered; 4 unknown
    bad = result.errors.filter(pl.col("problem") == bulk.INVALID_ANSWER)
    assert bad.select("row", "column", "value").rows() == [(2, "djg11_5", "4")]
    # What is allowed is what the file declared, not the definition's own codes.
    assert bad["allowed"][0] == (
        "1=no/nee; 2=more or less/min of meer; 3=yes/ja (the file's declared coding)"
    )


def test_an_unknown_coding_name_is_refused():
    with pytest.raises(
        bulk.BulkInputError, match=r"djg11 has no coding named 'ggd'.*manual, yes_first"
    ):
        bulk.parse_mapping({"codings": {"djg11": "ggd"}})


def test_the_five_point_form_keeps_its_codes():
    codes = {f"djg11_{n}": (1 if str(n) in POSITIVE else 5) for n in range(1, 12)}  # ja! / nee!
    assert bulk.score_frame(frame_of([codes])).frame["djg11_total"].to_list() == [0]


def test_single_scoring_reads_the_definitions_codes_when_a_form_is_given():
    # One person's answers given to score() in code form use the definition's codes; a
    # survey file has to say which way round it runs (above).
    answers = {n: (1 if n in POSITIVE else 3) for n in map(str, range(1, 12))}
    assert score("djg11", answers, form="three_point").total.value == 0


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"file_codes": "maybe"}, "expected 'standard'"),
        ({"file_codes": "declare"}, "needs at least one named coding"),
        ({"file_codes": "declare", "codings": {"x": {1: "maybe"}}}, "unknown option 'maybe'"),
        ({"codings": {"x": {1: "yes"}}}, "every option exactly one code"),
    ],
)
def test_the_loader_checks_file_codes_and_named_codings(spec, words):
    data = {
        "id": "t", "version": "1", "short_title": "T", "measures": "loneliness",
        "title": {"nl": "t", "en": "t"}, "citation": "c",
        "forms": {"f": {"options": [
            {"key": "yes", "code": 1, "label": {"nl": "ja", "en": "yes"}},
            {"key": "no", "code": 2, "label": {"nl": "nee", "en": "no"}},
        ], **spec}},
        "items": [{"id": "1", "text": {"nl": "a", "en": "a"}, "key": {"yes": 1, "no": 0}}],
    }  # fmt: skip
    with pytest.raises(DefinitionError, match=words):
        parse_instrument(data)


# --- answers that look coded the other way round ---------------------------------------------


def _demo(form: str, n: int = 600, seed: int = 5) -> pl.DataFrame:
    """Realistic synthetic DJG-11 answers in the definition's codes (1 = ja)."""
    return demo_data.generate(n, seed=seed, instruments=["djg11"], forms={"djg11": form})


def _flip(frame: pl.DataFrame, top: int, items=None) -> pl.DataFrame:
    cols = [c for c in frame.columns if c.startswith("djg11_")]
    return frame.with_columns(
        (top - pl.col(c)).alias(c) for c in cols if items is None or c[6:] in items
    )


def _score(frame: pl.DataFrame, form: str, coding: str | None = "yes_first"):
    mapping = {"forms": {"djg11": form}}
    if coding:
        mapping["codings"] = {"djg11": coding}
    return bulk.score_frame(frame, bulk.parse_mapping(mapping))


def _findings(result) -> pl.DataFrame:
    return result.errors.filter(pl.col("problem").str.starts_with(bulk.ANSWERS_LOOK_REVERSED))


def test_one_synthetic_file_coded_both_ways():
    """The same respondents, written with the manual's codes and with the reverse: read
    with the coding that fits, no finding; read with the other, a finding."""
    yes_first = _demo("three_point")
    manual = _flip(yes_first, 4)
    for frame, coding in ((yes_first, "yes_first"), (manual, "manual")):
        result = _score(frame, "three_point", coding)
        assert result.warnings == [] and _findings(result).height == 0
    wrong = _score(manual, "three_point", "yes_first")
    found = _findings(wrong)
    assert found.height == 1 and found["row"].to_list() == [None]
    problem = found["problem"][0]
    assert "score 11, every answer at the worst end" in problem
    assert problem in wrong.warnings
    assert "codings: djg11: one of manual, yes_first" in found["allowed"][0]
    # It is a warning: the file is still scored as read.
    assert wrong.frame["djg11_total"].null_count() == 0


def test_a_five_point_file_coded_the_other_way_round():
    reversed_ = _flip(_demo("five_point"), 6)
    assert (
        "every answer at the worst end"
        in _findings(_score(reversed_, "five_point", None))["problem"][0]
    )
    assert _findings(_score(_demo("five_point"), "five_point", None)).height == 0


def test_items_of_one_wording_recoded_before():
    recoded = _flip(_demo("three_point"), 4, items=POSITIVE)
    problem = _findings(_score(recoded, "three_point"))["problem"][0]
    assert "point in opposite directions" in problem


def test_a_genuinely_mixed_file_is_not_flagged():
    """A third not lonely, a third lonely only in the negatively worded (emotional)
    items, a third lonely in all: real differences, not a coding."""
    inst = registry()["djg11"]
    rows = []
    for n in range(90):
        kind = n % 3
        row = {}
        for item in inst.items:
            positive = item.id in POSITIVE
            lonely = kind == 2 or (kind == 1 and not positive)
            row[inst.column(item.id)] = "nee" if lonely == positive else "ja"
        rows.append(row)
    result = bulk.score_frame(pl.DataFrame(rows))
    assert result.frame["djg11_total"].unique().sort().to_list() == [0, 6, 11]
    assert _findings(result).height == 0 and result.warnings == []


def test_too_few_rows_say_nothing():
    reversed_ = _flip(_demo("three_point", n=19), 4)
    assert _findings(_score(reversed_, "three_point", "yes_first")).height == 0


def test_rosenberg_items_recoded_before_are_flagged():
    """Any scale with items worded both ways is checked: Rosenberg's reversed items."""
    inst = registry()["rses"]
    rows = []
    for n in range(40):
        high = n % 4 != 0  # most people: fairly high self-esteem
        row = {}
        for item in inst.items:
            positive = item.key["strongly_agree"] == 3
            agree = high == positive
            row[inst.column(item.id)] = 2 if agree else 3  # agree / disagree
        rows.append(row)
    assert _findings(bulk.score_frame(pl.DataFrame(rows))).height == 0
    recoded = [
        {c: (5 - v if inst.item(c[5:]).key["strongly_agree"] == 0 else v) for c, v in r.items()}
        for r in rows
    ]
    assert "opposite directions" in _findings(bulk.score_frame(pl.DataFrame(recoded)))["problem"][0]


def test_a_named_coding_says_its_form_too():
    mapping = bulk.parse_mapping({"codings": {"djg11": "manual"}})
    assert mapping.forms == {"djg11": "three_point"}
    out = bulk.score_frame(frame_of([manual_codes("djg11", lonely=False)]), mapping).frame
    assert out["djg11_total"].to_list() == [0]
    with pytest.raises(bulk.BulkInputError, match="a coding of the three_point form, but"):
        bulk.parse_mapping({"forms": {"djg11": "five_point"}, "codings": {"djg11": "manual"}})


def test_a_3_point_file_read_as_5_point_is_flagged():
    """No forms: declared, and nothing but codes 1-3 in every column: on the 5-point form
    nobody would have answered nee or nee!, so the file is almost surely 3-point."""
    frame = _demo("three_point", n=40)
    result = bulk.score_frame(frame)
    found = result.errors.filter(pl.col("problem").str.starts_with(bulk.CODES_LOOK_SHORTER))
    assert found.height == 1 and found["row"].to_list() == [None]
    assert "every code lies between 1 and 3" in found["problem"][0]
    assert (
        "forms: {djg11: three_point}, codings: {djg11: one of manual, yes_first}"
        in (found["problem"][0])
    )
    assert found["problem"][0] in result.warnings
    # A real 5-point file, and a declared 3-point one, are not.
    for frame, mapping in (
        (_demo("five_point", n=40), {}),
        (_demo("three_point", n=40), {"codings": {"djg11": "yes_first"}}),
    ):
        result = bulk.score_frame(frame, bulk.parse_mapping(mapping))
        assert not result.errors["problem"].str.starts_with(bulk.CODES_LOOK_SHORTER).any()
