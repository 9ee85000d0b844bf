"""What a bulk run reports as a problem: the errors-file columns, the kinds of problem,
and the error for a file or mapping that cannot be used at all."""

from __future__ import annotations

import polars as pl

# Row numbers in reports start at 1 for the first data row (line 2 of a CSV file).
ROW_BASE = 1


ERROR_SCHEMA = {
    "row": pl.Int64,
    "instrument": pl.String,
    "column": pl.String,
    "item": pl.String,
    "value": pl.String,
    "problem": pl.String,
    "allowed": pl.String,
}

# Kinds of reported problems (the "problem" column starts with one of these).
INVALID_ANSWER = "unknown answer"
TOO_MANY_MISSING = "too many answers missing"
NO_ROUTE = "no route"
INDETERMINATE_LEVEL = "indeterminate"
NO_ROUTE_WHY = "neither loneliness nor social isolation could be determined"


class BulkInputError(ValueError):
    """A survey file or mapping cannot be used at all. The message says what and why."""
