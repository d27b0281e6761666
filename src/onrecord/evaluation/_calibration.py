"""How well confidences predict correctness: reliability bins, ECE, precision/recall by threshold.

Input: ``(confidence, matched?)`` per prediction, matched meaning paired with a gold attribution
at the loose threshold. Output: ``CalibrationScores``. Bins are ten equal-width confidence
intervals ``[0, 0.1) ... [0.9, 1.0]``; the expected calibration error (ECE) is the mean gap
between a bin's mean confidence and its share of matched predictions, weighted by bin size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from onrecord.evaluation._report import Prf

N_BINS = 10
# Thresholds at which precision and recall are reported, as `--min-confidence` would apply them.
REPORT_THRESHOLDS = (0.3, 0.5, 0.7, 0.9)


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    """Predictions whose confidence falls in ``[lower, upper)`` (the last bin includes 1)."""

    lower: float
    upper: float
    n: int
    mean_confidence: float
    accuracy: float

    def to_dict(self) -> dict[str, float | int]:
        """JSON-ready bin."""
        return {
            "lower": self.lower,
            "upper": self.upper,
            "n": self.n,
            "mean_confidence": self.mean_confidence,
            "accuracy": self.accuracy,
        }


def reliability_bins(
    pairs: Iterable[tuple[float, bool]], n_bins: int = N_BINS
) -> tuple[ReliabilityBin, ...]:
    """Group ``(confidence, correct)`` pairs into equal-width bins; empty bins are kept."""
    sums = [0.0] * n_bins
    hits = [0] * n_bins
    counts = [0] * n_bins
    for confidence, correct in pairs:
        k = min(max(int(confidence * n_bins), 0), n_bins - 1)
        sums[k] += confidence
        hits[k] += correct
        counts[k] += 1
    return tuple(
        ReliabilityBin(
            lower=k / n_bins,
            upper=(k + 1) / n_bins,
            n=counts[k],
            mean_confidence=sums[k] / counts[k] if counts[k] else 0.0,
            accuracy=hits[k] / counts[k] if counts[k] else 0.0,
        )
        for k in range(n_bins)
    )


def expected_calibration_error(bins: Iterable[ReliabilityBin]) -> float:
    """Size-weighted mean of ``|accuracy - mean confidence|`` over the bins."""
    kept = list(bins)
    total = sum(b.n for b in kept)
    if not total:
        return 0.0
    return sum(b.n * abs(b.accuracy - b.mean_confidence) for b in kept) / total


@dataclass(frozen=True, slots=True)
class CalibrationScores:
    """Reliability of the predictions' confidences, and loose scores when filtering by them."""

    bins: tuple[ReliabilityBin, ...]
    at_threshold: Mapping[float, Prf]

    @property
    def ece(self) -> float:
        """Expected calibration error over ``bins``."""
        return expected_calibration_error(self.bins)

    def to_dict(self) -> dict[str, Any]:  # Any: nested JSON values
        """JSON-ready scores."""
        return {
            "ece": self.ece,
            "bins": [b.to_dict() for b in self.bins],
            "loose_at_min_confidence": {
                f"{t:g}": prf.to_dict() for t, prf in sorted(self.at_threshold.items())
            },
        }

    def to_markdown(self) -> list[str]:
        """Lines of a reliability table and a precision/recall-by-threshold table."""
        lines = [
            f"calibration (loose match): ECE {self.ece:.3f}",
            "",
            "| confidence | n | mean confidence | matched |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {b.lower:.1f}-{b.upper:.1f} | {b.n} | {b.mean_confidence:.3f} | {b.accuracy:.3f} |"
            for b in self.bins
            if b.n
        ]
        lines += [
            "",
            "| min confidence | kept | loose P | loose R | loose F1 |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {t:g} | {prf.n_pred} | {prf.precision:.3f} | {prf.recall:.3f} | {prf.f1:.3f} |"
            for t, prf in sorted(self.at_threshold.items())
        ]
        return lines
