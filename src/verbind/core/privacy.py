"""The smallest group an organisation may see figures about.

An organisation sees only aggregates of at least 10 people (verbind's privacy rule): a
figure about fewer people could point at someone a coach or a colleague knows. Every
report for an organisation asks :func:`large_enough` first and shows no figure otherwise.

Pure Python: no Django imports.
"""

from __future__ import annotations

MIN_GROUP_SIZE = 10


def large_enough(people: int, minimum: int = MIN_GROUP_SIZE) -> bool:
    """True when a figure about ``people`` people may be shown to an organisation."""
    if isinstance(people, bool) or not isinstance(people, int) or people < 0:
        raise ValueError(f"a number of people must be a whole number of 0 or more, got {people!r}")
    return people >= minimum
