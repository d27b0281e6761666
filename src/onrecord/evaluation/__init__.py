"""Evaluation: score extraction against annotated corpora (PolNeAR).

``score_predictions`` scores quote dicts already produced; ``evaluate_polnear`` times and scores
any predictor; ``run_polnear_eval`` does both for onrecord's own pipeline.
"""

from onrecord.evaluation._brat import GoldArticle, GoldAttribution, gold_digest, read_split
from onrecord.evaluation._report import KindScore, PolnearReport, Prf, ThresholdScores, Throughput
from onrecord.evaluation._run import make_predictor, run_polnear_eval
from onrecord.evaluation.polnear import (
    THRESHOLDS,
    evaluate_polnear,
    score_articles,
    score_predictions,
)

__all__ = [
    "THRESHOLDS",
    "GoldArticle",
    "GoldAttribution",
    "KindScore",
    "PolnearReport",
    "Prf",
    "ThresholdScores",
    "Throughput",
    "evaluate_polnear",
    "gold_digest",
    "make_predictor",
    "read_split",
    "run_polnear_eval",
    "score_articles",
    "score_predictions",
]
