"""Small lookup tables on integer codes (code -> points, option position or key digit),
and the narrowest signed integer types for them."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from verbind.core.bulk.problems import BulkInputError

# Signed integer types by width: the narrowest that holds a table's values or keys.
_SIGNED: tuple[tuple[pl.DataType, int], ...] = (
    (pl.Int8, 2**7), (pl.Int16, 2**15), (pl.Int32, 2**31), (pl.Int64, 2**63),
)  # fmt: skip


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


_INT_RANGES = {
    pl.Int8: (-(2**7), 2**7 - 1), pl.Int16: (-(2**15), 2**15 - 1),
    pl.Int32: (-(2**31), 2**31 - 1), pl.Int64: (-(2**63), 2**63 - 1),
    pl.UInt8: (0, 2**8 - 1), pl.UInt16: (0, 2**16 - 1),
    pl.UInt32: (0, 2**32 - 1), pl.UInt64: (0, 2**64 - 1),
}  # fmt: skip


def _lookup(
    col: pl.Expr,
    table: Sequence[int | None],
    offset: int,
    span: tuple[int, int],
    in_dtype: pl.DataType,
    at_least: pl.DataType | None = None,
) -> pl.Expr:
    """``table[code - offset]`` for every code in ``span``: one gather from the small
    table (null where the table has None; null stays null). The result is a signed
    integer type at least ``at_least``."""
    values = [v for v in table if v is not None]
    dtype = _signed_type(max((abs(v) for v in values), default=0), at_least or pl.Int8)
    lookup = pl.lit(pl.Series(table, dtype=dtype))
    if not offset:
        return lookup.gather(col)
    low, high = _INT_RANGES.get(in_dtype, (0, -1))
    if not (low <= span[0] - offset and span[1] - offset <= high):
        # The shifted codes do not fit the column's type: shift in a wider one.
        col = col.cast(_signed_type(max(abs(span[0]), abs(span[1])) + abs(offset), pl.Int16))
    return lookup.gather(col - offset)


def _code_in(col: pl.Expr, codes: Sequence[int], span: tuple[int, int]) -> pl.Expr:
    """True where the column holds one of ``codes`` (a subset of ``span``); never null."""
    inside = sorted(set(range(span[0], span[1] + 1)) - set(codes))
    if inside and inside[-1] - inside[0] + 1 == len(inside):
        # The other codes form one run: outside it (two comparisons, no hashing).
        expr = (col < inside[0]) | (col > inside[-1])
    else:
        expr = col.is_in(pl.lit(pl.Series(list(codes))).implode())
    return expr.fill_null(False)
