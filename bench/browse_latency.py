"""Page latency of the web UI on a large store: search, actor and quotation pages, exports.

Usage::

    .venv/bin/python bench/browse_latency.py --db /tmp/search1m.db [--quotes 1000000] [--runs 100]

Builds the store first when ``--db`` does not exist yet, exactly as ``bench/search_latency.py``
does (synthetic articles of ``--per-article`` quotes each; 1,000,000 quotes at 10 per article
is 100,000 articles). Then requests each kind of page through the real app in-process
(``fastapi.testclient``: routing, validation, queries, templates; no network) and prints
p50/p95/max in milliseconds per kind:

- ``search-common``, ``search-rare``, ``search-none`` (no words, newest first),
  ``search-phrase``, ``search-prefix``, ``search-speaker``, ``search-empty`` (a filter that
  empties the result, so each filter is counted without it);
- ``actor``: a speaker's page (first page of statements and the sampled plot), and
  ``actor-page-20`` further in;
- ``quote``: a statement's quotation page; ``quotations``: the list of quotations;
- ``export-json``: a search page as JSON;

then streams every match of a rare and of a common word as CSV (``scope=all``) once each,
printing lines, seconds and the process's peak resident memory.

Every page also counts its total exactly (up to 100,000) and its facets (from up to 2,000
matches). The header names the machine, Python and commit. Not a gate.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_latency
import synth_corpus as synth
from _machine import git_commit
from fastapi.testclient import TestClient

from onrecord.api import create_app
from onrecord.config import Settings
from onrecord.store import QuoteFilter, Store


def _time(client: TestClient, make_url: Callable[[], str], runs: int) -> tuple[list[float], int]:
    timings: list[float] = []
    status = 0
    for _ in range(runs):
        url = make_url()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        status = max(status, response.status_code)
    return timings, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--per-article", type=int, default=10)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(
        f"browse_latency: {platform.machine()} {os.cpu_count()} cpus, "
        f"Python {platform.python_version()}, commit {git_commit()}, db={args.db}"
    )
    if not args.db.exists():
        search_latency._build(args.db, args.quotes, args.per_article, args.seed)
    rng = random.Random(args.seed + 2)  # noqa: S311 - query sampling
    generator = synth.Generator(args.seed)
    with Store.open(args.db) as store:
        stats = store.stats()
        slugs = [s.slug for s in store.speakers(limit=500)]
        top = store.find(QuoteFilter(), limit=2000)
    quote_ids = [h.quote_id for h in top]
    print(f"store: {stats['articles']:,} articles, {stats['quotes']:,} quotes")
    towns = generator.towns
    common = ["council", "budget", "families", "review", "price"]
    pages: dict[str, Callable[[], str]] = {
        "search-common": lambda: f"/?q={rng.choice(common)}",
        "search-rare": lambda: f"/?q={rng.choice(towns)}",
        "search-none": lambda: "/",
        "search-phrase": lambda: f'/?q="the {rng.choice(common)}"',
        "search-prefix": lambda: f"/?q={rng.choice(towns)[:5]}*",
        "search-speaker": lambda: f"/?q={rng.choice(common)}&speaker={rng.choice(slugs)}",
        "search-empty": lambda: f"/?q={rng.choice(towns)}&kind=mixed",
        "actor": lambda: f"/actors/{rng.choice(slugs)}",
        "actor-page-20": lambda: f"/actors/{rng.choice(slugs)}?offset=1000",
        "quote": lambda: f"/quotes/{rng.choice(quote_ids)}",
        "quotations": lambda: "/quotations",
        "export-json": lambda: f"/?q={rng.choice(common)}&format=json",
    }
    with TestClient(create_app(Settings(db_path=args.db))) as client:
        print(f"{'page':16s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s}  status")
        for name, make_url in pages.items():
            client.get(make_url())
            timings, status = _time(client, make_url, args.runs)
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(
                f"{name:16s} {statistics.median(timings):8.1f} {p95:8.1f} "
                f"{timings[-1]:8.1f}  {status}"
            )
        for word in (towns[0], common[0]):
            url = f"/?q={word}&format=csv&scope=all"
            started = time.perf_counter()
            lines = 0
            with client.stream("GET", url) as response:
                for _ in response.iter_lines():
                    lines += 1
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"export all of {word!r} as CSV: {lines - 1:,} lines in "
                f"{time.perf_counter() - started:.1f} s, peak RSS {peak:.0f} MiB"
            )


if __name__ == "__main__":
    main()
