"""What the map page shows: the core's layout in the picture's pixels, and the same facts
per person in words for the table. The SVG itself is drawn by a template."""

from __future__ import annotations

from dataclasses import dataclass

from verbind.core.network import layout, measures
from verbind.core.network.definitions import definitions
from verbind.network.domain.maps import to_network
from verbind.network.models import NetworkMap

SIZE = 400  # the picture is SIZE x SIZE; the middle is the person
HALF = SIZE / 2
DIAGONAL = 0.7071  # cos 45 degrees
RADIUS = 150  # circle 3 in pixels (room around it for the names)


@dataclass(frozen=True)
class Dot:
    key: str
    name: str
    circle: int
    x: float
    y: float
    meaningful: bool
    label_y: float  # the name goes under the dot


@dataclass(frozen=True)
class Row:
    name: str
    circle: str
    relation: str
    frequency: str
    meaningful: str
    wants: str


def _px(value: float) -> float:
    return round(HALF + value * RADIUS, 1)


def picture(the_map: NetworkMap, lang: str, yes: str, no: str) -> dict:
    defs = definitions()
    people = list(the_map.people.all())
    network = to_network(the_map, people)
    geometry = layout(network, defs)
    alters = {a.id: a for a in network.alters}
    dots = [
        Dot(
            key=p.alter_id,
            name=alters[p.alter_id].name,
            circle=p.circle,
            x=_px(p.x),
            y=_px(p.y),
            meaningful=alters[p.alter_id].meaningful,
            label_y=round(_px(p.y) + 24, 1),
        )
        for p in geometry.people
    ]
    # The circle's number sits on its upper left (the first person of a ring is at the top).
    rings = [
        {"circle": c, "r": round(r * RADIUS, 1), "label": defs.label("circles", c, lang),
         "label_x": round(HALF - r * RADIUS * DIAGONAL, 1),
         "label_y": round(HALF - r * RADIUS * DIAGONAL, 1)}
        for c, r in geometry.rings
    ]  # fmt: skip
    lines = [
        {"x1": _px(t.x1), "y1": _px(t.y1), "x2": _px(t.x2), "y2": _px(t.y2)} for t in geometry.lines
    ]
    order = {d.key: i for i, d in enumerate(dots)}
    rows = [
        Row(
            name=a.name,
            circle=defs.label("circles", a.circle, lang),
            relation=defs.label("relations", a.relation, lang),
            frequency=defs.label("frequencies", a.frequency, lang),
            meaningful=yes if a.meaningful else no,
            wants=defs.label("wants", a.wants, lang) if a.wants else "",
        )
        for a in sorted(network.alters, key=lambda a: order.get(a.id, 0))
    ]
    return {
        "size": SIZE,
        "half": HALF,
        "rings": rings,
        "dots": dots,
        "lines": lines,
        "rows": rows,
        "network": network,
        "measures": measures(network, defs),
    }
