"""Where the ``accurate`` model's tagging time goes, stage by stage, on texts parsed beforehand.

Usage::

    .venv/bin/python bench/accurate_parts.py [SPLIT_DIR] [--limit N] [--runs 3] [--onnx FILE ...]

SPLIT_DIR defaults to ../shared/data/polnear/dev. The texts are parsed once, untimed; then, per
stage of ``ensemble_tag_docs``, the best CPU time of the process over ``--runs`` runs (ms per
article): the CRF's features (``fast`` pays them too), the lexical gate, the word pieces and
windows, the encoder (network calls within each article, as shipped), the mix with the CRF's
marginals, and for comparison the CRF's own decoding of every unit (what ``fast`` runs instead
of the mix). Each ``--onnx`` file is then timed on the same network calls as the shipped
graph (each article's windows sorted by length and split as shipped, ``length_batches``), in
turns with it, with the largest absolute difference of its logits to the shipped graph's (0
means the same output bit for bit). One onnxruntime thread, as shipped. Not a gate.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SPLIT = REPO.parent / "shared" / "data" / "polnear" / "dev"


def _best_cpu(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The best CPU seconds of ``work`` over ``runs`` calls, and what its last call returned."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.process_time()
        result = work()
        best = min(best, time.process_time() - started)
    return best, result


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split_dir", nargs="?", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per stage (best is kept)")
    parser.add_argument("--onnx", nargs="*", default=[], help="other graphs to time")
    args = parser.parse_args(argv)

    from onrecord._onnx import open_session
    from onrecord.extract import create_extractor
    from onrecord.extract._encoder import (
        batch_arrays,
        batch_probabilities,
        length_batches,
        windows,
    )
    from onrecord.extract._ensemble import EnsembleModel, _mixed, needs_encoder
    from onrecord.extract._features import doc_features

    paths = sorted((args.split_dir / "text").glob("*.txt")) or sorted(args.split_dir.glob("*.txt"))
    if not paths:
        sys.exit(f"accurate_parts: no .txt files under {args.split_dir}")
    paths = paths[: args.limit] if args.limit else paths
    extractor = create_extractor("accurate")
    model = extractor.model
    if not isinstance(model, EnsembleModel):
        sys.exit(f"accurate_parts: the accurate model is {model.name}, not the ensemble")
    encoder = model.encoder
    docs = list(extractor.nlp.pipe(p.read_text("utf-8") for p in paths))
    print(f"# {len(docs)} articles from {args.split_dir}; load average at start {_load()}")

    rows: list[tuple[str, float]] = []

    def stage(label: str, work: Callable[[], Any]) -> Any:
        seconds, result = _best_cpu(args.runs, work)
        rows.append((label, seconds))
        return result

    seqs = stage("CRF features", lambda: [doc_features(d, model.crf.cue_p) for d in docs])
    pairs = list(zip(docs, seqs, strict=True))
    read = stage(
        "lexical gate",
        lambda: [[u for u in s.units if needs_encoder(d, s, u, model.gate_p)] for d, s in pairs],
    )
    cut = stage(
        "word pieces and windows",
        lambda: [
            windows(encoder.tokenizer, [t.text for t in d], r, s.in_quote)
            for (d, s), r in zip(pairs, read, strict=True)
        ],
    )
    triples = [(d, s, r) for (d, s), r in zip(pairs, read, strict=True)]
    layers = stage("encoder (as shipped)", lambda: batch_probabilities(triples, encoder))
    stage(
        "mix with the CRF's marginals",
        lambda: [
            _mixed(s, probs, {u[0] for u in r}, model)
            for (_, s, r), probs in zip(triples, layers, strict=True)
        ],
    )
    stage(
        "CRF decoding of every unit (fast)",
        lambda: [[model.crf.tagger.tag(f) for f in s.features] for s in seqs],
    )
    for label, seconds in rows:
        print(f"| {label} | {seconds:.2f} s | {1000 * seconds / len(docs):.1f} ms/article |")

    batches = [
        batch_arrays(batch)
        for article in cut
        for batch in length_batches(
            sorted(article, key=lambda w: len(w.ids)), encoder.batch_size, encoder.call_pieces
        )
    ]
    sessions = [("shipped", encoder.session)]
    sessions += [(f, open_session(Path(f), 1, "graph", "-")) for f in args.onnx]

    def network(session: Any) -> list[np.ndarray]:
        return [session.run(["logits"], b)[0] for b in batches]

    shipped = network(encoder.session)
    best = {name: float("inf") for name, _ in sessions}
    diff = {}
    for _ in range(args.runs):
        for name, session in sessions:
            seconds, logits = _best_cpu(1, lambda s=session: network(s))
            best[name] = min(best[name], seconds)
            diff[name] = max(
                float(np.abs(a - b).max()) for a, b in zip(logits, shipped, strict=True)
            )
    print(f"\nnetwork alone, {len(batches)} calls:")
    for name, _ in sessions:
        print(f"| {name} | {best[name]:.2f} s | max abs logit difference {diff[name]:.3g} |")
    print(f"# load average now {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
