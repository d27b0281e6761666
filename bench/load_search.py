"""Bounded load test of the search API on loopback.

Usage::

    .venv/bin/python bench/load_search.py [--clients 50] [--seconds 30] [--max-requests 200000]

Builds a store from the demo corpus (``data/demo`` with ``data/onrecord.toml``) in a temporary
folder, starts the real server (``onrecord serve``: uvicorn on 127.0.0.1, a free port) as a
child process, then runs ``--clients`` threads, each with its own ``httpx.Client``, against
``/api/search`` with varied queries (words, phrases, speakers, outlets, dates, kinds, raw FTS
including malformed syntax, paging) until ``--seconds`` pass or ``--max-requests`` are sent.
Prints requests, errors (transport failures and any 5xx), status counts and latency
percentiles, then stops the server. Expected 4xx (malformed raw FTS) are not errors. Not a gate.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["talks", "monitors", "guarantees", "dam", "port", "river", "round", "election", "water"]
SPEAKERS = ["Lind", "Vera Lind", "Kroll", "Oduya", "Hallin", "nobody at all"]
OUTLETS = ["Tidewire", "Ledger", "Radio Marren", "Channel Nine"]
RAW = ['"second round"', "monitors OR guarantees", "dam NOT port", "NEAR(talks port)", '"', "((("]


def _query(rng: random.Random) -> dict[str, str]:
    kind = rng.randrange(7)
    if kind == 0:
        return {"q": rng.choice(WORDS)}
    if kind == 1:
        return {"q": " ".join(rng.sample(WORDS, 2))}
    if kind == 2:
        return {"speaker": rng.choice(SPEAKERS), "limit": "50"}
    if kind == 3:
        return {"outlet": rng.choice(OUTLETS), "kind": rng.choice(["direct", "indirect"])}
    if kind == 4:
        return {"q": rng.choice(WORDS), "since": "2026-01-01", "until": "2026-12-31"}
    if kind == 5:
        return {"q": rng.choice(RAW), "raw": "true"}
    return {"q": rng.choice(WORDS), "offset": str(rng.randrange(0, 40)), "limit": "10"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _onrecord(*args: str) -> list[str]:
    return [sys.executable, "-m", "onrecord", "--config", str(ROOT / "data/onrecord.toml"), *args]


def _build_store(folder: Path) -> Path:
    db = folder / "demo.db"
    subprocess.run(
        _onrecord("ingest", str(ROOT / "data/demo"), "--db", str(db)),
        check=True,
        capture_output=True,
    )
    return db


def _wait_ready(base: str, server: subprocess.Popen[bytes], limit_s: float = 60) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/api/stats", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within a minute")


def main() -> None:
    """Build the store, start the server, load it, print the figures, stop the server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = _build_store(Path(tmp))
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if k != "ONRECORD_TOKEN"}
        server = subprocess.Popen(
            _onrecord("serve", "--db", str(db), "--port", str(port)),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_ready(base, server)
            latencies, statuses, failures = _load(
                base, args.clients, args.seconds, args.max_requests
            )
        finally:
            _stop(server)
    _report(latencies, statuses, failures, args)


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _load(
    base: str, clients: int, seconds: float, max_requests: int
) -> tuple[list[float], Counter[int], Counter[str]]:
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    failures: Counter[str] = Counter()
    lock = threading.Lock()
    sent = 0
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        nonlocal sent
        rng = random.Random(number)  # noqa: S311 -- varied queries, not secrets
        with httpx.Client(base_url=base, timeout=30) as http:
            while time.monotonic() < stop_at:
                with lock:
                    if sent >= max_requests:
                        return
                    sent += 1
                started = time.perf_counter()
                try:
                    response = http.get("/api/search", params=_query(rng))
                except httpx.HTTPError as exc:
                    with lock:
                        failures[type(exc).__name__] += 1
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[response.status_code] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return latencies, statuses, failures


def _report(
    latencies: list[float],
    statuses: Counter[int],
    failures: Counter[str],
    args: argparse.Namespace,
) -> None:
    requests = len(latencies) + sum(failures.values())
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    print(f"clients {args.clients}, {args.seconds:g} s, cap {args.max_requests} requests")
    print(f"requests   {requests} ({requests / args.seconds:.1f}/s)")
    errors = server_errors + sum(failures.values())
    print(f"errors     {errors} (5xx {server_errors}, transport {dict(failures)})")
    print(f"statuses   {dict(sorted(statuses.items()))}")
    if latencies:
        cuts = statistics.quantiles(sorted(latencies), n=100)
        print(
            f"latency ms p50 {cuts[49] * 1000:.1f}  p95 {cuts[94] * 1000:.1f}  "
            f"p99 {cuts[98] * 1000:.1f}  max {max(latencies) * 1000:.1f}"
        )


if __name__ == "__main__":
    main()
