"""Classes of resolved-name errors on a PolNeAR split, with counts (and examples on train).

Usage::

    .venv/bin/python eval/speakers/name_errors.py --split ../shared/data/polnear/train \
        --model fast --limit 150 --examples 8
    .venv/bin/python eval/speakers/name_errors.py --split ../shared/data/polnear/dev \
        --model accurate --names eval/speakers/polnear_dev_names.jsonl

The parse and the extractor's attributions of every article are cached under
``build/name_errors/`` (per split and model), so a rerun costs only resolution. Each predicted
statement paired with a gold attribution at the loose threshold is put in one class by the gold
Source's form (``named``, ``pronoun``, ``nominal``), whether the chosen mention overlaps the
gold Source, and how the resolved name differs from the gold name: right, null, partial (a
part of the gold name), longer, or another name.

With ``--names`` the gold names come from that file (``polnear_dev_names.jsonl``). Without it
(train has no names file) a named gold Source gets a silver name: the longest person or
organisation entity of the article that ends with the Source's last proper word; pronoun and
nominal Sources get none, and their statements are listed for reading. Counts only are printed
unless ``--examples`` is given; use examples on train only.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, DocBin

from onrecord.clean import clean_document
from onrecord.evaluation import normalise_name, read_gold_names
from onrecord.evaluation._brat import GoldArticle, GoldAttribution, read_split
from onrecord.evaluation.polnear import match_quotes
from onrecord.export._contract import quote_to_contract
from onrecord.extract import create_extractor
from onrecord.models import Article, Attribution, RawDocument, Span
from onrecord.resolve import resolve_quotes

ROOT = Path(__file__).resolve().parent.parent.parent
CACHE = ROOT / "build" / "name_errors"
_TITLES = frozenset({"president", "sen", "senator", "gov", "governor", "rep", "mr", "mrs", "ms"})


def _record(attribution: Attribution) -> dict[str, Any]:
    spans = {
        key: None if span is None else [span.start, span.end]
        for key, span in (
            ("content", attribution.content),
            ("cue", attribution.cue),
            ("source", attribution.source),
        )
    }
    return {
        **spans,
        "kind": attribution.kind,
        "confidence": attribution.confidence,
        "extractor": attribution.extractor,
    }


def _attribution(record: dict[str, Any]) -> Attribution:
    cue, source = record["cue"], record["source"]
    return Attribution(
        content=Span(*record["content"]),
        kind=record["kind"],
        cue=None if cue is None else Span(*cue),
        source=None if source is None else Span(*source),
        confidence=record["confidence"],
        extractor=record["extractor"],
    )


def _cached(
    split: Path, model: str, limit: int | None
) -> list[tuple[GoldArticle, Article, Doc, list[Attribution]]]:
    articles = read_split(split)[:limit]
    folder = CACHE / f"{split.name}-{model}-{limit or 'all'}"
    extractor = create_extractor(model)
    if (folder / "docs.spacy").is_file():
        docs = list(DocBin().from_disk(folder / "docs.spacy").get_docs(extractor.nlp.vocab))
        rows = json.loads((folder / "attributions.json").read_text("utf-8"))
        found = [[_attribution(a) for a in article] for article in rows]
    else:
        docs = list(extractor.nlp.pipe((a.text for a in articles), batch_size=8))
        found = [extractor.attributions(doc) for doc in docs]
        folder.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs).to_disk(folder / "docs.spacy")
        rows = [[_record(a) for a in article] for article in found]
        (folder / "attributions.json").write_text(json.dumps(rows), "utf-8")
    rows = []
    for gold, doc, attributions in zip(articles, docs, found, strict=True):
        raw = RawDocument(source=str(gold.path), content=gold.text, media_type="text")
        rows.append((gold, clean_document(raw, is_cleaning=False), doc, attributions))
    return rows


def silver_name(gold: GoldAttribution, doc: Doc) -> str | None:
    """The longest entity of the article ending with the named Source's last proper word."""
    if gold.source_kind != "named":
        return None
    start, end = gold.source[0]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.root.pos_ != "PROPN" or len(span) > 5:
        return None
    proper = [t for t in span if t.pos_ == "PROPN" and t.text[:1].isupper()]
    if not proper:
        return None
    last = proper[-1].text
    best = [t.text for t in proper if t.lower_.rstrip(".") not in _TITLES]
    for ent in doc.ents:
        if ent.label_ in {"PERSON", "ORG"} and ent[-1].text == last:
            words = [t.text for t in ent if t.lower_.rstrip(".") not in _TITLES]
            if len(words) > len(best):
                best = words
    return " ".join(best) or None


def classify(gold_name: str | None, quote: dict[str, Any], gold: GoldAttribution) -> str:
    """One error class for a matched statement."""
    speaker = quote.get("speaker") or {}
    predicted = normalise_name(speaker.get("name"))
    wanted = normalise_name(gold_name)
    start, end = speaker.get("mention_start"), speaker.get("mention_end")
    if start is None:
        where = "no mention"
    elif any(start < e and s < end for s, e in gold.source):
        where = "gold mention"
    else:
        where = "other mention"
    if not wanted:
        return f"unnamed gold | {'given a name' if predicted else 'ok'} | {where}"
    if predicted == wanted:
        return f"{gold.source_kind} | right"
    if not predicted:
        how = "null"
    elif set(predicted.split()) < set(wanted.split()):
        how = "partial"
    elif set(wanted.split()) < set(predicted.split()):
        how = "longer"
    else:
        how = "other name"
    detail = speaker.get("kind") or "unknown"
    if how == "other name":
        same_last = predicted.split()[-1] == wanted.split()[-1]
        detail += ", same last word" if same_last else ""
        detail += ", holds gold" if wanted in predicted else ""
    return f"{gold.source_kind} | {how} | {where} | {detail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", type=Path, required=True)
    parser.add_argument("--model", default="fast")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--names", type=Path, default=None)
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--only", default="", help="print examples of classes holding this")
    args = parser.parse_args(argv)
    names = read_gold_names(args.names) if args.names else None
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for gold_article, article, doc, attributions in _cached(args.split, args.model, args.limit):
        quotes = [quote_to_contract(q) for q in resolve_quotes(article, doc, attributions)]
        for quote, j in zip(quotes, match_quotes(gold_article, quotes), strict=True):
            if j is None:
                continue
            gold = gold_article.attributions[j]
            if not gold.source:
                continue
            if names is not None:
                entry = names.get((gold_article.file_name, gold.id))
                if entry is None:
                    continue
                gold_name = entry.name
            else:
                gold_name = silver_name(gold, doc)
                if gold_name is None and gold.source_kind == "named":
                    continue
            if names is None and gold.source_kind != "named":
                label = f"{gold.source_kind} (read)"
            else:
                label = classify(gold_name, quote, gold)
            counts[label] += 1
            if args.examples and args.only in label and len(examples[label]) < args.examples:
                s, e = gold.source[0]
                cue = quote.get("cue") or ""
                text = gold_article.text
                lo = text.rfind("\n", 0, min(s, quote["start"])) + 1
                examples[label].append(
                    f"  gold {text[s:e]!r} -> {gold_name!r}; ours {quote['speaker']!r} "
                    f"cue {cue!r}\n    {text[lo : quote['end'] + 40]!r}"
                )
    total = sum(counts.values())
    print(f"{total} matched sourced statements ({args.split.name}, {args.model})")
    for label, n in counts.most_common():
        print(f"{n:6d} {n / total:6.3f}  {label}")
    for label, lines in examples.items():
        print(f"\n## {label}")
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
