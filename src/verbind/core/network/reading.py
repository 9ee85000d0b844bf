"""Reading a MAPS file: JSON Lines, one network map per line (shape: :func:`model.from_dict`).

Every bad line is reported with its line number and all its problems; blank lines are
skipped. The same person (ego) with the same wave twice is a problem of the later line.

Pure Python: no Django imports.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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


def read_lines(lines: Iterable[str | bytes], defs: Definitions | None = None) -> MapsFile:
    """Read maps from lines of text (or of UTF-8 bytes)."""
    defs = defs or definitions()
    maps: list[Network] = []
    numbers: list[int] = []
    errors: list[LineError] = []
    first_line: dict[tuple[str, int], int] = {}
    loads = json.loads
    for number, text in enumerate(lines, start=1):
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                errors.append(LineError(number, None, f"not UTF-8 text (byte {exc.start + 1})"))
                continue
        if not text.strip():
            continue
        try:
            data = loads(text)
        except json.JSONDecodeError as exc:
            errors.append(
                LineError(number, None, f"not valid JSON ({exc.msg}, column {exc.colno})")
            )
            continue
        ego = data.get("ego") if isinstance(data, dict) else None
        ego = ego if isinstance(ego, str) else None
        try:
            network = from_dict(data, defs)
        except NetworkError as exc:
            errors.append(LineError(number, ego, "; ".join(map(str, exc.problems))))
            continue
        key = (network.ego, network.wave)
        if key in first_line:
            errors.append(
                LineError(
                    number,
                    network.ego,
                    f"ego {network.ego!r} wave {network.wave} is also on line {first_line[key]}",
                )
            )
            continue
        first_line[key] = number
        maps.append(network)
        numbers.append(number)
    return MapsFile(tuple(maps), tuple(numbers), tuple(errors))


def read_maps(path: Path | str, defs: Definitions | None = None) -> MapsFile:
    """Read a MAPS file (UTF-8). Raises OSError when it cannot be read."""
    with open(path, "rb") as fh:
        return read_lines(fh, defs)
