"""Measures of one network map. Each is defined in ``docs/network.md``.

All in plain Python, per map: the ties among at most 100 people need no graph library.
Components are found with union-find; the tests check them (and the density) against
networkx on random maps.

Pure Python: no Django imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from verbind.core.network.definitions import Definitions, definitions
from verbind.core.network.model import Network


@dataclass(frozen=True, slots=True)
class Measures:
    size: int  # number of people (alters)
    meaningful: int  # number of people marked meaningful
    inner_circle: int  # number of people in circle 1
    share_inner: float | None  # inner_circle / size; None with no people
    contacts_per_week: float  # sum of the frequency weights
    ties: int  # ties among the people (who knows whom)
    density: float | None  # ties / (n(n-1)/2); None below 2 people
    components: int  # connected groups among the people, a person alone counts as one
    emotional: bool  # at least one close confidant
    social: bool  # a wider circle: at least social_min friends etc. outside circle 1
    relation_types: int  # number of distinct relation types
    diversity: float | None  # index of qualitative variation of relation types; None if empty

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# The order of the columns of ``verbind network measures`` after ego and wave.
FIELDS: tuple[str, ...] = tuple(Measures.__dataclass_fields__)


def count_components(n: int, edges: Iterable[tuple[int, int]]) -> int:
    """Connected components of the graph on nodes 0..n-1 (isolates count, 0 nodes → 0)."""
    parent = list(range(n))
    components = n
    for a, b in edges:
        # Find both roots with path halving, then join.
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        if a != b:
            parent[a] = b
            components -= 1
    return components


def density(n: int, ties: int) -> float | None:
    if n < 2:
        return None
    return ties / (n * (n - 1) / 2)


def diversity_index(counts: Sequence[int], categories: int) -> float | None:
    """Index of qualitative variation: (1 - sum p²) / (1 - 1/K), K the number of relation
    codes. 0: everyone has the same relation; 1: all K relations equally often."""
    total = sum(counts)
    if total == 0:
        return None
    blau = 1.0 - sum((c / total) ** 2 for c in counts)
    return blau / (1.0 - 1.0 / categories)


def measures(network: Network, defs: Definitions | None = None) -> Measures:
    """The measures of one (valid) map."""
    defs = defs or definitions()
    alters = network.alters
    n = len(alters)
    per_week = defs.per_week
    social_relations = defs.social_relations
    index = {a.id: i for i, a in enumerate(alters)}
    meaningful = inner = wider = 0
    emotional = False
    contacts = 0.0
    relation_counts: dict[str, int] = {}
    for a in alters:
        inner_here = a.circle == 1
        if a.meaningful:
            meaningful += 1
        if inner_here:
            inner += 1
        elif a.relation in social_relations:
            wider += 1
        if (inner_here and a.meaningful) or "emotional" in a.support:
            emotional = True
        contacts += per_week[a.frequency]
        relation_counts[a.relation] = relation_counts.get(a.relation, 0) + 1
    ties = len(network.ties)
    return Measures(
        size=n,
        meaningful=meaningful,
        inner_circle=inner,
        share_inner=inner / n if n else None,
        contacts_per_week=round(contacts, 6),
        ties=ties,
        density=density(n, ties),
        components=count_components(n, ((index[a], index[b]) for a, b in network.ties)),
        emotional=emotional,
        social=wider >= defs.social_min,
        relation_types=len(relation_counts),
        diversity=diversity_index(list(relation_counts.values()), len(defs.relations)),
    )
