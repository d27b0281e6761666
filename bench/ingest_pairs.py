"""Store-path ingest on SQLite and on PostgreSQL, alternating: the rate of each, pair by pair.

Usage::

    .venv/bin/python bench/synth_corpus.py --articles 3000 --out /tmp/synth3k
    .venv/bin/python bench/ingest_pairs.py /tmp/synth3k --limit 3000 --pairs 3

Starts a throw-away PostgreSQL server on this machine (``tests/postgres_server.py``) and
runs ``bench/ingest_scale.py --mode store`` into a fresh SQLite file, then into a fresh
PostgreSQL database, as many times as ``--pairs`` says. Both keep their durability: the
SQLite file in WAL mode with ``synchronous=FULL`` (the store's settings), the server with
PostgreSQL's defaults (``fsync=on``, ``synchronous_commit=on``); ``--no-fsync`` turns the
server's fsync off, as the test suite does. Prints each run's articles/s, the load average
before and after it, and each pair's PostgreSQL / SQLite ratio: on a shared machine only runs
next to each other compare.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.postgres_server import PostgresServer  # noqa: E402 - after the repo path is known

RATE = re.compile(r"([\d.]+) articles/s")
SETTINGS = ("fsync", "synchronous_commit", "full_page_writes", "server_version")


def _ingest(corpus: Path, limit: int, db: str) -> tuple[float, str]:
    """Articles/s of one run, and its quotation scores line."""
    command = [
        sys.executable,
        str(REPO / "bench" / "ingest_scale.py"),
        str(corpus),
        "--mode",
        "store",
        "--limit",
        str(limit),
        "--db",
        db,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    rate = RATE.search(done.stdout)
    if rate is None:
        sys.exit(f"no rate in the output of {' '.join(command)}:\n{done.stdout}")
    scores = next((line for line in done.stdout.splitlines() if line.startswith("quotations")), "")
    return float(rate.group(1)), scores


def _timed(corpus: Path, limit: int, db: str, label: str) -> float:
    before = os.getloadavg()[0]
    rate, scores = _ingest(corpus, limit, db)
    after = os.getloadavg()[0]
    print(f"  {label}: {rate:.1f} articles/s (load {before:.1f} to {after:.1f}); {scores}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="folder written by bench/synth_corpus.py")
    parser.add_argument("--limit", type=int, default=3000, help="first N articles")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--no-fsync", action="store_true", help="run the server without fsync")
    args = parser.parse_args()
    server = PostgresServer.start(is_durable=not args.no_fsync)
    try:
        import psycopg

        with psycopg.connect(server.url, autocommit=True) as conn:
            shown = {name: conn.execute(f"SHOW {name}").fetchone() for name in SETTINGS}
        print("PostgreSQL: " + ", ".join(f"{k}={v[0] if v else '?'}" for k, v in shown.items()))
        print("SQLite: journal_mode=WAL, synchronous=FULL (the store's settings)")
        with tempfile.TemporaryDirectory(prefix="onrecord-pairs-") as folder:
            for number in range(1, args.pairs + 1):
                print(f"pair {number}")
                sqlite = _timed(args.corpus, args.limit, f"{folder}/{number}.db", "SQLite")
                postgres = _timed(args.corpus, args.limit, server.create_database(), "PostgreSQL")
                print(f"  PostgreSQL / SQLite: {postgres / sqlite:.0%}", flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
