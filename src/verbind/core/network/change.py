"""Change between two maps of the same person: who is new, who left, who moved.

People are matched by their alter id; those left over on both sides are matched by their
name (case, accents and spacing ignored: :func:`model.normalise_name`) when that name is
unique on both maps. The result is plain data; :func:`sentences` says it in Dutch or
English with the sentences of ``texts/network.yaml``.

Pure Python: no Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass

from verbind.core.network.definitions import Definitions, definitions
from verbind.core.network.measures import Measures, measures
from verbind.core.network.model import Alter, Network, normalise_name


@dataclass(frozen=True, slots=True)
class Move:
    """Someone on both maps whose circle changed (1 is closest)."""

    before: Alter
    after: Alter

    @property
    def steps(self) -> int:
        """Negative: closer; positive: further away."""
        return self.after.circle - self.before.circle


@dataclass(frozen=True, slots=True)
class NetworkChange:
    new: tuple[Alter, ...]  # on the later map only
    left: tuple[Alter, ...]  # on the earlier map only
    closer: tuple[Move, ...]
    farther: tuple[Move, ...]
    meaningful_gained: tuple[Alter, ...]  # meaningful now, not before (new people included)
    meaningful_lost: tuple[Alter, ...]  # meaningful before, not now (people who left included)
    matched: tuple[tuple[Alter, Alter], ...]  # (before, after) for everyone on both maps
    before: Measures
    after: Measures

    @property
    def is_empty(self) -> bool:
        return not (
            self.new
            or self.left
            or self.closer
            or self.farther
            or self.meaningful_gained
            or self.meaningful_lost
        )


def match(before: Network, after: Network) -> list[tuple[Alter, Alter]]:
    """Pairs (before, after) of the same person: by id, then by a unique name."""
    after_by_id = {a.id: a for a in after.alters}
    pairs: list[tuple[Alter, Alter]] = []
    rest_before: list[Alter] = []
    used: set[str] = set()
    for a in before.alters:
        b = after_by_id.get(a.id)
        if b is not None:
            pairs.append((a, b))
            used.add(b.id)
        else:
            rest_before.append(a)
    rest_after = [b for b in after.alters if b.id not in used]

    def unique_names(alters: list[Alter]) -> dict[str, Alter]:
        seen: dict[str, Alter | None] = {}
        for x in alters:
            key = normalise_name(x.name)
            if key:
                seen[key] = None if key in seen else x
        return {k: v for k, v in seen.items() if v is not None}

    names_after = unique_names(rest_after)
    for key, a in unique_names(rest_before).items():
        b = names_after.get(key)
        if b is not None:
            pairs.append((a, b))
    return pairs


def change(before: Network, after: Network, defs: Definitions | None = None) -> NetworkChange:
    defs = defs or definitions()
    pairs = match(before, after)
    matched_before = {id(a) for a, _ in pairs}
    matched_after = {id(b) for _, b in pairs}
    new = tuple(b for b in after.alters if id(b) not in matched_after)
    left = tuple(a for a in before.alters if id(a) not in matched_before)
    moves = [Move(a, b) for a, b in pairs if a.circle != b.circle]
    gained = [b for a, b in pairs if b.meaningful and not a.meaningful]
    gained += [b for b in new if b.meaningful]
    lost = [a for a, b in pairs if a.meaningful and not b.meaningful]
    lost += [a for a in left if a.meaningful]
    return NetworkChange(
        new=new,
        left=left,
        closer=tuple(m for m in moves if m.steps < 0),
        farther=tuple(m for m in moves if m.steps > 0),
        meaningful_gained=tuple(gained),
        meaningful_lost=tuple(lost),
        matched=tuple(pairs),
        before=measures(before, defs),
        after=measures(after, defs),
    )


def sentences(
    result: NetworkChange, lang: str = "nl", defs: Definitions | None = None
) -> list[str]:
    """The change in short sentences for the person, most hopeful first."""
    defs = defs or definitions()
    if result.is_empty:
        return [defs.sentence("none", 0, lang)]
    new_ids = {id(a) for a in result.new}
    left_ids = {id(a) for a in result.left}
    counts = [
        ("new", len(result.new)),
        ("new_meaningful", sum(id(a) in new_ids for a in result.meaningful_gained)),
        ("now_meaningful", sum(id(a) not in new_ids for a in result.meaningful_gained)),
        ("closer", len(result.closer)),
        ("left", len(result.left)),
        ("left_meaningful", sum(id(a) in left_ids for a in result.meaningful_lost)),
        ("no_longer_meaningful", sum(id(a) not in left_ids for a in result.meaningful_lost)),
        ("farther", len(result.farther)),
    ]
    return [defs.sentence(key, n, lang) for key, n in counts if n]
