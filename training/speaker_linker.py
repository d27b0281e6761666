"""Train the speaker linker on PolNeAR train: ``python -m training.speaker_linker``.

Input: a PolNeAR split and the fold taggers of ``make calibrate`` (trained on all folds but
one, reused from ``--work`` when their note matches, trained otherwise). Output, in ``--out``:
``speaker_linker.json``, the logistic scorer ``onrecord.resolve`` ranks source candidates with.

For every article, the tagger of its fold (which never saw it) extracts the statements, and
the resolver runs once without a linker. Each statement paired with a gold attribution at the
loose threshold gives one group of candidates (``onrecord.resolve._linker.candidates``), each
labelled by whether it overlaps the gold Source ("no source" is right when the gold has none).
The scorer is fitted on every candidate of every group. Before that, each fold is scored by a
scorer fitted on the other folds: how often the top candidate is right, against extraction's
own choice, and how well the top candidate's probability is calibrated.

Deterministic: sorted articles, fixed folds, Newton's method from zero weights.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
from onrecord.extract._extractor import AttributionModel, load_model, scored_attributions
from onrecord.extract.calibrate import fit_logistic, fold_of, train_folds
from onrecord.extract.train import data_digest, parse
from onrecord.models import Quote, RawDocument
from onrecord.resolve._linker import LINKER_FILE, LinkerModel, labelled_candidates
from onrecord.resolve._resolver import resolve
from onrecord.resolve._speakers import ArticleResolver, Resolved
from onrecord.resolve._statements import screen

log = logging.getLogger(__name__)

Row = dict[str, float]


@dataclass(frozen=True, slots=True)
class Group:
    """The candidates of one statement: features and gold labels, in candidate order."""

    fold: int
    rows: tuple[Row, ...]
    labels: tuple[bool, ...]


def _previous(quotes: Sequence[Quote], start: int) -> Resolved | None:
    before = [q for q in quotes if q.start < start]
    if not before:
        return None
    quote = before[-1]
    at = quote.speaker.mention_start if quote.speaker.mention_start is not None else quote.start
    return Resolved(quote.speaker, quote.via, quote.end, at)


def article_groups(
    article: GoldArticle, doc: Doc, model: AttributionModel, fold: int
) -> list[Group]:
    """The labelled candidate groups of one held-out article, tagged by ``model``."""
    raw = RawDocument(source=str(article.path), content=article.text, media_type="text")
    cleaned = clean_document(raw, is_cleaning=False)
    attributions = [a for a, _ in scored_attributions(doc, model)]
    quotes = resolve(cleaned, doc, attributions, None)
    matched = match_quotes(article, [quote_to_contract(q) for q in quotes])
    screened = sorted(
        screen(cleaned, doc, attributions), key=lambda a: (a.content.start, -a.content.end)
    )
    by_span = {(a.content.start, a.content.end): a for a in screened}
    resolver = ArticleResolver(cleaned, doc, screened)
    groups = []
    for quote, gold_index in zip(quotes, matched, strict=True):
        attribution = by_span.get((quote.start, quote.end))
        if gold_index is None or attribution is None or attribution.kind == "no_comment":
            continue
        gold = article.attributions[gold_index]
        previous = _previous(quotes, quote.start)
        pairs = labelled_candidates(resolver, attribution, previous, gold.source)
        groups.append(
            Group(fold, tuple(r for r, _ in pairs), tuple(is_gold for _, is_gold in pairs))
        )
    return groups


def fit(groups: Sequence[Group]) -> LinkerModel:
    """Fit the candidate scorer on every candidate of ``groups``."""
    rows = [row for g in groups for row in g.rows]
    labels = [label for g in groups for label in g.labels]
    names = sorted({name for row in rows for name in row})
    dense = [{name: row.get(name, 0.0) for name in names} for row in rows]
    fitted = fit_logistic(dense, labels, names)
    return LinkerModel(fitted.intercept, dict(fitted.weights))


def score(groups: Sequence[Group], model: LinkerModel) -> dict[str, float]:
    """Top-candidate accuracy of ``model`` and of extraction's choice, and the ECE."""
    right = extracted_right = answerable = 0
    pairs: list[tuple[float, bool]] = []
    for group in groups:
        probabilities = [model.score(row) for row in group.rows]
        best = max(range(len(probabilities)), key=lambda k: (probabilities[k], -k))
        is_right = group.labels[best]
        pairs.append((probabilities[best], is_right))
        right += is_right
        extracted = next(
            (k for k, row in enumerate(group.rows) if row.get("from_extracted")),
            next(k for k, row in enumerate(group.rows) if row.get("from_none")),
        )
        extracted_right += group.labels[extracted]
        answerable += any(group.labels)
    n = len(groups)
    return {
        "statements": n,
        "answerable": round(answerable / n, 4),
        "linker_accuracy": round(right / n, 4),
        "extraction_accuracy": round(extracted_right / n, 4),
        "ece": round(expected_calibration_error(reliability_bins(pairs)), 4),
    }


def train(args: argparse.Namespace) -> dict[str, Any]:  # Any: JSON values
    """Collect the held-out candidate groups, cross-validate, fit and write the scorer."""
    started = time.monotonic()
    articles = read_split(Path(args.data))
    docs = parse(articles, Path(args.cache) if args.cache else None)
    fold_dirs = train_folds(docs, articles, Path(args.work), args.folds)
    groups: list[Group] = []
    for fold, folder in enumerate(fold_dirs):
        tagger = load_model(folder, is_calibrated=False)
        for n, (doc, article) in enumerate(zip(docs, articles, strict=True)):
            if fold_of(n, args.folds) == fold:
                groups += article_groups(article, doc, tagger, fold)
    log.info("%d statements with %d candidates", len(groups), sum(len(g.rows) for g in groups))
    checks = {}
    for fold in range(args.folds):
        held_out = [g for g in groups if g.fold == fold]
        checks[f"fold {fold}"] = score(held_out, fit([g for g in groups if g.fold != fold]))
        log.info("fold %d held out: %s", fold, checks[f"fold {fold}"])
    model = fit(groups)
    data = {
        **model.to_dict(),
        "target": "P(the candidate mention overlaps the gold Source; 'none' when it has none)",
        "fitted_on": {
            "data_digest": data_digest(articles),
            "articles": len(articles),
            "folds": args.folds,
            "statements": len(groups),
            "candidates": sum(len(g.rows) for g in groups),
        },
        "cross_validation": checks,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / LINKER_FILE).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")
    log.info("wrote %s in %.0fs", out / LINKER_FILE, time.monotonic() - started)
    return data


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", required=True, help="PolNeAR split folder (text/, attributions/)")
    parser.add_argument("--out", required=True, help="folder to write speaker_linker.json to")
    parser.add_argument("--work", required=True, help="folder of the fold taggers (reused)")
    parser.add_argument("--folds", type=int, default=3, help="number of folds (default 3)")
    parser.add_argument("--cache", help="DocBin file for the parsed split (reused)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    train(args)


if __name__ == "__main__":
    main()
