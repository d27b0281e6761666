"""The confidence calibration map: reading it, fitting it, and applying it in extraction."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from onrecord._logistic import sigmoid
from onrecord.config import Settings
from onrecord.errors import ExtractError
from onrecord.extract import AttributionModel, Extractor, default_model_dir, load_model
from onrecord.extract._calibration import (
    CALIBRATION_FILE,
    FEATURE_NAMES,
    Calibration,
    ConfidenceFeatures,
    feature_values,
    load_calibration,
)
from onrecord.extract.calibrate import fit_logistic
from onrecord.models import ExtractedArticle, QuoteKind, RawDocument
from onrecord.pipeline import extract_articles

TEXT = (
    "Harbour fees to rise.\n\n"
    "The finance minister, Tomas Brell, said on Tuesday that the harbour fees would rise "
    "by a tenth next spring.\n"
    "“We cannot keep the piers open for nothing,” Mara Velin told reporters.\n"
    "Critics have long argued the port is badly run.\n"
)


def _features(
    marginal: float, kind: QuoteKind = "indirect", *, has_cue: bool = True, n_tokens: int = 12
) -> ConfidenceFeatures:
    return ConfidenceFeatures(marginal, 1.0, kind, has_cue, True, n_tokens)


def test_feature_values_are_named_and_finite() -> None:
    for marginal in (0.0, 0.5, 1.0):
        values = feature_values(_features(marginal, "mixed", has_cue=False, n_tokens=0))
        assert tuple(values) == FEATURE_NAMES
        assert all(math.isfinite(v) for v in values.values())
        assert (values["is_mixed"], values["is_indirect"], values["has_cue"]) == (1.0, 0.0, 0.0)


def test_sigmoid_is_stable_at_the_extremes() -> None:
    assert sigmoid(0.0) == 0.5
    assert sigmoid(800.0) == 1.0
    assert sigmoid(-800.0) == 0.0


def test_missing_map_means_raw_confidence(tmp_path: Path) -> None:
    assert load_calibration(tmp_path) is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "cannot read"),
        ("[1, 2]", "not a JSON object"),
        ('{"weights": {}}', "numeric 'intercept'"),
        ('{"intercept": 0, "weights": {"shoe_size": 1}}', "shoe_size"),
        ('{"intercept": 0, "weights": {"has_cue": "high"}}', "non-numeric"),
    ],
)
def test_broken_map_is_refused_with_the_fix(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / CALIBRATION_FILE).write_text(content, "utf-8")
    with pytest.raises(ExtractError, match=message) as caught:
        load_calibration(tmp_path)
    assert "make calibrate" in str(caught.value)


def test_map_round_trips_through_json(tmp_path: Path) -> None:
    fitted = Calibration(-1.5, {"logit_marginal": 0.8, "has_source": 0.4})
    data = {**fitted.to_dict(), "note": "extra keys are ignored"}
    (tmp_path / CALIBRATION_FILE).write_text(json.dumps(data), "utf-8")
    loaded = load_calibration(tmp_path)
    assert loaded == fitted
    features = _features(0.9)
    expected = sigmoid(-1.5 + 0.8 * math.log(0.9 / 0.1) + 0.4)
    assert loaded is not None
    assert loaded.probability(features) == pytest.approx(expected)


def test_fit_logistic_recovers_a_known_map_deterministically() -> None:
    rows: list[dict[str, float]] = []
    labels: list[bool] = []
    for k in range(13):
        x = -3 + k / 2
        positives = round(400 * sigmoid(0.5 + 1.5 * x))
        rows += [{"logit_marginal": x}] * 400
        labels += [True] * positives + [False] * (400 - positives)
    fitted = fit_logistic(rows, labels, ["logit_marginal"])
    assert fitted.intercept == pytest.approx(0.5, abs=0.05)
    assert fitted.weights["logit_marginal"] == pytest.approx(1.5, abs=0.05)
    assert fit_logistic(rows, labels, ["logit_marginal"]) == fitted


def test_shipped_map_rises_with_the_marginal() -> None:
    shipped = load_calibration(default_model_dir())
    assert shipped is not None
    probabilities = [shipped.probability(_features(m)) for m in (0.3, 0.5, 0.7, 0.9, 0.99)]
    assert probabilities == sorted(probabilities)
    assert all(0.0 < p < 1.0 for p in probabilities)


def test_raw_confidence_on_request() -> None:
    assert load_model(default_model_dir(), is_calibrated=False).calibration is None


def test_calibration_changes_confidences_only(extractor: Extractor) -> None:
    assert isinstance(extractor.model, AttributionModel)
    assert extractor.model.calibration is not None
    raw = Extractor(extractor.nlp, replace(extractor.model, calibration=None))
    doc = extractor.nlp(TEXT)
    calibrated, uncalibrated = extractor.attributions(doc), raw.attributions(doc)
    assert calibrated
    assert [replace(a, confidence=0.0) for a in calibrated] == [
        replace(a, confidence=0.0) for a in uncalibrated
    ]
    assert all(0.0 <= a.confidence <= 1.0 for a in calibrated)
    assert [a.confidence for a in calibrated] != [a.confidence for a in uncalibrated]


def test_min_confidence_filters_on_the_calibrated_value(extractor: Extractor) -> None:
    raw = RawDocument(source="fees", content=TEXT, media_type="text")
    (everything,) = extract_articles([raw], extractor, Settings(), is_cleaning=False)
    assert isinstance(everything, ExtractedArticle)
    confidences = sorted(q.confidence for q in everything.quotes)
    threshold = confidences[len(confidences) // 2]
    settings = Settings(min_confidence=threshold)
    (kept,) = extract_articles([raw], extractor, settings, is_cleaning=False)
    assert isinstance(kept, ExtractedArticle)
    assert kept.quotes == tuple(q for q in everything.quotes if q.confidence >= threshold)
    assert len(everything.quotes) == 3
    assert len(kept.quotes) == 2
