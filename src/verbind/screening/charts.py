"""History chart geometry: measurements over time as points and lines for a hand-built SVG.

Pure Python (no Django): plain values in, plain numbers out, so the geometry is tested
without a database or a browser. The template (``screening/includes/history_chart.html``)
only draws what :func:`chart_geometry` returns.

Two lines share one vertical axis, 0-100 % of each scale's range, and for BOTH lines lower
is better:

* loneliness: the loneliness scale's total (DJG-11, DJG-6 or UCLA-3) as a share of its
  range, so a DJG-6 and a DJG-11 test can be compared;
* few contacts: the isolation scale's total as a share of its range, turned round when a
  higher score means more contacts (LSNS-6: ``higher_is: better`` in its definition).

Measurements are placed evenly from left to right in the order they were made; their
dates are written under them. (Tests are irregular, often two on one day; even spacing
keeps every point visible, and the table beside the chart gives the exact dates.)
Scale ranges and directions are read from the instrument definitions, never repeated here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from verbind.core.instrument import registry

SERIES = ("loneliness", "isolation")
# Size of a square marker (the isolation line's points), in SVG units.
MARKER = 10

# The SVG scales to its box, and its labels with it: on a 375 px phone a 640-unit-wide
# chart is drawn at about half size. So there are two layouts, one for wide and one for
# narrow screens (the stylesheet shows one of them), each with a label size that stays at
# least 12 px on the screens it is shown on.
WIDE = {"width": 640, "height": 260, "inset": 32, "label_size": 14}
NARROW = {
    "width": 320,
    "height": 260,
    "margin": (12, 20, 44, 58),
    "inset": 30,  # room for half a date beyond the first and last point
    "max_x_labels": 3,
    "label_size": 15,
}


@dataclass(frozen=True)
class Reading:
    """One measurement as the chart sees it. Shares are 0..1, higher = worse."""

    when: dt.datetime | dt.date
    loneliness: float | None
    isolation: float | None
    loneliness_score: int | None = None
    loneliness_min: int | None = None
    loneliness_max: int | None = None
    isolation_score: int | None = None
    isolation_min: int | None = None
    isolation_max: int | None = None
    isolation_higher_is: str = "worse"


def share_of(value: int | float | None, lo: int, hi: int, higher_is: str = "worse") -> float | None:
    """``value`` as a share of [lo, hi], turned round when a higher value is better."""
    if value is None or hi <= lo:
        return None
    share = min(1.0, max(0.0, (value - lo) / (hi - lo)))
    return 1.0 - share if higher_is == "better" else share


def _total_scale(instrument_id: str | None):
    if not instrument_id:
        return None
    inst = registry().get(instrument_id)
    return inst.primary_scale if inst is not None else None


def reading_of(
    when: dt.datetime | dt.date,
    *,
    loneliness_instrument: str | None,
    loneliness_score: int | None,
    isolation_instrument: str | None,
    isolation_score: int | None,
) -> Reading:
    """A Reading from a measurement's headline scores (instrument ids from contract.md)."""
    lon = _total_scale(loneliness_instrument)
    iso = _total_scale(isolation_instrument)
    return Reading(
        when=when,
        loneliness=(share_of(loneliness_score, lon.min, lon.max, lon.higher_is) if lon else None),
        isolation=share_of(isolation_score, iso.min, iso.max, iso.higher_is) if iso else None,
        loneliness_score=loneliness_score if lon else None,
        loneliness_min=lon.min if lon else None,
        loneliness_max=lon.max if lon else None,
        isolation_score=isolation_score if iso else None,
        isolation_min=iso.min if iso else None,
        isolation_max=iso.max if iso else None,
        isolation_higher_is=iso.higher_is if iso else "worse",
    )


# --- geometry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    index: int  # position in the readings (oldest first)
    share: float

    @property
    def marker_left(self) -> float:
        return round(self.x - MARKER / 2, 2)

    @property
    def marker_top(self) -> float:
        return round(self.y - MARKER / 2, 2)


@dataclass(frozen=True)
class Series:
    id: str  # "loneliness" | "isolation"
    points: tuple[Point, ...]
    path: str  # SVG path data; a new "M" after a measurement without this score

    @property
    def empty(self) -> bool:
        return not self.points


@dataclass(frozen=True)
class YTick:
    y: float
    percent: int


@dataclass(frozen=True)
class XTick:
    x: float
    index: int
    when: dt.datetime | dt.date


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot: Box
    readings: tuple[Reading, ...]
    y_ticks: tuple[YTick, ...]
    x_ticks: tuple[XTick, ...]
    series: tuple[Series, ...]
    label_size: int = 13  # font size of the axis labels, in SVG units

    @property
    def y_label_x(self) -> float:
        """Where the percentages end, just left of the axis."""
        return self.plot.left - 8

    @property
    def x_label_y(self) -> float:
        """The baseline of the dates, under the axis."""
        return self.plot.bottom + self.label_size + 9

    def get(self, series_id: str) -> Series:
        return next(s for s in self.series if s.id == series_id)

    @property
    def loneliness(self) -> Series:
        return self.get("loneliness")

    @property
    def isolation(self) -> Series:
        return self.get("isolation")


def _sort_key(reading: Reading) -> dt.datetime:
    when = reading.when
    if isinstance(when, dt.datetime):
        # Compare aware and naive values alike; only the order matters here.
        return when.replace(tzinfo=None) if when.tzinfo is None else when.astimezone(dt.UTC)
    return dt.datetime.combine(when, dt.time.min)


def _label_indices(n: int, max_labels: int) -> tuple[int, ...]:
    """Which points get a date under them: all when they fit, else evenly chosen ones,
    always the first and the last."""
    if n <= max_labels:
        return tuple(range(n))
    step = math.ceil((n - 1) / (max_labels - 1))
    chosen = list(range(0, n - 1, step))
    if n - 1 - chosen[-1] < step / 2 and len(chosen) > 1:
        chosen.pop()  # too close to the last one to both fit
    return (*chosen, n - 1)


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _path(points: Sequence[Point], gaps: set[int]) -> str:
    parts: list[str] = []
    previous: Point | None = None
    for p in points:
        joined = previous is not None and not any(previous.index < g < p.index for g in gaps)
        parts.append(f"{'L' if joined else 'M'}{_fmt(p.x)},{_fmt(p.y)}")
        previous = p
    return " ".join(parts)


def chart_geometry(
    readings: Sequence[Reading],
    *,
    width: int = 640,
    height: int = 260,
    margin: tuple[int, int, int, int] = (16, 20, 44, 52),  # top, right, bottom, left
    inset: int = 24,
    max_x_labels: int = 6,
    label_size: int = 13,
) -> Chart:
    """Where everything goes, in SVG user units (the SVG scales to its box).

    ``readings`` in any order (sorted oldest first here). ``inset`` keeps the first and
    last points off the axes. A reading without a score leaves a gap in that line.
    """
    if width <= 0 or height <= 0:
        raise ValueError("width and height must be positive")
    if max_x_labels < 2:
        raise ValueError("max_x_labels must be at least 2 (the first and the last)")
    top, right, bottom, left = margin
    plot = Box(left, top, width - right, height - bottom)
    if plot.width <= 2 * inset or plot.height <= 0:
        raise ValueError("the chart is too small for its margins")
    ordered = tuple(sorted(readings, key=_sort_key))
    n = len(ordered)

    def x_at(i: int) -> float:
        if n == 1:
            return plot.left + plot.width / 2
        return plot.left + inset + i * (plot.width - 2 * inset) / (n - 1)

    def y_at(share: float) -> float:
        return plot.bottom - share * plot.height

    series = []
    for series_id in SERIES:
        points = tuple(
            Point(round(x_at(i), 2), round(y_at(share), 2), i, share)
            for i, r in enumerate(ordered)
            if (share := getattr(r, series_id)) is not None
        )
        gaps = {i for i, r in enumerate(ordered) if getattr(r, series_id) is None}
        series.append(Series(series_id, points, _path(points, gaps)))

    y_ticks = tuple(YTick(round(y_at(p / 100), 2), p) for p in (0, 25, 50, 75, 100))
    x_ticks = tuple(
        XTick(round(x_at(i), 2), i, ordered[i].when) for i in _label_indices(n, max_x_labels)
    ) if n else ()  # fmt: skip
    return Chart(width, height, plot, ordered, y_ticks, x_ticks, tuple(series), label_size)
