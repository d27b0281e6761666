"""Run onrecord's own extraction pipeline over a PolNeAR split and score it.

Input: a split folder. Output: ``PolnearReport``. Each raw text file is the article text as is
(no cleaning), so predicted offsets index the annotated text. The pipeline is
``extractor.nlp`` -> ``extractor.attributions(doc)`` -> ``resolve_quotes``; the extractor is
loaded once, before the clock starts.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from onrecord.errors import ExtractError, OnrecordError
from onrecord.evaluation._report import PolnearReport
from onrecord.evaluation.polnear import evaluate_polnear
from onrecord.models import Article, Attribution, Quote

log = logging.getLogger(__name__)

BATCH_SIZE = 16


class Extractor(Protocol):
    """What the evaluation needs from ``onrecord.extract.load_extractor()``."""

    # Any: a spaCy ``Language``; spaCy ships no precise types for it.
    nlp: Any

    def attributions(self, doc: Any) -> Sequence[Attribution]:  # Any: a spaCy ``Doc``
        """Attributions found in a parsed article."""
        ...


ResolveQuotes = Callable[[Article, Any, Sequence[Attribution]], Sequence[Quote]]


def _import_api() -> tuple[Callable[[], Extractor], ResolveQuotes]:
    try:
        extract = importlib.import_module("onrecord.extract")
        resolve = importlib.import_module("onrecord.resolve")
        load_extractor: Callable[[], Extractor] = extract.load_extractor
        resolve_quotes: ResolveQuotes = resolve.resolve_quotes
    except (ImportError, AttributeError) as exc:
        raise ExtractError(
            f"[{ExtractError.code}] the extraction pipeline is not available ({exc}); "
            "onrecord.extract.load_extractor and onrecord.resolve.resolve_quotes are needed. "
            "Reinstall onrecord (`pip install -e .`) and retry."
        ) from exc
    return load_extractor, resolve_quotes


def load_pipeline() -> tuple[Extractor, ResolveQuotes]:
    """Load the default extractor and the quote resolver.

    Returns:
        ``(extractor, resolve_quotes)``.

    Raises:
        ExtractError: The extraction or resolution API is missing or its model cannot load.
    """
    load_extractor, resolve_quotes = _import_api()
    return load_extractor(), resolve_quotes


def article_for(path: Path, text: str) -> Article:
    """The uncleaned ``Article`` for a raw text file: its text is the file content as is."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Article(id=digest, source=str(path), text=text)


def quote_record(quote: Quote, cue: tuple[int, int] | None) -> dict[str, Any]:
    """A quote as the extract JSONL contract writes it, plus ``cue_start``/``cue_end``.

    Returns:
        A JSON-ready dict (values are JSON scalars and one nested speaker dict).
    """
    speaker = quote.speaker
    return {
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "kind": quote.kind,
        "cue": quote.cue,
        "cue_start": None if cue is None else cue[0],
        "cue_end": None if cue is None else cue[1],
        "confidence": quote.confidence,
        "via": list(quote.via),
        "extractor": quote.extractor,
        "speaker": {
            "name": speaker.name,
            "mention": speaker.mention,
            "mention_start": speaker.mention_start,
            "mention_end": speaker.mention_end,
            "role": speaker.role,
            "org": speaker.org,
        },
    }


def _read_raw(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def make_predictor(
    extractor: Extractor, resolve_quotes: ResolveQuotes
) -> Callable[[list[Path]], Iterator[tuple[str, list[dict[str, Any]]]]]:
    """Wrap the pipeline as a predictor for ``evaluate_polnear``.

    An article that fails with an ``OnrecordError`` is logged and predicts nothing.
    """

    def predict(paths: list[Path]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        texts = [_read_raw(path) for path in paths]
        docs = extractor.nlp.pipe(texts, batch_size=BATCH_SIZE)
        for path, text, doc in zip(paths, texts, docs, strict=True):
            try:
                attributions = extractor.attributions(doc)
                quotes = resolve_quotes(article_for(path, text), doc, attributions)
            except OnrecordError as exc:
                log.warning("skipped %s: %s", path.name, exc)
                yield path.name, []
                continue
            cues = {
                (a.content.start, a.content.end): (a.cue.start, a.cue.end)
                for a in attributions
                if a.cue is not None
            }
            yield path.name, [quote_record(q, cues.get((q.start, q.end))) for q in quotes]

    return predict


def run_polnear_eval(
    split_dir: Path,
    limit: int | None = None,
    *,
    extractor: Extractor | None = None,
    resolve_quotes: ResolveQuotes | None = None,
) -> PolnearReport:
    """Load onrecord's pipeline, run it over a PolNeAR split and score it.

    Args:
        split_dir: A folder with ``text/`` and ``attributions/``.
        limit: Only the first ``limit`` annotated articles, by name.
        extractor: An already loaded extractor (default: ``load_extractor()``).
        resolve_quotes: The resolver (default: ``onrecord.resolve.resolve_quotes``).

    Returns:
        The report, with throughput (model loading excluded) and extractor names.

    Raises:
        ExtractError: The pipeline or its model is unavailable.
        ConfigError: ``split_dir`` holds no texts.
    """
    if extractor is None or resolve_quotes is None:
        load_extractor, default_resolve = _import_api()
        extractor = extractor if extractor is not None else load_extractor()
        resolve_quotes = resolve_quotes if resolve_quotes is not None else default_resolve
    return evaluate_polnear(split_dir, make_predictor(extractor, resolve_quotes), limit)
