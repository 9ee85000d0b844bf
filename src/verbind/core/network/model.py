"""A personal network map as plain data, and its validation.

A :class:`Network` is the person (ego, a pseudonymous id, and the wave: which map of this
person it is), the people in their life (:class:`Alter`) and who of them know each other
(``ties``, pairs of alter ids). Every code is one of ``texts/network.yaml``
(:mod:`verbind.core.network.definitions`).

:func:`problems` lists everything wrong with a map at once, each naming where
(``alters[2].relation``, ``ties[0]``) and what; :func:`from_dict` turns a mapping (a JSON
line, a form) into a map, reporting wrong types the same way. :func:`validate` raises
:class:`NetworkError` with all problems.

Pure Python: no Django imports.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from verbind.core.network.definitions import CODE_FIELDS, Definitions, definitions

# Pseudonymous ids: letters, digits and . _ - (safe in file names, CSV and GraphML).
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
NAME_MAX = 40


@dataclass(frozen=True, slots=True)
class Alter:
    """Someone in the person's life. ``name`` is a first name or nickname only (the web
    map shows it to the person); research files carry ids only, never names."""

    id: str
    relation: str
    circle: int
    frequency: str
    meaningful: bool
    wants: str | None = None  # more / same / less; None: not asked
    modes: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    name: str = ""


@dataclass(frozen=True, slots=True)
class Network:
    ego: str
    wave: int
    alters: tuple[Alter, ...]
    ties: tuple[tuple[str, str], ...] = ()

    def alter(self, alter_id: str) -> Alter:
        for a in self.alters:
            if a.id == alter_id:
                return a
        raise KeyError(alter_id)


@dataclass(frozen=True, slots=True)
class Problem:
    where: str  # "alters[2].relation", "ties[0]", "ego"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class NetworkError(ValueError):
    """A map with problems; ``problems`` has them all."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(map(str, self.problems)))


def normalise_name(name: str) -> str:
    """Case, accents and spacing do not make two names different: 'José ' = 'jose'."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def _codes_text(codes: Iterable[Any]) -> str:
    return ", ".join(map(str, codes))


def _check_alter(
    alter: Alter, i: int, defs: Definitions, allowed: Mapping[str, frozenset[Any]]
) -> list[Problem]:
    where = f"alters[{i}]"
    out: list[Problem] = []
    if not isinstance(alter.id, str) or not ID_PATTERN.match(alter.id):
        out.append(
            Problem(
                f"{where}.id",
                f"{alter.id!r} is not an id: use 1 to 64 letters, digits, '.', '_' or '-'",
            )
        )
    if not isinstance(alter.name, str) or len(alter.name) > NAME_MAX:
        out.append(Problem(f"{where}.name", f"a first name or nickname of at most {NAME_MAX}"))
    for field, attr in (("relations", "relation"), ("frequencies", "frequency")):
        value = getattr(alter, attr)
        if value not in allowed[field]:
            out.append(
                Problem(
                    f"{where}.{attr}",
                    f"{value!r} is not a code; codes: {_codes_text(defs.codes(field))}",
                )
            )
    if isinstance(alter.circle, bool) or alter.circle not in allowed["circles"]:
        out.append(Problem(f"{where}.circle", f"{alter.circle!r} is not a circle; use 1, 2 or 3"))
    if not isinstance(alter.meaningful, bool):
        out.append(Problem(f"{where}.meaningful", f"{alter.meaningful!r}: use true or false"))
    if alter.wants is not None and alter.wants not in allowed["wants"]:
        out.append(
            Problem(
                f"{where}.wants",
                f"{alter.wants!r} is not a code; codes: {_codes_text(defs.codes('wants'))}",
            )
        )
    for field, attr in (("modes", "modes"), ("support", "support")):
        values = getattr(alter, attr)
        for value in values:
            if value not in allowed[field]:
                out.append(
                    Problem(
                        f"{where}.{attr}",
                        f"{value!r} is not a code; codes: {_codes_text(defs.codes(field))}",
                    )
                )
        if len(set(values)) != len(values):
            out.append(Problem(f"{where}.{attr}", "a code appears twice"))
    return out


@functools.cache
def _allowed(defs: Definitions) -> dict[str, frozenset[Any]]:
    return {field: frozenset(defs.codes(field)) for field in CODE_FIELDS}


def problems(network: Network, defs: Definitions | None = None) -> list[Problem]:
    """Everything wrong with a map, at once, in order of where it is."""
    defs = defs or definitions()
    allowed = _allowed(defs)
    out: list[Problem] = []
    if not isinstance(network.ego, str) or not ID_PATTERN.match(network.ego):
        out.append(
            Problem("ego", f"{network.ego!r} is not an id: use 1 to 64 letters, digits, '.', "
                    "'_' or '-'")
        )  # fmt: skip
    if not isinstance(network.wave, int) or isinstance(network.wave, bool) or network.wave < 0:
        out.append(Problem("wave", f"{network.wave!r}: use a whole number of 0 or more"))
    if len(network.alters) > defs.max_alters:
        out.append(
            Problem(
                "alters",
                f"{len(network.alters)} people; a map holds at most {defs.max_alters}",
            )
        )
    first_id: dict[str, int] = {}
    first_name: dict[str, int] = {}
    relations, frequencies = allowed["relations"], allowed["frequencies"]
    circles, wants = allowed["circles"], allowed["wants"]
    match_id = ID_PATTERN.match
    for i, alter in enumerate(network.alters):
        # The common case in one expression (bulk files hold millions of people); the
        # full check only when something is off, for its messages.
        if not (
            alter.relation in relations
            and alter.frequency in frequencies
            and type(alter.circle) is int
            and alter.circle in circles
            and type(alter.meaningful) is bool
            and (alter.wants is None or alter.wants in wants)
            and not alter.modes
            and not alter.support
            and type(alter.name) is str
            and len(alter.name) <= NAME_MAX
            and type(alter.id) is str
            and match_id(alter.id)
        ):
            out.extend(_check_alter(alter, i, defs, allowed))
        if alter.id in first_id:
            out.append(
                Problem(f"alters[{i}].id", f"{alter.id!r} is also alters[{first_id[alter.id]}]")
            )
        else:
            first_id[alter.id] = i
        if not alter.name:
            continue
        key = normalise_name(alter.name) if isinstance(alter.name, str) else ""
        if key:
            if key in first_name:
                out.append(
                    Problem(
                        f"alters[{i}].name",
                        f"{alter.name!r} is also the name of alters[{first_name[key]}]; "
                        "add something to tell them apart",
                    )
                )
            else:
                first_name[key] = i
    seen: dict[frozenset[str], int] = {}
    for j, tie in enumerate(network.ties):
        where = f"ties[{j}]"
        if not isinstance(tie, tuple | list) or len(tie) != 2:
            out.append(Problem(where, "a tie is a pair of two alter ids"))
            continue
        a, b = tie
        unknown = [x for x in (a, b) if x not in first_id]
        if unknown:
            out.append(Problem(where, f"no person with id {_codes_text(map(repr, unknown))}"))
            continue
        if a == b:
            out.append(Problem(where, f"{a!r} is tied to themself; a tie joins two people"))
            continue
        pair = frozenset((a, b))
        if pair in seen:
            out.append(Problem(where, f"{a!r} - {b!r} is also ties[{seen[pair]}]"))
        else:
            seen[pair] = j
    return out


def validate(network: Network, defs: Definitions | None = None) -> Network:
    """The map itself when it is valid; otherwise :class:`NetworkError` with all problems."""
    found = problems(network, defs)
    if found:
        raise NetworkError(found)
    return network


_ALTER_KEYS = frozenset(
    {"id", "name", "relation", "circle", "frequency", "meaningful", "wants", "modes", "support"}
)
_REQUIRED_ALTER_KEYS = ("id", "relation", "circle", "frequency", "meaningful")
_REQUIRED = frozenset(_REQUIRED_ALTER_KEYS)
# Fields with one value: a list or an object there cannot be compared with the codes.
_ONE_VALUE_KEYS = ("id", "relation", "circle", "frequency", "wants")
_POSITION = re.compile(r"\b(alters|ties)\[(\d+)\]")
_MAP_KEYS = frozenset({"ego", "wave", "alters", "ties"})


def _codes_list(value: Any, where: str, out: list[Problem]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        out.append(Problem(where, 'expected a list of codes, e.g. ["phone"]'))
        return ()
    return tuple(value)


def from_dict(data: Any, defs: Definitions | None = None) -> Network:
    """A validated map from a mapping shaped like one line of a MAPS file::

        {"ego": "p-017", "wave": 1,
         "alters": [{"id": "a1", "circle": 1, "relation": "family", "frequency": "weekly",
                     "meaningful": true, "wants": "more", "modes": ["phone"]}, ...],
         "ties": [["a1", "a2"]]}

    ``ego``, ``wave`` and ``alters`` are required, per alter ``id``, ``relation``,
    ``circle``, ``frequency`` and ``meaningful``; the rest may be left out. Raises
    :class:`NetworkError` with every problem (wrong types first, then :func:`problems`).
    """
    if not isinstance(data, Mapping):
        raise NetworkError([Problem("map", 'expected an object {"ego": ..., "alters": ...}')])
    out: list[Problem] = []
    unknown = sorted(set(data) - _MAP_KEYS, key=str)
    if unknown:
        out.append(Problem("map", f"unknown field {_codes_text(map(repr, unknown))}; "
                                  f"fields: {_codes_text(sorted(_MAP_KEYS))}"))  # fmt: skip
    for key in ("ego", "wave", "alters"):
        if key not in data:
            out.append(Problem(key, "missing"))
    raw_alters = data.get("alters", [])
    if not isinstance(raw_alters, list):
        out.append(Problem("alters", "expected a list of people"))
        raw_alters = []
    alters: list[Alter] = []
    # Parts that cannot be read are left out of the map that is checked; their positions
    # keep every problem's "alters[i]" / "ties[j]" pointing at the line as written.
    alter_at: list[int] = []
    tie_at: list[int] = []
    unchecked: set[str] = set()  # missing fields: already said, not again as a wrong code
    for i, raw in enumerate(raw_alters):
        where = f"alters[{i}]"
        if type(raw) is not dict and not isinstance(raw, Mapping):
            out.append(Problem(where, 'expected an object {"id": ..., "circle": ...}'))
            continue
        bad = () if raw.keys() <= _ALTER_KEYS else sorted(set(raw) - _ALTER_KEYS, key=str)
        if bad:
            out.append(Problem(where, f"unknown field {_codes_text(map(repr, bad))}; "
                                      f"fields: {_codes_text(sorted(_ALTER_KEYS))}"))  # fmt: skip
        if not raw.keys() >= _REQUIRED:
            missing = [k for k in _REQUIRED_ALTER_KEYS if k not in raw]
            out.append(Problem(where, f"missing {_codes_text(missing)}"))
            unchecked.update(f"{where}.{k}" for k in missing)
        name = raw.get("name") or ""
        modes, support = raw.get("modes"), raw.get("support")
        one = {}
        for key in _ONE_VALUE_KEYS:
            value = raw.get(key)
            if isinstance(value, list | dict):
                out.append(Problem(f"{where}.{key}", f"{value!r}: expected one value"))
                unchecked.add(f"{where}.{key}")
                value = None
            one[key] = value
        alter_at.append(i)
        alters.append(
            Alter(
                id=one["id"],
                relation=one["relation"],
                circle=one["circle"],
                frequency=one["frequency"],
                meaningful=raw.get("meaningful"),  # type: ignore[arg-type]
                wants=one["wants"],
                modes=() if modes is None else _codes_list(modes, f"{where}.modes", out),
                support=() if support is None else _codes_list(support, f"{where}.support", out),
                name=name,
            )
        )
    raw_ties = data.get("ties", [])
    ties: list[tuple[str, str]] = []
    if not isinstance(raw_ties, list):
        out.append(Problem("ties", "expected a list of pairs of alter ids"))
        raw_ties = []
    for j, tie in enumerate(raw_ties):
        if type(tie) is list and len(tie) == 2 and type(tie[0]) is str and type(tie[1]) is str:
            tie_at.append(j)
            ties.append((tie[0], tie[1]))
        else:
            out.append(Problem(f"ties[{j}]", f"{tie!r}: a tie is a pair of two alter ids"))
    network = Network(data.get("ego", ""), data.get("wave", 0), tuple(alters), tuple(ties))
    if out:
        positions = {"alters": alter_at, "ties": tie_at}

        def as_written(text: str) -> str:
            return _POSITION.sub(lambda m: f"{m[1]}[{positions[m[1]][int(m[2])]}]", text)

        said = {q.where for q in out} | unchecked
        rest = [
            Problem(as_written(p.where), as_written(p.message)) for p in problems(network, defs)
        ]
        # Problems of the parts that could be read come after the shape problems.
        raise NetworkError([*out, *(p for p in rest if p.where not in said)])
    return validate(network, defs)


def to_dict(network: Network, *, names: bool = False) -> dict[str, Any]:
    """The map as one line of a MAPS file (``from_dict`` reads it back). Names only when
    asked: research files carry ids only."""
    alters = []
    for a in network.alters:
        item: dict[str, Any] = {
            "id": a.id,
            "relation": a.relation,
            "circle": a.circle,
            "frequency": a.frequency,
            "meaningful": a.meaningful,
        }
        if a.wants is not None:
            item["wants"] = a.wants
        if a.modes:
            item["modes"] = list(a.modes)
        if a.support:
            item["support"] = list(a.support)
        if names and a.name:
            item["name"] = a.name
        alters.append(item)
    return {
        "ego": network.ego,
        "wave": network.wave,
        "alters": alters,
        "ties": [list(t) for t in network.ties],
    }
