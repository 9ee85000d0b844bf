"""Bulk scoring gives, row by row, exactly what scoring one person gives.

For every scored instrument, hypothesis draws whole survey columns (answer keys, Dutch and
English labels in odd case and spacing, numeric codes as numbers, text or SPSS-style
floats, missing values, and answers that mean nothing), an answer form and cut-off
overrides. Each row is then scored twice: by ``bulk.score_frame`` on the whole frame and
by ``scoring.score`` on that row alone. Totals, subscales, levels and cut-offs must agree,
and a row that ``score`` refuses must have no result and be in the error report.
"""

from __future__ import annotations

import dataclasses
import math

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verbind.core import bulk
from verbind.core.instrument import INDETERMINATE, Instrument, Item, registry
from verbind.core.rule_settings import setting_specs
from verbind.core.scoring import ScoringError, score

SCORED = sorted(i.id for i in registry().values() if i.scored)
NONSENSE_TEXT = ["x", "weet niet", "??", "ja ja", "-", "1.5", "yes!!"]
NONSENSE_CODES = [-1, 7, 9, 99]


def _options(inst: Instrument, item: Item):
    return [o for f in item.forms for o in inst.forms[f].options]


def _spaced(text: str, upper: bool, pad: bool) -> str:
    if upper:
        text = text.upper()
    if pad:
        text = "  " + text.replace(" ", "   ") + " "
    return text


def _mix(valid, bad, missing, noise: int):
    # Mostly valid answers, so that whole rows score often; ``noise`` adds bad and missing.
    return st.one_of([valid] * 8 + [bad] * noise + [missing] * noise)


def _text_answer(inst: Instrument, item: Item, noise: int):
    opts = _options(inst, item)
    labels = [t for o in opts for t in (o.label.nl, o.label.en, *o.aliases)]
    codes = sorted({o.code for o in opts})
    valid = st.one_of(
        st.sampled_from([o.key for o in opts]),
        st.builds(_spaced, st.sampled_from(labels), st.booleans(), st.booleans()),
        st.sampled_from(codes).map(str),
        st.sampled_from(codes).map(lambda c: f" {c}.0"),
    )
    bad = st.sampled_from([*NONSENSE_TEXT, *map(str, NONSENSE_CODES)])
    return _mix(valid, bad, st.sampled_from([None, "", "   "]), noise)


def _int_answer(inst: Instrument, item: Item, noise: int):
    codes = sorted({o.code for o in _options(inst, item)})
    return _mix(st.sampled_from(codes), st.sampled_from(NONSENSE_CODES), st.none(), noise)


def _float_answer(inst: Instrument, item: Item, noise: int):
    return _int_answer(inst, item, noise).map(lambda v: math.nan if v is None else float(v))


@st.composite
def survey(draw, inst: Instrument):
    kind = draw(st.sampled_from(["text", "int", "float"]))
    make = {"text": _text_answer, "int": _int_answer, "float": _float_answer}[kind]
    n = draw(st.integers(min_value=1, max_value=25))
    noise = draw(st.sampled_from([0, 1, 4]))
    # Sometimes a column is absent from the file: it counts as not answered.
    items = [i for i in inst.items if draw(st.integers(0, 19)) > 0] or [inst.items[0]]
    columns = {
        inst.column(i.id): draw(st.lists(make(inst, i, noise), min_size=n, max_size=n))
        for i in items
    }
    dtype = {"text": pl.String, "int": pl.Int64, "float": pl.Float64}[kind]
    frame = pl.DataFrame({c: pl.Series(c, v, dtype=dtype) for c, v in columns.items()})
    form = draw(st.sampled_from([None, *inst.forms]))
    specs = setting_specs()
    overrides = {}
    for scale in inst.scales.values():
        if scale.cutoff is not None and draw(st.booleans()):
            spec = specs[scale.cutoff.setting]
            overrides[spec.name] = draw(st.integers(spec.minimum, spec.maximum))
    return frame, form, overrides


def _reference(inst: Instrument, row: dict, form, resolved_settings):
    try:
        return score(inst, row, form=form, settings=resolved_settings, strict=False)
    except ScoringError:
        return None


@pytest.mark.parametrize("instrument_id", SCORED)
def test_bulk_equals_score_row_by_row(instrument_id):
    inst = registry()[instrument_id]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(survey(inst))
    def check(case):
        frame, form, overrides = case
        mapping = bulk.ColumnMapping(forms={inst.id: form} if form else {}, settings=overrides)
        if form and inst.forms[form].declare_file_codes:
            # Files code such a form both ways round: the file declares the coding that
            # one person's codes are read with (the definition's codes).
            table = {o.code: o.key for o in inst.forms[form].options}
            mapping = dataclasses.replace(mapping, codings={inst.id: bulk.Coding(by_code=table)})
        result = bulk.score_frame(frame, mapping)
        out = result.frame
        errors = result.errors
        is_open = pl.col("problem").str.starts_with(bulk.INDETERMINATE_LEVEL)
        no_route = pl.col("problem").str.starts_with(bulk.NO_ROUTE)
        error_rows = set(errors.filter(~is_open & ~no_route).get_column("row").to_list())
        open_rows = set(errors.filter(is_open).get_column("row").to_list())
        # No route only where the loneliness or isolation scale was refused or left open.
        no_route_rows = set(errors.filter(no_route).get_column("row").to_list())
        assert no_route_rows <= error_rows | open_rows
        for n, row in enumerate(frame.iter_rows(named=True)):
            expected = _reference(inst, row, form, result.settings)
            for scale in inst.scales.values():
                got = out[n, bulk.scale_column(inst, scale.id)]
                if expected is None:
                    assert got is None, (row, scale.id)
                    continue
                want = expected.scales[scale.id]
                assert got == want.value, (row, scale.id, got, want)
                if scale.cutoff is not None:
                    assert out[n, bulk.cutoff_column(inst, scale.id)] == want.meets_cutoff
            level_col = bulk.level_column(inst)
            if level_col in out.columns:
                want_level = None if expected is None else expected.total.level
                assert out[n, level_col] == want_level, row
            primary = inst.primary_scale
            refused = expected is None or expected.scales[primary.id].value is None
            # Every refusal is reported, and nothing that scored is reported as a problem.
            assert (n + bulk.ROW_BASE in error_rows) == refused, (row, expected)
            # A score that a missing answer leaves open is reported as such.
            total = None if refused else expected.scales[primary.id]
            left_open = total is not None and (
                total.level == INDETERMINATE
                or (primary.cutoff is not None and total.meets_cutoff is None)
            )
            assert (n + bulk.ROW_BASE in open_rows) == left_open, (row, expected)

    check()


@pytest.mark.parametrize(
    "overrides",
    [{}, {"isolation_combine": "both", "djg11_lonely_cutoff": 4, "chronic_from_months": 12}],
)
def test_bulk_profile_equals_build_profile_row_by_row(overrides):
    """The profile columns come from the same rules as one person's profile; the route
    as research output gives it (no route where nothing was measured, and then a reason
    in the error report)."""
    import datetime as dt

    from verbind.core import demo_data, profile

    frame = demo_data.generate(
        1500, seed=11, missing_rate=0.05, invalid_rate=0.01,
        instruments=["djg11", "djg6", "lsns6", "steptoe", "duration", "context"],
    )  # fmt: skip
    result = bulk.score_frame(frame, bulk.ColumnMapping(settings=overrides))
    out = result.frame
    no_route_rows = set(
        result.errors.filter(pl.col("problem").str.starts_with(bulk.NO_ROUTE))["row"]
    )
    assert result.no_route_rows == len(no_route_rows) > 0
    instruments = [
        registry()[i] for i in ("djg11", "djg6", "lsns6", "steptoe", "duration", "context")
    ]
    for n, row in enumerate(frame.iter_rows(named=True)):
        results = {}
        for inst in instruments:
            answers = {inst.column(i.id): row[inst.column(i.id)] for i in inst.items}
            expected = _reference(inst, answers, None, result.settings)
            if expected is None and any(i.flags for i in inst.items):
                # Safety first: an answer that can raise a flag counts on its own, even
                # when another answer of the instrument cannot be read (bulk scoring).
                flagged = {i.id: answers[inst.column(i.id)] for i in inst.items if i.flags}
                expected = _reference(inst, flagged, None, result.settings)
            if expected is not None:
                results[inst.id] = expected
        want = profile.build_profile(results, settings=overrides, today=dt.date(2026, 1, 1))
        got = out.row(n, named=True)
        assert got["profile"] == want.classification.quadrant, (n, row)
        assert got["duration_band"] == want.classification.duration_band, (n, row)
        route, underlying = profile.research_route(want.inputs, want.classification)
        assert got["route"] == route, (n, row)
        assert got["underlying_route"] == underlying, (n, row)
        nothing = profile.nothing_measured(want.inputs)
        assert (n + bulk.ROW_BASE in no_route_rows) == nothing, (n, row)
        if not nothing:
            assert (route, underlying) == (
                want.classification.route,
                want.classification.underlying_route,
            ), (n, row)
        assert got["isolated"] == want.inputs.isolated, (n, row)
        safety = want.inputs.safety
        assert got["safety"] == (None if safety is None else safety == "yes"), (n, row)
