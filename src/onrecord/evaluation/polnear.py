"""Score quote predictions against PolNeAR attributions.

Input: a split folder (``text/`` + ``attributions/``) and predicted quotes per file, as the
``onrecord extract --format jsonl --no-clean`` contract writes them. Output: ``PolnearReport``.

Per article and per threshold, predictions and gold contents are paired greedily one-to-one by
descending score (see ``_match``): loose needs a score of at least 0.3, strict 0.8, exact the
same trimmed boundaries. A matched pair also counts for quote+speaker when the speaker is
correct, and for the cue score when the predicted cue span equals the gold Cue span.

A prediction without valid offsets is located by its text (next unused occurrence in output
order); a speaker without valid mention offsets by its mention (else name) text, nearest the
quote; a cue without ``cue_start``/``cue_end`` by its text, nearest the quote span.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from onrecord.errors import ConfigError
from onrecord.evaluation._brat import GoldArticle, GoldAttribution, read_split
from onrecord.evaluation._calibration import (
    REPORT_THRESHOLDS,
    CalibrationScores,
    expected_calibration_error,
    reliability_bins,
)
from onrecord.evaluation._match import (
    Candidate,
    find_nearest_word,
    find_word_near_span,
    greedy_match,
    is_exact,
    is_speaker_correct,
    locate_text,
    span_score,
    trim_span,
)
from onrecord.evaluation._names import GoldName, NameScores, score_names
from onrecord.evaluation._report import (
    KindScore,
    PolnearReport,
    Prf,
    ThresholdScores,
    Throughput,
)

log = logging.getLogger(__name__)

# Minimum span score per threshold; None means exact trimmed boundaries.
THRESHOLDS: dict[str, float | None] = {"loose": 0.3, "strict": 0.8, "exact": None}

# A quote dict as the JSONL contract writes it; values are JSON, hence Any.
QuoteDict = Mapping[str, Any]
Predictor = Callable[[list[Path]], Iterator[tuple[str, list[dict[str, Any]]]]]


@dataclass(frozen=True, slots=True)
class _Prediction:
    """A predicted quote placed in the article text; ``start is None`` when it could not be."""

    start: int | None
    end: int | None
    kind: str
    speaker_label: str | None
    mention: tuple[int, int] | None
    has_cue: bool
    cue: tuple[int, int] | None
    confidence: float | None
    name: str | None = None
    speaker_confidence: float | None = None


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _valid_span(start: object, end: object, length: int) -> tuple[int, int] | None:
    s, e = _as_int(start), _as_int(end)
    if s is None or e is None or not 0 <= s < e <= length:
        return None
    return s, e


def _confidence(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _text_field(mapping: Mapping[str, Any], key: str) -> str | None:
    value = mapping.get(key)
    return value if isinstance(value, str) else None


@dataclass
class _Locator:
    """State for placing offset-less quotes in output order."""

    cursor: int = 0
    used: set[int] | None = None

    def place(self, text: str, quote_text: str) -> tuple[int, int] | None:
        used = self.used if self.used is not None else set()
        self.used = used
        found = locate_text(text, quote_text, self.cursor, used)
        if found is not None:
            self.cursor = found[0]
            used.add(found[0])
        return found


def _normalise(
    quote: QuoteDict | str, text: str, locator: _Locator, diagnostics: Counter[str]
) -> _Prediction | None:
    if isinstance(quote, str):
        quote = {"text": quote}
    if not isinstance(quote, Mapping):
        diagnostics["bad_quote_objects"] += 1
        return None
    quote_text = _text_field(quote, "text")
    span = _valid_span(quote.get("start"), quote.get("end"), len(text))
    if span is None and quote_text is not None:
        span = locator.place(text, quote_text)
        diagnostics["quote_offsets_from_text" if span else "quote_unlocatable"] += 1
    elif span is None:
        diagnostics["quote_unlocatable"] += 1

    speaker = quote.get("speaker")
    if isinstance(speaker, str):
        speaker = {"name": speaker}
    if not isinstance(speaker, Mapping):
        speaker = {}
    name, mention_text = _text_field(speaker, "name"), _text_field(speaker, "mention")
    mention = _valid_span(speaker.get("mention_start"), speaker.get("mention_end"), len(text))
    if mention is None and span is not None:
        mention = find_nearest_word(text, mention_text or name, span[0])
        if mention is not None:
            diagnostics["speaker_offsets_from_text"] += 1

    cue_text = _text_field(quote, "cue")
    cue = _valid_span(quote.get("cue_start"), quote.get("cue_end"), len(text))
    if cue is None and span is not None:
        cue = find_word_near_span(text, cue_text, *span)

    start = end = None
    if span is not None:
        start, end = trim_span(text, *span)
        if start >= end:
            start, end = span
    kind = _text_field(quote, "kind") or "unknown"
    return _Prediction(
        start=start,
        end=end,
        kind=kind,
        speaker_label=name or mention_text,
        mention=mention,
        has_cue=cue is not None or bool(cue_text and cue_text.strip()),
        cue=cue,
        confidence=_confidence(quote.get("confidence")),
        name=name,
        speaker_confidence=_confidence(speaker.get("confidence")),
    )


def _article_key(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base[:-4] if base.endswith(".txt") else base


def _candidates(
    preds: Sequence[_Prediction], gold: Sequence[GoldAttribution], threshold: float | None
) -> Iterator[Candidate]:
    for i, pred in enumerate(preds):
        if pred.start is None or pred.end is None:
            continue
        for j, attribution in enumerate(gold):
            trimmed = attribution.content_trimmed
            if threshold is None:
                if is_exact(pred.start, pred.end, trimmed):
                    yield Candidate(1.0, i, j)
                continue
            score = span_score(pred.start, pred.end, trimmed)
            if score >= threshold:
                yield Candidate(score, i, j)


def _pairs(
    preds: Sequence[_Prediction], gold: Sequence[GoldAttribution], threshold: float | None
) -> list[tuple[int, int]]:
    return greedy_match(_candidates(preds, gold, threshold))


def _cue_correct(text: str, pred: _Prediction, gold: GoldAttribution) -> bool:
    if pred.cue is None or not gold.cue:
        return False
    return trim_span(text, *pred.cue) == trim_span(text, gold.cue[0][0], gold.cue[-1][1])


def _score_threshold(
    label: str,
    threshold: float | None,
    articles: Sequence[GoldArticle],
    predictions: Mapping[str, list[_Prediction]],
) -> ThresholdScores:
    tp = tp_speaker = tp_cue = tp_direct = tp_direct_speaker = without_source = 0
    kind_tp: Counter[str] = Counter()
    gold_tp: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    by_source_ok: Counter[str] = Counter()
    for article in articles:
        preds = predictions.get(article.name, [])
        gold = article.attributions
        for i, j in _pairs(preds, gold, threshold):
            pred, attribution = preds[i], gold[j]
            is_correct = is_speaker_correct(
                pred.mention, pred.speaker_label, attribution.source, attribution.source_text
            )
            tp += 1
            tp_speaker += is_correct
            tp_cue += _cue_correct(article.text, pred, attribution)
            without_source += not attribution.has_source
            kind_tp[pred.kind] += 1
            gold_tp[attribution.kind] += 1
            by_source[attribution.source_kind] += 1
            by_source_ok[attribution.source_kind] += is_correct
            if attribution.is_direct:
                tp_direct += 1
                tp_direct_speaker += is_correct
    all_preds = [p for a in articles for p in predictions.get(a.name, [])]
    n_pred, n_gold = len(all_preds), sum(len(a.attributions) for a in articles)
    kind_counts = Counter(p.kind for p in all_preds)
    gold_counts = Counter(g.kind for a in articles for g in a.attributions)
    return ThresholdScores(
        label=label,
        quote=Prf(tp, n_pred, n_gold),
        quote_speaker=Prf(tp_speaker, n_pred, n_gold),
        cue=Prf(
            tp_cue,
            sum(p.has_cue for p in all_preds),
            sum(bool(g.cue) for a in articles for g in a.attributions),
        ),
        n_gold_direct=sum(g.is_direct for a in articles for g in a.attributions),
        tp_direct=tp_direct,
        tp_direct_speaker=tp_direct_speaker,
        matched_without_source=without_source,
        by_kind={kind: KindScore(n, kind_tp[kind]) for kind, n in kind_counts.items()},
        gold_by_kind={kind: (n, gold_tp[kind]) for kind, n in gold_counts.items()},
        speaker_by_source={kind: (n, by_source_ok[kind]) for kind, n in by_source.items()},
    )


def _calibration(
    articles: Sequence[GoldArticle], predictions: Mapping[str, list[_Prediction]]
) -> CalibrationScores | None:
    """Reliability of the confidences at the loose threshold; ``None`` without any confidence."""
    loose = THRESHOLDS["loose"]
    pairs: list[tuple[float, bool]] = []
    for article in articles:
        preds = predictions.get(article.name, [])
        matched = {i for i, _ in _pairs(preds, article.attributions, loose)}
        pairs += [
            (p.confidence, i in matched) for i, p in enumerate(preds) if p.confidence is not None
        ]
    if not pairs:
        return None
    at_threshold = {}
    for t in REPORT_THRESHOLDS:
        kept = {
            name: [p for p in preds if p.confidence is not None and p.confidence >= t]
            for name, preds in predictions.items()
        }
        at_threshold[t] = _score_threshold("loose", loose, articles, kept).quote
    return CalibrationScores(reliability_bins(pairs), at_threshold)


def match_quotes(
    article: GoldArticle, quotes: Sequence[QuoteDict], threshold: str = "loose"
) -> list[int | None]:
    """Pair one article's predicted quotes with its gold attributions, as the scorer does.

    Args:
        article: The gold article.
        quotes: Quote dicts (the extract JSONL contract) predicted for it, in output order.
        threshold: ``loose``, ``strict`` or ``exact``.

    Returns:
        Per quote, the index in ``article.attributions`` of the gold it is paired with, else
        ``None`` (a false positive, or a quote that could not be placed).

    Raises:
        ConfigError: ``threshold`` is not one of the three names.
    """
    if threshold not in THRESHOLDS:
        raise ConfigError(
            f"[{ConfigError.code}] unknown threshold {threshold!r}; "
            f"use one of {', '.join(THRESHOLDS)}."
        )
    diagnostics: Counter[str] = Counter()
    locator = _Locator()
    positions: list[int] = []
    preds: list[_Prediction] = []
    for k, quote in enumerate(quotes):
        normalised = _normalise(quote, article.text, locator, diagnostics)
        if normalised is not None:
            positions.append(k)
            preds.append(normalised)
    matched: list[int | None] = [None] * len(quotes)
    for i, j in _pairs(preds, article.attributions, THRESHOLDS[threshold]):
        matched[positions[i]] = j
    return matched


def _extractor_names(predictions: Iterable[Sequence[QuoteDict]]) -> tuple[str, ...]:
    names = {
        q["extractor"]
        for quotes in predictions
        for q in quotes
        if isinstance(q, Mapping) and isinstance(q.get("extractor"), str) and q["extractor"]
    }
    return tuple(sorted(names))


def score_articles(
    articles: Sequence[GoldArticle],
    predictions: Mapping[str, Sequence[QuoteDict]],
    split_dir: Path | str = "",
    throughput: Throughput | None = None,
    names: Mapping[tuple[str, str], GoldName] | None = None,
) -> PolnearReport:
    """Score predictions against already-read gold articles.

    Args:
        articles: Gold articles, as ``read_split`` returns them.
        predictions: Quote dicts keyed by file name (``NAME.txt``, ``NAME`` or a path to it).
        split_dir: Recorded in the report.
        throughput: Timing of the predictor, if it was timed.
        names: Gold speaker names keyed by (file name, attribution id); with them the report
            scores resolved names too.

    Returns:
        The report; predictions for files outside ``articles`` are ignored and counted.
    """
    diagnostics: Counter[str] = Counter()
    texts = {article.name: article.text for article in articles}
    placed: dict[str, list[_Prediction]] = {}
    for key, quotes in predictions.items():
        name = _article_key(key)
        if name not in texts:
            diagnostics["unknown_file"] += 1
            continue
        if name in placed:
            diagnostics["duplicate_file"] += 1
        locator = _Locator()
        target = placed.setdefault(name, [])
        for quote in quotes:
            normalised = _normalise(quote, texts[name], locator, diagnostics)
            if normalised is not None:
                target.append(normalised)
    if diagnostics:
        log.info("prediction diagnostics: %s", dict(diagnostics))
    thresholds = {
        label: _score_threshold(label, threshold, articles, placed)
        for label, threshold in THRESHOLDS.items()
    }
    gold = [g for a in articles for g in a.attributions]
    speaker_ece, n_speaker_confidences = _speaker_calibration(articles, placed)
    return PolnearReport(
        split_dir=str(split_dir),
        n_articles=len(articles),
        n_gold=len(gold),
        n_gold_direct=sum(g.is_direct for g in gold),
        n_gold_without_source=sum(not g.has_source for g in gold),
        n_pred=sum(len(p) for p in placed.values()),
        n_articles_without_output=sum(a.name not in placed for a in articles),
        thresholds=thresholds,
        extractors=_extractor_names(predictions.values()),
        throughput=throughput,
        diagnostics=dict(diagnostics),
        calibration=_calibration(articles, placed),
        names=None if names is None else _names(articles, placed, names),
        speaker_ece=speaker_ece,
        n_speaker_confidences=n_speaker_confidences,
    )


def _speaker_calibration(
    articles: Sequence[GoldArticle], predictions: Mapping[str, list[_Prediction]]
) -> tuple[float | None, int]:
    """ECE of speaker confidences on loose matches (is the speaker the gold Source?), and how
    many there were; no ECE without any."""
    pairs: list[tuple[float, bool]] = []
    for article in articles:
        preds = predictions.get(article.name, [])
        for i, j in _pairs(preds, article.attributions, THRESHOLDS["loose"]):
            pred, gold = preds[i], article.attributions[j]
            if pred.speaker_confidence is None:
                continue
            is_correct = is_speaker_correct(
                pred.mention, pred.speaker_label, gold.source, gold.source_text
            ) or (not gold.has_source and pred.mention is None)
            pairs.append((pred.speaker_confidence, is_correct))
    if not pairs:
        return None, 0
    return expected_calibration_error(reliability_bins(pairs)), len(pairs)


def _names(
    articles: Sequence[GoldArticle],
    predictions: Mapping[str, list[_Prediction]],
    names: Mapping[tuple[str, str], GoldName],
) -> NameScores:
    """Resolved-name scores over the statements paired with gold at the loose threshold."""
    pairs = []
    for article in articles:
        preds = predictions.get(article.name, [])
        for i, j in _pairs(preds, article.attributions, THRESHOLDS["loose"]):
            gold_id = article.attributions[j].id
            pairs.append((article.file_name, gold_id, {"speaker": {"name": preds[i].name}}))
    return score_names(pairs, names)


def score_predictions(
    split_dir: Path, predictions: Mapping[str, Sequence[QuoteDict]], limit: int | None = None
) -> PolnearReport:
    """Score predicted quotes against the annotated articles of a PolNeAR split.

    Args:
        split_dir: A folder with ``text/`` and ``attributions/``.
        predictions: Quote dicts (the extract JSONL contract) keyed by file name.
        limit: Only the first ``limit`` annotated articles, by name (default: all).

    Returns:
        The report. Articles without predictions count as predicting nothing.

    Raises:
        ConfigError: ``split_dir`` holds no texts.
    """
    return score_articles(read_split(split_dir, limit), predictions, split_dir)


def evaluate_polnear(
    split_dir: Path,
    predict: Predictor,
    limit: int | None = None,
    names: Mapping[tuple[str, str], GoldName] | None = None,
) -> PolnearReport:
    """Run a predictor over a PolNeAR split, time it and score its output.

    Args:
        split_dir: A folder with ``text/`` and ``attributions/``.
        predict: Called once with the text paths; yields ``(file name, quote dicts)`` per article.
        limit: Only the first ``limit`` annotated articles, by name.
        names: Gold speaker names (``read_gold_names``), to score resolved names too.

    Returns:
        The report, with the predictor's throughput.

    Raises:
        ConfigError: ``split_dir`` holds no texts.
    """
    articles = read_split(split_dir, limit)
    started = time.perf_counter()
    predictions: dict[str, list[dict[str, Any]]] = {}
    for key, quotes in predict([a.path for a in articles]):
        predictions[key] = list(quotes)
    elapsed_s = time.perf_counter() - started
    throughput = Throughput(
        elapsed_s=elapsed_s,
        n_articles=len(articles),
        n_chars=sum(len(a.text) for a in articles),
        n_words=sum(len(a.text.split()) for a in articles),
    )
    report = score_articles(articles, predictions, split_dir, throughput, names)
    log.info(
        "polnear: %d articles, loose F1 %.3f, %.2f articles/s",
        report.n_articles,
        report.thresholds["loose"].quote.f1,
        throughput.articles_per_s,
    )
    return report
