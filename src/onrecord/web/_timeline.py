"""Server-side SVG timeline plots: statements or stances over time, one point per item.

Input: dated items (a date, a level such as a stance or a quote kind, the quote to link to)
and shift dates. Output: ``Plot`` geometry that ``_timeline.html`` draws; no JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

WIDTH: Final = 720
LEFT: Final = 96
RIGHT: Final = 24
TOP: Final = 16
ROW: Final = 48
BOTTOM: Final = 36
RADIUS: Final = 5
# Same-day points sit side by side without overlapping, so each stays clickable.
STACK_STEP: Final = 2 * RADIUS + 1
MAX_MONTH_LABELS: Final = 12
MIN_TICKS: Final = 2
MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class PlotItem:
    """One thing to plot: when, at which level, what it says and which quote it links to."""

    when: date
    level: str
    quote_id: int
    label: str
    is_shift: bool = False


@dataclass(frozen=True, slots=True)
class Point:
    """A placed point."""

    x: float
    y: float
    level: str
    quote_id: int
    label: str
    is_shift: bool


@dataclass(frozen=True, slots=True)
class Tick:
    """An axis label."""

    position: float
    label: str


@dataclass(frozen=True, slots=True)
class Plot:
    """Everything the SVG template needs for one plot."""

    title: str
    width: int
    height: int
    left: int
    right: int
    levels: list[Tick]
    months: list[Tick]
    points: list[Point]
    shifts: list[Tick]
    undated: int


def _month_starts(first: date, last: date) -> list[date]:
    month = date(first.year, first.month, 1)
    out = []
    while month <= last:
        if month >= first:
            out.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return out


def _days(first: date, last: date) -> list[date]:
    """First, middle and last day of a span."""
    middle = first + (last - first) / 2
    return sorted({first, middle, last})


class _Placed:
    """Points already placed, bucketed by x so a new point is checked against its neighbours
    only, with where the last point from each starting spot landed (dense actors put
    hundreds of points on one day; without both, placing them is quadratic twice over)."""

    def __init__(self) -> None:
        self.buckets: dict[int, list[tuple[float, float]]] = {}
        self.resume: dict[tuple[float, float], float] = {}

    def is_free(self, cx: float, cy: float) -> bool:
        bucket = int(cx // STACK_STEP)
        return all(
            (cx - px) ** 2 + (cy - py) ** 2 >= STACK_STEP**2
            for near in (bucket - 1, bucket, bucket + 1)
            for px, py in self.buckets.get(near, ())
        )

    def add(self, cx: float, cy: float) -> None:
        self.buckets.setdefault(int(cx // STACK_STEP), []).append((cx, cy))


def _free_spot(x: float, y: float, placed: _Placed) -> tuple[float, float]:
    """The nearest spot to (x, y) where a point overlaps none already placed.

    Tries the row's centre line, then a lane above and below it; when all three are taken
    near that date, moves right in small steps (a bee-swarm layout, so every point stays
    visible and clickable).
    """
    lanes = (0.0, -float(STACK_STEP), float(STACK_STEP))
    shift = placed.resume.get((x, y), 0.0)
    while True:
        for lane in lanes:
            cx, cy = round(x + shift, 1), y + lane
            if placed.is_free(cx, cy):
                placed.resume[(x, y)] = shift
                placed.add(cx, cy)
                return cx, cy
        shift += RADIUS


def build_plot(
    title: str,
    items: Sequence[PlotItem],
    levels: Sequence[str],
    *,
    shift_dates: Sequence[date] = (),
    undated: int = 0,
    extent: tuple[date, date] | None = None,
) -> Plot:
    """Place dated items on a time axis (x) and named levels (y, first level on top).

    Items close in time on the same level are spread so every point stays visible and
    clickable. Items whose level is not in ``levels`` get a row of their own at the bottom.

    Args:
        title: Plot heading.
        items: Dated items.
        levels: Row names, top to bottom.
        shift_dates: Dates to mark with a vertical line.
        undated: How many items were left out for lack of a date (shown as a note).
        extent: First and last date of the axis, so several plots share one time scale;
            by default the items' own range.

    Returns:
        The plot geometry in a ``WIDTH``-wide coordinate system.
    """
    rows = list(levels) + sorted({i.level for i in items} - set(levels))
    height = TOP + ROW * max(len(rows), 1) + BOTTOM
    dates = [i.when for i in items] + list(shift_dates) + list(extent or ())
    first = min(dates) if dates else date.today()
    last = max(dates) if dates else first
    if last - first < timedelta(days=14):
        first, last = first - timedelta(days=7), last + timedelta(days=7)
    span = (last - first).days
    inner = WIDTH - LEFT - RIGHT

    def x_of(day: date) -> float:
        return round(LEFT + inner * (day - first).days / span, 1)

    def y_of(level: str) -> float:
        return float(TOP + ROW * rows.index(level) + ROW // 2)

    placed = _Placed()
    points = []
    for item in sorted(items, key=lambda i: (i.when, i.quote_id)):
        x, y = _free_spot(x_of(item.when), y_of(item.level), placed)
        points.append(
            Point(
                x=x,
                y=y,
                level=item.level,
                quote_id=item.quote_id,
                label=item.label,
                is_shift=item.is_shift,
            )
        )
    starts = _month_starts(first, last)
    # Label at most about a dozen months so the axis stays readable over long spans.
    every = max(1, -(-len(starts) // MAX_MONTH_LABELS))
    months = [Tick(x_of(m), f"{MONTHS[m.month - 1]} {m.year}") for m in starts[::every]]
    if len(months) < MIN_TICKS:
        # A short span (one point, one week) crosses at most one month start: label days, so
        # that every plot, even of one statement, has dates under it.
        months = [
            Tick(x_of(d), f"{d.day} {MONTHS[d.month - 1]} {d.year}") for d in _days(first, last)
        ]
    return Plot(
        title=title,
        width=WIDTH,
        height=height,
        left=LEFT,
        right=WIDTH - RIGHT,
        levels=[Tick(y_of(level), level) for level in rows],
        months=months,
        points=points,
        shifts=[Tick(x_of(d), d.isoformat()) for d in sorted(set(shift_dates))],
        undated=undated,
    )
