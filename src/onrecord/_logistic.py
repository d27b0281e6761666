"""A logistic map over named features: the shape of onrecord's small learned scorers.

The statement confidence (``extract._calibration``) and the speaker linker
(``resolve._linker``) are both ``P = sigmoid(intercept + sum(weight * feature))`` over a few
named features, fitted by Newton's method and stored as JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass


def sigmoid(z: float) -> float:
    """The logistic function, without overflow for large ``|z|``."""
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


@dataclass(frozen=True, slots=True)
class LogisticMap:
    """Weights per feature name and an intercept; a missing feature counts as 0."""

    intercept: float
    weights: Mapping[str, float]

    def score(self, values: Mapping[str, float]) -> float:
        """The probability the map gives to one row of named feature values."""
        z = self.intercept + sum(w * values.get(name, 0.0) for name, w in self.weights.items())
        return sigmoid(z)

    def to_dict(self) -> dict[str, float | dict[str, float]]:
        """The map's parameters, as its JSON file stores them."""
        return {"intercept": self.intercept, "weights": dict(self.weights)}
