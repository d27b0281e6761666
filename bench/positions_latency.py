"""Stored positions: read latency on a large store, and ingest throughput with and without them.

Usage::

    .venv/bin/python bench/positions_latency.py latency --db /tmp/positions100k.db \\
        [--articles 100000] [--per-article 4] [--runs 200]
    .venv/bin/python bench/positions_latency.py ingest [--articles 200] [--repeat 2] \\
        [--originals-only | --corpus data/demo --catalogue data/issues.toml] [--keep DIR]
    .venv/bin/python bench/positions_latency.py step --db DIR/plain.db [--catalogue FILE] \\
        [--batch 64] [--profile]

``latency`` builds the store first when ``--db`` does not exist: ``--articles`` synthetic
articles from ``bench/search_latency.py`` (speakers, towns and wording of
``bench/synth_corpus.py``), an issue catalogue of one issue per synthetic topic, and positions
derived by ``onrecord.positions.rebuild_positions`` into the positions tables, shifts and
counts included. Deriving 400,000 statements with the MiniLM models takes hours on a small
machine, and read latency depends on how many rows there are, not on how they were made: the
build links statements with ``TopicEncoder`` (one dimension per catalogue topic) and classifies
with the stance rules alone (``StanceClassifier(use_model=False)``). It then times, through the
app the CLI serves (``create_app`` with the store's ``Settings``, in process), ``GET /issues``,
an actor page (``/actors/SLUG``, random actors with positions) and ``GET /api/shifts``, and
prints p50/p95/max in milliseconds, and p50/p95 of the CPU milliseconds the process spent
(every thread: the app and the test client), which depend much less on other work on the
machine.

``ingest`` writes ``--articles`` synthetic articles (``bench/synth_corpus.py``) and runs the
real ``onrecord ingest`` (default extraction model, real positions models) twice into fresh
stores: with a config file naming no catalogue (the positions step has nothing to derive) and
with one naming the topic catalogue; it prints articles per second of each and their ratio,
and the CPU seconds each run used (user + system, of the ingest process and its workers) and
their ratio, which depends much less on what else the machine runs. ``--repeat`` runs the
pair again (a ratio per pair). The synthetic corpus repeats quotations (copies, rewrites and
follow-ups quote their original), which the step encodes and classifies once:
``--originals-only`` keeps only the originals (no quotation repeated), and ``--corpus`` with
``--catalogue`` ingests another folder (``data/demo`` with ``data/issues.toml``) instead.

``step`` times the positions step alone over a store ingested without positions (``--keep``
keeps ``plain.db``): the store's articles in ingest order, ``--batch`` at a time, derived as
``PositionsStep`` derives them (against the topic catalogue, or ``--catalogue``), and prints
what went through the models (statements, texts encoded, pairs classified, word pieces per
pair) and the CPU seconds of each part; ``--profile`` adds the cProfile table.

The header names the machine, the Python and the git commit. Not a gate.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_latency
import synth_corpus as synth
from _machine import git_commit

from onrecord import positions as positions_layer
from onrecord.config import Settings
from onrecord.positions import (
    Catalogue,
    Issue,
    PositionModels,
    StanceClassifier,
    issue_to_toml,
    rebuild_positions,
)
from onrecord.positions._derive import catalogue_state
from onrecord.store import Store

REPO = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"^(\d+) ingested, (\d+) skipped .*?, (\d+) failed; (\d+) statements")


def topic_catalogue() -> Catalogue:
    """One issue per synthetic topic ("port fees": "The port fees plan goes ahead")."""
    issues = []
    for topic in synth.TOPICS:
        bare = re.sub(r"^(?:the|a) ", "", topic)
        issues.append(
            Issue(
                id=re.sub(r"[^a-z0-9]+", "-", bare).strip("-"),
                label=bare,
                proposition=f"The plan for {bare} goes ahead",
                keywords=(bare,),
            )
        )
    return Catalogue(tuple(issues))


class TopicEncoder:
    """Unit vectors with one dimension per catalogue topic named in the text (and one for
    none): a stand-in for MiniLM that links a synthetic statement to its topic at once."""

    def __init__(self, catalogue: Catalogue) -> None:
        self._topics = [issue.label for issue in catalogue.issues]

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        out = np.zeros((len(texts), len(self._topics) + 1), dtype=np.float32)
        for row, text in enumerate(texts):
            low = text.lower()
            hits = [n for n, topic in enumerate(self._topics) if topic in low]
            for n in hits or [len(self._topics)]:
                out[row, n] = 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def _header(name: str) -> None:
    print(
        f"{name}: {platform.machine()} {os.cpu_count()} cpus, "
        f"Python {platform.python_version()}, commit {git_commit()}"
    )


def _build(db: Path, articles: int, per_article: int, seed: int) -> None:
    search_latency._build(db, articles * per_article, per_article, seed)
    catalogue = topic_catalogue()
    encoder = TopicEncoder(catalogue)
    models = PositionModels(encoder, StanceClassifier(use_model=False))  # type: ignore[arg-type]
    started = time.perf_counter()
    with Store.open(db) as store:

        def progress(done: int, total: int) -> None:
            if done % 50_000 < 2000 or done == total:
                print(f"  derived {done:,} of {total:,} statements", flush=True)

        count = rebuild_positions(
            store,
            [(issue, "catalogue") for issue in catalogue.issues],
            catalogue_state(catalogue),
            models,
            progress,
        )
        shifts = len(store.position_tables().shifts(limit=None))
    took = time.perf_counter() - started
    print(f"derived {count:,} positions, {shifts:,} shifts in {took:.0f} s")


def _time(call: Callable[[], Any], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds (this process, every thread) of each call."""
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return timings, cpu


def latency(args: argparse.Namespace) -> None:
    from fastapi.testclient import TestClient

    from onrecord.api import create_app
    from onrecord.api.app import freeze_startup_objects

    _header("positions_latency latency")
    if not args.db.exists():
        _build(args.db, args.articles, args.per_article, args.seed)
    with Store.open(args.db) as store:
        stats = store.stats()
        tables = store.position_tables()
        issues = tables.issues()
        actors = sorted({a for a, _ in tables.pairs()})
        holders = set(actors)
        slugs = [s.name for s in store.speakers() if s.name in holders]
    positions = sum(i.position_count for i in issues)
    print(
        f"store: {stats['articles']:,} articles, {stats['quotes']:,} statements, "
        f"{len(issues)} issues, {positions:,} positions, {len(slugs):,} actors with positions"
    )
    rng = random.Random(args.seed)  # noqa: S311 - request sampling
    app = create_app(Settings(db_path=args.db))
    if not args.no_freeze:
        freeze_startup_objects()  # as `onrecord serve` does before it serves
    with TestClient(app) as client, Store.open(args.db) as store:

        def get(url: str) -> Callable[[], Any]:
            def call() -> Any:
                response = client.get(url)
                if response.status_code != 200:
                    sys.exit(f"positions_latency: {response.status_code} for {response.url}")
                return response

            return call

        cases: dict[str, Callable[[], Any]] = {
            "/issues": get("/issues"),
            "/actors/SLUG": lambda: get(f"/actors/{rng.choice(slugs)}")(),
            "/api/shifts": get("/api/shifts"),
            "/api/issues": get("/api/issues"),
        }
        # The positions part of an actor page alone (summary, plots' data, shifts): the page
        # also lists everything the speaker said, which does not depend on positions.

        def actor_positions_part() -> Any:
            name = rng.choice(slugs)
            found, numbers = positions_layer.actor_record(store, name)
            return positions_layer.summarise(found, numbers), positions_layer.actor_shifts(
                store, name
            )

        cases["actor positions"] = actor_positions_part
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(
            f"{'request':16s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s} "
            f"{'CPU p50':>8s} {'CPU p95':>8s}"
        )
        for name, call in cases.items():
            call()
            timings, cpu = _time(call, args.runs)
            p95 = statistics.quantiles(timings, n=20)[-1]
            cpu_p95 = statistics.quantiles(cpu, n=20)[-1]
            print(
                f"{name:14s} {statistics.median(timings):8.1f} {p95:8.1f} {max(timings):8.1f} "
                f"{statistics.median(cpu):8.1f} {cpu_p95:8.1f}"
            )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _ingest(inputs: list[str], config: Path, db: Path) -> tuple[int, int, float, float]:
    """Ingest into ``db``: articles, statements, wall seconds, CPU seconds."""
    env = {key: value for key, value in os.environ.items() if key != "ONRECORD_DB"}
    command = [sys.executable, "-m", "onrecord", "--config", str(config), "ingest", "--db", str(db)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [*command, *inputs], capture_output=True, text=True, env=env, check=False
    )
    took = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = SUMMARY.match(result.stdout)
    if found is None:
        sys.exit(f"positions_latency: ingest failed:\n{result.stderr}")
    return int(found.group(1)), int(found.group(4)), took, cpu


def _originals(corpus: Path, out: Path) -> None:
    """Keep only the originals of a synthetic corpus: no article repeats another's quotes."""
    kinds = [
        json.loads(line)["kind"]
        for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    lines = [
        line
        for shard in sorted(corpus.glob("corpus-*.jsonl"))
        for line in shard.read_text(encoding="utf-8").splitlines()
    ]
    kept = [line for line, kind in zip(lines, kinds, strict=True) if kind == "original"]
    out.mkdir(parents=True)
    (out / "corpus-000.jsonl").write_text("\n".join(kept) + "\n", encoding="utf-8")


def _inputs(args: argparse.Namespace, folder: Path) -> tuple[list[str], str]:
    """The paths to ingest and the catalogue's TOML text."""
    if args.corpus is not None:
        if args.catalogue is None:
            sys.exit("positions_latency: --corpus needs --catalogue")
        return [str(args.corpus)], args.catalogue.read_text(encoding="utf-8")
    synth.write_corpus(args.articles, folder / "corpus", args.seed)
    corpus = folder / "corpus"
    if args.originals_only:
        _originals(corpus, folder / "originals")
        corpus = folder / "originals"
    inputs = sorted(str(p) for p in corpus.glob("corpus-*.jsonl"))
    return inputs, "\n".join(issue_to_toml(i) for i in topic_catalogue().issues)


def ingest(args: argparse.Namespace) -> None:
    _header("positions_latency ingest")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="onrecord-positions-") as scratch:
        folder = Path(scratch)
        inputs, catalogue_text = _inputs(args, folder)
        (folder / "issues.toml").write_text(catalogue_text, encoding="utf-8")
        plain = folder / "plain.toml"
        plain.write_text("# no catalogue: nothing to derive\n", encoding="utf-8")
        with_positions = folder / "positions.toml"
        with_positions.write_text('[positions]\ncatalogue = "issues.toml"\n', encoding="utf-8")
        for run in range(1, args.repeat + 1):
            rates: dict[str, tuple[float, float]] = {}
            for name, config in (("without positions", plain), ("with positions", with_positions)):
                db = folder / f"{config.stem}.db"
                for old in folder.glob(f"{config.stem}.db*"):
                    old.unlink()
                ingested, statements, took, cpu = _ingest(inputs, config, db)
                rates[name] = (ingested / took, ingested / cpu)
                print(
                    f"run {run} {name:18s} {ingested:,} articles, {statements:,} statements in "
                    f"{took:.1f} s ({cpu:.1f} s CPU): {rates[name][0]:.2f} articles/s",
                    flush=True,
                )
            with Store.open(folder / "positions.db") as store:
                issues = store.position_tables().issues()
            wall = rates["with positions"][0] / rates["without positions"][0]
            cpu_share = rates["with positions"][1] / rates["without positions"][1]
            print(
                f"run {run} positions stored: {sum(i.position_count for i in issues):,}; "
                f"throughput with positions: {wall:.0%} of without (CPU: {cpu_share:.0%}); "
                f"load average {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        if args.keep is not None:
            shutil.copytree(folder, args.keep, dirs_exist_ok=True)


def step(args: argparse.Namespace) -> None:
    import cProfile
    import pstats

    from onrecord.positions._catalogue import load_catalogue
    from onrecord.positions._derive import Deriver, batch_bodies

    _header("positions_latency step")
    catalogue = load_catalogue(args.catalogue) if args.catalogue else topic_catalogue()
    started = time.process_time()
    models = PositionModels.load()
    load_cpu = time.process_time() - started
    spent = {"encode": 0.0, "classify": 0.0}
    seen = {"encoded": 0, "pairs": 0}
    pieces: list[int] = []
    encode, classify = models.encoder.encode, models.classifier.classify_many
    tokenizer = models.classifier._model.tokenizer if models.classifier._model else None

    def timed_encode(texts: Sequence[str]) -> Any:
        began = time.process_time()
        try:
            return encode(texts)
        finally:
            spent["encode"] += time.process_time() - began
            seen["encoded"] += len(texts)

    def timed_classify(statements: Sequence[str], propositions: Sequence[str]) -> Any:
        if tokenizer is not None:
            pairs = list(zip(propositions, statements, strict=True))
            pieces.extend(len(e.ids) for e in tokenizer.encode_batch(pairs))
        began = time.process_time()
        try:
            return classify(statements, propositions)
        finally:
            spent["classify"] += time.process_time() - began
            seen["pairs"] += len(statements)

    models.encoder.encode = timed_encode  # type: ignore[method-assign]
    models.classifier.classify_many = timed_classify  # type: ignore[method-assign]
    deriver = Deriver(tuple(catalogue.issues), models)
    profile = cProfile.Profile()
    statements = positions = 0
    derive_cpu = 0.0
    with Store.open(args.db) as store:
        tables = store.position_tables()
        ids = [article.article.id for article in store.iter_articles()]
        for first in range(0, len(ids), args.batch):
            hits = tables.statements_of_articles(ids[first : first + args.batch])
            bodies = batch_bodies(tables, hits)
            began = time.process_time()
            if args.profile:
                profile.enable()
            positions += len(deriver.derive(hits, bodies))
            if args.profile:
                profile.disable()
            derive_cpu += time.process_time() - began
            statements += len(hits)
    print(
        f"{len(ids):,} articles in batches of {args.batch}: {statements:,} statements, "
        f"{seen['encoded']:,} texts encoded (the issues' own included), {seen['pairs']:,} pairs "
        f"classified, {positions:,} positions"
    )
    if pieces:
        print(
            f"word pieces per pair: mean {statistics.mean(pieces):.1f}, median "
            f"{statistics.median(pieces):.0f}, max {max(pieces)}"
        )
    print(
        f"CPU s: models loaded {load_cpu:.1f}; derive {derive_cpu:.1f} (sentence vectors "
        f"{spent['encode']:.1f}, stance {spent['classify']:.1f}, linking and the rest "
        f"{derive_cpu - spent['encode'] - spent['classify']:.1f})"
    )
    if args.profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    read = commands.add_parser("latency", help="read latency on a large store")
    read.add_argument("--db", type=Path, required=True)
    read.add_argument("--articles", type=int, default=100_000)
    read.add_argument("--per-article", type=int, default=4)
    read.add_argument("--runs", type=int, default=200)
    read.add_argument("--seed", type=int, default=11)
    read.add_argument(
        "--no-freeze", action="store_true", help="leave startup objects to garbage collection"
    )
    write = commands.add_parser("ingest", help="ingest throughput with and without positions")
    write.add_argument("--articles", type=int, default=200)
    write.add_argument("--seed", type=int, default=7)
    write.add_argument("--repeat", type=int, default=1, help="runs of the pair")
    write.add_argument(
        "--originals-only", action="store_true", help="synthetic originals only (no repeats)"
    )
    write.add_argument("--corpus", type=Path, default=None, help="ingest this folder instead")
    write.add_argument("--catalogue", type=Path, default=None, help="issues for --corpus")
    write.add_argument("--keep", type=Path, default=None, help="copy the stores here")
    alone = commands.add_parser("step", help="the positions step alone, with its CPU")
    alone.add_argument("--db", type=Path, required=True, help="a store without positions")
    alone.add_argument("--catalogue", type=Path, default=None)
    alone.add_argument("--batch", type=int, default=Settings().batch_size)
    alone.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    {"latency": latency, "ingest": ingest, "step": step}[args.command](args)


if __name__ == "__main__":
    main()
