"""Extraction throughput of both shipped models against a bare spaCy parse of the same texts.

Usage::

    .venv/bin/python bench/extract_speed.py [SPLIT_DIR] [--runs 2] [--limit N] [--models M,M]

SPLIT_DIR defaults to ../shared/data/polnear/dev (its text/*.txt files are the articles). In
one process, after loading every extractor once, it times

  (a) bare ``nlp.pipe(texts)``: the full spaCy parse alone, with the stock pipeline as
      ``spacy.load`` gives it (the extractors run the same components, two of them through
      faster readers that set the same annotations, plus the subhead break);
  (b) for each model (``fast``: the CRF, ``accurate``: the ONNX encoder tagger), what
      ``onrecord extract --model M`` runs: ``pipeline.extract_articles`` over the same texts
      (cleaning, the same parse, attribution tagging, speaker and relay resolution);

  (c) with ``--stance``, for each model also that extraction followed by the stance classifier
      (``StanceClassifier.classify_many``) on every extracted statement against one issue: the
      most stance work ingest with positions can add (a statement linked to no issue costs none);

and prints the best of ``--runs`` runs (the modes take turns) as articles/s and words/s
(whitespace-separated words), and each model's throughput as a share of bare throughput; then
the best CPU time of the process over the runs (seconds, milliseconds per article, and the share
of bare), which a busy machine stretches much less than wall time. The header names the
machine, the Python, the git commit and the load average, so results can be noted with them.
Not a gate: numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _machine import git_commit

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SPLIT = REPO.parent / "shared" / "data" / "polnear" / "dev"
# The issue every statement is paired with under --stance (the cost hardly depends on it).
STANCE_ISSUE = "The government raises the tax on imported fuel"


def _read_texts(split_dir: Path, limit: int | None) -> list[tuple[Path, str]]:
    paths = sorted((split_dir / "text").glob("*.txt")) or sorted(split_dir.glob("*.txt"))
    if not paths:
        sys.exit(f"extract_speed: no .txt files under {split_dir}/text or {split_dir}")
    if limit:
        paths = paths[:limit]
    texts = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            texts.append((path, handle.read()))
    return texts


def _best_of(runs: int, modes: list[Callable[[], int]]) -> list[tuple[float, float, int]]:
    """Per mode, the best wall time and best CPU time over ``runs`` calls, and what its last
    call returned.

    The modes take turns (one call of each, ``runs`` times over), so that a change in what
    else runs on the machine falls on all of them alike. CPU time is the process's
    (``time.process_time``: user and system, every thread), so a mode that ran on more than
    one core shows more CPU than wall seconds, and a busy machine, which stretches wall time,
    changes it much less.
    """
    best = [float("inf")] * len(modes)
    best_cpu = [float("inf")] * len(modes)
    result = [0] * len(modes)
    for _ in range(runs):
        for k, work in enumerate(modes):
            started, started_cpu = time.perf_counter(), time.process_time()
            result[k] = work()
            best_cpu[k] = min(best_cpu[k], time.process_time() - started_cpu)
            best[k] = min(best[k], time.perf_counter() - started)
    return list(zip(best, best_cpu, result, strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split_dir", nargs="?", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--runs", type=int, default=2, help="timed runs per mode (best is kept)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument(
        "--models", default="fast,accurate", help="comma-separated models to time, in order"
    )
    parser.add_argument(
        "--stance", action="store_true", help="also time stance on every extracted statement"
    )
    args = parser.parse_args(argv)

    from onrecord.config import Settings
    from onrecord.errors import OnrecordError
    from onrecord.extract import create_extractor
    from onrecord.models import ExtractedArticle, RawDocument
    from onrecord.pipeline import extract_articles

    texts = _read_texts(args.split_dir, args.limit)
    n_words = sum(len(text.split()) for _, text in texts)
    n_chars = sum(len(text) for _, text in texts)

    print(
        f"# extract_speed  commit {git_commit()}  python {platform.python_version()}  "
        f"{platform.machine()} {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable)  "
        f"{platform.platform(terse=True)}"
    )
    print(f"# {len(texts)} articles, {n_words} words, {n_chars} chars from {args.split_dir}")
    print("# load average at start " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))

    extractors = {}
    for model in args.models.split(","):
        started = time.perf_counter()
        try:
            extractors[model] = create_extractor(model)
        except OnrecordError as exc:
            sys.exit(f"extract_speed: cannot load the {model} extractor: {exc}")
        print(
            f"# {model} = {extractors[model].name}; loaded in {time.perf_counter() - started:.2f} s"
        )
    import spacy

    from onrecord.extract import NLP_MODEL

    nlp = spacy.load(NLP_MODEL)
    print(
        f"# spaCy {nlp.meta.get('name', '?')} {nlp.meta.get('version', '?')}, "
        f"pipes {','.join(nlp.pipe_names)}"
    )
    raw = [text for _, text in texts]
    documents = [RawDocument(str(path), text, "text") for path, text in texts]
    settings = Settings()

    def bare() -> int:
        return sum(len(doc) for doc in nlp.pipe(raw))

    def full(model: str) -> Callable[[], int]:
        def run() -> int:
            outcomes = extract_articles(documents, extractors[model], settings)
            return sum(len(o.quotes) for o in outcomes if isinstance(o, ExtractedArticle))

        return run

    from onrecord.positions import StanceClassifier

    classifier = StanceClassifier() if args.stance else None
    if classifier is not None:
        print(f"# stance = {classifier.name}")

    def with_stance(model: str, classifier: StanceClassifier) -> Callable[[], int]:
        def run() -> int:
            outcomes = extract_articles(documents, extractors[model], settings)
            statements = [
                q.text for o in outcomes if isinstance(o, ExtractedArticle) for q in o.quotes
            ]
            classifier.classify_many(statements, [STANCE_ISSUE] * len(statements))
            return len(statements)

        return run

    # Warm-up: first-call allocations should count against no mode.
    for model in extractors:
        extract_articles(documents[:2], extractors[model], settings)
    modes: list[tuple[str, Callable[[], int]]] = [("bare nlp.pipe", bare)]
    modes += [(f"{model} model", full(model)) for model in extractors]
    if classifier is not None:
        modes += [
            (f"{model} model + stance", with_stance(model, classifier)) for model in extractors
        ]
    timed = _best_of(args.runs, [work for _, work in modes])
    rows = [(label, *times) for (label, _), times in zip(modes, timed, strict=True)]
    bare_s, bare_cpu = rows[0][1], rows[0][2]

    print()
    print(
        "| mode | best s | articles/s | words/s | share of bare | CPU s | CPU ms/article "
        "| CPU share of bare | statements |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for label, seconds, cpu, count in rows:
        is_bare = label.startswith("bare")
        share = "-" if is_bare else f"{bare_s / seconds:.0%}"
        cpu_share = "-" if is_bare else f"{bare_cpu / cpu:.0%}"
        counted = "-" if is_bare else str(count)
        print(
            f"| {label} | {seconds:.2f} | {len(texts) / seconds:.2f} | {n_words / seconds:.0f} "
            f"| {share} | {cpu:.2f} | {1000 * cpu / len(texts):.0f} | {cpu_share} | {counted} |"
        )
    seconds_of = {label: seconds for label, seconds, _, _ in rows}
    for model in extractors if classifier is not None else ():
        kept = seconds_of[f"{model} model"] / seconds_of[f"{model} model + stance"]
        print(f"\n{model} with stance on every statement keeps {kept:.0%} of its throughput")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n(best of {args.runs} runs; one process; {rows[0][3]} tokens; load average now {load})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
