"""The real command line and server over a hostile batch (``hostile_inputs.py --cli-jobs``).

``cli_run`` ingests the batch with ``python -m onrecord ingest ... --jobs N`` and reads what a
user would see: the exit status, a summary line or an aborted run, tracebacks, one error line
per bad item, the good articles in the store, and the peak resident memory of the largest
process (the CLI or one of its workers). ``disk_full_run`` fills a store's size limit in the
middle of a run. ``flood_after`` floods the server over the CLI's store while more articles are
ingested into it (``hostile_server.py``).
"""

from __future__ import annotations

import os
import random
import re
import resource
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hostile_inputs import Batch, check, good_article

HUGE = str(10**20)
RECORD_SUFFIX = re.compile(r"#[a-z]+-\d+$")


@dataclass
class CliFigures:
    """What one real CLI run over the batch showed."""

    returncode: int
    seconds: float
    peak_rss_mb: float
    summary: str
    tracebacks: int
    error_lines: int
    lines_per_bad: Counter[int] = field(default_factory=Counter)
    unnamed_lines: list[str] = field(default_factory=list)
    good_with_error: list[str] = field(default_factory=list)
    good_kept: int = 0
    good_lost: list[str] = field(default_factory=list)
    probes: list[str] = field(default_factory=list)


def _cli(*args: str, timeout_s: float = 3600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONRECORD_")}
    return subprocess.run(
        [sys.executable, "-m", "onrecord", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )


def cli_run(out: Path, batch: Batch, jobs: int) -> CliFigures:
    """Ingest ``out/items`` and the batch's extra arguments with the real CLI."""
    db = out / "cli.db"
    for stale in out.glob("cli.db*"):
        stale.unlink()
    started = time.perf_counter()
    result = _cli(
        "ingest", str(out / "items"), *batch.arguments, "--db", str(db), "--jobs", str(jobs)
    )
    seconds = time.perf_counter() - started
    # ru_maxrss of the waited-for children: the largest of the CLI process and its workers.
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    summary = next((line for line in result.stdout.splitlines() if " ingested, " in line), "")
    figures = CliFigures(
        returncode=result.returncode,
        seconds=seconds,
        peak_rss_mb=peak_kb / 1024,
        summary=summary,
        tracebacks=result.stderr.count("Traceback"),
        error_lines=len(lines),
    )
    per_item: Counter[str] = Counter()
    for line in lines:
        item = _item_of(line, batch.items)
        if item is None:
            figures.unnamed_lines.append(line)
        else:
            per_item[item] += 1
    for item, entry in batch.items.items():
        if entry["good"]:
            if per_item[item]:
                figures.good_with_error.append(item)
        else:
            figures.lines_per_bad[per_item[item]] += 1
    if db.exists():
        from onrecord.store import Store

        with Store.open(db) as store:
            verdict = check(batch.items, [], list(store.iter_articles()), [])
        figures.good_kept = verdict.good_kept
        figures.good_lost = verdict.good_lost
    for probe in (
        ("search", "tax", "--limit", HUGE, "--db", str(db)),
        ("quote", HUGE, "--db", str(db)),
        ("rejects", "--limit", HUGE, "--db", str(db)),
    ):
        answer = _cli(*probe, timeout_s=120)
        figures.tracebacks += answer.stderr.count("Traceback")
        figures.probes.append(f"{probe[0]} with {HUGE}: exit {answer.returncode}")
    return figures


def _item_of(line: str, items: dict[str, Any]) -> str | None:
    # "error: [OR110] ITEM: REASON"; ITEM may itself hold ": ", and an error inside an
    # archive or feed names its record ("crawl.warc#record-2").
    _, _, rest = line.partition("] ")
    end = rest.find(": ")
    while end >= 0:
        name = RECORD_SUFFIX.sub("", rest[:end])
        if name in items:
            return name
        end = rest.find(": ", end + 1)
    return None


def print_cli_verdict(figures: CliFigures, goods: int) -> None:
    """Print the figures of ``cli_run``."""
    aborted = int(figures.returncode not in (0, 1) or not figures.summary)
    print(f"CLI run            exit {figures.returncode} in {figures.seconds:.1f} s")
    print(f"summary            {figures.summary}")
    print(f"aborted runs       {aborted}")
    print(f"tracebacks         {figures.tracebacks}")
    print(f"good stored        {figures.good_kept} of {goods} {figures.good_lost[:3]}")
    print(f"error lines        {figures.error_lines}")
    print(f"lines per bad item {dict(sorted(figures.lines_per_bad.items()))}")
    print(f"good with an error {len(figures.good_with_error)} {figures.good_with_error[:3]}")
    print(f"unnamed lines      {len(figures.unnamed_lines)} {figures.unnamed_lines[:3]}")
    print(f"peak RSS           {figures.peak_rss_mb:.0f} MB (largest process: CLI or a worker)")
    for probe in figures.probes:
        print(f"probe              {probe}")


def disk_full_run(out: Path) -> None:
    """Run out of room in the middle of a run: one error, nothing committed lost."""
    from onrecord.config import Settings
    from onrecord.errors import OnrecordError
    from onrecord.extract import load_extractor
    from onrecord.models import RawDocument
    from onrecord.pipeline import extract_articles, store_outcomes
    from onrecord.store import Store

    db = out / "full.db"
    for stale in out.glob("full.db*"):
        stale.unlink()
    rng = random.Random(23)  # noqa: S311 -- test data, not secrets
    docs = [RawDocument(f"full_{n}", good_article(n, rng)[0] * 30, "text") for n in range(120)]
    outcomes = list(extract_articles(docs, load_extractor(), Settings()))
    caught: Any = None
    with Store.open(db) as store:
        # SQLite's own size limit fails a write exactly as a full disk does (SQLITE_FULL).
        conn = store._conn
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 250}")
        try:
            store_outcomes(iter(outcomes), store, 16)
        except OnrecordError as exc:
            caught = exc
        kept = len(list(store.iter_articles()))
    integrity = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
    chained = caught is not None and (
        caught.__cause__ is not None or not caught.__suppress_context__
    )
    message = str(caught) if caught is not None else "no error"
    print(
        f"disk full          one error: {caught is not None}, chained: {chained}, "
        f"one line: {chr(10) not in message}, kept {kept} articles, integrity {integrity}"
    )
    print(f"                   {message[:140]}")


def flood_after(out: Path, seconds: float, articles: int = 300) -> None:
    """Flood the server over the CLI run's store while ``articles`` new ones are ingested."""
    from hostile_server import flood, report

    fresh = out / "fresh"
    fresh.mkdir(exist_ok=True)
    rng = random.Random(29)  # noqa: S311 -- test data, not secrets
    for number in range(articles):
        text = good_article(700_000 + number, rng)[0]
        (fresh / f"fresh_{number:04d}.txt").write_text(text, encoding="utf-8")
    report(flood(out / "cli.db", fresh, seconds=seconds))
