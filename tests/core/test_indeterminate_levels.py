"""A missing answer that could move a total across a band or the cut-off leaves the level
"indeterminate" (onbepaald) and the cut-off unknown, in single and in bulk scoring, and
the profile counts it neither as lonely nor as not lonely.

The oracle is independent of the implementation: a level is open exactly when the
possible answers to the missing item, each scored as a complete answer set, disagree.
"""

from __future__ import annotations

import datetime as dt
import itertools

import polars as pl
import pytest

from verbind.core import bulk, profile
from verbind.core.instrument import INDETERMINATE, registry
from verbind.core.scoring import score

TODAY = dt.date(2026, 1, 1)
# DJG-11: items 1, 4, 7, 8, 11 are positively worded ("no" = lonely), the others negative.
POSITIVE = {"1", "4", "7", "8", "11"}


def djg11(points: dict[str, int]) -> dict[str, str]:
    """Answers giving each listed item these points (1 = lonely); unlisted = missing."""
    return {
        i: ("no" if p else "yes") if i in POSITIVE else ("yes" if p else "no")
        for i, p in points.items()
    }


def ten_of_eleven(total: int, missing: str = "11") -> dict[str, str]:
    items = [str(n) for n in range(1, 12) if str(n) != missing]
    return djg11({i: int(n < total) for n, i in enumerate(items)})


def test_two_of_ten_answers_with_one_missing_is_not_reported_as_not_lonely():
    r = score("djg11", ten_of_eleven(2))
    total = r.total
    assert (total.value, total.missing) == (2, ("11",))
    # 2 (not lonely) or 3 (moderately lonely, the cut-off): it cannot be told.
    assert total.level == INDETERMINATE
    assert total.level_label.nl == "onbepaald" and total.level_label.en == "indeterminate"
    assert total.meets_cutoff is None


@pytest.mark.parametrize(
    ("total", "level", "meets"),
    [
        (0, "not_lonely", False),  # 0 or 1
        (1, "not_lonely", False),  # 1 or 2
        (2, INDETERMINATE, None),  # 2 or 3: across the cut-off
        (3, "moderately_lonely", True),  # 3 or 4
        (8, INDETERMINATE, True),  # 8 or 9: moderately or severely, lonely either way
        (9, "severely_lonely", True),
        (10, INDETERMINATE, True),  # 10 or 11: severely or very severely
    ],
)
def test_djg11_with_one_answer_missing(total, level, meets):
    t = score("djg11", ten_of_eleven(total)).total
    assert (t.value, t.level, t.meets_cutoff) == (total, level, meets)


def test_a_moved_cut_off_moves_what_is_open():
    t = score("djg11", ten_of_eleven(3), settings={"djg11_lonely_cutoff": 4}).total
    assert (t.level, t.meets_cutoff) == ("moderately_lonely", None)  # 3 or 4 against >= 4
    t = score("djg11", ten_of_eleven(2), settings={"djg11_lonely_cutoff": 4}).total
    assert (t.level, t.meets_cutoff) == (INDETERMINATE, False)  # 2 or 3: below 4 both ways


def _open_scales():
    for inst in registry().values():
        for scale in inst.scales.values():
            if scale.max_missing:
                yield inst, scale


def test_some_scales_allow_missing_answers():
    assert {(i.id, s.id) for i, s in _open_scales()} == {("djg11", "total"), ("djg6", "total")}


@pytest.mark.parametrize(("inst", "scale"), list(_open_scales()), ids=lambda v: v.id)
def test_open_exactly_when_the_completions_disagree(inst, scale):
    """Every scale that allows a missing answer, every item missing, every pattern of the
    other answers (each item's options that give different points)."""
    choices = {}
    for item_id in scale.items:
        item = inst.item(item_id)
        by_points = {}
        for key in item.key:
            by_points.setdefault(item.key[key], key)
        choices[item_id] = list(by_points.values())
    for missing in scale.items:
        others = [i for i in scale.items if i != missing]
        for combo in itertools.product(*(choices[i] for i in others)):
            answers = dict(zip(others, combo, strict=True))
            got = score(inst, answers).scales[scale.id]
            full = [
                score(inst, {**answers, missing: key}).scales[scale.id] for key in choices[missing]
            ]
            levels = {f.level for f in full}
            meets = {f.meets_cutoff for f in full}
            assert got.level == (levels.pop() if len(levels) == 1 else INDETERMINATE)
            assert got.meets_cutoff == (meets.pop() if len(meets) == 1 else None)


# --- bulk: the same, and reported --------------------------------------------------------------


def _frame(rows: list[dict[str, str]]) -> pl.DataFrame:
    columns = [f"djg11_{n}" for n in range(1, 12)]
    return pl.DataFrame(
        {c: [r.get(c.removeprefix("djg11_")) for r in rows] for c in columns},
        schema=dict.fromkeys(columns, pl.String),
    )


def test_bulk_gives_the_same_open_level_and_reports_it():
    rows = [ten_of_eleven(2), ten_of_eleven(1), ten_of_eleven(8), djg11(dict.fromkeys(POSITIVE, 0))]
    result = bulk.score_frame(_frame(rows))
    out = result.frame
    assert out["djg11_total"].to_list() == [2, 1, 8, None]
    assert out["djg11_level"].to_list() == [INDETERMINATE, "not_lonely", INDETERMINATE, None]
    assert out["djg11_total_cutoff"].to_list() == [None, False, True, None]
    for n, row in enumerate(rows[:3]):
        single = score("djg11", row).total
        assert (out["djg11_level"][n], out["djg11_total_cutoff"][n]) == (
            single.level,
            single.meets_cutoff,
        )
    # Row 4 has only 5 answers: too many missing, a problem; rows 1 and 3 are open, which
    # is reported apart from the problems.
    open_ = result.errors.filter(pl.col("problem").str.starts_with(bulk.INDETERMINATE_LEVEL))
    assert open_["row"].to_list() == [1, 3]
    assert open_["column"].to_list() == ["djg11_11", "djg11_11"]
    assert open_["problem"][0].startswith("indeterminate: 1 of 11 unanswered")
    assert result.indeterminate_rows == 2
    assert result.incomplete_rows == 1
    # Loneliness is open and nothing else was asked: no route (as for no data), with the
    # reason after the open level.
    assert out["profile"][0] == "unknown" and out["route"][0] is None


def test_bulk_profile_counts_an_open_level_on_neither_side():
    rows = [ten_of_eleven(2), ten_of_eleven(8)]
    result = bulk.score_frame(_frame(rows))
    for n, row in enumerate(rows):
        want = profile.build_profile({"djg11": score("djg11", row)}, today=TODAY)
        assert result.frame["profile"][n] == want.quadrant


# --- the profile and what the person reads ------------------------------------------------


def test_profile_treats_an_open_verdict_as_unknown_and_says_why():
    p = profile.build_profile({"djg11": score("djg11", ten_of_eleven(2))}, today=TODAY)
    assert p.inputs.lonely is None  # neither lonely nor not lonely
    assert p.loneliness is not None and p.loneliness.level == INDETERMINATE
    assert p.loneliness.flagged is None
    nl = profile.explain(p, "nl")
    feeling = next(s for s in nl.sections if s.id == "feeling").paragraphs
    assert "één vraag over uw gevoel niet beantwoord" in feeling[0]
    assert "niet zeker" in feeling[0]
    assert "niet eenzaam" not in " ".join(feeling)
    en = next(s for s in profile.explain(p, "en").sections if s.id == "feeling").paragraphs
    assert "did not answer one question" in en[0] and "not know for sure" in en[0]
    # The instrument's code is never in a participant text.
    assert "DJG" not in " ".join(feeling + en)


def test_a_complete_short_scale_decides_when_the_long_one_is_open():
    long = score("djg11", ten_of_eleven(2, missing="4"))
    short = score("djg6", {"1": "no", "2": "no", "3": "no", "4": "yes", "5": "yes", "6": "yes"})
    p = profile.build_profile({"djg11": long, "djg6": short}, today=TODAY)
    assert p.inputs.lonely is False and p.loneliness.instrument == "djg6"


def test_lonely_either_way_but_how_strongly_is_open():
    p = profile.build_profile({"djg11": score("djg11", ten_of_eleven(8))}, today=TODAY)
    assert p.inputs.lonely is True and p.inputs.severity is None
    feeling = next(s for s in profile.explain(p, "nl").sections if s.id == "feeling").paragraphs
    assert any("hoe sterk dit gevoel is" in f for f in feeling)
    assert not any("Dat is zwaar" in f for f in feeling)


def test_a_complete_answer_set_reads_as_before():
    t = score("djg11", djg11({str(n): int(n <= 2) for n in range(1, 12)})).total
    assert (t.value, t.level, t.meets_cutoff) == (2, "not_lonely", False)


def test_an_open_cut_off_inside_one_band_is_also_said_plainly():
    # A cut-off moved to 3: 2 or 3 are both "moderately lonely" on the DJG-6 bands, but one
    # side is lonely and the other not.
    answers = {"2": "yes", "3": "yes", "4": "yes", "5": "yes", "6": "yes"}  # total 2 + item 1
    settings = {"djg6_lonely_cutoff": 3}
    r = score("djg6", answers, settings=settings)
    assert (r.total.value, r.total.level, r.total.meets_cutoff) == (2, "moderately_lonely", None)
    p = profile.build_profile({"djg6": r}, settings=settings, today=TODAY)
    assert p.inputs.lonely is None and p.loneliness.instrument == "djg6"
    feeling = next(s for s in profile.explain(p, "en").sections if s.id == "feeling").paragraphs
    assert "did not answer one question" in feeling[0]


def _definition(scale: dict) -> dict:
    return {
        "id": "t", "version": "1", "short_title": "T", "measures": "loneliness",
        "title": {"nl": "t", "en": "t"}, "citation": "c",
        "forms": {"f": {"options": [
            {"key": "a", "code": 1, "label": {"nl": "a", "en": "a"}},
            {"key": "b", "code": 2, "label": {"nl": "b", "en": "b"}},
        ]}},
        "items": [
            {"id": str(n), "text": {"nl": f"v{n}", "en": f"q{n}"}, "key": {"a": 1, "b": 2}}
            for n in (1, 2, 3)
        ],
        "scales": {"total": {"label": {"nl": "t", "en": "t"}, "items": "all", **scale}},
    }  # fmt: skip


def test_the_loader_keeps_missing_answers_and_open_levels_consistent():
    from verbind.core.instrument import DefinitionError, parse_instrument

    # Items scoring 1-2: a partial sum of two answers (2-4) could fall below the range 3-6.
    with pytest.raises(DefinitionError, match="lowest points are 0"):
        parse_instrument(_definition({"range": [3, 6], "max_missing": 1}))
    parse_instrument(_definition({"range": [3, 6], "max_missing": 0}))
    band = {"min": 3, "max": 6, "level": INDETERMINATE, "label": {"nl": "x", "en": "x"}}
    with pytest.raises(DefinitionError, match="reserved"):
        parse_instrument(_definition({"range": [3, 6], "bands": [band]}))
