"""Error analysis on PolNeAR dev: what onrecord gets wrong, counted by class.

Usage::

    .venv/bin/python eval/errors.py                 # whole dev split, Markdown to stdout
    .venv/bin/python eval/errors.py --limit 20      # the gate's sample only

The split is parsed once; every article then goes through extraction and resolution exactly as in
``onrecord eval polnear`` (no cleaning), with the tagger's raw confidences. The calibrated
confidence of each statement comes from the shipped calibration map applied to the same raw
features, so one run reports calibration before and after. Matching is the scorer's
(``onrecord.evaluation.match_quotes``); classes are defined in ``eval/errors.md``.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from onrecord.evaluation import (
    GoldArticle,
    GoldAttribution,
    PolnearReport,
    is_speaker_correct,
    match_quotes,
    read_split,
    score_articles,
    trim_span,
)
from onrecord.export import quote_to_contract
from onrecord.extract import load_extractor
from onrecord.extract._features import CUE_CANDIDATE_P
from onrecord.extract.calibrate import predict_statements

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SPLIT = REPO.parent / "shared" / "data" / "polnear" / "dev"

TOP_WORDS = 15
QuoteDict = Mapping[str, Any]  # a quote of the extract JSONL contract


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SAY_TELL = _words("say tell")
# "WASHINGTON (Reuters) -", "NEW YORK —": a capitalised place, an optional outlet, a dash.
DATELINE = re.compile(r"(?m)^[A-Z][A-Z .,'-]{2,}(?:\([^)\n]{1,40}\))?\s*[-\u2013\u2014]")


def cue_lemma(doc: Doc, gold: GoldAttribution) -> tuple[str, str]:
    """The head word of a gold Cue (first verb, else first noun, else first word) and its POS."""
    tokens = [
        t
        for s, e in gold.cue
        for t in doc.char_span(s, e, alignment_mode="expand") or []
        if not t.is_punct and not t.is_space
    ]
    if not tokens:
        return "", "PUNCT"
    for pos in ("VERB", "NOUN"):
        for token in tokens:
            if token.pos_ == pos:
                return token.lemma_.lower(), pos
    return tokens[0].lemma_.lower(), tokens[0].pos_


def cue_class(doc: Doc, gold: GoldAttribution, cue_p: Mapping[str, float]) -> str:
    """The kind of word that signals a gold attribution, and whether the tagger knows it."""
    if not gold.cue:
        return "no cue"
    lemma, pos = cue_lemma(doc, gold)
    words = " ".join(doc.text[s:e] for s, e in gold.cue).lower()
    if "according" in words:
        return "according to"
    if pos == "PUNCT":
        return "punctuation (colon, quote marks)"
    if lemma in SAY_TELL:
        return "say / tell"
    known = "known" if cue_p.get(lemma, 0.0) >= CUE_CANDIDATE_P else "rare or unknown"
    if pos == "VERB":
        return f"other verb, {known} cue"
    if pos == "NOUN":
        return f"noun, {known} cue"
    return f"other ({pos.lower()})"


SOURCE_NAMES = {"none": "no gold source", "pronoun": "pronoun", "named": "named"}


def source_class(gold: GoldAttribution) -> str:
    """Pronoun, named or nominal gold Source (``GoldAttribution.source_kind``), as printed."""
    return SOURCE_NAMES.get(gold.source_kind, "nominal")


def _span(quote: QuoteDict, text: str) -> tuple[int, int]:
    return trim_span(text, int(quote["start"]), int(quote["end"]))


def _touches(span: tuple[int, int], gold: GoldAttribution) -> bool:
    return any(min(span[1], e) > max(span[0], s) for s, e in gold.content_trimmed)


def _headline_end(text: str) -> int:
    end = text.find("\n")
    return len(text) if end < 0 else end


def classify(
    articles: Sequence[GoldArticle],
    docs: Sequence[Doc],
    predictions: Mapping[str, Sequence[QuoteDict]],
    cue_p: Mapping[str, float],
) -> dict[str, Counter[str]]:
    """Count every error class over the split."""
    names = (
        "missed",
        "missed indirect by cue",
        "missed indirect: top cue words",
        "boundary",
        "headline",
        "false positive",
        "speaker",
    )
    counts: dict[str, Counter[str]] = {name: Counter() for name in names}
    for article, doc in zip(articles, docs, strict=True):
        quotes = predictions.get(article.name, [])
        text, golds = article.text, article.attributions
        loose = match_quotes(article, quotes)
        strict = match_quotes(article, quotes, "strict")
        spans = [_span(q, text) for q in quotes]
        paired = {j for j in loose if j is not None}
        headline = _headline_end(text)
        datelines = [m.end() for m in DATELINE.finditer(text)]
        for j, gold in enumerate(golds):
            if j in paired:
                continue
            if gold.content_trimmed and gold.content_trimmed[0][0] < headline:
                counts["headline"]["gold in the headline, missed"] += 1
            elif any(_touches(span, gold) for span in spans):
                counts["missed"][f"{gold.kind}: overlapped, not paired (boundary or split)"] += 1
            else:
                counts["missed"][f"{gold.kind}: nothing predicted there"] += 1
                if gold.kind == "indirect":
                    counts["missed indirect by cue"][cue_class(doc, gold, cue_p)] += 1
                    counts["missed indirect: top cue words"][cue_lemma(doc, gold)[0] or "-"] += 1
        for i, (quote, span) in enumerate(zip(quotes, spans, strict=True)):
            match = loose[i]
            if span[0] < headline:
                verdict = "no gold there" if match is None else "matches gold"
                counts["headline"][f"statement predicted in the headline: {verdict}"] += 1
            if any(span[0] < d < span[1] for d in datelines):
                counts["headline"]["dateline inside a predicted content"] += 1
            if match is None:
                touched = [g for g in golds if _touches(span, g)]
                if touched:
                    counts["false positive"]["overlaps gold (split half or boundary)"] += 1
                else:
                    cue = "with cue" if quote.get("cue") else "no cue"
                    counts["false positive"][f"{quote.get('kind')}, {cue}, no gold near"] += 1
                continue
            if strict[i] is None:
                gold = golds[match]
                g_start, g_end = gold.content_trimmed[0][0], gold.content_trimmed[-1][1]
                if span[0] <= g_start and span[1] >= g_end:
                    side = "too long"
                elif span[0] >= g_start and span[1] <= g_end:
                    side = "too short"
                else:
                    side = "shifted"
                counts["boundary"][f"loose but not strict: {side}"] += 1
            gold = golds[match]
            speaker = quote.get("speaker") or {}
            start, end = speaker.get("mention_start"), speaker.get("mention_end")
            mention = (start, end) if isinstance(start, int) and isinstance(end, int) else None
            label = speaker.get("name") or speaker.get("mention")
            if is_speaker_correct(mention, label, gold.source, gold.source_text):
                continue
            if not gold.has_source:
                counts["speaker"]["gold has no source"] += 1
            elif label is None:
                counts["speaker"][f"{source_class(gold)}: none predicted"] += 1
            else:
                kind = speaker.get("kind", "unknown")
                counts["speaker"][f"{source_class(gold)}: wrong (predicted {kind})"] += 1
    return counts


def _table(title: str, counter: Counter[str], top: int | None = None) -> list[str]:
    lines = [f"### {title} ({sum(counter.values())})", "", "| class | n |", "|---|---|"]
    lines += [f"| {name} | {n} |" for name, n in counter.most_common(top)]
    return [*lines, ""]


def _calibration_lines(label: str, report: PolnearReport) -> list[str]:
    if report.calibration is None:
        return []
    return [f"### Confidence: {label}", "", *report.calibration.to_markdown(), ""]


def main(argv: list[str] | None = None) -> int:
    """Run the analysis and print Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT, help="PolNeAR split folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args(argv)
    articles = read_split(args.split, args.limit)
    extractor = load_extractor()
    calibration = extractor.model.calibration
    raw_model = replace(extractor.model, calibration=None)
    raw: dict[str, list[dict[str, Any]]] = {}
    calibrated: dict[str, list[dict[str, Any]]] = {}
    docs = list(extractor.nlp.pipe((a.text for a in articles), batch_size=16))
    for article, doc in zip(articles, docs, strict=True):
        predicted = predict_statements(article, doc, raw_model)
        raw[article.name] = [quote_to_contract(q) for q, _ in predicted]
        calibrated[article.name] = [
            {**quote_to_contract(q), "confidence": round(calibration.probability(f), 4)}
            if calibration is not None
            else quote_to_contract(q)
            for q, f in predicted
        ]
    report = score_articles(articles, calibrated, args.split)
    lines = [
        f"## PolNeAR {args.split.name}: {len(articles)} articles",
        "",
        report.to_markdown(),
        "",
    ]
    # The report above ends with the calibrated confidences; the raw ones, for comparison:
    lines += _calibration_lines("raw mean CRF marginal", score_articles(articles, raw))
    counts = classify(articles, docs, calibrated, extractor.model.cue_p)
    for title, counter in counts.items():
        lines += _table(title, counter, TOP_WORDS if "top" in title else None)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
