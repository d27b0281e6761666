"""Fit the confidence calibration on PolNeAR train: ``python -m onrecord.extract.calibrate``.

Input: a PolNeAR split folder. Output, in ``--out``: ``calibration.json``, the map from a
statement's raw confidence features to the probability that it matches a gold attribution.

The shipped tagger was trained on every train article, so its marginals on those articles are
over-confident. The map is therefore cross-fitted: the sorted articles are dealt into
``--folds`` folds, a tagger is trained on all folds but one (same settings as ``make train``)
and run, with the rest of the pipeline, over the held-out fold. Every held-out statement gives
one ``(features, matched?)`` pair, matched meaning paired one-to-one with a gold attribution at
the loose threshold (``onrecord.evaluation.match_quotes``). A logistic map is fitted on all pairs.

Fold taggers are written under ``--work`` with a note of what they were trained on and reused
when the note matches, so an interrupted run resumes. Everything is deterministic.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from onrecord.clean import clean_document
from onrecord.evaluation import (
    GoldArticle,
    expected_calibration_error,
    match_quotes,
    read_split,
    reliability_bins,
)
from onrecord.export import quote_to_contract
from onrecord.extract._calibration import (
    CALIBRATION_FILE,
    FEATURE_NAMES,
    Calibration,
    ConfidenceFeatures,
    feature_values,
)
from onrecord.extract._extractor import (
    LEXICON_FILE,
    MODEL_FILE,
    AttributionModel,
    load_model,
    scored_attributions,
)
from onrecord.extract.train import data_digest, fit_tagger, parse
from onrecord.models import Quote, RawDocument
from onrecord.resolve import resolve_quotes

log = logging.getLogger(__name__)

DEFAULT_FOLDS = 3
_FOLD_NOTE = "fold.json"
# Feature sets compared by cross-validation over the folds; the last one is shipped.
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "marginal only": ("logit_marginal",),
    "all features": FEATURE_NAMES,
}
# Ridge penalty on the weights, in units of statements: negligible next to thousands of them,
# but it keeps Newton's method finite if a feature separates the classes.
L2_PENALTY = 1.0
_NEWTON_STEPS = 50
_NEWTON_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class HeldOut:
    """One statement predicted by a tagger that did not see its article."""

    fold: int
    features: ConfidenceFeatures
    is_correct: bool


def fold_of(n: int, folds: int) -> int:
    """The fold of the ``n``-th article in sorted order."""
    return n % folds


def train_folds(docs: list[Doc], articles: list[GoldArticle], work: Path, folds: int) -> list[Path]:
    """Train (or reuse) one tagger per fold, each on the articles outside that fold.

    Returns:
        The model folder of each fold, in fold order.
    """
    digest = data_digest(articles)
    dirs = []
    for fold in range(folds):
        out = work / f"fold-{fold}-of-{folds}"
        keep = [n for n in range(len(articles)) if fold_of(n, folds) != fold]
        note = {"data_digest": digest, "fold": fold, "folds": folds, "articles": len(keep)}
        note_path = out / _FOLD_NOTE
        is_ready = (
            note_path.is_file()
            and json.loads(note_path.read_text("utf-8")) == note
            and (out / MODEL_FILE).is_file()
            and (out / LEXICON_FILE).is_file()
        )
        if is_ready:
            log.info("reusing the tagger of fold %d in %s", fold, out)
        else:
            log.info("training fold %d of %d on %d articles", fold, folds, len(keep))
            fit_tagger([docs[n] for n in keep], [articles[n] for n in keep], out)
            note_path.write_text(json.dumps(note, indent=1) + "\n", "utf-8")
        dirs.append(out)
    return dirs


def predict_statements(
    article: GoldArticle, doc: Doc, model: AttributionModel
) -> list[tuple[Quote, ConfidenceFeatures]]:
    """Extract and resolve one gold article's statements, as ``onrecord eval polnear`` does.

    Args:
        article: The gold article; its text is used as is (no cleaning).
        doc: The parse of ``article.text``.
        model: The tagger to run.

    Returns:
        Per statement kept by resolution, the quote and the raw features of its confidence.
    """
    raw = RawDocument(source=str(article.path), content=article.text, media_type="text")
    cleaned = clean_document(raw, is_cleaning=False)
    scored = scored_attributions(doc, model)
    features = {(a.content.start, a.content.end): f for a, f in scored}
    quotes = resolve_quotes(cleaned, doc, [a for a, _ in scored])
    return [(q, features[(q.start, q.end)]) for q in quotes]


def statement_outcomes(
    article: GoldArticle, doc: Doc, model: AttributionModel
) -> list[tuple[ConfidenceFeatures, bool]]:
    """Per predicted statement, its raw features and whether it matched gold (loose)."""
    predicted = predict_statements(article, doc, model)
    matched = match_quotes(article, [quote_to_contract(q) for q, _ in predicted])
    return [(f, m is not None) for (_, f), m in zip(predicted, matched, strict=True)]


def held_out_statements(
    docs: list[Doc], articles: list[GoldArticle], fold_dirs: Sequence[Path]
) -> list[HeldOut]:
    """Every statement of every article, predicted by the tagger of its fold."""
    out: list[HeldOut] = []
    for fold, folder in enumerate(fold_dirs):
        model = load_model(folder, is_calibrated=False)
        for n, (doc, article) in enumerate(zip(docs, articles, strict=True)):
            if fold_of(n, len(fold_dirs)) == fold:
                out += [HeldOut(fold, f, ok) for f, ok in statement_outcomes(article, doc, model)]
    return out


def fit_logistic(
    rows: Sequence[Mapping[str, float]], labels: Sequence[bool], names: Sequence[str]
) -> Calibration:
    """Fit a logistic map by Newton's method, with ``L2_PENALTY`` on the weights.

    Deterministic: no random start, no sampling. The intercept is not penalised.
    """
    x = np.array([[1.0] + [row[name] for name in names] for row in rows])
    y = np.array([1.0 if label else 0.0 for label in labels])
    penalty = np.full(x.shape[1], L2_PENALTY)
    penalty[0] = 0.0
    w = np.zeros(x.shape[1])
    for _ in range(_NEWTON_STEPS):
        p = 1 / (1 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x.T * (p * (1 - p))) @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if float(np.max(np.abs(step))) < _NEWTON_TOLERANCE:
            break
    weights = {name: round(float(v), 6) for name, v in zip(names, w[1:], strict=True)}
    return Calibration(round(float(w[0]), 6), weights)


def _fit(statements: Sequence[HeldOut], names: Sequence[str]) -> Calibration:
    rows = [feature_values(s.features) for s in statements]
    return fit_logistic(rows, [s.is_correct for s in statements], names)


def _quality(pairs: Sequence[tuple[float, bool]]) -> dict[str, float]:
    """ECE (10 bins), Brier score and log loss of ``(confidence, correct)`` pairs."""
    clipped = [(min(max(p, 1e-6), 1 - 1e-6), ok) for p, ok in pairs]
    return {
        "ece": round(expected_calibration_error(reliability_bins(pairs)), 4),
        "brier": round(sum((p - ok) ** 2 for p, ok in pairs) / len(pairs), 4),
        "log_loss": round(
            -sum(math.log(p if ok else 1 - p) for p, ok in clipped) / len(clipped), 4
        ),
    }


def cross_validate(statements: Sequence[HeldOut], folds: int) -> dict[str, dict[str, float]]:
    """Held-out quality of the raw confidence and of each feature set, fold by fold.

    Each fold's statements are scored by a map fitted on the other folds' statements.
    """
    results = {"raw": _quality([(s.features.mean_marginal, s.is_correct) for s in statements])}
    for label, names in FEATURE_SETS.items():
        pairs: list[tuple[float, bool]] = []
        for fold in range(folds):
            fitted = _fit([s for s in statements if s.fold != fold], names)
            pairs += [
                (fitted.probability(s.features), s.is_correct) for s in statements if s.fold == fold
            ]
        results[label] = _quality(pairs)
    return results


def calibrate(args: argparse.Namespace) -> dict[str, Any]:  # Any: JSON values
    """Train the fold taggers, collect held-out statements and write the calibration map.

    Returns:
        What was written to ``calibration.json``.
    """
    started = time.monotonic()
    articles = read_split(Path(args.data))
    docs = parse(articles, Path(args.cache) if args.cache else None)
    fold_dirs = train_folds(docs, articles, Path(args.work), args.folds)
    statements = held_out_statements(docs, articles, fold_dirs)
    n_correct = sum(s.is_correct for s in statements)
    log.info("%d held-out statements, %d matched gold", len(statements), n_correct)
    checks = cross_validate(statements, args.folds)
    for label, scores in checks.items():
        log.info("cross-validated %s: %s", label, scores)
    shipped = _fit(statements, list(FEATURE_SETS.values())[-1])
    data = {
        **shipped.to_dict(),
        "target": "P(statement matches a gold attribution at the loose threshold, one-to-one)",
        "fitted_on": {
            "data_digest": data_digest(articles),
            "articles": len(articles),
            "folds": args.folds,
            "statements": len(statements),
            "matched": n_correct,
        },
        "cross_validation": checks,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / CALIBRATION_FILE).write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    log.info("wrote %s in %.0fs", out / CALIBRATION_FILE, time.monotonic() - started)
    return data


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", required=True, help="PolNeAR split folder (text/, attributions/)")
    parser.add_argument("--out", required=True, help="folder to write calibration.json to")
    parser.add_argument("--work", required=True, help="folder for the fold taggers (reused)")
    parser.add_argument("--folds", type=int, default=DEFAULT_FOLDS, help="cross-fitting folds")
    parser.add_argument("--cache", default=None, help="DocBin file to cache parses in")
    args = parser.parse_args(argv)
    # This module is a command of its own, so it sets up logging like cli.main does.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    calibrate(args)


if __name__ == "__main__":
    main()
