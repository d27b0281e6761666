"""Runs the stages in order; the only module that knows the order.

    read_inputs (ingest) -> clean_document (clean) -> nlp.pipe + attributions (extract)
    -> resolve_quotes (resolve) -> ExtractedArticle -> Store.add_articles (store)

Language decides the rest of the way (``onrecord.lang``): an article in a language without a
resource folder is stored with its text and metadata and the flag ``unsupported_language``, and
is not parsed: no statement, speaker or stance is guessed from it.

Everything streams: inputs are read lazily, articles are parsed in batches of
``Settings.batch_size`` and handed on as soon as a batch is done, so memory does not grow
with the size of the corpus. A bad item becomes an ``IngestError`` value in the output
stream and the run goes on.

Each item has a time limit (``Settings.item_timeout_s``): cleaning and extraction of one
article, and the parse of a batch (the limit times its size), run under a ``SIGALRM`` timer. A
batch over its limit is parsed again one article at a time, so only the slow article is
rejected ("took longer than N s"). The timer costs one system call per item; it is used only
in a process's main thread (elsewhere the limit is not enforced), and it interrupts Python code
only, so a single C call that never returns is not cut short.
"""

from __future__ import annotations

import logging
import signal
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from types import FrameType
from typing import TYPE_CHECKING, TextIO, TypeVar

from onrecord.clean import clean_document, name_outlet
from onrecord.config import Settings
from onrecord.errors import IngestError, KeptWithWarning, OnrecordError
from onrecord.ingest import read_inputs
from onrecord.lang import is_supported
from onrecord.models import ARTICLE_FLAGS, Article, ExtractedArticle, Quote, RawDocument
from onrecord.resolve import resolve_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from onrecord.extract import Extractor
    from onrecord.store import Store

log = logging.getLogger(__name__)

Outcome = ExtractedArticle | IngestError
T = TypeVar("T")
TIMEOUT_FIX = "Split or fix the item, or raise ONRECORD_ITEM_TIMEOUT_S."
FLAG_UNSUPPORTED = "unsupported_language"
BODY_FLAGS = ("empty_body", "tiny_body")


class _ItemTimeout(BaseException):
    # A BaseException, so that a library's broad ``except Exception`` cannot swallow it.
    pass


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _ItemTimeout


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _limited(seconds: float, call: Callable[..., T], *args: object) -> T | None:
    """``call(*args)``, or ``None`` when it ran past ``seconds``."""
    try:
        with _time_limit(seconds):
            return call(*args)
    except _ItemTimeout:
        return None


def _timed_out(source: str, seconds: float, stage: str) -> IngestError:
    return IngestError(source, f"{stage} took longer than {seconds:g} s", TIMEOUT_FIX)


@dataclass(slots=True)
class RunSummary:
    """Counts of one run, for the closing line and the exit code."""

    ingested: int = 0
    skipped: int = 0
    failed: int = 0
    quotes: int = 0
    errors: list[IngestError] = field(default_factory=list)
    run_id: str = ""
    unsupported_language: int = 0
    warned: int = 0


def _unexpected(source: str, stage: str, exc: Exception) -> IngestError:
    # A bug met on one odd item must cost that item, not the run: it becomes the item's error,
    # with the traceback in the log for the bug report.
    log.error("%s failed on %s", stage, source, exc_info=exc)
    return IngestError(
        source,
        f"{stage} failed unexpectedly ({type(exc).__name__}: {exc})",
        "This is a bug in onrecord; please report it with the item.",
    )


def _clean_one(raw: RawDocument, is_cleaning: bool, outlets: Mapping[str, str]) -> Article:
    try:
        return _flag_language(name_outlet(clean_document(raw, is_cleaning=is_cleaning), outlets))
    except OnrecordError:
        raise
    except Exception as exc:  # see _unexpected
        raise _unexpected(raw.source, "cleaning", exc) from exc


def _flag_language(article: Article) -> Article:
    if is_supported(article.language) or FLAG_UNSUPPORTED in article.flags:
        return article
    return replace(article, flags=(*article.flags, FLAG_UNSUPPORTED))


def _resolve_one(article: Article, doc: Doc, extractor: Extractor) -> tuple[Quote, ...]:
    try:
        return tuple(resolve_quotes(article, doc, extractor.attributions(doc)))
    except OnrecordError:
        raise
    except Exception as exc:  # see _unexpected
        raise _unexpected(article.source, "extraction", exc) from exc


def _cleaned(
    items: Iterable[RawDocument | IngestError], *, is_cleaning: bool, settings: Settings
) -> Iterator[Article | IngestError]:
    for item in items:
        if isinstance(item, IngestError):
            yield item
            continue
        try:
            article = _limited(
                settings.item_timeout_s, _clean_one, item, is_cleaning, settings.outlets
            )
        except IngestError as exc:
            yield exc
            continue
        if article is None:
            log.warning("cleaning %s ran past %g s", item.source, settings.item_timeout_s)
            yield _timed_out(item.source, settings.item_timeout_s, "cleaning")
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
    limit = settings.item_timeout_s
    for batch, errors in _batches(stream, settings.batch_size):
        yield from errors
        articles = [article for article in batch if FLAG_UNSUPPORTED not in article.flags]
        parsed = _parsed(articles, extractor, limit)
        for item in batch:
            if FLAG_UNSUPPORTED in item.flags:
                log.debug("%s: language %s not supported", item.source, item.language)
                yield ExtractedArticle(item, ())
                continue
            article, doc = next(parsed)
            if doc is None:
                log.warning("parsing %s ran past %g s", article.source, limit)
                yield _timed_out(article.source, limit, "parsing")
                continue
            try:
                quotes = _limited(limit, _resolve_one, article, doc, extractor)
            except IngestError as exc:
                yield exc
                continue
            except OnrecordError as exc:
                log.warning("extraction failed for %s: %s", article.source, exc)
                yield IngestError(article.source, f"extraction failed: {exc}")
                continue
            if quotes is None:
                log.warning("extracting %s ran past %g s", article.source, limit)
                yield _timed_out(article.source, limit, "extraction")
                continue
            log.debug("%s: %d statements", article.source, len(quotes))
            yield ExtractedArticle(article, _keep(quotes, settings.min_confidence))


def _parsed(
    articles: list[Article], extractor: Extractor, limit_s: float
) -> Iterator[tuple[Article, Doc | None]]:
    # The whole batch first (spaCy is fastest that way); a batch over its limit is parsed
    # again one article at a time, so that only the slow article is lost.
    if not articles:
        return
    docs = _limited(
        limit_s * len(articles), lambda: list(extractor.nlp.pipe(a.text for a in articles))
    )
    if docs is not None:
        yield from zip(articles, docs, strict=True)
        return
    log.warning("a batch of %d articles ran past its time limit; parsing one by one", len(articles))
    for article in articles:
        yield article, _limited(limit_s, extractor.nlp, article.text)


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


def new_run_id() -> str:
    """A fresh id naming one ingest run in the ``rejects`` table."""
    return uuid.uuid4().hex[:12]


def store_outcomes(
    outcomes: Iterable[Outcome], store: Store, batch_size: int, *, run_id: str | None = None
) -> RunSummary:
    """Add extracted articles to ``store`` in batched transactions, counting bad items.

    Articles already in the store (same content hash) are counted as skipped. Every bad item
    is also written to the store's ``rejects`` table under the run's id (see
    ``Store.rejects``), each batch's errors as that batch is flushed.

    Args:
        outcomes: the stream from ``extract_paths`` or ``extract_articles``.
        store: the open store to write to.
        batch_size: articles per transaction.
        run_id: names the run in the rejects table; a fresh one when not given.

    Returns:
        Counts of ingested, skipped and failed items, every error, and the run id.
    """
    summary = RunSummary(run_id=run_id or new_run_id())
    unrecorded: list[IngestError] = []
    pending: list[ExtractedArticle] = []

    def flush() -> None:
        result = store.add_articles(pending, batch_size=batch_size)
        summary.ingested += result.added
        summary.skipped += result.skipped_duplicates
        summary.failed += result.failed
        summary.quotes += sum(len(item.quotes) for item in pending)
        pending.clear()
        store.record_rejects(summary.run_id, unrecorded)
        unrecorded.clear()

    for outcome in outcomes:
        if isinstance(outcome, IngestError):
            summary.failed += 1
            summary.errors.append(outcome)
            unrecorded.append(outcome)
            continue
        flags = outcome.article.flags
        summary.unsupported_language += FLAG_UNSUPPORTED in flags
        warning = _body_warning(outcome.article)
        if warning is not None:
            summary.warned += 1
            unrecorded.append(warning)
        pending.append(outcome)
        if len(pending) >= batch_size:
            flush()
    if pending or unrecorded:
        flush()
    log.info(
        "ingest: %d ingested, %d skipped, %d failed, %d in unsupported languages",
        summary.ingested,
        summary.skipped,
        summary.failed,
        summary.unsupported_language,
    )
    return summary


def _body_warning(article: Article) -> KeptWithWarning | None:
    flags = [flag for flag in BODY_FLAGS if flag in article.flags]
    if not flags:
        return None
    return KeptWithWarning(
        article.source,
        f"kept, but {ARTICLE_FLAGS[flags[0]]} ({flags[0]})",
        "Check the page, or give the article as text.",
    )
