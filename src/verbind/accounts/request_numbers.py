"""Whole numbers from a request (query string or form), read safely.

``int()`` accepts more than a person or a link ever sends ("²", "٣", " 7", "+7", and
numbers thousands of digits long) and a huge number overflows the database. A number
here is plain ASCII digits, at most MAX_DIGITS long; anything else is None, and the view
decides what None means (the first page, the first open step, nothing chosen).
"""

from __future__ import annotations

MAX_DIGITS = 9


def whole_number(raw: str | None, *, minimum: int = 0) -> int | None:
    """``raw`` as an int when it is 1 to MAX_DIGITS ASCII digits and at least ``minimum``."""
    if not raw or len(raw) > MAX_DIGITS or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if value >= minimum else None
