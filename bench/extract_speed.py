"""Extraction throughput against a bare spaCy parse of the same texts.

Usage::

    .venv/bin/python bench/extract_speed.py [SPLIT_DIR] [--runs 2] [--limit N]

SPLIT_DIR defaults to ../shared/data/polnear/dev (its text/*.txt files are the articles). In
one process, after loading the extractor once, it times

  (a) bare ``extractor.nlp.pipe(texts)``: the parse alone, with the extractor's own model;
  (b) what ``onrecord extract`` runs: ``pipeline.extract_articles`` over the same texts
      (cleaning, the same parse, attribution tagging, speaker and relay resolution);

and prints the best of ``--runs`` runs as articles/s and words/s (whitespace-separated words),
plus extract throughput as a share of bare throughput. With ``--encoder`` it also times
onrecord's MiniLM encoder (``onrecord.positions``) over every sentence of the same texts: the
least a tagger that reads a transformer encoder would add to the parse, and so the highest
share of bare throughput such a tagger could keep. The header
names the machine, the Python and the git commit, so results can be noted with them.
Not a gate: numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _machine import git_commit

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SPLIT = REPO.parent / "shared" / "data" / "polnear" / "dev"


def _read_texts(split_dir: Path, limit: int | None) -> list[tuple[Path, str]]:
    paths = sorted((split_dir / "text").glob("*.txt")) or sorted(split_dir.glob("*.txt"))
    if not paths:
        sys.exit(f"extract_speed: no .txt files under {split_dir}/text or {split_dir}")
    if limit:
        paths = paths[:limit]
    texts = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            texts.append((path, handle.read()))
    return texts


def _best_of(runs: int, work: Callable[[], int]) -> tuple[float, int]:
    """Best wall time over ``runs`` calls of ``work``, and what the last call returned."""
    best, result = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split_dir", nargs="?", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--runs", type=int, default=2, help="timed runs per mode (best is kept)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument(
        "--encoder", action="store_true", help="also time the MiniLM encoder over every sentence"
    )
    args = parser.parse_args(argv)

    from onrecord.config import Settings
    from onrecord.errors import OnrecordError
    from onrecord.extract import load_extractor
    from onrecord.models import ExtractedArticle, RawDocument
    from onrecord.pipeline import extract_articles

    texts = _read_texts(args.split_dir, args.limit)
    n_words = sum(len(text.split()) for _, text in texts)
    n_chars = sum(len(text) for _, text in texts)

    print(
        f"# extract_speed  commit {git_commit()}  python {platform.python_version()}  "
        f"{platform.machine()} {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable)  "
        f"{platform.platform(terse=True)}"
    )
    print(f"# {len(texts)} articles, {n_words} words, {n_chars} chars from {args.split_dir}")

    started = time.perf_counter()
    try:
        extractor = load_extractor()
    except OnrecordError as exc:
        sys.exit(f"extract_speed: cannot load the extractor: {exc}")
    load_s = time.perf_counter() - started
    nlp = extractor.nlp
    print(
        f"# model {nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}, "
        f"pipes {','.join(nlp.pipe_names)}; loaded in {load_s:.2f} s"
    )
    raw = [text for _, text in texts]
    documents = [RawDocument(str(path), text, "text") for path, text in texts]
    settings = Settings()

    def bare() -> int:
        return sum(len(doc) for doc in nlp.pipe(raw))

    def full() -> int:
        outcomes = extract_articles(documents, extractor, settings)
        return sum(len(o.quotes) for o in outcomes if isinstance(o, ExtractedArticle))

    # Warm-up (first-call allocations should not count against either mode); its parse also
    # gives the sentences that --encoder times.
    sentences = [s.text for doc in nlp.pipe(raw) for s in doc.sents if s.text.strip()]
    bare_s, n_tokens = _best_of(args.runs, bare)
    full_s, n_quotes = _best_of(args.runs, full)

    print()
    print("| mode | best s | articles/s | words/s |")
    print("|---|---|---|---|")
    for label, seconds in (("bare nlp.pipe", bare_s), ("full extraction", full_s)):
        print(f"| {label} | {seconds:.2f} | {len(texts) / seconds:.2f} | {n_words / seconds:.0f} |")
    print()
    print(
        f"extract throughput = {bare_s / full_s:.0%} of bare nlp.pipe   "
        f"({n_tokens} tokens, {n_quotes} statements, best of {args.runs})"
    )
    if args.encoder:
        from onrecord.positions._encoder import SentenceEncoder

        encoder = SentenceEncoder()
        encode_s, _ = _best_of(args.runs, lambda: len(encoder.encode(sentences)))
        print(
            f"MiniLM encoder over the {len(sentences)} sentences: {encode_s:.2f} s "
            f"({len(texts) / encode_s:.2f} articles/s); parse + encoder alone = "
            f"{bare_s / (bare_s + encode_s):.0%} of bare nlp.pipe"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
