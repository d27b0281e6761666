"""Stance evaluation on Perspectrum (support/undermine pairs) and on onrecord's news statements.

Input: a dataset name and a path. Output: ``StanceReport`` (accuracy, macro-F1, per-class
scores, confusion; for news also act scores and condition overlap).

- ``perspectrum``: ``dev.jsonl`` (or a folder holding it) of claim/perspective pairs. Scores the
  model's polarity alone: P(supports) >= P(opposes) means "support".
- ``news``: ``eval/stance/news_statements.jsonl`` (held out) or ``news_tune.jsonl`` with
  statement, proposition, stance, act, condition. Scores the full classifier on four stance
  classes and seven acts.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from onrecord.errors import ConfigError
from onrecord.positions._records import ACTS, STANCES
from onrecord.positions._stance import StanceClassifier

log = logging.getLogger(__name__)

Dataset = Literal["perspectrum", "news"]
PERSPECTRUM_LABELS = ("support", "undermine")


@dataclass(frozen=True, slots=True)
class ClassScore:
    """Precision, recall, F1 and gold count for one label."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class StanceReport:
    """Scores of one stance evaluation run."""

    dataset: str
    path: str
    model: str
    count: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, ClassScore]
    confusion: dict[str, dict[str, int]]
    act_accuracy: float | None = None
    act_macro_f1: float | None = None
    act_per_class: dict[str, ClassScore] = field(default_factory=dict)
    condition_overlap: float | None = None
    errors: tuple[dict[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:  # Any: JSON values of mixed types
        """JSON-ready values."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("per_class", "act_per_class"):
                value = {k: _score_dict(v) for k, v in value.items()}
            elif f.name == "errors":
                value = list(value)
            out[f.name] = value
        return out

    def to_markdown(self) -> str:
        """A short Markdown report: headline scores, per-class table, confusion."""
        lines = [
            f"## Stance: {self.dataset}",
            "",
            f"- data: `{self.path}` ({self.count} items)",
            f"- model: `{self.model}`",
            f"- accuracy: **{self.accuracy:.3f}**, macro-F1: **{self.macro_f1:.3f}**",
        ]
        if self.act_accuracy is not None and self.act_macro_f1 is not None:
            lines.append(
                f"- act accuracy: {self.act_accuracy:.3f}, act macro-F1: {self.act_macro_f1:.3f}"
            )
        if self.condition_overlap is not None:
            lines.append(
                "- condition text overlap (token F1, both conditional): "
                f"{self.condition_overlap:.3f}"
            )
        lines += ["", "| label | precision | recall | F1 | gold |", "|---|---|---|---|---|"]
        for label, s in self.per_class.items():
            lines.append(
                f"| {label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} |"
            )
        labels = list(self.confusion)
        lines += ["", "Confusion (rows gold, columns predicted):", ""]
        lines.append("| gold \\ predicted | " + " | ".join(labels) + " |")
        lines.append("|---" * (len(labels) + 1) + "|")
        for gold in labels:
            row = self.confusion[gold]
            lines.append(f"| {gold} | " + " | ".join(str(row.get(p, 0)) for p in labels) + " |")
        if self.act_per_class:
            lines += ["", "| act | precision | recall | F1 | gold |", "|---|---|---|---|---|"]
            for label, s in self.act_per_class.items():
                lines.append(
                    f"| {label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} |"
                )
        return "\n".join(lines) + "\n"


def _score_dict(s: ClassScore) -> dict[str, float | int]:
    return {"precision": s.precision, "recall": s.recall, "f1": s.f1, "support": s.support}


def score_labels(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> tuple[float, float, dict[str, ClassScore], dict[str, dict[str, int]]]:
    """Accuracy, macro-F1 (over labels present in gold or predictions), per-class, confusion."""
    pairs = list(zip(gold, predicted, strict=True))
    accuracy = sum(g == p for g, p in pairs) / max(len(pairs), 1)
    per_class: dict[str, ClassScore] = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        if tp + fp + fn == 0:
            continue
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = ClassScore(round(precision, 4), round(recall, 4), round(f1, 4), tp + fn)
    macro = sum(s.f1 for s in per_class.values()) / max(len(per_class), 1)
    confusion = {
        g: dict(Counter(p for gg, p in pairs if gg == g)) for g in labels if g in per_class
    }
    return round(accuracy, 4), round(macro, 4), per_class, confusion


def _tokens(text: str | None) -> list[str]:
    return re.findall(r"[a-z0-9]+", (text or "").lower())


def token_f1(a: str | None, b: str | None) -> float:
    """Bag-of-tokens F1 between two strings."""
    ta, tb = Counter(_tokens(a)), Counter(_tokens(b))
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    precision, recall = common / sum(tb.values()), common / sum(ta.values())
    return 2 * precision * recall / (precision + recall)


def _read_jsonl(path: Path, required: Sequence[str]) -> list[dict[str, Any]]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(
            f"[{ConfigError.code}] cannot read stance data {path}: {exc.strerror or exc}. "
            "Check the path."
        ) from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise ConfigError(
                f"[{ConfigError.code}] {path}:{number} is not JSON ({exc}). Fix that line."
            ) from exc
        missing = [k for k in required if k not in row]
        if missing:
            raise ConfigError(
                f"[{ConfigError.code}] {path}:{number} lacks {missing}. "
                f"Every line needs {list(required)}."
            )
        rows.append(row)
    if not rows:
        raise ConfigError(f"[{ConfigError.code}] {path} holds no items. Point at a JSONL file.")
    return rows


def _evaluate_perspectrum(path: Path, classifier: StanceClassifier) -> StanceReport:
    if path.is_dir():
        path = path / "dev.jsonl"
    rows = _read_jsonl(path, ("claim", "perspective", "stance"))
    probs = classifier.support_probabilities(
        [r["perspective"].strip() for r in rows], [r["claim"].strip() for r in rows]
    )
    gold = [r["stance"] for r in rows]
    predicted = ["support" if p >= 0.5 else "undermine" for p in probs]
    accuracy, macro, per_class, confusion = score_labels(gold, predicted, PERSPECTRUM_LABELS)
    return StanceReport(
        dataset="perspectrum",
        path=str(path),
        model=f"{classifier.name} (supports vs opposes logits only)",
        count=len(rows),
        accuracy=accuracy,
        macro_f1=macro,
        per_class=per_class,
        confusion=confusion,
    )


def _evaluate_news(path: Path, classifier: StanceClassifier) -> StanceReport:
    rows = _read_jsonl(path, ("statement", "proposition", "stance", "act"))
    bad = [r["stance"] for r in rows if r["stance"] not in STANCES]
    bad += [r["act"] for r in rows if r["act"] not in ACTS]
    if bad:
        raise ConfigError(
            f"[{ConfigError.code}] {path} has unknown labels {sorted(set(bad))}. "
            f"Stances: {list(STANCES)}; acts: {list(ACTS)}."
        )
    results = classifier.classify_many(
        [r["statement"] for r in rows], [r["proposition"] for r in rows]
    )
    gold = [r["stance"] for r in rows]
    predicted: list[str] = [r.stance for r in results]
    accuracy, macro, per_class, confusion = score_labels(gold, predicted, STANCES)
    act_acc, act_macro, act_per_class, _ = score_labels(
        [r["act"] for r in rows], [r.act for r in results], ACTS
    )
    overlaps = [
        token_f1(row.get("condition"), result.condition)
        for row, result in zip(rows, results, strict=True)
        if row["stance"] == "conditional" and result.stance == "conditional"
    ]
    errors = tuple(
        {
            "id": str(row.get("id", "")),
            "statement": row["statement"],
            "gold": f"{row['stance']}/{row['act']}",
            "predicted": f"{result.stance}/{result.act}",
        }
        for row, result in zip(rows, results, strict=True)
        if row["stance"] != result.stance
    )
    return StanceReport(
        dataset="news",
        path=str(path),
        model=classifier.name,
        count=len(rows),
        accuracy=accuracy,
        macro_f1=macro,
        per_class=per_class,
        confusion=confusion,
        act_accuracy=act_acc,
        act_macro_f1=act_macro,
        act_per_class=act_per_class,
        condition_overlap=round(sum(overlaps) / len(overlaps), 4) if overlaps else None,
        errors=errors,
    )


def evaluate_stance(
    dataset: str, path: Path, classifier: StanceClassifier | None = None
) -> StanceReport:
    """Score stance on a labelled dataset.

    Args:
        dataset: ``"perspectrum"`` (dev pairs; polarity model alone) or ``"news"`` (statements
            with stance, act and condition; full hybrid).
        path: the JSONL file (for Perspectrum also the folder holding ``dev.jsonl``).
        classifier: a loaded classifier; the shipped one is loaded when ``None``.

    Raises:
        ConfigError: unknown dataset name, or an unreadable or malformed file.
        ExtractError: the models are missing.
    """
    if dataset not in ("perspectrum", "news"):
        raise ConfigError(
            f"[{ConfigError.code}] unknown stance dataset {dataset!r}. Use 'perspectrum' or 'news'."
        )
    path = Path(path)
    if not path.exists():
        raise ConfigError(f"[{ConfigError.code}] {path} does not exist. Check the path.")
    loaded = classifier or StanceClassifier()
    report = (
        _evaluate_perspectrum(path, loaded)
        if dataset == "perspectrum"
        else _evaluate_news(path, loaded)
    )
    log.info(
        "stance eval %s: accuracy %.3f macro-F1 %.3f", dataset, report.accuracy, report.macro_f1
    )
    return report
