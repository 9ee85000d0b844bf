"""Small charts: one measure per chart, in the measure's own units.

Pure Python (no Django): plain values in, plain numbers out, so the geometry is tested
without a database or a browser. The templates (``includes/small_chart.html``) only draw
what :func:`small_chart` returns; the history chart on the participant's home and the
coach's participant page and the course's progress page use it alike.

Why one measure per chart: two lines on one 0-100 % axis made a reader compare shares of
different scales, one of which had been turned round; "lower is better" then held for a
line that was not the measure's own direction. Now each chart has the scale's real range
on its vertical axis (0 to 11 for the long loneliness scale, 0 to 30 for contacts), says in
words which way is better (the template, from ``higher_is``), and has its table beside it.

Points are placed evenly from left to right in the order given (tests are irregular, often
two on one day; the table gives the exact dates). A single point is drawn as a marker in
the middle; a line joins two or more. The drawing is 320 units wide and shown at most
20rem (320 px) wide, so on a 375 px phone it is drawn at about its own size and its 14-unit
labels are about 14 px; only some moments get a label under the axis (the first, the last
and evenly chosen ones between: ``max_x_labels``); the table names them all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from verbind.core.instrument import registry

WIDTH = 320
HEIGHT = 200
LABEL_SIZE = 14
MARKER_RADIUS = 6


@dataclass(frozen=True)
class Measure:
    """A scale as a chart needs it: its own range and which way is better."""

    instrument: str
    min: int
    max: int
    higher_is: str  # "worse" | "better"


def measure_of(instrument_id: str | None) -> Measure | None:
    """The primary scale of an instrument from its definition; None when unknown."""
    inst = registry().get(instrument_id or "")
    scale = inst.primary_scale if inst is not None else None
    if scale is None:
        return None
    return Measure(inst.id, scale.min, scale.max, scale.higher_is)


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
class Mark:
    x: float
    y: float
    value: float
    index: int  # position in the values given


@dataclass(frozen=True)
class YTick:
    y: float
    value: int


@dataclass(frozen=True)
class XLabel:
    x: float
    text: str
    anchor: str  # SVG text-anchor: "start", "middle" or "end" (kept inside the drawing)


@dataclass(frozen=True)
class SmallChart:
    width: int
    height: int
    plot: Box
    lo: int
    hi: int
    higher_is: str
    marks: tuple[Mark, ...]
    path: str  # "" for a single point
    y_ticks: tuple[YTick, ...]
    x_labels: tuple[XLabel, ...]
    label_size: int = LABEL_SIZE
    marker_radius: int = MARKER_RADIUS

    @property
    def y_label_x(self) -> float:
        """Where the numbers of the vertical axis end, just left of it."""
        return self.plot.left - 6

    @property
    def x_label_y(self) -> float:
        """The baseline of the labels under the axis."""
        return self.plot.bottom + self.label_size + 8

    @property
    def single(self) -> bool:
        return len(self.marks) == 1


def label_indices(n: int, max_labels: int) -> tuple[int, ...]:
    """Which points get a label: all when they fit, else the first, the last and evenly
    chosen ones between."""
    if n <= max_labels:
        return tuple(range(n))
    step = math.ceil((n - 1) / (max_labels - 1))
    chosen = list(range(0, n - 1, step))
    if n - 1 - chosen[-1] < step / 2 and len(chosen) > 1:
        chosen.pop()  # too close to the last one to both fit
    return (*chosen, n - 1)


def y_tick_values(lo: int, hi: int) -> tuple[int, ...]:
    """The lowest and highest possible score, and the middle when it is a whole number
    (else the nearest whole number below it)."""
    if hi - lo < 2:
        return (lo, hi)
    return (lo, (lo + hi) // 2, hi)


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def small_chart(
    values: Sequence[float],
    labels: Sequence[str],
    lo: int,
    hi: int,
    higher_is: str = "worse",
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    margin: tuple[int, int, int, int] = (14, 14, 34, 34),  # top, right, bottom, left
    inset: int = 22,
    max_x_labels: int = 3,
    label_size: int = LABEL_SIZE,
) -> SmallChart:
    """Where everything goes, in SVG user units, for ``values`` on the scale [lo, hi].

    ``labels[i]`` names ``values[i]`` (a date, "Week 2"). A value outside the scale is
    drawn at its edge, never off the chart.
    """
    if len(values) != len(labels):
        raise ValueError("one label per value")
    if hi <= lo:
        raise ValueError("the scale's highest score must be above its lowest")
    if max_x_labels < 2:
        raise ValueError("max_x_labels must be at least 2 (the first and the last)")
    top, right, bottom, left = margin
    plot = Box(left, top, width - right, height - bottom)
    if plot.width <= 2 * inset or plot.height <= 0:
        raise ValueError("the chart is too small for its margins")
    n = len(values)

    def x_at(i: int) -> float:
        if n == 1:
            return plot.left + plot.width / 2
        return plot.left + inset + i * (plot.width - 2 * inset) / (n - 1)

    def y_at(value: float) -> float:
        share = min(1.0, max(0.0, (value - lo) / (hi - lo)))
        return plot.bottom - share * plot.height

    marks = tuple(Mark(round(x_at(i), 2), round(y_at(v), 2), v, i) for i, v in enumerate(values))
    path = (
        " ".join(f"{'M' if m.index == 0 else 'L'}{_fmt(m.x)},{_fmt(m.y)}" for m in marks)
        if n > 1
        else ""
    )
    chosen = label_indices(n, max_x_labels) if n else ()
    x_labels = []
    for i in chosen:
        anchor = "middle"
        if n > 1 and i == 0:
            anchor = "start"
        elif n > 1 and i == n - 1:
            anchor = "end"
        # A label that starts or ends at its point is moved back by the inset, so it
        # stays inside the plot's width.
        x = x_at(i) - (inset if anchor == "start" else 0) + (inset if anchor == "end" else 0)
        x_labels.append(XLabel(round(x, 2), labels[i], anchor))
    y_ticks = tuple(YTick(round(y_at(v), 2), v) for v in y_tick_values(lo, hi))
    return SmallChart(
        width, height, plot, lo, hi, higher_is, marks, path, y_ticks, tuple(x_labels), label_size
    )
