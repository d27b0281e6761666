"""Tagger variants measured against the shipped cascade on PolNeAR train, held-out folds.

Usage::

    .venv/bin/python eval/variants.py baseline           # the shipped cascade, 3 folds
    .venv/bin/python eval/variants.py posterior --tau 0.5
    .venv/bin/python eval/variants.py no-bridge
    .venv/bin/python eval/variants.py clusters           # trains one fold tagger (~5 min)
    .venv/bin/python eval/variants.py stacked            # trains a second-pass tagger (~5 min)

Every variant is scored on train articles that the tagger predicting them never saw: the fold
taggers of ``make calibrate`` (``build/calibration``, trained there on first use) each predict
their held-out third. ``clusters`` and ``stacked`` train a tagger of their own on folds 1 and 2
and are scored on fold 0 only, next to the baseline on the same fold. Dev is not read: these
numbers decide what is kept, and dev only reports the result (``eval/errors.md``).

- ``posterior``: a token the Viterbi path leaves outside becomes part of the role with the most
  marginal mass when its marginal of being outside is under ``--tau``.
- ``no-bridge``: content spans of one cue that only punctuation separates stay two statements.
- ``clusters``: each token, and its neighbours, also carry their k-means cluster (k = 64 and
  320, fitted on train) of the parser's contextual token vectors (``doc.tensor``).
- ``stacked``: a second CRF reads the first tagger's cross-fitted tags (a +-3 window), its
  marginals per role, the sentence's strongest cue marginal and the distance to its tagged cue.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pycrfsuite
import spacy
from spacy.tokens import Doc

import onrecord.extract._extractor as cascade
import onrecord.extract.train as training
from onrecord.evaluation import GoldArticle, PolnearReport, read_split, score_articles
from onrecord.export import quote_to_contract
from onrecord.extract import NLP_MODEL
from onrecord.extract._extractor import AttributionModel, load_model
from onrecord.extract._features import Sequences, _bucket, _distance, doc_features
from onrecord.extract._labels import ROLES, TokenSpan, gold_labels
from onrecord.extract.calibrate import fold_of, predict_statements, train_folds

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SPLIT = REPO.parent / "shared" / "data" / "polnear" / "train"
WORK = REPO / "build" / "calibration"
FOLDS = 3
CLUSTER_SIZES = (64, 320)
CLUSTER_SAMPLE = 200_000
CLUSTER_ITERATIONS = 20
SEED = 13

# The cascade's own tagging and grouping, kept before a variant patches them.
_TAG_DOC = cascade.tag_doc
_BRIDGED_CLUSTERS = cascade._bridged_clusters

TagDoc = Callable[[Doc, AttributionModel], tuple[Sequences, list[list[str]], list[float]]]
FeaturesOf = Callable[[Doc, dict[str, float]], Sequences]


def _role_mass(tagger: pycrfsuite.Tagger, k: int) -> dict[str, float]:
    return {r: tagger.marginal("B-" + r, k) + tagger.marginal("I-" + r, k) for r in ROLES}


def _posterior_fill(tau: float) -> TagDoc:
    """The cascade's ``tag_doc``, then outside tokens with little outside mass join a role."""

    def tag_doc(
        doc: Doc, model: AttributionModel
    ) -> tuple[Sequences, list[list[str]], list[float]]:
        seqs, tags, prob = _TAG_DOC(doc, model)
        tagger = model.tagger
        for unit, feats, unit_tags in zip(seqs.units, seqs.features, tags, strict=True):
            tagger.set(feats)
            for k, i in enumerate(unit):
                if unit_tags[k] != "O" or tagger.marginal("O", k) >= tau:
                    continue
                mass = _role_mass(tagger, k)
                role = max(ROLES, key=mass.__getitem__)
                before = unit_tags[k - 1][2:] if k and unit_tags[k - 1] != "O" else None
                unit_tags[k] = ("I-" if before == role else "B-") + role
                prob[i] = tagger.marginal(unit_tags[k], k)
        return seqs, tags, prob

    return tag_doc


def _with_features(extend: Callable[[Sequences, Doc], None]) -> FeaturesOf:
    """``doc_features`` with ``extend`` appending more features to every token."""

    def features(doc: Doc, cue_p: dict[str, float]) -> Sequences:
        seqs = doc_features(doc, cue_p)
        extend(seqs, doc)
        return seqs

    return features


def _unbridged(
    doc: Doc, members: list[TokenSpan], role_of: list[str], quote_of: list[int], para: list[int]
) -> list[list[TokenSpan]]:
    """``_bridged_clusters``, except spans that only punctuation separates are not joined."""
    clusters: list[list[TokenSpan]] = []
    for cluster in _BRIDGED_CLUSTERS(doc, members, role_of, quote_of, para):
        clusters.append([cluster[0]])
        for prev, cur in itertools.pairwise(cluster):
            between = range(prev.end, cur.start)
            only_punct = all(doc[i].is_punct or doc[i].is_space for i in between)
            same_quote = (
                quote_of[prev.end - 1] >= 0 and quote_of[prev.end - 1] == quote_of[cur.start]
            )
            if only_punct and not same_quote:
                clusters.append([cur])
            else:
                clusters[-1].append(cur)
    return clusters


def _cluster_features(
    centroids: Sequence[tuple[str, np.ndarray]],
) -> Callable[[Sequences, Doc], None]:
    norms = [(name, c, (c * c).sum(1)) for name, c in centroids]

    def extend(seqs: Sequences, doc: Doc) -> None:
        vectors = np.asarray(doc.tensor, dtype=np.float32)
        if vectors.shape[0] != len(doc):
            return
        ids = [(name, (n[None] - 2 * vectors @ c.T).argmin(1).tolist()) for name, c, n in norms]
        for unit, feats in zip(seqs.units, seqs.features, strict=True):
            for k, i in enumerate(unit):
                for name, of in ids:
                    feats[k].append(f"{name}={of[i]}")
                    if k:
                        feats[k].append(f"-1{name}={of[unit[k - 1]]}")
                    if k + 1 < len(unit):
                        feats[k].append(f"+1{name}={of[unit[k + 1]]}")

    return extend


def kmeans(points: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Plain Lloyd iterations from ``k`` sampled points; deterministic for a seeded ``rng``."""
    centroids = points[rng.choice(len(points), k, replace=False)].copy()
    squared = (points * points).sum(1)
    for _ in range(CLUSTER_ITERATIONS):
        nearest = (squared[:, None] - 2 * points @ centroids.T + (centroids**2).sum(1)).argmin(1)
        for j in range(k):
            members = nearest == j
            if members.any():
                centroids[j] = points[members].mean(0)
    return centroids


def stage_one_features(seqs: Sequences, tagger: pycrfsuite.Tagger) -> None:
    """Append the first tagger's evidence to every token's features, in place."""
    for unit, feats in zip(seqs.units, seqs.features, strict=True):
        roles = [t[2:] if t != "O" else "O" for t in tagger.tag(feats)]
        mass = [_role_mass(tagger, k) for k in range(len(unit))]
        strongest = _bucket(max((m["CUE"] for m in mass), default=0.0))
        cues = [k for k, r in enumerate(roles) if r == "CUE"]
        for k, f in enumerate(feats):
            f.append("s1=" + roles[k])
            f += [f"s1p{r[0]}=" + _bucket(mass[k][r]) for r in ROLES]
            f += [
                f"s1{off}=" + (roles[k + off] if 0 <= k + off < len(unit) else "<pad>")
                for off in (-3, -2, -1, 1, 2, 3)
            ]
            f.append("s1mc=" + strongest)
            if cues:
                c = min(cues, key=lambda c: abs(c - k))
                side = "L" if c > k else "R" if c < k else "C"
                f.append("s1cue=" + side + _distance(abs(c - k)))
            else:
                f.append("s1cue=none")


def _predict(
    articles: Sequence[GoldArticle],
    docs: Sequence[Doc],
    models: Sequence[AttributionModel],
    folds: Sequence[int],
) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for n, (article, doc) in enumerate(zip(articles, docs, strict=True)):
        fold = fold_of(n, FOLDS)
        if fold in folds:
            out[article.name] = [
                quote_to_contract(q) for q, _ in predict_statements(article, doc, models[fold])
            ]
    return out


def _score(
    articles: Sequence[GoldArticle],
    docs: Sequence[Doc],
    models: Sequence[AttributionModel],
    folds: Sequence[int],
) -> PolnearReport:
    predictions = _predict(articles, docs, models, folds)
    return score_articles([a for a in articles if a.name in predictions], predictions)


@contextmanager
def _patched(**replacements: Any) -> Iterator[None]:  # Any: functions of several signatures
    with ExitStack() as stack:
        for name, value in replacements.items():
            stack.enter_context(mock.patch.object(cascade, name, value))
        yield


def _summary(label: str, report: PolnearReport) -> dict[str, Any]:
    row: dict[str, Any] = {"variant": label, "articles": report.n_articles}
    for threshold, scores in report.thresholds.items():
        row[f"{threshold}_f1"] = round(scores.quote.f1, 4)
        row[f"{threshold}_quote_speaker_f1"] = round(scores.quote_speaker.f1, 4)
    row["loose_precision"] = round(report.thresholds["loose"].quote.precision, 4)
    row["loose_recall"] = round(report.thresholds["loose"].quote.recall, 4)
    return row


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Score the chosen variant (and, for the one-fold variants, the baseline on that fold)."""
    articles = read_split(args.split)
    docs = training.parse(articles, WORK / "train.docbin")
    models = [load_model(d, is_calibrated=False) for d in train_folds(docs, articles, WORK, FOLDS)]
    all_folds = range(FOLDS)
    if args.variant == "baseline":
        return [_summary("baseline", _score(articles, docs, models, all_folds))]
    if args.variant == "posterior":
        with _patched(tag_doc=_posterior_fill(args.tau)):
            return [
                _summary(f"posterior tau={args.tau}", _score(articles, docs, models, all_folds))
            ]
    if args.variant == "no-bridge":
        with _patched(_bridged_clusters=_unbridged):
            return [_summary("no-bridge", _score(articles, docs, models, all_folds))]
    rows = [_summary("baseline, fold 0", _score(articles, docs, models, [0]))]
    train_idx = [n for n in range(len(articles)) if fold_of(n, FOLDS) != 0]
    out = WORK / f"variant-{args.variant}"
    if args.variant == "clusters":
        nlp = spacy.load(NLP_MODEL)
        docs = list(nlp.pipe((a.text for a in articles), batch_size=32))  # with doc.tensor
        rng = np.random.default_rng(SEED)
        points = np.concatenate([np.asarray(docs[n].tensor, dtype=np.float32) for n in train_idx])
        points = points[rng.choice(len(points), min(len(points), CLUSTER_SAMPLE), replace=False)]
        centroids = [(f"k{k}", kmeans(points, k, rng)) for k in CLUSTER_SIZES]
        features = _with_features(_cluster_features(centroids))
        with mock.patch.object(training, "doc_features", features):
            training.fit_tagger([docs[n] for n in train_idx], [articles[n] for n in train_idx], out)
        variant = [load_model(out, is_calibrated=False)] * FOLDS
        with _patched(doc_features=features):
            rows.append(_summary("clusters, fold 0", _score(articles, docs, variant, [0])))
        return rows
    # stacked: the second tagger learns from the first's held-out output on folds 1 and 2.
    out.mkdir(parents=True, exist_ok=True)
    trainer = pycrfsuite.Trainer(verbose=False)
    for n in train_idx:
        model = models[fold_of(n, FOLDS)]
        seqs = doc_features(docs[n], model.cue_p)
        stage_one_features(seqs, model.tagger)
        labels = gold_labels(docs[n], articles[n].attributions)
        for unit, feats in zip(seqs.units, seqs.features, strict=True):
            trainer.append(feats, [labels[i] for i in unit])
    trainer.set_params(training.crf_params())
    trainer.train(str(out / cascade.MODEL_FILE))
    second = pycrfsuite.Tagger()
    second.open(str(out / cascade.MODEL_FILE))
    # Fold 0's first tagger adds its evidence; the cascade then tags with the second one.
    first = models[0].tagger
    stacked = [replace(models[0], tagger=second)] * FOLDS
    with _patched(doc_features=_with_features(lambda seqs, _: stage_one_features(seqs, first))):
        rows.append(_summary("stacked, fold 0", _score(articles, docs, stacked, [0])))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Score one variant and print one JSON line per scored system."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "variant", choices=["baseline", "posterior", "no-bridge", "clusters", "stacked"]
    )
    parser.add_argument("--tau", type=float, default=0.5, help="posterior: outside-marginal cut")
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT, help="PolNeAR train folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    for row in run(args):
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
