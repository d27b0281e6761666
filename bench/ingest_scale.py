"""Ingest a synthetic corpus at scale: throughput, peak memory, duplicate and quote grouping.

Usage::

    .venv/bin/python bench/synth_corpus.py --articles 100000 --out /tmp/synth100k
    # the store path alone (clean + store + quotations + stories; quotes planted, no spaCy):
    .venv/bin/python bench/ingest_scale.py /tmp/synth100k --mode store [--limit 10000]
    # the whole pipeline, spaCy parse in worker processes:
    .venv/bin/python bench/ingest_scale.py /tmp/synth100k --mode full --jobs 2 --limit 10000
    # either, without the quote fidelity step, to measure what it costs:
    .venv/bin/python bench/ingest_scale.py /tmp/synth100k --mode store --limit 10000 --no-fidelity

Prints articles/s, the peak resident memory of this process and its workers together
(sampled from /proc every 0.2 s), and precision/recall of

- duplicates: pairs of articles found as duplicates or rewrites (same content hash, or a
  ``duplicate`` link) against the planted families (an original with its copies and rewrites);
- quotations: pairs of stored quotes put in one quotation against the planted quote ids
  (``--mode store`` only, where the stored quotes are exactly the planted ones).

Not a gate: numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import combinations, islice
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

from _machine import git_commit  # noqa: E402 - beside this script
from synth_corpus import placed_quotes  # noqa: E402 - beside this script

from onrecord.clean import clean_document  # noqa: E402 - after the repo path is known
from onrecord.config import Settings, store_target  # noqa: E402
from onrecord.derive import standard_steps  # noqa: E402
from onrecord.errors import IngestError  # noqa: E402
from onrecord.ingest import read_inputs  # noqa: E402
from onrecord.models import ExtractedArticle, RawDocument  # noqa: E402
from onrecord.pipeline import store_outcomes  # noqa: E402
from onrecord.store import Store  # noqa: E402


class RssSampler:
    """Peak resident memory of this process and all its descendants, sampled in a thread."""

    def __init__(self, interval_s: float = 0.2) -> None:
        self.interval_s = interval_s
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")

    def _tree(self, pid: int) -> Iterator[int]:
        yield pid
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                children = (task / "children").read_text().split()
                for child in children:
                    yield from self._tree(int(child))
        except OSError:
            return

    def _rss(self) -> int:
        total = 0
        for pid in set(self._tree(os.getpid())):
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page
            except (OSError, IndexError, ValueError):
                continue
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, self._rss())
            self._stop.wait(self.interval_s)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _truth_stream(corpus: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    with (corpus / "truth.jsonl").open(encoding="utf-8") as handle:
        for line in islice(handle, limit):
            yield json.loads(line)


def _truth(corpus: Path, limit: int | None) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    with (corpus / "truth.jsonl").open(encoding="utf-8") as handle:
        for line in islice(handle, limit):
            record = json.loads(line)
            found[record["source"]] = record
    return found


def _planted(raw: RawDocument, truth: dict[str, Any]) -> ExtractedArticle | IngestError:
    """Clean the document and place its planted quotes where they are in the cleaned text."""
    try:
        article = clean_document(raw)
    except IngestError as exc:
        return exc
    planted = [(q["text"], q["speaker"], q["via"]) for q in truth["quotes"]]
    quotes = placed_quotes(article.text, planted, "bench.planted")
    return ExtractedArticle(article=article, quotes=quotes)


def _pairs_from_clusters(clusters: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for members in clusters:
        for first, second in combinations(sorted(set(members)), 2):
            pairs.add(frozenset((first, second)))
    return pairs


def _score(predicted: set[frozenset[str]], truth: set[frozenset[str]]) -> tuple[float, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall


def _duplicate_scores(
    store: Store, ids: dict[str, str], truth: dict[str, dict[str, Any]]
) -> tuple[float, float, int, int]:
    families: dict[int, list[str]] = defaultdict(list)
    for source, record in truth.items():
        if record["family"] is not None and source in ids:
            families[record["family"]].append(source)
    truth_pairs = _pairs_from_clusters(families.values())
    by_id: dict[str, list[str]] = defaultdict(list)
    for source, article_id in ids.items():
        by_id[article_id].append(source)
    predicted = _pairs_from_clusters(by_id.values())
    for first, second, _ in store.duplicate_pairs():
        for a in by_id[first]:
            for b in by_id[second]:
                predicted.add(frozenset((a, b)))
    precision, recall = _score(predicted, truth_pairs)
    return precision, recall, len(predicted), len(truth_pairs)


def _quotation_scores(
    store: Store, planted_ids: dict[tuple[str, int], int]
) -> tuple[float, float, int]:
    by_quotation: dict[int, list[str]] = defaultdict(list)
    by_planted: dict[int, list[str]] = defaultdict(list)
    for hit in store.iter_quotes():
        planted = planted_ids.get((hit.article_id, hit.start))
        if planted is None:
            continue
        key = f"{hit.quote_id}"
        by_planted[planted].append(key)
        by_quotation[store.quotation_of_quote(hit.quote_id)].append(key)
    precision, recall = _score(
        _pairs_from_clusters(by_quotation.values()), _pairs_from_clusters(by_planted.values())
    )
    return precision, recall, len(by_quotation)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="folder written by bench/synth_corpus.py")
    parser.add_argument("--mode", choices=("store", "full"), default="store")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument(
        "--db", default=None, help="store file or postgresql:// URL (default: a temp file)"
    )
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size)
    parser.add_argument("--progress", type=int, default=5000, help="report every N articles")
    parser.add_argument(
        "--no-fidelity",
        action="store_true",
        help="skip the quote fidelity step after each batch (to measure what it costs)",
    )
    args = parser.parse_args()

    shards = sorted(str(p) for p in args.corpus.glob("corpus-*.jsonl"))
    workdir = Path(tempfile.mkdtemp(prefix="onrecord-bench-"))
    db = store_target(args.db) if args.db else workdir / "bench.db"
    settings = replace(Settings(), batch_size=args.batch_size)
    kinds: Counter[str] = Counter(
        record["kind"] for record in _truth_stream(args.corpus, args.limit)
    )
    print(
        f"ingest_scale: mode={args.mode} jobs={args.jobs} articles={kinds.total():,} "
        f"batch={settings.batch_size} fidelity={'off' if args.no_fidelity else 'on'} db={db}"
    )
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}, "
        f"commit {git_commit()}"
    )
    print("corpus: " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
    # What scoring needs is written to files as it streams by, so that the memory measured
    # is the pipeline's, not this script's bookkeeping (the truth is only loaded afterwards).
    ids_path = workdir / "ids.tsv"
    planted_path = workdir / "planted.tsv"
    ids_file = ids_path.open("w", encoding="utf-8")
    planted_file = planted_path.open("w", encoding="utf-8")
    done = 0

    raw = islice(read_inputs(shards), args.limit)

    def remember(outcomes: Iterable[ExtractedArticle | IngestError]) -> Iterator[Any]:
        nonlocal done
        for count, outcome in enumerate(outcomes, start=1):
            if isinstance(outcome, ExtractedArticle):
                ids_file.write(f"{outcome.article.source}\t{outcome.article.id}\n")
                done += 1
            if count % args.progress == 0:
                took = time.perf_counter() - started
                print(
                    f"  {count:,} articles in {took:.0f} s ({count / took:.1f}/s), "
                    f"peak RSS so far {sampler.peak_bytes / 2**20:.0f} MiB",
                    flush=True,
                )
            yield outcome

    def planted_stream() -> Iterator[ExtractedArticle | IngestError]:
        for item, record in zip(raw, _truth_stream(args.corpus, args.limit), strict=True):
            if isinstance(item, IngestError):
                yield item
                continue
            if record["source"] != item.source:
                sys.exit(f"truth.jsonl is out of step with the corpus at {item.source}")
            outcome = _planted(item, record)
            if isinstance(outcome, ExtractedArticle):
                ids_by_text = {q["text"]: q["id"] for q in record["quotes"]}
                for quote in outcome.quotes:
                    planted_file.write(
                        f"{outcome.article.id}\t{quote.start}\t{ids_by_text[quote.text]}\n"
                    )
            yield outcome

    started = time.perf_counter()
    sampler = RssSampler()
    with Store.open(db) as store, sampler:
        if args.mode == "store":
            outcomes: Iterable[Any] = planted_stream()
        else:
            from onrecord.workers import parallel_extract

            outcomes = parallel_extract(raw, settings, args.jobs)
        summary = store_outcomes(
            remember(outcomes),
            store,
            settings.batch_size,
            steps=standard_steps(is_checking_fidelity=not args.no_fidelity),
        )
        took = time.perf_counter() - started
        peak = sampler.peak_bytes
        ids_file.close()
        planted_file.close()
        print(
            f"ingested {summary.ingested:,} (skipped {summary.skipped:,} same-hash, failed "
            f"{summary.failed:,}) in {took:.1f} s: {done / took:.1f} articles/s"
        )
        print(f"peak RSS (process + workers): {peak / 2**20:.0f} MiB")
        stats = store.stats()
        print(f"store: {stats['articles']:,} articles, {stats['quotes']:,} quotes")
        started = time.perf_counter()
        truth = _truth(args.corpus, args.limit)
        ids = dict(line.rstrip("\n").split("\t") for line in ids_path.open(encoding="utf-8"))
        precision, recall, predicted, planted = _duplicate_scores(store, ids, truth)
        print(
            f"duplicates: precision {precision:.3f} recall {recall:.3f} "
            f"({predicted:,} pairs found, {planted:,} planted)"
        )
        if args.mode == "store":
            planted_ids: dict[tuple[str, int], int] = {}
            for line in planted_path.open(encoding="utf-8"):
                article_id, start, planted_id = line.rstrip("\n").split("\t")
                planted_ids[article_id, int(start)] = int(planted_id)
            q_precision, q_recall, groups = _quotation_scores(store, planted_ids)
            print(
                f"quotations: precision {q_precision:.3f} recall {q_recall:.3f} "
                f"({groups:,} quotations)"
            )
        stories = store.stories(limit=1_000_000)
        print(
            f"stories of 2+ articles: {len(stories):,}; largest "
            f"{max((s.article_count for s in stories), default=0)}"
        )
        print(f"scoring took {time.perf_counter() - started:.1f} s")
    if isinstance(db, Path):
        print(f"db size: {db.stat().st_size / 2**20:.0f} MiB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
