"""Search latency on a large store: full text, by speaker, by date range.

Usage::

    .venv/bin/python bench/search_latency.py --db /tmp/search1m.db --quotes 1000000 [--runs 300]
    .venv/bin/python bench/search_latency.py --db postgresql://me@localhost/bench --quotes 50000

Builds the store first when ``--db`` does not exist yet (a PostgreSQL database: has no
articles yet): synthetic articles of
``--per-article`` quotes each (speakers, places and wording from the templates of
``bench/synth_corpus.py``, dates over 18 months), written through ``Store.add_articles`` without
spaCy and without the quotation/story index (no after-batch ``steps``), which search does
not use. Then times ``Store.search`` (limit 50, the CLI default) for:

- ``text-rare``: a word in few quotes (a town name);
- ``text-common``: a word in a large share of quotes (a topic noun);
- ``text-two``: two words, one common one rare;
- ``speaker``: every quote of one speaker, newest first;
- ``dates``: a 30-day window, newest first;
- ``speaker+dates`` and ``text+dates``: the filters combined;
- ``count-common``, ``count-rare``, ``count-dates``: ``Store.count`` as the search page runs it
  for its exact total (up to 100,001), printing the count instead of hits;

and prints p50/p95/max in milliseconds per kind. ``top-first-common`` times, for comparison,
a query Store.search does not run: FTS5 ranks and keeps the best 50 before any join;
``rowid-first-common`` takes the 50 most recently stored matches, which FTS5 can stop early
for (both on a SQLite file only). Not a gate.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth_corpus as synth

from onrecord.config import is_postgres_url
from onrecord.models import Article, ExtractedArticle, Quote, Speaker
from onrecord.store import QuoteFilter, Store, escape_fts

START = date(2025, 1, 1)
DAYS = 540


def _articles(count: int, per_article: int, seed: int) -> Iterator[ExtractedArticle]:
    generator = synth.Generator(seed)
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    people = generator.people
    for number in range(count):
        town, capital = rng.sample(generator.towns, 2)
        outlet = rng.choice(synth.OUTLETS)
        ctx = {
            "town": town,
            "capital": capital,
            "topic": rng.choice(synth.TOPICS),
            "outlet": outlet,
        }
        parts: list[str] = [generator._fill(rng.choice(synth.NARRATIVE), ctx)]
        spans: list[tuple[int, int, str]] = []
        speakers = rng.sample(people, 3)
        openers = [rng.choice(synth.QUOTE_OPENERS) for _ in range(per_article)]
        closers = [rng.choice(synth.QUOTE_CLOSERS) for _ in range(per_article)]
        for index in range(per_article):
            text = generator._quote_text(ctx, openers[index], closers[index])
            person = speakers[index % 3]
            offset = sum(len(p) + 1 for p in parts) + 1
            parts.append(f"“{text},” {person} said.")
            spans.append((offset, offset + len(text), person))
        body = " ".join(parts)
        quotes = tuple(
            Quote(
                text=body[start:end],
                start=start,
                end=end,
                kind="direct",
                cue="said",
                confidence=1.0,
                speaker=Speaker(person, person, None, None, kind="person"),
                extractor="bench.synthetic",
            )
            for start, end, person in spans
        )
        article_id = hashlib.sha256(f"{seed}:{number}".encode()).hexdigest()[:16]
        yield ExtractedArticle(
            article=Article(
                id=article_id,
                source=f"synthetic:{number}",
                text=body,
                title=f"{town} and {ctx['topic']}",
                published=START + timedelta(days=rng.randrange(DAYS)),
                outlet=outlet,
            ),
            quotes=quotes,
        )


def _build(db: Path | str, quotes: int, per_article: int, seed: int) -> None:
    articles = -(-quotes // per_article)
    started = time.perf_counter()
    with Store.open(db) as store:
        done = 0
        batch: list[ExtractedArticle] = []
        for item in _articles(articles, per_article, seed):
            batch.append(item)
            if len(batch) == 2000:
                store.add_articles(batch, batch_size=2000)
                done += len(batch)
                batch = []
                if done % 20000 == 0:
                    rate = done / (time.perf_counter() - started)
                    print(f"  built {done:,} articles ({rate:,.0f}/s)", flush=True)
        if batch:
            store.add_articles(batch, batch_size=2000)
        stats = store.stats()
    print(
        f"built {stats['articles']:,} articles, {stats['quotes']:,} quotes, "
        f"{stats['speakers']:,} speakers in {time.perf_counter() - started:.0f} s"
    )


def _time(call: Callable[[], Any], runs: int) -> list[float]:
    timings: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="store file or postgresql:// URL")
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--per-article", type=int, default=10)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    print(
        f"search_latency: {platform.machine()} {os.cpu_count()} cpus, "
        f"Python {platform.python_version()}, db={args.db}"
    )
    is_url = is_postgres_url(args.db)
    if is_url:
        with Store.open(args.db) as store:
            is_empty = store.stats()["articles"] == 0
    else:
        is_empty = not Path(args.db).exists()
    if is_empty:
        _build(args.db, args.quotes, args.per_article, args.seed)
    rng = random.Random(args.seed + 1)  # noqa: S311 - query sampling
    generator = synth.Generator(args.seed)
    with Store.open(args.db) as store:
        stats = store.stats()
        print(f"store: {stats['articles']:,} articles, {stats['quotes']:,} quotes")
        speakers = [s.name for s in store.speakers(limit=5000)]
        towns = generator.towns
        common = ["council", "budget", "families", "review", "price"]

        def window() -> tuple[date, date]:
            since = START + timedelta(days=rng.randrange(DAYS - 30))
            return since, since + timedelta(days=30)

        cases: dict[str, Callable[[], Any]] = {
            "text-rare": lambda: store.search(f"{rng.choice(towns)} {rng.choice(synth.TOPICS)}"),
            "text-common": lambda: store.search(rng.choice(common)),
            "text-two": lambda: store.search(f"{rng.choice(common)} {rng.choice(towns)}"),
            "speaker": lambda: store.search(speaker=rng.choice(speakers)),
            "dates": lambda: store.search(since=(w := window())[0], until=w[1]),
            "speaker+dates": lambda: store.search(
                speaker=rng.choice(speakers), since=(w := window())[0], until=w[1]
            ),
            "text+dates": lambda: store.search(
                rng.choice(common), since=(w := window())[0], until=w[1]
            ),
            # The exact totals the search page shows (counted up to 100,001).
            "count-common": lambda: store.count(QuoteFilter(text=rng.choice(common)), cap=100_001),
            "count-rare": lambda: store.count(QuoteFilter(text=rng.choice(towns)), cap=100_001),
            "count-dates": lambda: store.count(
                QuoteFilter(since=(w := window())[0], until=w[1]), cap=100_001
            ),
        }
        if is_url:
            _report(cases, args.runs)
            return
        # For comparison: rank inside FTS5 first (its `rank` column with ORDER BY ... LIMIT
        # keeps only the best rows), then join the few winners; not what Store.search runs.
        raw = sqlite3.connect(args.db)
        top_first = (
            "WITH top AS (SELECT rowid, rank FROM quotes_fts WHERE quotes_fts MATCH ? "
            "ORDER BY rank LIMIT 50) SELECT q.id, q.text, a.title, a.published FROM top "
            "JOIN quotes q ON q.id = top.rowid JOIN articles a ON a.id = q.article_id "
            "ORDER BY top.rank"
        )
        cases["top-first-common"] = lambda: raw.execute(
            top_first, (escape_fts(rng.choice(common)),)
        ).fetchall()
        newest_first = (
            "WITH top AS (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ? "
            "ORDER BY rowid DESC LIMIT 50) SELECT q.id, q.text, a.title, a.published FROM top "
            "JOIN quotes q ON q.id = top.rowid JOIN articles a ON a.id = q.article_id"
        )
        cases["rowid-first-common"] = lambda: raw.execute(
            newest_first, (escape_fts(rng.choice(common)),)
        ).fetchall()
        _report(cases, args.runs)


def _report(cases: dict[str, Callable[[], Any]], runs: int) -> None:
    print(f"{'query':18s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s}  hits(last)")
    for name, call in cases.items():
        call()
        timings = sorted(_time(call, runs))
        p95 = timings[int(len(timings) * 0.95) - 1]
        found = call()
        hits = found if isinstance(found, int) else len(found)
        print(f"{name:18s} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f}  {hits}")


if __name__ == "__main__":
    main()
