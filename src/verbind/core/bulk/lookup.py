"""Integer arithmetic for small lookup tables (code -> points or option position).

Kept because it pays: scoring 1.2 million rows, the one polars pass took 19-45 ms with
this arithmetic and 156-174 ms with a plain ``gather`` from the table (see
docs/benchmarks.md). ``tests/core/test_bulk_lookup.py`` checks the formula against the
table and the kernel count of the common tables.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import polars as pl

from verbind.core.bulk.problems import BulkInputError

# Signed integer types by width, for arithmetic that must not overflow.
_SIGNED: tuple[tuple[pl.DataType, int], ...] = (
    (pl.Int8, 2**7), (pl.Int16, 2**15), (pl.Int32, 2**31), (pl.Int64, 2**63),
)  # fmt: skip
# A table with more changes than this between its codes is looked up by a when/then chain.
_MAX_STEPS = 4


def _signed_type(bound: int, at_least: pl.DataType | None = None) -> pl.DataType:
    """The narrowest signed type holding -bound..bound, and at least ``at_least``."""
    floor = 0
    for n, (dtype, _) in enumerate(_SIGNED):
        if dtype == at_least:
            floor = n
    for dtype, limit in _SIGNED[floor:]:
        if bound < limit:
            return dtype
    raise BulkInputError(f"codes too large to score (up to {bound})")  # pragma: no cover


def _work_type(in_dtype: pl.DataType, bound: int, at_least: pl.DataType | None) -> pl.DataType:
    """Where to compute: wide enough for ``bound`` and ``at_least``, and never narrower
    than the column, so the column is at most widened (cheap), never narrowed (a checked
    pass over the data)."""
    floor = at_least
    if in_dtype.is_integer():
        if in_dtype.is_signed_integer():
            floor = _signed_type(0, in_dtype) if floor is None else _wider(floor, in_dtype)
        else:
            # UInt8 fits Int16 without a check, UInt16 fits Int32 ...
            bits = {pl.UInt8: pl.Int16, pl.UInt16: pl.Int32}.get(in_dtype, pl.Int64)
            floor = bits if floor is None else _wider(floor, bits)
    return _signed_type(bound, floor)


def _wider(a: pl.DataType, b: pl.DataType) -> pl.DataType:
    order = [d for d, _ in _SIGNED]
    return a if order.index(a) >= order.index(b) else b


def _lookup(
    col: pl.Expr,
    table: Sequence[int | None],
    offset: int,
    span: tuple[int, int],
    in_dtype: pl.DataType,
    at_least: pl.DataType | None = None,
) -> pl.Expr:
    """``table[code - offset]`` as integer arithmetic on the column: a few cheap kernels.

    Exact for every code in ``span`` whose entry is not None (the caller masks the
    others); null stays null. The result is a signed integer type at least ``at_least``
    (never narrower than the column). The formula is derived from the table, never
    written per instrument: an affine table (LSNS-6: points = code) is
    ``a * code + b`` (nothing at all for points = code); a table with a few steps (a DJG
    item: 1 point for codes 1-3, 0 for 4-5) is a sum of step terms, each
    ``[code >= s] = (code + K - s) // K`` with K wide enough that the division gives 0
    below s and 1 from s on, for every valid code. (A comparison gives a boolean, and
    turning booleans into numbers costs several times more than the division.)
    """
    known = {
        offset + n: v
        for n, v in enumerate(table)
        if v is not None and span[0] <= offset + n <= span[1]
    }
    if not known:
        return pl.lit(None, at_least or pl.Int8)
    codes = sorted(known)
    lo, hi = codes[0], codes[-1]
    first = known[lo]
    steps = [(b, known[b] - known[a]) for a, b in itertools.pairwise(codes) if known[b] != known[a]]
    slope = None
    if len(codes) == 1:
        slope = 0
    elif (known[codes[1]] - first) % (codes[1] - lo) == 0:
        slope = (known[codes[1]] - first) // (codes[1] - lo)
        if any(known[c] != first + slope * (c - lo) for c in codes):
            slope = None
    if slope is None and len(steps) > _MAX_STEPS:
        # Rare (no instrument has such a table): affine runs of the chain in Int64.
        return _piecewise(col, table, offset, pl.Int64)
    # Every code in the column (codes without an option too: they are masked, but must
    # not overflow) keeps every intermediate value inside the working type.
    reach = max(abs(span[0]), abs(span[1]))
    if slope is not None:
        intercept = first - slope * lo
        bound = reach * abs(slope) + abs(intercept)
    else:
        width = hi - lo + 1
        bound = (reach + 2 * width + abs(hi)) * max(abs(first), *(abs(d) for _, d in steps))
        bound = bound * (len(steps) + 1) + abs(first)
    work = _work_type(in_dtype, bound, at_least)
    x = col if in_dtype == work else col.cast(work)

    def lit(value: int) -> pl.Expr:
        return pl.lit(value, work)

    def plus(expr: pl.Expr, value: int) -> pl.Expr:
        return expr + lit(value) if value else expr

    def times(expr: pl.Expr, value: int) -> pl.Expr:
        return expr if value == 1 else expr * lit(value)

    if slope is not None:
        # x * 0 keeps null where the answer is missing.
        return plus(times(x, slope) if slope else x * lit(0), intercept)

    def at_least_step(s: int) -> pl.Expr:  # [code >= s] for codes lo..hi
        k = max(s - lo, hi - s + 1)
        return plus(x, k - s) // lit(k)

    def below_step(s: int) -> pl.Expr:  # [code < s] for codes lo..hi
        k = max(s - lo, hi - s + 1)
        return (lit(k + s - 1) - x) // lit(k)

    if len(steps) == 1 and first + steps[0][1] == 0:
        # One step down to 0 (DJG negative items): a single [code < s] term.
        return times(below_step(steps[0][0]), first)
    expr = None
    for s, d in steps:
        term = times(at_least_step(s), d)
        expr = term if expr is None else expr + term
    assert expr is not None
    return plus(expr, first)


def _code_in(col: pl.Expr, codes: Sequence[int], span: tuple[int, int]) -> pl.Expr:
    """True where the column holds one of ``codes`` (a subset of ``span``); never null."""
    inside = sorted(set(range(span[0], span[1] + 1)) - set(codes))
    if inside and inside[-1] - inside[0] + 1 == len(inside):
        # The other codes form one run: outside it (two comparisons, no hashing).
        expr = (col < inside[0]) | (col > inside[-1])
    else:
        expr = col.is_in(pl.lit(pl.Series(list(codes))).implode())
    return expr.fill_null(False)


def _piecewise(col: pl.Expr, table: Sequence[Any], offset: int, dtype: pl.DataType) -> pl.Expr:
    """``table[value - offset]`` as a when/then chain over runs of codes, for tables with
    too many steps for :func:`_lookup`. Values outside every run give null."""
    numeric = dtype.is_numeric()
    runs: list[tuple[int, int, Any, Any]] = []  # (first, last, value at first, slope)
    n = 0
    while n < len(table):
        value = table[n]
        if value is None:
            n += 1
            continue
        end, slope = n, None
        while end + 1 < len(table) and table[end + 1] is not None:
            step = table[end + 1] - table[end] if numeric else None
            if not numeric:
                if table[end + 1] != value:
                    break
            elif slope is None:
                slope = step
            elif step != slope:
                break
            end += 1
        runs.append((n, end, value, slope or 0))
        n = end + 1
    if not runs:
        return pl.lit(None, dtype)
    chain: Any = pl
    for first, last, value, slope in runs:
        lo, hi = first + offset, last + offset
        cond = col == lo if lo == hi else col.is_between(lo, hi)
        if slope:
            # value + slope * (code - lo), computed in the output type.
            then = (col.cast(dtype) * slope + (value - slope * lo)).cast(dtype)
        else:
            then = pl.lit(value, dtype)
        chain = chain.when(cond).then(then)
    return chain
