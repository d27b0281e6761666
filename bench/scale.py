"""Ingest throughput on a Dask cluster of one worker against two (or any other addresses).

Usage::

    .venv/bin/python bench/scale.py [CORPUS] [--articles 300] [--clusters local:1 local:2]

CORPUS is a folder written by ``bench/synth_corpus.py`` (its ``corpus-*.jsonl`` shards are
ingested) or anything else ``onrecord ingest`` reads; without it, ``--articles`` synthetic
articles are generated into a temporary folder first.

For each address the real command line runs twice, each time into a fresh SQLite store:
``onrecord ingest --cluster ADDRESS`` over one article (the fixed cost: starting the cluster,
each worker building the extractor, stopping the cluster) and over the whole corpus. It prints
per address

- whole run: ingested articles over the wall time of the corpus run, fixed cost included;
- marginal: the extra articles over the extra time of the corpus run against the one-article
  run, the rate a long run tends to;
- the peak resident memory of the command and every process under it (client, scheduler,
  nannies, workers), sampled from /proc every 0.2 s, with this script's own peak (counted in
  the sample, a constant) printed once;
- the size of the SQLite store the corpus run wrote, whole and per article.

The header names the machine, the Python and the git commit. Not a gate: numbers depend on the
machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _machine import git_commit
from ingest_scale import RssSampler

REPO = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"^(\d+) ingested, (\d+) skipped .*?, (\d+) failed; (\d+) statements")


@dataclass(frozen=True)
class Run:
    """One timed ``onrecord ingest``: what it stored, how long it took, its peak memory."""

    ingested: int
    failed: int
    statements: int
    took_s: float
    peak_bytes: int
    db_bytes: int


def _synthesize(articles: int, folder: Path) -> Path:
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "synth_corpus.py"), "--articles", str(articles),
         "--out", str(folder)],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return folder


def _inputs(corpus: Path) -> list[str]:
    shards = sorted(str(path) for path in corpus.glob("corpus-*.jsonl"))
    return shards or [str(corpus)]


def _first_article(inputs: list[str], folder: Path) -> list[str]:
    """One article of the corpus, as a file of its own (the first line of the first shard)."""
    first = Path(inputs[0])
    if first.suffix != ".jsonl":
        return _one_file_of(first)
    single = folder / "one.jsonl"
    with first.open(encoding="utf-8") as handle:
        single.write_text(handle.readline(), encoding="utf-8")
    return [str(single)]


def _one_file_of(path: Path) -> list[str]:
    if path.is_file():
        return [str(path)]
    files = sorted(p for p in path.rglob("*") if p.is_file())
    if not files:
        sys.exit(f"scale: nothing to read under {path}")
    return [str(files[0])]


def _ingest(inputs: list[str], address: str, db: Path, workdir: Path) -> Run:
    env = {key: value for key, value in os.environ.items() if key != "ONRECORD_DB"}
    command = [sys.executable, "-m", "onrecord", "ingest", "--cluster", address, "--db", str(db)]
    started = time.perf_counter()
    with RssSampler() as sampler:
        result = subprocess.run(
            [*command, *inputs], capture_output=True, text=True, cwd=workdir, env=env, check=False
        )
    took = time.perf_counter() - started
    found = SUMMARY.match(result.stdout)
    if found is None:
        sys.exit(f"scale: `onrecord ingest --cluster {address}` failed:\n{result.stderr}")
    ingested, _, failed, statements = (int(group) for group in found.groups())
    return Run(ingested, failed, statements, took, sampler.peak_bytes, db.stat().st_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, nargs="?", help="default: a synthetic corpus")
    parser.add_argument("--articles", type=int, default=300, help="size of the synthetic corpus")
    parser.add_argument("--clusters", nargs="+", default=["local:1", "local:2"])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="onrecord-scale-") as scratch:
        _compare(args.corpus, args.articles, args.clusters, Path(scratch))


def _compare(given: Path | None, articles: int, clusters: list[str], workdir: Path) -> None:
    corpus = given or _synthesize(articles, workdir / "corpus")
    inputs = _inputs(corpus)
    single = _first_article(inputs, workdir)
    print(f"scale: corpus {corpus} ({len(inputs)} input path(s)), clusters {clusters}")
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}, "
        f"commit {git_commit()}"
    )
    for index, address in enumerate(clusters):
        fixed = _ingest(single, address, workdir / f"fixed-{index}.db", workdir)
        run = _ingest(inputs, address, workdir / f"run-{index}.db", workdir)
        extra_s = run.took_s - fixed.took_s
        marginal = (
            f"{(run.ingested - fixed.ingested) / extra_s:.2f}" if extra_s > 0 else "(too short)"
        )
        print(
            f"{address}: {run.ingested:,} ingested ({run.failed:,} failed, "
            f"{run.statements:,} statements) in {run.took_s:.1f} s: "
            f"{run.ingested / run.took_s:.2f} articles/s whole run, {marginal} articles/s "
            f"marginal (fixed cost {fixed.took_s:.1f} s); "
            f"peak RSS {run.peak_bytes / 2**20:.0f} MiB; store {run.db_bytes / 2**20:.1f} MiB "
            f"({run.db_bytes / 2**10 / max(run.ingested, 1):.1f} KiB per article)",
            flush=True,
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10  # KiB on Linux
    print(f"this script's own peak RSS (included above): {own:.0f} MiB")


if __name__ == "__main__":
    main()
