"""Research exports of network maps: GraphML (networkx, Gephi) and the CSV tables of a
Network Canvas export. Pseudonymous ids only: names never leave the app this way.

GraphML: one file per map, ``<ego>_wave<wave>.graphml``. As in Network Canvas's GraphML, the
graph holds the people (alters) and the ties among them; the person (ego) is no node but
the graph's own data: ``ego``, ``wave`` and every measure. Each node has the alter's
attributes (``relation``, ``circle``, ``frequency``, ``meaningful``, ``wants`` when known)
plus one true/false attribute per mode (``mode_phone``) and kind of support
(``support_emotional``), as Network Canvas writes a multiple choice, and ``wave``.

Network Canvas CSV (the shape of its CSV export with sessions merged), all maps in three
files: ``network_ego.csv`` (one row per map), ``network_attributeList_Person.csv`` (one row
per alter) and ``network_edgeList_Knows.csv`` (one row per tie), keyed by
``networkCanvasEgoUUID`` (one per map: ``<ego>:w<wave>``), ``networkCanvasUUID`` and,
for ties, ``networkCanvasSourceUUID`` / ``networkCanvasTargetUUID``; every table has a
``wave`` column.

Pure Python (networkx for GraphML): no Django imports.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from verbind.core.network.definitions import Definitions, definitions
from verbind.core.network.measures import FIELDS, Measures, measures
from verbind.core.network.model import Alter, Network, validate

PROTOCOL_NAME = "verbind network map"
EGO_FILE = "network_ego.csv"
ALTER_FILE = "network_attributeList_Person.csv"
EDGE_FILE = "network_edgeList_Knows.csv"
EGO_KEYS = (
    "networkCanvasEgoUUID",
    "networkCanvasCaseID",
    "networkCanvasSessionID",
    "networkCanvasProtocolName",
    "sessionStart",
    "sessionFinish",
    "sessionExported",
)
ALTER_KEYS = ("nodeID", "networkCanvasEgoUUID", "networkCanvasUUID")
EDGE_KEYS = (
    "edgeID",
    "from",
    "to",
    "networkCanvasEgoUUID",
    "networkCanvasUUID",
    "networkCanvasSourceUUID",
    "networkCanvasTargetUUID",
)


def session_id(network: Network) -> str:
    # ':' is never part of an id, so these keys cannot collide.
    return f"{network.ego}:w{network.wave}"


def graphml_name(network: Network) -> str:
    return f"{network.ego}_wave{network.wave}.graphml"


def _choice_columns(defs: Definitions) -> list[tuple[str, str, str]]:
    """(column, alter attribute, code) for the multiple-choice answers."""
    return [(f"mode_{c}", "modes", c) for c in defs.codes("modes")] + [
        (f"support_{c}", "support", c) for c in defs.codes("support")
    ]


def alter_attributes(alter: Alter, wave: int, defs: Definitions) -> dict[str, Any]:
    """An alter's attributes as exported (no name)."""
    out: dict[str, Any] = {
        "alter_id": alter.id,
        "wave": wave,
        "relation": alter.relation,
        "circle": alter.circle,
        "frequency": alter.frequency,
        "meaningful": alter.meaningful,
        "wants": alter.wants,
    }
    for column, attr, code in _choice_columns(defs):
        out[column] = code in getattr(alter, attr)
    return out


def _alter_from(attrs: dict[str, Any], defs: Definitions) -> Alter:
    def truth(value: Any) -> bool:
        return value is True or str(value).lower() == "true"

    wants = attrs.get("wants")
    return Alter(
        id=str(attrs["alter_id"]),
        relation=str(attrs["relation"]),
        circle=int(attrs["circle"]),
        frequency=str(attrs["frequency"]),
        meaningful=truth(attrs["meaningful"]),
        wants=str(wants) if wants not in (None, "") else None,
        modes=tuple(c for col, a, c in _choice_columns(defs) if a == "modes" and truth(attrs[col])),
        support=tuple(
            c for col, a, c in _choice_columns(defs) if a == "support" and truth(attrs[col])
        ),
    )


# ---- GraphML -------------------------------------------------------------------------


def to_graph(network: Network, defs: Definitions | None = None, m: Measures | None = None):
    """The map as a networkx graph (see the module text for its attributes)."""
    import networkx as nx

    defs = defs or definitions()
    m = m or measures(network, defs)
    graph = nx.Graph()
    graph.graph.update({"ego": network.ego, "wave": network.wave})
    graph.graph.update({k: v for k, v in m.as_dict().items() if v is not None})
    for alter in network.alters:
        attrs = alter_attributes(alter, network.wave, defs)
        del attrs["alter_id"]  # the node id
        graph.add_node(alter.id, **{k: v for k, v in attrs.items() if v is not None})
    for a, b in network.ties:
        graph.add_edge(a, b, wave=network.wave)
    return graph


def from_graph(graph: Any, defs: Definitions | None = None) -> Network:
    """A map back from a graph written by :func:`to_graph` (after ``nx.read_graphml``)."""
    defs = defs or definitions()
    alters = tuple(
        _alter_from({**attrs, "alter_id": node}, defs) for node, attrs in graph.nodes(data=True)
    )
    ties = tuple((str(a), str(b)) for a, b in graph.edges())
    network = Network(str(graph.graph["ego"]), int(graph.graph["wave"]), alters, ties)
    return validate(network, defs)


def write_graphml(networks: Iterable[Network], folder: Path, defs: Definitions | None = None):
    """One GraphML file per map in ``folder``; returns the files written."""
    import networkx as nx

    defs = defs or definitions()
    written = []
    for network in networks:
        path = folder / graphml_name(network)
        nx.write_graphml(to_graph(network, defs), path)
        written.append(path)
    return written


# ---- Network Canvas CSV --------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_network_canvas(
    networks: Sequence[Network],
    folder: Path,
    defs: Definitions | None = None,
    *,
    exported: dt.datetime | None = None,
) -> list[Path]:
    """The three Network Canvas tables for all maps in ``folder``; returns the files."""
    defs = defs or definitions()
    stamp = (exported or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    choice = [c for c, _, _ in _choice_columns(defs)]
    alter_columns = [
        *ALTER_KEYS,
        "alter_id",
        "wave",
        "relation",
        "circle",
        "frequency",
        "meaningful",
        "wants",
        *choice,
    ]
    paths = [folder / EGO_FILE, folder / ALTER_FILE, folder / EDGE_FILE]
    with (
        open(paths[0], "w", newline="", encoding="utf-8") as ego_fh,
        open(paths[1], "w", newline="", encoding="utf-8") as alter_fh,
        open(paths[2], "w", newline="", encoding="utf-8") as edge_fh,
    ):
        egos, alters, edges = csv.writer(ego_fh), csv.writer(alter_fh), csv.writer(edge_fh)
        egos.writerow([*EGO_KEYS, "wave", *FIELDS])
        alters.writerow(alter_columns)
        edges.writerow([*EDGE_KEYS, "wave"])
        for network in networks:
            session = session_id(network)
            m = measures(network, defs)
            egos.writerow(
                [session, network.ego, session, PROTOCOL_NAME, "", "", stamp, network.wave]
                + [_cell(getattr(m, f)) for f in FIELDS]
            )
            node_id = {}
            for number, alter in enumerate(network.alters, start=1):
                node_id[alter.id] = number
                attrs = alter_attributes(alter, network.wave, defs)
                alters.writerow(
                    [number, session, f"{session}:{alter.id}"]
                    + [_cell(attrs[c]) for c in alter_columns[len(ALTER_KEYS) :]]
                )
            for number, (a, b) in enumerate(network.ties, start=1):
                edges.writerow(
                    [number, node_id[a], node_id[b], session, f"{session}:e{number}",
                     f"{session}:{a}", f"{session}:{b}", network.wave]
                )  # fmt: skip
    return paths


def read_network_canvas(folder: Path, defs: Definitions | None = None) -> list[Network]:
    """Maps back from the tables :func:`write_network_canvas` wrote (for checks and
    round trips; alters are matched to their map by ``networkCanvasEgoUUID``)."""
    defs = defs or definitions()

    def rows(name: str) -> list[dict[str, str]]:
        with open(folder / name, newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    alters: dict[str, list[Alter]] = {}
    uuid_to_alter: dict[str, str] = {}
    for row in rows(ALTER_FILE):
        alters.setdefault(row["networkCanvasEgoUUID"], []).append(_alter_from(row, defs))
        uuid_to_alter[row["networkCanvasUUID"]] = row["alter_id"]
    ties: dict[str, list[tuple[str, str]]] = {}
    for row in rows(EDGE_FILE):
        ties.setdefault(row["networkCanvasEgoUUID"], []).append(
            (uuid_to_alter[row["networkCanvasSourceUUID"]],
             uuid_to_alter[row["networkCanvasTargetUUID"]])
        )  # fmt: skip
    out = []
    for row in rows(EGO_FILE):
        session = row["networkCanvasEgoUUID"]
        network = Network(
            row["networkCanvasCaseID"],
            int(row["wave"]),
            tuple(alters.get(session, [])),
            tuple(ties.get(session, [])),
        )
        out.append(validate(network, defs))
    return out


# ---- writing a folder whole ----------------------------------------------------------


def export(
    networks: Sequence[Network], folder: Path, fmt: str, defs: Definitions | None = None
) -> list[Path]:
    """Write ``networks`` in ``fmt`` ("graphml" or "csv") into ``folder`` (made when
    missing). Everything is written to a temporary folder beside it first and moved in only
    when all is written, so a failure leaves no half export."""
    if fmt not in ("graphml", "csv"):
        raise ValueError(f"format {fmt!r}: use graphml or csv")
    seen: set[tuple[str, int]] = set()
    for network in networks:
        if (network.ego, network.wave) in seen:
            raise ValueError(f"ego {network.ego!r} wave {network.wave} twice")
        seen.add((network.ego, network.wave))
    folder.mkdir(parents=False, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".verbind-export-", dir=folder))
    try:
        if fmt == "graphml":
            written = write_graphml(networks, staging, defs)
        else:
            written = write_network_canvas(networks, staging, defs)
        final = []
        for path in written:
            target = folder / path.name
            os.replace(path, target)
            final.append(target)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)
