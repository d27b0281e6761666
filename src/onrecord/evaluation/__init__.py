"""Evaluation: score extraction against annotated corpora (PolNeAR).

``score_predictions`` scores quote dicts already produced; ``evaluate_polnear`` times and scores
any predictor; ``run_polnear_eval`` does both for onrecord's own pipeline.
"""

from onrecord.evaluation._brat import GoldArticle, GoldAttribution, gold_digest, read_split
from onrecord.evaluation._calibration import (
    CalibrationScores,
    ReliabilityBin,
    expected_calibration_error,
    reliability_bins,
)
from onrecord.evaluation._match import is_speaker_correct, trim_span
from onrecord.evaluation._names import (
    NameScores,
    SpeakerSetScores,
    normalise_name,
    read_expected,
    read_gold_names,
    score_names,
    score_speaker_set,
)
from onrecord.evaluation._report import KindScore, PolnearReport, Prf, ThresholdScores, Throughput
from onrecord.evaluation._run import make_predictor, run_polnear_eval, run_speaker_eval
from onrecord.evaluation.polnear import (
    THRESHOLDS,
    evaluate_polnear,
    match_quotes,
    score_articles,
    score_predictions,
)

__all__ = [
    "THRESHOLDS",
    "CalibrationScores",
    "GoldArticle",
    "GoldAttribution",
    "KindScore",
    "NameScores",
    "PolnearReport",
    "Prf",
    "ReliabilityBin",
    "SpeakerSetScores",
    "ThresholdScores",
    "Throughput",
    "evaluate_polnear",
    "expected_calibration_error",
    "gold_digest",
    "is_speaker_correct",
    "make_predictor",
    "match_quotes",
    "normalise_name",
    "read_expected",
    "read_gold_names",
    "read_split",
    "reliability_bins",
    "run_polnear_eval",
    "run_speaker_eval",
    "score_articles",
    "score_names",
    "score_predictions",
    "score_speaker_set",
    "trim_span",
]
