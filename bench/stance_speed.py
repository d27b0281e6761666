"""Throughput of the positions models: sentence vectors and stance pairs per second.

Usage::

    .venv/bin/python bench/stance_speed.py [NEWS_JSONL] [--runs 2] [--repeat 2]

NEWS_JSONL defaults to eval/stance/news_statements.jsonl. After loading the models once it
times (a) ``SentenceEncoder.encode`` over the statements, (b) the stance model alone
(``support_probabilities``), (c) the full hybrid (``classify_many``: model + rules), and
prints the best of ``--runs`` runs. The header names the machine, Python and git commit.
Not a gate: numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from onrecord.positions import PositionModels

ROOT = Path(__file__).resolve().parents[1]


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", default=ROOT / "eval/stance/news_statements.jsonl")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2, help="copies of the data per run")
    args = parser.parse_args()
    rows = [json.loads(line) for line in Path(args.data).read_text(encoding="utf-8").splitlines()]
    statements = [r["statement"] for r in rows] * args.repeat
    propositions = [r["proposition"] for r in rows] * args.repeat
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH is fine here
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    print(
        f"# {platform.node()} {platform.machine()} cpus={os.cpu_count()} "
        f"python={platform.python_version()} commit={commit}"
    )
    started = time.perf_counter()
    models = PositionModels.load()
    print(f"load: {time.perf_counter() - started:.2f} s")
    n = len(statements)
    encode = best_of(args.runs, lambda: models.encoder.encode(statements))
    model = best_of(
        args.runs, lambda: models.classifier.support_probabilities(statements, propositions)
    )
    hybrid = best_of(args.runs, lambda: models.classifier.classify_many(statements, propositions))
    print(f"sentence vectors: {n / encode:.1f} statements/s ({n} in {encode:.2f} s)")
    print(f"stance model:     {n / model:.1f} pairs/s ({n} in {model:.2f} s)")
    print(f"stance hybrid:    {n / hybrid:.1f} pairs/s ({n} in {hybrid:.2f} s)")


if __name__ == "__main__":
    main()
