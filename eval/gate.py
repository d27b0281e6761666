"""Quality gate: PolNeAR scores on a fixed dev sample must stay above pinned floors.

Usage::

    .venv/bin/python eval/gate.py                      # run every shipped model, check floors
    .venv/bin/python eval/gate.py --model fast         # only one model
    .venv/bin/python eval/gate.py --model fast --pred out.jsonl   # check an extract JSONL
    .venv/bin/python eval/gate.py --update             # raise floors to the current scores
    .venv/bin/python eval/gate.py --update --allow-regression   # also lower them

The sample is the first ``sample_articles`` (20) annotated articles of the dev split, by name.
``eval/baseline.json`` pins, per model (``fast``, ``accurate``), a floor per metric, and once
the SHA-256 digest of the split's annotation files. The gate fails (exit 1) when a metric of
any model falls below its floor minus ``margin`` (0.02), or when the gold digest differs from
the pinned one (scores against other gold are not comparable). ``--update`` writes the
current scores as floors and the current digest; it refuses (exit 2) to lower any floor
unless ``--allow-regression`` is given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.evaluation import PolnearReport, gold_digest, run_polnear_eval, score_predictions
from onrecord.extract import MODELS, create_extractor

REPO = Path(__file__).resolve().parents[1]
BASELINE = Path(__file__).with_name("baseline.json")
DEFAULT_SPLIT = REPO.parent / "shared" / "data" / "polnear" / "dev"
FILE_KEYS = ("source", "file", "path", "filename", "id")


class RegressionRefusedError(Exception):
    """``--update`` would lower a floor and ``--allow-regression`` was not given."""


def metrics_of(report: PolnearReport) -> dict[str, float]:
    """The gated metrics of a report, rounded to four decimals."""
    loose = report.thresholds["loose"]
    return {
        "loose_f1": round(loose.quote.f1, 4),
        "loose_quote_speaker_f1": round(loose.quote_speaker.f1, 4),
    }


def failures(baseline: Mapping[str, Any], metrics: Mapping[str, float], digest: str) -> list[str]:
    """Why the gate fails: each metric under its floor minus the margin, and a changed digest."""
    problems = []
    pinned = str(baseline.get("gold_digest"))
    if pinned != digest:
        problems.append(
            f"gold digest {digest[:12]}… differs from the pinned {pinned[:12]}…: "
            "the annotations changed; review, then rerun with --update"
        )
    margin = float(baseline.get("margin", 0.02))
    for name, floor in baseline["floors"].items():
        value = metrics.get(name)
        if value is None:
            problems.append(f"{name}: not computed")
        elif value < floor - margin:
            problems.append(f"{name} {value:.4f} < floor {floor:.4f} - margin {margin}")
    return problems


def updated_baseline(
    baseline: Mapping[str, Any],
    metrics: Mapping[str, float],
    digest: str,
    extractors: list[str],
    allow_regression: bool,
) -> dict[str, Any]:
    """The baseline with floors set to ``metrics``; ``RegressionRefusedError`` if one drops."""
    floors = dict(baseline["floors"])
    lowered = [
        f"{name} {metrics[name]:.4f} < {floor:.4f}"
        for name, floor in floors.items()
        if name in metrics and metrics[name] < floor
    ]
    if lowered and not allow_regression:
        raise RegressionRefusedError(
            "refusing to lower floors (" + "; ".join(lowered) + "); pass --allow-regression "
            "if the drop is intended and explained in the commit message"
        )
    floors.update({name: metrics[name] for name in floors if name in metrics})
    updated = dict(baseline)
    updated.update({"floors": floors, "gold_digest": digest, "extractors": extractors})
    updated["comment"] = "Floors are set by `python eval/gate.py --update`; see eval/README.md."
    return updated


def model_baseline(baseline: Mapping[str, Any], model: str) -> dict[str, Any]:
    """The gate settings of one model: its floors with the shared margin and digest."""
    entry = baseline["models"][model]
    return {
        "margin": baseline.get("margin", 0.02),
        "gold_digest": baseline.get("gold_digest"),
        "floors": entry["floors"],
        "extractors": entry.get("extractors", []),
    }


def _load_jsonl(path: Path) -> dict[str, list[dict[str, Any]]]:
    predictions: dict[str, list[dict[str, Any]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        key = next((record[k] for k in FILE_KEYS if isinstance(record.get(k), str)), None)
        if key is not None:
            predictions[key] = list(record.get("quotes") or [])
    return predictions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", type=Path, default=DEFAULT_SPLIT, help="PolNeAR dev split")
    parser.add_argument("--model", help="only this model (fast, accurate); default: both")
    parser.add_argument("--pred", type=Path, help="score this extract JSONL (needs --model)")
    parser.add_argument("--baseline", type=Path, default=BASELINE)
    parser.add_argument("--update", action="store_true", help="write current scores as floors")
    parser.add_argument("--allow-regression", action="store_true", help="let --update lower")
    args = parser.parse_args(argv)

    baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
    models = [args.model] if args.model else sorted(MODELS)
    if args.pred is not None and args.model is None:
        print("gate: --pred needs --model (which model wrote the file)", file=sys.stderr)
        return 1
    unknown = [m for m in models if m not in baseline["models"]]
    if unknown and not args.update:
        print(
            f"gate: no floors pinned for {', '.join(unknown)}; run with --update", file=sys.stderr
        )
        return 1
    limit = int(baseline.get("sample_articles", 20))
    digest = gold_digest(args.split)
    status = 0
    for model in models:
        view = model_baseline(baseline, model) if model in baseline["models"] else None
        try:
            if args.pred is not None:
                report = score_predictions(args.split, _load_jsonl(args.pred), limit=limit)
            else:
                report = run_polnear_eval(
                    args.split, limit=limit, extractor=create_extractor(model)
                )
        except OnrecordError as exc:
            print(f"gate: {model}: {exc}", file=sys.stderr)
            status = 1
            continue
        metrics = metrics_of(report)
        print(f"## model {model}")
        print(report.to_markdown())
        print()
        floors = view["floors"] if view is not None else {}
        for name, floor in floors.items():
            print(f"{name}: {metrics.get(name, float('nan')):.4f} (floor {floor:.4f})")

        if args.update:
            current = view or {"floors": dict.fromkeys(metrics, 0.0)}
            try:
                updated = updated_baseline(
                    current, metrics, digest, list(report.extractors), args.allow_regression
                )
            except RegressionRefusedError as exc:
                print(f"gate: {model}: {exc}", file=sys.stderr)
                return 2
            baseline["gold_digest"] = digest
            baseline["models"][model] = {
                "floors": updated["floors"],
                "extractors": updated["extractors"],
            }
            continue

        problems = failures(view or {"floors": {}}, metrics, digest)
        for problem in problems:
            print(f"gate: FAIL {model}: {problem}", file=sys.stderr)
        if problems:
            status = 1
        else:
            print(f"gate: {model} ok")
    if args.update:
        args.baseline.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
        print(f"gate: wrote {args.baseline}")
    return status


if __name__ == "__main__":
    sys.exit(main())
