"""Propose a resolved speaker name for every gold Source of a PolNeAR split.

Usage::

    .venv/bin/python eval/speakers/propose_polnear.py    # dev -> polnear_dev_names.jsonl
    .venv/bin/python eval/speakers/propose_polnear.py --split DIR --out FILE [--limit N]

Each article is parsed with the extractor's spaCy pipeline. Its gold attributions (first
fragment of the content, cue and source; the kind read off the gold content) become
``Attribution`` records, and onrecord's resolver turns them into quotes; the speaker name and
kind of each quote is the proposal for that gold attribution. An outlet attribution that the
resolver folds into the statement it wraps takes that statement's speaker.

One JSON line per gold attribution with a Source, in article and annotation order. When the
output file exists, lines marked ``"method": "checked"`` keep their hand-checked ``name`` and
``kind``; only ``proposal_kept`` is refreshed. The output depends only on the split, the parser and
the resolver: no clock, no randomness.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from onrecord.clean import clean_document
from onrecord.evaluation import normalise_name
from onrecord.evaluation._brat import GoldArticle, GoldAttribution, read_split
from onrecord.extract import load_extractor
from onrecord.models import Attribution, Quote, RawDocument, Span
from onrecord.resolve import resolve_quotes

HERE = Path(__file__).resolve().parent
DEFAULT_SPLIT = HERE.parent.parent.parent / "shared" / "data" / "polnear" / "dev"
DEFAULT_OUT = HERE / "polnear_dev_names.jsonl"
GOLD_TAG = "gold:"

Record = dict[str, Any]


def _first(fragments: tuple[tuple[int, int], ...]) -> Span | None:
    return Span(*fragments[0]) if fragments else None


def to_attribution(gold: GoldAttribution) -> Attribution:
    """A gold attribution as extraction would have found it, tagged with its brat id."""
    content = _first(gold.content)
    if content is None:
        raise ValueError(f"gold attribution {gold.id} has no content")
    return Attribution(
        content=content,
        kind=gold.kind,  # type: ignore[arg-type]  # direct | mixed | indirect
        cue=_first(gold.cue),
        source=_first(gold.source),
        confidence=1.0,
        extractor=GOLD_TAG + gold.id,
    )


def _kind(speaker_kind: str, name: str | None) -> str:
    if speaker_kind in ("person", "organisation", "group"):
        return speaker_kind
    return "none" if name is None else "person"


def _wrapped(outer: Attribution, quotes: tuple[Quote, ...]) -> Quote | None:
    """The first kept quote inside an outlet attribution the resolver folded away."""
    inside = [q for q in quotes if outer.content.start <= q.start and q.end <= outer.content.end]
    return inside[0] if inside else None


def propose_article(gold: GoldArticle, quotes: tuple[Quote, ...]) -> list[Record]:
    """One record per sourced gold attribution, from the quotes resolved off the gold spans."""
    by_id = {q.extractor[len(GOLD_TAG) :]: q for q in quotes}
    records = []
    for attribution in gold.attributions:
        if not attribution.has_source:
            continue
        quote = by_id.get(attribution.id)
        if quote is None:
            quote = _wrapped(to_attribution(attribution), quotes)
        name = quote.speaker.name if quote is not None else None
        kind = _kind(quote.speaker.kind, name) if quote is not None else "none"
        records.append(
            {
                "file": gold.file_name,
                "id": attribution.id,
                "source_start": attribution.source[0][0],
                "source_end": attribution.source[-1][1],
                "name": name,
                "kind": kind,
                "proposal_kept": True,
                "method": "auto",
            }
        )
    return records


def _checked(path: Path) -> dict[tuple[str, str], Record]:
    if not path.exists():
        return {}
    kept = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            if record.get("method") == "checked":
                kept[(record["file"], record["id"])] = record
    return kept


def propose(split_dir: Path, limit: int | None = None) -> list[Record]:
    """Proposals for every sourced gold attribution of the split (or its first ``limit``
    articles), in article order."""
    extractor = load_extractor()
    articles = read_split(split_dir)[:limit]
    docs = extractor.nlp.pipe((a.text for a in articles), batch_size=8)
    records: list[Record] = []
    for gold, doc in zip(articles, docs, strict=True):
        raw = RawDocument(source=str(gold.path), content=gold.text, media_type="text")
        article = clean_document(raw, is_cleaning=False)
        if article.text != gold.text:
            raise ValueError(f"{gold.file_name}: text changed on reading; offsets would not hold")
        attributions = [to_attribution(a) for a in gold.attributions]
        quotes = resolve_quotes(article, doc, attributions)
        records.extend(propose_article(gold, quotes))
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT, help="PolNeAR split folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSONL file to write")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args(argv)
    checked = _checked(args.out)
    lines = []
    for record in propose(args.split, args.limit):
        kept = checked.get((record["file"], record["id"]))
        if kept is not None:
            is_same = normalise_name(record["name"]) == normalise_name(kept["name"])
            record.update(
                name=kept["name"], kind=kept["kind"], proposal_kept=is_same, method="checked"
            )
        lines.append(json.dumps(record, ensure_ascii=False))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} sourced attributions, {len(checked)} kept as checked -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
