"""Timeline geometry: every item becomes a point, no two points overlap, axes make sense."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from onrecord.web._timeline import RADIUS, PlotItem, build_plot

LEVELS = ("supports", "conditional", "neutral", "opposes")


def _item(day: int, level: str, quote_id: int) -> PlotItem:
    return PlotItem(date(2026, 1, 1) + timedelta(days=day), level, quote_id, f"q{quote_id}")


@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.sampled_from([*LEVELS, "other"])),
        max_size=40,
    )
)
def test_points_never_overlap(raw: list[tuple[int, str]]) -> None:
    items = [_item(day, level, n) for n, (day, level) in enumerate(raw)]
    plot = build_plot("t", items, LEVELS)
    assert len(plot.points) == len(items)
    assert {p.quote_id for p in plot.points} == {i.quote_id for i in items}
    for a, b in combinations(plot.points, 2):
        assert (a.x - b.x) ** 2 + (a.y - b.y) ** 2 >= (2 * RADIUS) ** 2
    assert len(plot.months) <= 13


def test_levels_top_to_bottom_and_dates_left_to_right() -> None:
    items = [_item(0, "opposes", 1), _item(60, "supports", 2)]
    plot = build_plot("t", items, LEVELS, shift_dates=[date(2026, 3, 2)])
    first, second = plot.points
    assert first.x < second.x
    assert second.y < first.y
    assert [t.label for t in plot.levels] == list(LEVELS)
    assert [t.label for t in plot.months] == ["Jan 2026", "Feb 2026", "Mar 2026"]
    assert plot.shifts[0].position == second.x


def test_shared_extent_aligns_plots() -> None:
    extent = (date(2026, 1, 1), date(2026, 12, 31))
    one = build_plot("a", [_item(100, "supports", 1)], LEVELS, extent=extent)
    two = build_plot("b", [_item(100, "opposes", 2)], LEVELS, extent=extent)
    assert one.points[0].x == two.points[0].x


def test_empty_plot() -> None:
    plot = build_plot("none", [], LEVELS, undated=3)
    assert plot.points == []
    assert plot.undated == 3
