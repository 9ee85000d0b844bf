"""Reading a MAPS file: JSON Lines, one network map per line (shape: :func:`model.from_dict`).

Every bad line is reported with its line number and all its problems; blank lines are
skipped. The same person (ego) with the same wave twice is a problem of the later line.

Pure Python: no Django imports.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verbind.core.network.definitions import Definitions, definitions
from verbind.core.network.model import Network, NetworkError, from_dict


@dataclass(frozen=True, slots=True)
class LineError:
    line: int  # 1-based
    ego: str | None  # when the line names one
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class MapsFile:
    maps: tuple[Network, ...]
    lines: tuple[int, ...]  # the line of each map
    errors: tuple[LineError, ...]


def json_lines(lines: Iterable[str | bytes]) -> Iterator[tuple[int, Any]]:
    """(line number, parsed JSON) for every line that is not blank; a line that is not
    UTF-8 or not JSON gives its :class:`LineError` in place of the data. Shared by reading
    maps and by measuring them in bulk, so both report a bad line the same way."""
    loads = json.loads
    for number, text in enumerate(lines, start=1):
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield number, LineError(number, None, f"not UTF-8 text (byte {exc.start + 1})")
                continue
        if not text.strip():
            continue
        try:
            yield number, loads(text)
        except json.JSONDecodeError as exc:
            yield number, LineError(number, None, f"not valid JSON ({exc.msg}, column {exc.colno})")


def ego_of(data: Any) -> str | None:
    """The ego of a line that may be broken, to name it in a problem."""
    ego = data.get("ego") if isinstance(data, dict) else None
    return ego if isinstance(ego, str) else None


def repeated(first_line: dict[tuple[str, int], int], ego: str, wave: int, number: int):
    """A LineError when this ego and wave were on an earlier line; otherwise remember the
    line and return None."""
    key = (ego, wave)
    if key in first_line:
        return LineError(number, ego, f"ego {ego!r} wave {wave} is also on line {first_line[key]}")
    first_line[key] = number
    return None


def read_lines(lines: Iterable[str | bytes], defs: Definitions | None = None) -> MapsFile:
    """Read maps from lines of text (or of UTF-8 bytes)."""
    defs = defs or definitions()
    maps: list[Network] = []
    numbers: list[int] = []
    errors: list[LineError] = []
    first_line: dict[tuple[str, int], int] = {}
    for number, data in json_lines(lines):
        if isinstance(data, LineError):
            errors.append(data)
            continue
        try:
            network = from_dict(data, defs)
        except NetworkError as exc:
            errors.append(LineError(number, ego_of(data), "; ".join(map(str, exc.problems))))
            continue
        problem = repeated(first_line, network.ego, network.wave, number)
        if problem is not None:
            errors.append(problem)
            continue
        maps.append(network)
        numbers.append(number)
    return MapsFile(tuple(maps), tuple(numbers), tuple(errors))


def read_maps(path: Path | str, defs: Definitions | None = None) -> MapsFile:
    """Read a MAPS file (UTF-8). Raises OSError when it cannot be read."""
    with open(path, "rb") as fh:
        return read_lines(fh, defs)
