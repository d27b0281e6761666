"""Runs the stages in order; the only module that knows the order.

    read_inputs (ingest) -> clean_document (clean) -> nlp.pipe + attributions (extract)
    -> resolve_quotes (resolve) -> ExtractedArticle -> Store.add_articles (store)

Everything streams: inputs are read lazily, articles are parsed in batches of
``Settings.batch_size`` and handed on as soon as a batch is done, so memory does not grow
with the size of the corpus. A bad item becomes an ``IngestError`` value in the output
stream and the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from onrecord.clean import clean_document, name_outlet
from onrecord.config import Settings
from onrecord.errors import IngestError, OnrecordError
from onrecord.ingest import read_inputs
from onrecord.models import Article, ExtractedArticle, Quote, RawDocument
from onrecord.resolve import resolve_quotes

if TYPE_CHECKING:
    from onrecord.extract import Extractor
    from onrecord.store import Store

log = logging.getLogger(__name__)

Outcome = ExtractedArticle | IngestError


@dataclass(slots=True)
class RunSummary:
    """Counts of one run, for the closing line and the exit code."""

    ingested: int = 0
    skipped: int = 0
    failed: int = 0
    quotes: int = 0
    errors: list[IngestError] = field(default_factory=list)


def _cleaned(
    items: Iterable[RawDocument | IngestError], *, is_cleaning: bool, settings: Settings
) -> Iterator[Article | IngestError]:
    for item in items:
        if isinstance(item, IngestError):
            yield item
            continue
        try:
            article = name_outlet(clean_document(item, is_cleaning=is_cleaning), settings.outlets)
        except IngestError as exc:
            yield exc
            continue
        if len(article.text) > settings.max_chars:
            yield IngestError(
                item.source,
                f"article has {len(article.text):,} characters, more than the limit of "
                f"{settings.max_chars:,}",
                "Split it into articles, or raise ONRECORD_MAX_CHARS.",
            )
            continue
        yield article


def _batches(
    items: Iterable[Article | IngestError], size: int
) -> Iterator[tuple[list[Article], list[IngestError]]]:
    articles: list[Article] = []
    errors: list[IngestError] = []
    for item in items:
        if isinstance(item, IngestError):
            errors.append(item)
        else:
            articles.append(item)
        if len(articles) >= size:
            yield articles, errors
            articles, errors = [], []
    if articles or errors:
        yield articles, errors


def _keep(quotes: Sequence[Quote], min_confidence: float) -> tuple[Quote, ...]:
    return tuple(q for q in quotes if q.confidence >= min_confidence)


def extract_articles(
    items: Iterable[RawDocument | IngestError],
    extractor: Extractor,
    settings: Settings,
    *,
    is_cleaning: bool = True,
) -> Iterator[Outcome]:
    """Clean, parse, extract and resolve a stream of raw documents.

    Args:
        items: raw documents (and read errors, passed through) from ``read_inputs``.
        extractor: the loaded extraction model; its spaCy pipeline parses the articles.
        settings: batch size, length limit and confidence threshold.
        is_cleaning: remove page junk; when false the text is kept exactly as read.

    Yields:
        One ``ExtractedArticle`` per good article and one ``IngestError`` per bad item, in
        input order within each batch (errors of a batch come first).
    """
    stream = _cleaned(items, is_cleaning=is_cleaning, settings=settings)
    for articles, errors in _batches(stream, settings.batch_size):
        yield from errors
        docs = extractor.nlp.pipe(a.text for a in articles)
        for article, doc in zip(articles, docs, strict=True):
            try:
                attributions = extractor.attributions(doc)
                quotes = resolve_quotes(article, doc, attributions)
            except OnrecordError as exc:
                log.warning("extraction failed for %s: %s", article.source, exc)
                yield IngestError(article.source, f"extraction failed: {exc}")
                continue
            log.debug("%s: %d statements", article.source, len(quotes))
            yield ExtractedArticle(article, _keep(quotes, settings.min_confidence))


def extract_paths(
    paths: Sequence[str],
    extractor: Extractor,
    settings: Settings,
    *,
    is_cleaning: bool = True,
    stdin: TextIO | None = None,
) -> Iterator[Outcome]:
    """Read, clean and extract every article under ``paths`` (``-`` is stdin)."""
    return extract_articles(
        read_inputs(paths, stdin=stdin), extractor, settings, is_cleaning=is_cleaning
    )


def extract_text(
    text: str, extractor: Extractor, *, source: str = "<text>", is_cleaning: bool = True
) -> ExtractedArticle:
    """Extract the statements of one plain-text article given as a string.

    Raises:
        IngestError: the text holds no usable article.
    """
    raw = RawDocument(source=source, content=text, media_type="text")
    for outcome in extract_articles([raw], extractor, Settings(), is_cleaning=is_cleaning):
        if isinstance(outcome, IngestError):
            raise outcome
        return outcome
    raise IngestError(source, "no article could be read from the text")


def store_outcomes(outcomes: Iterable[Outcome], store: Store, batch_size: int) -> RunSummary:
    """Add extracted articles to ``store`` in batched transactions, counting bad items.

    Articles already in the store (same content hash) are counted as skipped.

    Args:
        outcomes: the stream from ``extract_paths`` or ``extract_articles``.
        store: the open store to write to.
        batch_size: articles per transaction.

    Returns:
        Counts of ingested, skipped and failed items, and every error.
    """
    summary = RunSummary()
    pending: list[ExtractedArticle] = []

    def flush() -> None:
        result = store.add_articles(pending, batch_size=batch_size)
        summary.ingested += result.added
        summary.skipped += result.skipped_duplicates
        summary.failed += result.failed
        summary.quotes += sum(len(item.quotes) for item in pending)
        pending.clear()

    for outcome in outcomes:
        if isinstance(outcome, IngestError):
            summary.failed += 1
            summary.errors.append(outcome)
            continue
        pending.append(outcome)
        if len(pending) >= batch_size:
            flush()
    if pending:
        flush()
    log.info(
        "ingest: %d ingested, %d skipped, %d failed",
        summary.ingested,
        summary.skipped,
        summary.failed,
    )
    return summary
