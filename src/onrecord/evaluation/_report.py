"""Result records of a PolNeAR evaluation and their JSON / Markdown renderings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from onrecord.evaluation._calibration import CalibrationScores
    from onrecord.evaluation._names import NameScores


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass(frozen=True, slots=True)
class Prf:
    """Counts behind a precision/recall/F1 triple."""

    tp: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        """``tp / n_pred`` (0 without predictions)."""
        return _ratio(self.tp, self.n_pred)

    @property
    def recall(self) -> float:
        """``tp / n_gold`` (0 without gold)."""
        return _ratio(self.tp, self.n_gold)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        """Counts plus the three rates."""
        return {
            "P": self.precision,
            "R": self.recall,
            "F1": self.f1,
            "tp": self.tp,
            "pred": self.n_pred,
            "gold": self.n_gold,
        }


@dataclass(frozen=True, slots=True)
class KindScore:
    """How predictions of one kind fared: how many there were and how many matched gold."""

    n_pred: int
    tp: int

    @property
    def precision(self) -> float:
        """Share of this kind's predictions that matched a gold attribution."""
        return _ratio(self.tp, self.n_pred)


@dataclass(frozen=True, slots=True)
class ThresholdScores:
    """Every score at one matching threshold (loose, strict or exact)."""

    label: str
    quote: Prf
    quote_speaker: Prf
    cue: Prf
    n_gold_direct: int
    tp_direct: int
    tp_direct_speaker: int
    matched_without_source: int
    by_kind: dict[str, KindScore]
    gold_by_kind: dict[str, tuple[int, int]]
    # Gold Source kind (GoldAttribution.source_kind) -> (matched contents, speaker correct).
    speaker_by_source: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def speaker_accuracy(self) -> float:
        """Share of matched contents whose speaker is also correct."""
        return _ratio(self.quote_speaker.tp, self.quote.tp)

    @property
    def direct_recall(self) -> float:
        """Recall over gold contents that hold a double quotation mark."""
        return _ratio(self.tp_direct, self.n_gold_direct)

    @property
    def direct_speaker_recall(self) -> float:
        """Quote+speaker recall over the same direct-quote subset."""
        return _ratio(self.tp_direct_speaker, self.n_gold_direct)

    def recall_by_gold_kind(self) -> dict[str, float]:
        """Recall over gold attributions of each kind (see ``GoldAttribution.kind``)."""
        return {kind: _ratio(tp, n) for kind, (n, tp) in sorted(self.gold_by_kind.items())}

    def speaker_accuracy_by_source(self) -> dict[str, float]:
        """Speaker accuracy over matched contents, by what their gold Source mention is."""
        return {kind: _ratio(ok, n) for kind, (n, ok) in sorted(self.speaker_by_source.items())}

    def to_dict(self) -> dict[str, Any]:  # Any: nested JSON values
        """JSON-ready scores."""
        return {
            "recall_by_gold_kind": self.recall_by_gold_kind(),
            "speaker_accuracy_by_gold_source": self.speaker_accuracy_by_source(),
            "quote": self.quote.to_dict(),
            "quote+speaker": self.quote_speaker.to_dict(),
            "cue": self.cue.to_dict(),
            "speaker_accuracy": self.speaker_accuracy,
            "direct_recall": self.direct_recall,
            "direct_quote+speaker_recall": self.direct_speaker_recall,
            "matched_gold_without_source": self.matched_without_source,
            "by_pred_kind": {
                kind: {"pred": score.n_pred, "tp": score.tp, "precision": score.precision}
                for kind, score in sorted(self.by_kind.items())
            },
        }


@dataclass(frozen=True, slots=True)
class Throughput:
    """Wall-clock time the predictor took over the split (model loading excluded)."""

    elapsed_s: float
    n_articles: int
    n_chars: int
    n_words: int

    @property
    def articles_per_s(self) -> float:
        """Articles per second."""
        return self.n_articles / self.elapsed_s if self.elapsed_s > 0 else 0.0

    @property
    def words_per_s(self) -> float:
        """Whitespace-separated words per second."""
        return self.n_words / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def to_dict(self) -> dict[str, float | int]:
        """JSON-ready timings."""
        return {
            "elapsed_s": self.elapsed_s,
            "articles": self.n_articles,
            "chars": self.n_chars,
            "words": self.n_words,
            "articles_per_s": self.articles_per_s,
            "words_per_s": self.words_per_s,
        }


@dataclass(frozen=True, slots=True)
class PolnearReport:
    """Scores of one system over (part of) a PolNeAR split."""

    split_dir: str
    n_articles: int
    n_gold: int
    n_gold_direct: int
    n_gold_without_source: int
    n_pred: int
    n_articles_without_output: int
    thresholds: dict[str, ThresholdScores]
    extractors: tuple[str, ...] = ()
    throughput: Throughput | None = None
    diagnostics: dict[str, int] = field(default_factory=dict)
    calibration: CalibrationScores | None = None
    names: NameScores | None = None
    # Expected calibration error of speaker confidences on loose matches, and their count.
    speaker_ece: float | None = None
    n_speaker_confidences: int = 0

    @property
    def pred_by_kind(self) -> dict[str, int]:
        """Number of predictions of each kind."""
        loose = self.thresholds["loose"]
        return {kind: score.n_pred for kind, score in sorted(loose.by_kind.items())}

    def to_dict(self) -> dict[str, Any]:  # Any: nested JSON values
        """JSON-ready report."""
        return {
            "split": self.split_dir,
            "extractors": list(self.extractors),
            "counts": {
                "articles": self.n_articles,
                "gold": self.n_gold,
                "gold_direct": self.n_gold_direct,
                "gold_without_source": self.n_gold_without_source,
                "pred": self.n_pred,
                "pred_by_kind": self.pred_by_kind,
                "articles_without_output": self.n_articles_without_output,
            },
            "scores": {label: scores.to_dict() for label, scores in self.thresholds.items()},
            "throughput": None if self.throughput is None else self.throughput.to_dict(),
            "diagnostics": dict(sorted(self.diagnostics.items())),
            "calibration": None if self.calibration is None else self.calibration.to_dict(),
            "names": None if self.names is None else self.names.to_dict(),
            "speaker_ece": None if self.speaker_ece is None else round(self.speaker_ece, 4),
        }

    def to_markdown(self) -> str:
        """A Markdown summary: one row per threshold, then precision per predicted kind."""
        lines = [
            "| thr | P | R | F1 | Q+S P | Q+S R | Q+S F1 | direct R | speaker acc | cue F1 |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for label, s in self.thresholds.items():
            q, qs = s.quote, s.quote_speaker
            cells = (
                q.precision,
                q.recall,
                q.f1,
                qs.precision,
                qs.recall,
                qs.f1,
                s.direct_recall,
                s.speaker_accuracy,
                s.cue.f1,
            )
            lines.append(f"| {label} | " + " | ".join(f"{x:.3f}" for x in cells) + " |")
        gold_kinds = sorted({kind for s in self.thresholds.values() for kind in s.gold_by_kind})
        if gold_kinds:
            lines += [
                "",
                "| gold kind | n | " + " | ".join(f"{lb} R" for lb in self.thresholds) + " |",
                "|---|---|" + "---|" * len(self.thresholds),
            ]
            for kind in gold_kinds:
                n = self.thresholds["loose"].gold_by_kind.get(kind, (0, 0))[0]
                rates = (s.recall_by_gold_kind().get(kind, 0.0) for s in self.thresholds.values())
                lines.append(f"| {kind} | {n} | " + " | ".join(f"{x:.3f}" for x in rates) + " |")
        loose = self.thresholds["loose"]
        if loose.speaker_by_source:
            lines += ["", "| gold source (loose matches) | n | speaker acc |", "|---|---|---|"]
            accuracy = loose.speaker_accuracy_by_source()
            for kind, (n, _) in sorted(loose.speaker_by_source.items()):
                lines.append(f"| {kind} | {n} | {accuracy[kind]:.3f} |")
        kinds = sorted({kind for s in self.thresholds.values() for kind in s.by_kind})
        if kinds:
            lines += [
                "",
                "| predicted kind | n | " + " | ".join(f"{lb} P" for lb in self.thresholds) + " |",
                "|---|---|" + "---|" * len(self.thresholds),
            ]
            for kind in kinds:
                n = self.thresholds["loose"].by_kind.get(kind, KindScore(0, 0)).n_pred
                rates = (
                    s.by_kind.get(kind, KindScore(n, 0)).precision for s in self.thresholds.values()
                )
                lines.append(f"| {kind} | {n} | " + " | ".join(f"{x:.3f}" for x in rates) + " |")
        lines += [
            "",
            f"articles {self.n_articles}, gold {self.n_gold} (direct {self.n_gold_direct}, "
            f"no source {self.n_gold_without_source}), predicted {self.n_pred}",
        ]
        if self.throughput is not None:
            t = self.throughput
            lines.append(
                f"throughput {t.articles_per_s:.2f} articles/s, {t.words_per_s:.0f} words/s "
                f"({t.elapsed_s:.2f} s, model loading excluded)"
            )
        if self.extractors:
            lines.append("extractors: " + ", ".join(self.extractors))
        if self.names is not None:
            lines += ["", *self.names.to_markdown()]
        if self.speaker_ece is not None:
            lines += [
                "",
                f"speaker confidence (loose matches, n {self.n_speaker_confidences}): "
                f"ECE {self.speaker_ece:.3f}",
            ]
        if self.calibration is not None:
            lines += ["", *self.calibration.to_markdown()]
        return "\n".join(lines)
