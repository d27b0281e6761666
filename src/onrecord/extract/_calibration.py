"""Confidence calibration: raw features of an attribution -> probability that it is right.

Input: ``ConfidenceFeatures`` of one attribution (from ``_extractor``) and a fitted
``Calibration`` read from ``calibration.json`` next to the tagger. Output: a probability in
``[0, 1]``, the estimated chance that the statement matches a gold attribution (loose overlap,
one-to-one). The map is logistic over a few named features; ``onrecord.extract.calibrate``
fits it on held-out predictions of PolNeAR train.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from onrecord._logistic import LogisticMap
from onrecord.errors import ExtractError
from onrecord.models import QuoteKind

CALIBRATION_FILE = "calibration.json"
# Marginals are clipped before the logit so that a marginal of exactly 0 or 1 stays finite.
_MARGINAL_CLIP = 1e-4


@dataclass(frozen=True, slots=True)
class ConfidenceFeatures:
    """What is known about an attribution's reliability when it is extracted.

    ``mean_marginal`` is the uncalibrated confidence: the mean CRF marginal of the tags over the
    content tokens, where a token the tagger left outside (content completed from the parse)
    counts as 1. ``tagged_share`` is the share of content tokens the tagger itself tagged.
    """

    mean_marginal: float
    tagged_share: float
    kind: QuoteKind
    has_cue: bool
    has_source: bool
    n_tokens: int


def _logit(p: float) -> float:
    p = min(max(p, _MARGINAL_CLIP), 1 - _MARGINAL_CLIP)
    return math.log(p / (1 - p))


def feature_values(features: ConfidenceFeatures) -> dict[str, float]:
    """The named numeric inputs of the calibration map."""
    return {
        "logit_marginal": _logit(features.mean_marginal),
        "tagged_share": features.tagged_share,
        "is_indirect": float(features.kind == "indirect"),
        "is_mixed": float(features.kind == "mixed"),
        "has_cue": float(features.has_cue),
        "has_source": float(features.has_source),
        "log_tokens": math.log(max(features.n_tokens, 1)),
    }


FEATURE_NAMES: tuple[str, ...] = tuple(
    feature_values(ConfidenceFeatures(0.5, 1.0, "direct", True, True, 1))
)


@dataclass(frozen=True, slots=True)
class Calibration(LogisticMap):
    """A fitted logistic map: ``P(correct) = sigmoid(intercept + sum(weight * feature))``."""

    def probability(self, features: ConfidenceFeatures) -> float:
        """The calibrated confidence of one attribution."""
        return self.score(feature_values(features))


def calibration_from_dict(data: Mapping[str, object], where: str) -> Calibration:
    """Read a map written by ``Calibration.to_dict`` (extra keys, such as notes, are ignored).

    Raises:
        ExtractError: A parameter is missing, not a number, or names an unknown feature.
    """
    intercept = data.get("intercept")
    weights = data.get("weights")
    if not isinstance(intercept, int | float) or not isinstance(weights, dict):
        raise ExtractError(
            f"[{ExtractError.code}] {where} needs a numeric 'intercept' and a 'weights' table; "
            "refit it with `make calibrate`."
        )
    unknown = sorted(set(weights) - set(FEATURE_NAMES))
    if unknown or not all(isinstance(w, int | float) for w in weights.values()):
        raise ExtractError(
            f"[{ExtractError.code}] {where} has unknown or non-numeric weights {unknown}; "
            f"known features are {', '.join(FEATURE_NAMES)}. Refit it with `make calibrate`."
        )
    return Calibration(float(intercept), {str(k): float(v) for k, v in weights.items()})


def load_calibration(model_dir: Path) -> Calibration | None:
    """The calibration map in ``model_dir``, or ``None`` when the folder has none.

    Raises:
        ExtractError: The file exists but cannot be read as a map.
    """
    path = model_dir / CALIBRATION_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ExtractError(
            f"[{ExtractError.code}] cannot read {path}: {exc}; refit it with `make calibrate`."
        ) from exc
    if not isinstance(data, dict):
        raise ExtractError(
            f"[{ExtractError.code}] {path} is not a JSON object; refit it with `make calibrate`."
        )
    return calibration_from_dict(data, str(path))
