"""The server under a flood: search latency while clients hammer ``/api/stats`` and an ingest
writes to the same store. Loopback only, bounded in time and in requests.

Usage::

    .venv/bin/python bench/hostile_server.py DB ARTICLES [--seconds 60] [--stats-clients 8]
        [--search-clients 4] [--max-requests 100000]

Starts ``onrecord serve`` over ``DB`` (a copy is not made: the ingest writes to it) on a free
127.0.0.1 port, with its default positions provider, then at once starts ``onrecord ingest
ARTICLES --db DB`` and the clients: ``--stats-clients`` threads loop on ``/api/stats``, one
asks ``/api/issues`` (positions) every half second, and ``--search-clients`` threads run
varied searches, until the ingest has ended and ``--seconds`` have passed, or the request cap
is reached. Prints, per endpoint, requests, statuses and latency percentiles; 503 answers
(with ``Retry-After``) are counted apart from other 5xx. Not a gate.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_search import _free_port, _onrecord, _query, _stop, _wait_ready

PERCENTILES = (50, 95, 99)


@dataclass
class Figures:
    """What one flood measured."""

    tally: Tally
    ingest_rc: int | None
    ingest_s: float
    ingest_summary: str
    ingest_tracebacks: int
    ingest_last_error: str


class Tally:
    """Latencies and statuses per endpoint, shared by the client threads."""

    def __init__(self, max_requests: int) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)
        self.failures: dict[str, Counter[str]] = defaultdict(Counter)
        self.retry_after_missing = 0
        self.left = max_requests

    def take(self) -> bool:
        """Reserve one request under the cap; False when the cap is reached."""
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True

    def record(self, endpoint: str, started: float, response: httpx.Response) -> None:
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[endpoint].append(elapsed)
            self.statuses[endpoint][response.status_code] += 1
            if response.status_code == 503 and "retry-after" not in response.headers:
                self.retry_after_missing += 1

    def fail(self, endpoint: str, exc: Exception) -> None:
        with self.lock:
            self.failures[endpoint][type(exc).__name__] += 1


def _client(
    base: str, endpoint: str, tally: Tally, until: threading.Event, pause_s: float, seed: int
) -> None:
    rng = random.Random(seed)  # noqa: S311 -- varied queries, not secrets
    with httpx.Client(base_url=base, timeout=60) as http:
        while not until.is_set() and tally.take():
            params = _query(rng) if endpoint == "/api/search" else None
            started = time.perf_counter()
            try:
                response = http.get(endpoint, params=params)
            except httpx.HTTPError as exc:
                tally.fail(endpoint, exc)
                continue
            tally.record(endpoint, started, response)
            if pause_s:
                until.wait(pause_s)


def _percentile(values: list[float], share: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share / 100))]


def flood(
    db: Path,
    articles: Path,
    *,
    seconds: float = 60,
    stats_clients: int = 8,
    search_clients: int = 4,
    max_requests: int = 100_000,
) -> Figures:
    """Run the flood and return the figures (printed by ``report``)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONRECORD_")}
    server = subprocess.Popen(
        _onrecord("serve", "--db", str(db), "--port", str(port)),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    tally = Tally(max_requests)
    until = threading.Event()
    try:
        _wait_ready(base, server)
        started = time.monotonic()
        ingest = subprocess.Popen(
            _onrecord("ingest", str(articles), "--db", str(db)),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        plan = [("/api/stats", 0.0)] * stats_clients + [("/api/search", 0.0)] * search_clients
        plan.append(("/api/issues", 0.5))
        threads = [
            threading.Thread(target=_client, args=(base, endpoint, tally, until, pause, n))
            for n, (endpoint, pause) in enumerate(plan)
        ]
        for thread in threads:
            thread.start()
        try:
            out, err = ingest.communicate(timeout=max(seconds, 1) * 10)
        except subprocess.TimeoutExpired:
            ingest.kill()
            out, err = ingest.communicate()
        ingest_s = time.monotonic() - started
        until.wait(max(0.0, seconds - ingest_s))
        until.set()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        until.set()
        _stop(server)
    return Figures(
        tally=tally,
        ingest_rc=ingest.returncode,
        ingest_s=ingest_s,
        ingest_summary=(out.strip().splitlines() or [""])[-1],
        ingest_tracebacks=err.count("Traceback"),
        ingest_last_error=next(
            (line for line in reversed(err.splitlines()) if line.startswith("error: ")), ""
        ),
    )


def report(figures: Figures) -> None:
    """Print the flood's figures."""
    tally = figures.tally
    print(
        f"ingest during the flood: exit {figures.ingest_rc}, {figures.ingest_s:.1f} s, "
        f"tracebacks {figures.ingest_tracebacks}: {figures.ingest_summary}"
    )
    if figures.ingest_last_error:
        print(f"  last error line: {figures.ingest_last_error}")
    for endpoint in sorted(set(tally.statuses) | set(tally.failures)):
        values = tally.latencies[endpoint]
        statuses = dict(sorted(tally.statuses[endpoint].items()))
        other_5xx = sum(n for status, n in statuses.items() if status >= 500 and status != 503)
        shown = (
            ", ".join(f"p{p} {_percentile(values, p) * 1000:.0f} ms" for p in PERCENTILES)
            if values
            else "no answers"
        )
        print(
            f"{endpoint:13} {len(values):6} requests  {shown}  statuses {statuses}  "
            f"503 {statuses.get(503, 0)}  other 5xx {other_5xx}  "
            f"transport failures {dict(tally.failures[endpoint])}"
        )
    print(f"503 without Retry-After: {tally.retry_after_missing}")


def main() -> None:
    """Command line: flood the server over DB while ARTICLES are ingested into it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("db", type=Path)
    parser.add_argument("articles", type=Path)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--stats-clients", type=int, default=8)
    parser.add_argument("--search-clients", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=100_000)
    args = parser.parse_args()
    report(
        flood(
            args.db,
            args.articles,
            seconds=args.seconds,
            stats_clients=args.stats_clients,
            search_clients=args.search_clients,
            max_requests=args.max_requests,
        )
    )


if __name__ == "__main__":
    main()
