"""The integer arithmetic that replaces lookups in bulk scoring equals the lookup table.

``bulk._lookup`` turns a table (code -> points or option position) into a formula: an
affine one, a sum of step terms, or a when/then chain. Hypothesis draws tables, code
ranges (including codes without an entry, which callers mask), column types and values;
wherever the table has an entry, the formula must give exactly that entry, and null must
stay null.
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verbind.core import bulk

TYPES = {
    pl.Int8: (-128, 127),
    pl.Int16: (-(2**15), 2**15 - 1),
    pl.Int64: (-(2**40), 2**40),
    pl.UInt8: (0, 255),
}


@st.composite
def case(draw):
    dtype = draw(st.sampled_from(list(TYPES)))
    low, high = TYPES[dtype]
    lo = draw(st.integers(max(low, -50), min(high, 60)))
    width = draw(st.integers(1, 12))
    hi = min(lo + width - 1, high)
    values = st.one_of(
        st.integers(-3, 3),  # points and positions are small ...
        st.integers(-(10**6), 10**6),  # ... key digits are not
    )
    table = draw(st.lists(st.one_of(st.none(), values), min_size=hi - lo + 1, max_size=hi - lo + 1))
    # Sometimes a smooth table (affine) or a step table, the common cases.
    shape = draw(st.sampled_from(["any", "affine", "steps"]))
    if shape == "affine":
        a, b = draw(st.integers(-5, 5)), draw(st.integers(-100, 100))
        table = [None if t is None else a * (lo + n) + b for n, t in enumerate(table)]
    elif shape == "steps":
        cut = draw(st.integers(lo, hi))
        up, down = draw(values), draw(values)
        table = [
            None if t is None else (up if lo + n >= cut else down) for n, t in enumerate(table)
        ]
    rows = draw(st.lists(st.one_of(st.none(), st.integers(lo, hi)), min_size=1, max_size=40))
    at_least = draw(st.sampled_from([None, pl.Int8, pl.Int32]))
    return dtype, lo, hi, table, rows, at_least


@settings(max_examples=300, deadline=None)
@given(case())
def test_lookup_formula_equals_the_table(c):
    dtype, lo, hi, table, rows, at_least = c
    frame = pl.DataFrame({"x": pl.Series(rows, dtype=dtype)})
    expr = bulk._lookup(pl.col("x"), table, lo, (lo, hi), dtype, at_least)
    got = frame.with_columns(expr.alias("y"))["y"].to_list()
    for value, result in zip(rows, got, strict=True):
        if value is None:
            assert result is None
            continue
        want = table[value - lo]
        if want is not None:
            assert result == want, (value, table, result)


@pytest.mark.parametrize(
    ("table", "codes", "ops"),
    [
        ([0, 1, 2, 3, 4, 5], range(0, 6), 0),  # LSNS-6: points = code, nothing to compute
        ([1, 1, 1, 0, 0], range(1, 6), 2),  # DJG negative item: one [code < 4] term
        ([0, 0, 1, 1, 1], range(1, 6), 2),  # DJG positive item: one [code >= 3] term
    ],
)
def test_common_tables_cost_at_most_two_kernels(table, codes, ops):
    expr = bulk._lookup(pl.col("x"), table, codes[0], (codes[0], codes[-1]), pl.Int8, pl.Int8)
    tree = str(expr)
    assert tree.count("+") + tree.count("//") + tree.count("-") + tree.count("*") <= ops, tree
    frame = pl.DataFrame({"x": pl.Series([*codes, None], dtype=pl.Int8)})
    assert frame.select(expr.alias("y"))["y"].to_list() == [*table, None]
