"""Reliability bins and expected calibration error on hand-made confidences."""

from __future__ import annotations

import pytest

from onrecord.evaluation import expected_calibration_error, reliability_bins


def test_bins_are_equal_width_and_one_falls_in_the_last() -> None:
    bins = reliability_bins([(0.05, False), (0.95, True), (0.95, False), (1.0, True)])
    assert len(bins) == 10
    assert [b.n for b in bins] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 3]
    last = bins[-1]
    assert last.lower == pytest.approx(0.9)
    assert last.upper == 1.0
    assert last.mean_confidence == pytest.approx((0.95 + 0.95 + 1.0) / 3)
    assert last.accuracy == pytest.approx(2 / 3)
    expected = (abs(0 - 0.05) + 3 * abs(2 / 3 - 2.9 / 3)) / 4
    assert expected_calibration_error(bins) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("pairs", "ece"),
    [
        ([], 0.0),
        ([(0.25, True), (0.25, False), (0.25, False), (0.25, False)], 0.0),
        ([(1.0, False)], 1.0),
        ([(0.0, True)], 1.0),
    ],
)
def test_ece_edges(pairs: list[tuple[float, bool]], ece: float) -> None:
    assert expected_calibration_error(reliability_bins(pairs)) == pytest.approx(ece)
