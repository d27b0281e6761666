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

Every per-item step runs inside one guard: reading (``read_inputs``), cleaning, parsing,
extraction and resolution each turn any exception of one item, ``RecursionError``,
``MemoryError`` and ``UnicodeError`` included, into that item's ``IngestError``; the batch goes
on with its good items.

Work per item is bounded by size first, so that results do not depend on machine load: input
is capped while it is read (``Settings.max_bytes``), cleaned text by ``Settings.max_chars``,
and an article longer than ``PARSE_PIECE_CHARS`` is parsed alone, in pieces of at most that
many characters cut at line breaks (then spaces), joined back into one ``Doc`` with the exact
text: the parser's memory grows with the length of what it is given at once.

Each item also has a time limit (``Settings.item_timeout_s``, see ``onrecord._limits``):
cleaning and extraction of one article, and the parse of a batch (the limit times its size),
are limited in CPU time, so that a busy machine does not change which items fit; reading is
limited in real time (a pipe or a stalled disk waits without working). A long article over its
limit is rejected and not parsed again; a batch of short ones over its limit is parsed again
one article at a time, so only the slow article is rejected ("took longer than N s").
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final, TextIO

from onrecord._limits import limited
from onrecord.clean import clean_document, name_outlet
from onrecord.config import Settings
from onrecord.derive import standard_steps
from onrecord.errors import IngestError, KeptWithWarning, OnrecordError, StoreError
from onrecord.ingest import read_inputs
from onrecord.lang import is_supported
from onrecord.models import ARTICLE_FLAGS, Article, ExtractedArticle, Quote, RawDocument
from onrecord.resolve import resolve_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from onrecord.extract import Extractor
    from onrecord.store import AddResult, BatchStep, Store

log = logging.getLogger(__name__)

Outcome = ExtractedArticle | IngestError
TIMEOUT_FIX = "Split or fix the item, or raise ONRECORD_ITEM_TIMEOUT_S."
# Measured on one-line and many-paragraph texts: a 255,000-character article parsed whole
# peaks at 1.05 GB and takes twice as long as in pieces of 20,000 characters.
PARSE_PIECE_CHARS: Final = 20_000
FLAG_UNSUPPORTED = "unsupported_language"
BODY_FLAGS = ("empty_body", "tiny_body")


# Derived data kept up to date per batch outside its transaction (positions): called after
# each batch commits, with the store and what the batch added.
AfterBatch = Callable[["Store", "AddResult"], None]


def _timed_out(source: str, seconds: float, stage: str) -> IngestError:
    return IngestError(source, f"{stage} took longer than {seconds:g} s", TIMEOUT_FIX)


@dataclass(slots=True)
class RunSummary:
    """Counts of one run, for the closing line and the exit code.

    ``quotes`` counts the statements of the articles this run added to the store.
    """

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
    if isinstance(exc, RecursionError):
        return IngestError(source, f"{stage} failed: the item is nested too deeply", TIMEOUT_FIX)
    if isinstance(exc, MemoryError):
        return IngestError(source, f"{stage} ran out of memory", "Split the item or lower --jobs.")
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
            article = limited(
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
            if isinstance(doc, IngestError):
                yield doc
                continue
            if doc is None:
                log.warning("parsing %s ran past %g s", article.source, limit)
                yield _timed_out(article.source, limit, "parsing")
                continue
            try:
                quotes = limited(limit, _resolve_one, article, doc, extractor)
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
) -> Iterator[tuple[Article, Doc | IngestError | None]]:
    # Short articles are parsed as one batch (spaCy is fastest that way); a batch over its
    # limit, or one that fails, is parsed again one article at a time, so that only the bad
    # article is lost. Long ones are parsed alone, in pieces, and never again.
    short = [a for a in articles if len(a.text) <= PARSE_PIECE_CHARS]
    docs: dict[int, Doc | IngestError | None] = {}
    if short:
        try:
            batch = limited(limit_s * len(short), _parse_batch, extractor, short)
        except Exception as exc:  # one odd article must not cost the batch: see below
            log.warning("a batch of %d articles failed to parse (%s); one by one", len(short), exc)
            batch = None
        else:
            if batch is None:
                log.warning(
                    "a batch of %d articles ran past its time limit; one by one", len(short)
                )
        if batch is not None:
            docs.update((id(a), doc) for a, doc in zip(short, batch, strict=True))
    for article in articles:
        if id(article) not in docs:
            docs[id(article)] = _parse_alone(article, extractor, limit_s)
        yield article, docs.pop(id(article))


def _parse_batch(extractor: Extractor, articles: list[Article]) -> list[Doc]:
    return list(extractor.nlp.pipe(a.text for a in articles))


def _parse_alone(
    article: Article, extractor: Extractor, limit_s: float
) -> Doc | IngestError | None:
    try:
        return limited(limit_s, _parse_in_pieces, extractor, article.text)
    except Exception as exc:  # see _unexpected
        return _unexpected(article.source, "parsing", exc)


def _parse_in_pieces(extractor: Extractor, text: str) -> Doc:
    from spacy.tokens import Doc

    pieces = text_pieces(text, PARSE_PIECE_CHARS)
    if len(pieces) == 1:
        return extractor.nlp(text)
    # One piece at a time, so that the parser holds one piece's worth of memory; joined
    # without added spaces, so the Doc's text is the article's text exactly.
    docs = list(extractor.nlp.pipe(pieces, batch_size=1))
    return Doc.from_docs(docs, ensure_whitespace=False)


def text_pieces(text: str, size: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``size`` characters that join back into it.

    Each cut falls after the last line break in the second half of a piece, else after the
    last space there, else at ``size``.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", start + size // 2, end)
        if cut < 0:
            cut = text.rfind(" ", start + size // 2, end)
        stop = cut + 1 if cut >= 0 else end
        pieces.append(text[start:stop])
        start = stop
    pieces.append(text[start:])
    return pieces


def extract_paths(
    paths: Sequence[str],
    extractor: Extractor,
    settings: Settings,
    *,
    is_cleaning: bool = True,
    stdin: TextIO | None = None,
) -> Iterator[Outcome]:
    """Read, clean and extract every article under ``paths`` (``-`` is stdin)."""
    items = read_inputs(
        paths, stdin=stdin, max_bytes=settings.max_bytes, timeout_s=settings.item_timeout_s
    )
    return extract_articles(items, extractor, settings, is_cleaning=is_cleaning)


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
    outcomes: Iterable[Outcome],
    store: Store,
    batch_size: int,
    *,
    run_id: str | None = None,
    on_error: Callable[[IngestError], None] | None = None,
    after_batch: Sequence[AfterBatch] = (),
    steps: Sequence[BatchStep] | None = None,
) -> RunSummary:
    """Add extracted articles to ``store`` in batched transactions, counting bad items.

    Articles already in the store (same content hash) are counted as skipped. Every bad item
    is also written to the store's ``rejects`` table under the run's id (see
    ``Store.rejects``), each batch's errors as that batch is flushed; an article the store
    cannot write becomes an ``IngestError`` like any other bad item. When ``outcomes`` breaks
    off with an exception, what was read before it is stored and recorded first.

    Args:
        outcomes: the stream from ``extract_paths`` or ``extract_articles``.
        store: the open store to write to.
        batch_size: articles per transaction.
        run_id: names the run in the rejects table; a fresh one when not given.
        on_error: called with each bad item as soon as it is met (the CLI prints it), so that
            no error line waits for the end of the run.
        after_batch: steps run after each batch commits (``onrecord.positions.PositionsStep``);
            a step that fails is logged and the run goes on.
        steps: derived data written inside each batch's transaction; ``None`` for
            ``onrecord.derive.standard_steps()`` (quotations, stories, quote fidelity), ``()``
            for none (a bulk load rebuilt afterwards with ``onrecord.derive.reindex_stories``).

    Returns:
        Counts of ingested, skipped and failed items, the statements added, every error, and
        the run id.
    """
    summary = RunSummary(run_id=run_id or new_run_id())
    batch_steps = standard_steps() if steps is None else tuple(steps)
    unrecorded: list[IngestError] = []
    pending: list[ExtractedArticle] = []

    def fail(error: IngestError) -> None:
        summary.failed += 1
        summary.errors.append(error)
        unrecorded.append(error)
        if on_error is not None:
            on_error(error)

    def flush() -> None:
        result = store.add_articles(pending, batch_size=batch_size, steps=batch_steps)
        summary.ingested += result.added
        summary.skipped += result.skipped_duplicates
        summary.quotes += result.quotes
        for source, reason in result.failures:
            fail(IngestError(source, reason, "Fix the item, or report it with the server log."))
        pending.clear()
        run_after_batch(after_batch, store, result)
        store.record_rejects(summary.run_id, unrecorded)
        unrecorded.clear()

    try:
        for outcome in outcomes:
            if isinstance(outcome, IngestError):
                fail(outcome)
                continue
            summary.unsupported_language += FLAG_UNSUPPORTED in outcome.article.flags
            warning = _body_warning(outcome.article)
            if warning is not None:
                summary.warned += 1
                unrecorded.append(warning)
            pending.append(outcome)
            if len(pending) >= batch_size:
                flush()
    except BaseException as exc:
        # Interrupted (Ctrl-C, a worker process killed): keep what was read before, unless
        # the store itself is what failed.
        if (pending or unrecorded) and not isinstance(exc, StoreError):
            log.warning("the run broke off; storing the %d articles read before", len(pending))
            flush()
        raise
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


def run_after_batch(steps: Sequence[AfterBatch], store: Store, result: AddResult) -> None:
    """Run the after-batch steps; one that fails costs its derived data, not the articles."""
    for step in steps:
        try:
            step(store, result)
        except (OnrecordError, ValueError) as exc:
            log.warning("after-batch step %s failed: %s", type(step).__name__, exc)


def _body_warning(article: Article) -> KeptWithWarning | None:
    flags = [flag for flag in BODY_FLAGS if flag in article.flags]
    if not flags:
        return None
    return KeptWithWarning(
        article.source,
        f"kept, but {ARTICLE_FLAGS[flags[0]]} ({flags[0]})",
        "Check the page, or give the article as text.",
    )
