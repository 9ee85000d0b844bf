"""Measures of many maps at once, straight from the lines of a MAPS file.

``verbind network measures`` reads files of a hundred thousand maps and more. Building a
:class:`~verbind.core.network.model.Network` per map costs more than reading the JSON, so
this module checks each decoded line and computes its measures in one pass over the plain
dicts. It is the same check and the same measures as :func:`model.from_dict` and
:func:`measures.measures` (the tests compare both on random maps, valid and broken): any
line the quick check does not accept goes through :func:`model.from_dict`, which names
every problem, so the messages come from one place.

Pure Python: no Django imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verbind.core.network.definitions import Definitions, definitions
from verbind.core.network.measures import (
    FIELDS,
    Measures,
    count_components,
    density,
    diversity_index,
    measures,
)
from verbind.core.network.model import (
    _ALTER_KEYS,
    _MAP_KEYS,
    _REQUIRED,
    ID_PATTERN,
    NAME_MAX,
    NetworkError,
    from_dict,
    normalise_name,
)
from verbind.core.network.reading import LineError, ego_of, json_lines, repeated

COLUMNS: tuple[str, ...] = ("ego", "wave", *FIELDS)


@dataclass(frozen=True, slots=True)
class MeasuredFile:
    rows: list[tuple[Any, ...]]  # one per good map, in COLUMNS order
    lines: list[int]  # the line of each row
    errors: list[LineError]


class _Reject(Exception):
    """The quick check does not accept this line; from_dict will say why."""


# Ids seen to be well formed: files repeat the same alter ids (a1, a2, ...) on every line,
# so most ids are checked once. Bounded, for files of unique ids.
_GOOD_IDS: set[str] = set()
_GOOD_IDS_MAX = 10_000
_PAIR = 1 << 16


def _good_id(alter_id: str) -> bool:
    if not ID_PATTERN.match(alter_id):
        return False
    if len(_GOOD_IDS) < _GOOD_IDS_MAX:
        _GOOD_IDS.add(alter_id)
    return True


def _codes_ok(value: Any, codes: frozenset[Any]) -> bool:
    return (
        type(value) is list
        and all(type(v) is str and v in codes for v in value)
        and len(set(value)) == len(value)
    )


def _quick(data: Any, defs: Definitions, allowed: dict[str, frozenset[Any]]) -> tuple[Any, ...]:
    """The row of a valid map, or _Reject. Mirrors from_dict + problems + measures."""
    if type(data) is not dict or not data.keys() <= _MAP_KEYS:
        raise _Reject
    ego, wave, alters = data.get("ego"), data.get("wave"), data.get("alters")
    ties = data.get("ties", [])
    if (
        type(ego) is not str
        or not ID_PATTERN.match(ego)
        or type(wave) is not int
        or wave < 0
        or type(alters) is not list
        or type(ties) is not list
        or len(alters) > defs.max_alters
    ):
        raise _Reject
    relations, frequencies = allowed["relations"], allowed["frequencies"]
    circles, wants_codes = allowed["circles"], allowed["wants"]
    modes_codes, support_codes = allowed["modes"], allowed["support"]
    per_week = defs.per_week
    social_relations = defs.social_relations
    index: dict[str, int] = {}
    names: set[str] = set()
    meaningful = inner = wider = 0
    emotional = False
    contacts = 0.0
    relation_counts: dict[str, int] = {}
    for a in alters:
        if type(a) is not dict or not (_REQUIRED <= a.keys() <= _ALTER_KEYS):
            raise _Reject
        alter_id, relation, circle = a["id"], a["relation"], a["circle"]
        frequency, is_meaningful = a["frequency"], a["meaningful"]
        wants = a.get("wants")
        if not (
            relation in relations
            and frequency in frequencies
            and type(circle) is int
            and circle in circles
            and type(is_meaningful) is bool
            and (wants is None or wants in wants_codes)
            and type(alter_id) is str
            and alter_id not in index
            and (alter_id in _GOOD_IDS or _good_id(alter_id))
        ):
            raise _Reject
        modes, support = a.get("modes"), a.get("support")
        if (modes is not None and not _codes_ok(modes, modes_codes)) or (
            support is not None and not _codes_ok(support, support_codes)
        ):
            raise _Reject
        name = a.get("name")
        if name:
            key = normalise_name(name) if type(name) is str and len(name) <= NAME_MAX else ""
            if not key or key in names:
                raise _Reject  # not a name, or twice (whitespace-only: from_dict decides)
            names.add(key)
        index[alter_id] = len(index)
        if is_meaningful:
            meaningful += 1
        if circle == 1:
            inner += 1
            if is_meaningful:
                emotional = True
        elif relation in social_relations:
            wider += 1
        if support and "emotional" in support:
            emotional = True
        contacts += per_week[frequency]
        relation_counts[relation] = relation_counts.get(relation, 0) + 1
    edges: list[tuple[int, int]] = []
    seen: set[int] = set()
    for tie in ties:
        if type(tie) is not list or len(tie) != 2:
            raise _Reject
        a, b = tie
        # Only a str equals a str key: a tie of anything else is not found in index.
        i, j = index.get(a), index.get(b)  # type: ignore[arg-type]
        if i is None or j is None or i == j:
            raise _Reject
        pair = i * _PAIR + j if i < j else j * _PAIR + i  # at most max_alters < _PAIR people
        if pair in seen:
            raise _Reject
        seen.add(pair)
        edges.append((i, j))
    n = len(index)
    return (
        ego,
        wave,
        n,
        meaningful,
        inner,
        inner / n if n else None,
        round(contacts, 6),
        len(edges),
        density(n, len(edges)),
        count_components(n, edges),
        emotional,
        wider >= defs.social_min,
        len(relation_counts),
        diversity_index(list(relation_counts.values()), len(defs.relations)),
    )


def row_of(ego: str, wave: int, m: Measures) -> tuple[Any, ...]:
    return (ego, wave, *(getattr(m, f) for f in FIELDS))


def measure_lines(lines: Iterable[str | bytes], defs: Definitions | None = None) -> MeasuredFile:
    """The measures of every good line and the problems of every bad one (as
    :func:`reading.read_lines` reports them)."""
    from verbind.core.network.model import _allowed

    defs = defs or definitions()
    allowed = _allowed(defs)
    rows: list[tuple[Any, ...]] = []
    numbers: list[int] = []
    errors: list[LineError] = []
    first_line: dict[tuple[str, int], int] = {}
    for number, data in json_lines(lines):
        if isinstance(data, LineError):
            errors.append(data)
            continue
        try:
            row = _quick(data, defs, allowed)
        except (_Reject, KeyError, TypeError):
            try:
                network = from_dict(data, defs)
            except NetworkError as exc:
                errors.append(LineError(number, ego_of(data), "; ".join(map(str, exc.problems))))
                continue
            row = row_of(network.ego, network.wave, measures(network, defs))
        problem = repeated(first_line, row[0], row[1], number)
        if problem is not None:
            errors.append(problem)
            continue
        rows.append(row)
        numbers.append(number)
    return MeasuredFile(rows, numbers, errors)


def measure_file(path: Path | str, defs: Definitions | None = None) -> MeasuredFile:
    with open(path, "rb") as fh:
        return measure_lines(fh, defs)
