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


def may_show_to(contributors: int, already_visible: int, minimum: int = MIN_GROUP_SIZE) -> bool:
    """True when a figure made from ``contributors`` people may be shown to someone who can
    already see ``already_visible`` of those people's own data (an organisation admin who
    is also their coach). Both the group and the part the viewer cannot see must be large
    enough: otherwise the viewer subtracts what they know and is left with a figure about
    fewer people (differencing)."""
    if not 0 <= already_visible <= contributors:
        raise ValueError(
            f"the people a viewer can see ({already_visible}) must be part of the group "
            f"({contributors})"
        )
    return large_enough(contributors, minimum) and large_enough(
        contributors - already_visible, minimum
    )
