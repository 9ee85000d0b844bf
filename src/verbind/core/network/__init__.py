"""Personal network maps ("Mijn netwerk"): the data, its checks, measures, change between
two maps, the picture's geometry and reading MAPS files. Research exports (GraphML,
Network Canvas CSV) are in :mod:`verbind.core.network.export`, which needs networkx and
polars and is imported only where used.

Pure Python: no Django imports. Measures are defined in docs/network.md.
"""

from verbind.core.network.change import Move, NetworkChange, change, match, sentences
from verbind.core.network.definitions import Code, Definitions, NetworkDefinitionError, definitions
from verbind.core.network.layout import Layout, Line, Placed, layout
from verbind.core.network.measures import FIELDS, Measures, measures
from verbind.core.network.model import (
    Alter,
    Network,
    NetworkError,
    Problem,
    from_dict,
    normalise_name,
    problems,
    to_dict,
    validate,
)
from verbind.core.network.reading import LineError, MapsFile, read_lines, read_maps

__all__ = [
    "FIELDS",
    "Alter",
    "Code",
    "Definitions",
    "Layout",
    "Line",
    "LineError",
    "MapsFile",
    "Measures",
    "Move",
    "Network",
    "NetworkChange",
    "NetworkDefinitionError",
    "NetworkError",
    "Placed",
    "Problem",
    "change",
    "definitions",
    "from_dict",
    "layout",
    "match",
    "measures",
    "normalise_name",
    "problems",
    "read_lines",
    "read_maps",
    "sentences",
    "to_dict",
    "validate",
]
