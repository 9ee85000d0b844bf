"""Where everyone goes in the picture of a map: pure geometry, no drawing.

The person sits in the middle (0, 0). Circle 1, 2 and 3 are rings of radius 1/3, 2/3 and 1
(the picture is the square from (-1, -1) to (1, 1); y grows downwards, as in SVG). Everyone
is placed evenly on the ring of their circle, in a fixed order: by relation (the order of
``texts/network.yaml``, so family sits together), then name, then id. The first person of a
ring is at the top; rings 2 and 3 are turned by half a step (a third of a step for ring 3)
so that people on neighbouring rings do not line up behind each other. The web app draws
the picture (SVG) from these numbers in a template.

Pure Python: no Django imports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from verbind.core.network.definitions import Definitions, definitions
from verbind.core.network.model import Alter, Network, normalise_name

RING_RADIUS = {1: 1 / 3, 2: 2 / 3, 3: 1.0}
# Turn of each ring, as a share of the step between two people on it.
RING_TURN = {1: 0.0, 2: 0.5, 3: 1 / 3}


@dataclass(frozen=True, slots=True)
class Placed:
    alter_id: str
    circle: int
    x: float
    y: float
    angle: float  # degrees, clockwise from the top


@dataclass(frozen=True, slots=True)
class Line:
    """A tie between two people: from (x1, y1) to (x2, y2)."""

    source: str
    target: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True, slots=True)
class Layout:
    rings: tuple[tuple[int, float], ...]  # (circle, radius)
    people: tuple[Placed, ...]
    lines: tuple[Line, ...]


def order(alters: tuple[Alter, ...], defs: Definitions) -> list[Alter]:
    rank = {code: i for i, code in enumerate(defs.codes("relations"))}
    return sorted(alters, key=lambda a: (rank.get(a.relation, 99), normalise_name(a.name), a.id))


def layout(network: Network, defs: Definitions | None = None) -> Layout:
    defs = defs or definitions()
    placed: list[Placed] = []
    for circle in (1, 2, 3):
        ring = order(tuple(a for a in network.alters if a.circle == circle), defs)
        radius = RING_RADIUS[circle]
        for i, a in enumerate(ring):
            turns = (i + RING_TURN[circle]) / len(ring) if len(ring) > 1 else 0.0
            angle = 360.0 * turns
            rad = math.radians(angle)
            placed.append(
                Placed(
                    a.id,
                    circle,
                    round(radius * math.sin(rad), 6) + 0.0,
                    round(-radius * math.cos(rad), 6) + 0.0,
                    round(angle, 6),
                )
            )
    where = {p.alter_id: p for p in placed}
    lines = tuple(
        Line(a, b, where[a].x, where[a].y, where[b].x, where[b].y)
        for a, b in network.ties
        if a in where and b in where
    )
    return Layout(tuple(RING_RADIUS.items()), tuple(placed), lines)
