"""Extraction spread over worker processes: RawDocument stream -> ExtractedArticle stream.

Each worker builds the extractor once (``create_extractor``, by registry name) and then runs
``pipeline.extract_articles`` on chunks of ``Settings.batch_size`` input items. The parent
reads the input lazily and keeps at most ``jobs * CHUNKS_PER_JOB`` chunks in flight, so memory
stays flat however long the stream is. Every input item gives exactly one outcome, and the
outcomes come back in input order (unlike ``extract_articles``, which puts a batch's errors
first), so ``--jobs N`` gives the same output as ``--jobs 1``.

Errors cross the process boundary as plain values: ``IngestError`` takes more arguments than
the message pickle would hand back, so workers send (class, item, reason, message) and the
parent rebuilds the error.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING, Final

from onrecord.config import Settings
from onrecord.errors import ConfigError, ExtractError, IngestError, OnrecordError
from onrecord.extract import EXTRACTOR_NAME
from onrecord.models import ExtractedArticle, RawDocument
from onrecord.pipeline import extract_articles

if TYPE_CHECKING:
    from onrecord.extract import Extractor

log = logging.getLogger(__name__)

CHUNKS_PER_JOB: Final = 2
# spaCy parses a chunk in batches of this many articles: measured on 300-word articles, 16
# and 64 run at the same speed, but a process peaks at 380 MB with 16 and 640 MB with 64.
PARSE_BATCH: Final = 16
# spawn, not fork: the parent may hold threads (progress bars, SQLite) that fork would copy
# in a locked state, and a fresh interpreter loads the model exactly once per worker.
START_METHOD: Final = "spawn"

Item = RawDocument | IngestError
Outcome = ExtractedArticle | IngestError


@dataclass(frozen=True, slots=True)
class _SentError:
    kind: type[IngestError]
    item: str
    reason: str
    message: str


_Wire = ExtractedArticle | _SentError


def _pack(error: IngestError) -> _SentError:
    return _SentError(type(error), error.item, error.reason, str(error))


def _unpack(sent: _SentError) -> IngestError:
    error = sent.kind.__new__(sent.kind)
    Exception.__init__(error, sent.message)
    error.item = sent.item
    error.reason = sent.reason
    return error


def _to_wire(item: Item) -> RawDocument | _SentError:
    return _pack(item) if isinstance(item, IngestError) else item


def _from_wire(item: RawDocument | _SentError) -> Item:
    return _unpack(item) if isinstance(item, _SentError) else item


# One extractor per worker process, loaded by the pool initializer: module state is the only
# place a process pool lets a worker keep a loaded model between tasks. A load failure is kept
# and raised by the first task, so it reaches the parent as the error it is.
_worker_extractor: list[Extractor] = []
_worker_failure: list[OnrecordError] = []


def _load_worker(extractor_name: str) -> None:
    from onrecord.extract import create_extractor

    try:
        _worker_extractor.append(create_extractor(extractor_name))
    except OnrecordError as exc:
        _worker_failure.append(exc)
        return
    log.debug("worker loaded the extractor")


def _extract_chunk(
    chunk: list[RawDocument | _SentError], settings: Settings, is_cleaning: bool
) -> list[_Wire]:
    if _worker_failure:
        raise _worker_failure[0]
    items = [_from_wire(item) for item in chunk]
    outcomes = _extract_in_order(items, _worker_extractor[0], settings, is_cleaning)
    return [_pack(o) if isinstance(o, IngestError) else o for o in outcomes]


def _source(item: Item) -> str:
    return item.item if isinstance(item, IngestError) else item.source


def _extract_in_order(
    items: list[Item], extractor: Extractor, settings: Settings, is_cleaning: bool
) -> list[Outcome]:
    # extract_articles yields one outcome per input item but puts a batch's errors first;
    # matching sources puts each outcome back at its item's place. Two items with the same
    # source may swap, which no reader of the output can tell apart.
    parse = replace(settings, batch_size=min(settings.batch_size, PARSE_BATCH))
    outcomes = list(extract_articles(items, extractor, parse, is_cleaning=is_cleaning))
    errors = deque(o for o in outcomes if isinstance(o, IngestError))
    articles = deque(o for o in outcomes if not isinstance(o, IngestError))
    ordered: list[Outcome] = []
    for item in items:
        source = _source(item)
        if errors and errors[0].item == source:
            ordered.append(errors.popleft())
        elif articles and articles[0].article.source == source:
            ordered.append(articles.popleft())
    ordered.extend(errors)
    ordered.extend(articles)
    return ordered


def parallel_extract(
    items: Iterable[Item],
    settings: Settings,
    jobs: int,
    is_cleaning: bool = True,
    extractor_name: str | None = None,
) -> Iterator[Outcome]:
    """Clean, parse, extract and resolve a stream of raw documents in ``jobs`` processes.

    Args:
        items: Raw documents and read errors, e.g. from ``read_inputs``; read lazily.
        settings: Batch size (the chunk size), length limit and confidence threshold.
        jobs: Worker processes; 1 runs in this process without a pool.
        is_cleaning: Remove page junk; when false the text is kept exactly as read.
        extractor_name: Registry name of the extractor each process builds; the default
            extractor when ``None``.

    Yields:
        One ``ExtractedArticle`` or ``IngestError`` per input item, in input order.

    Raises:
        ConfigError: ``jobs`` is below 1, or no extractor is registered under
            ``extractor_name``.
        ExtractError: The extractor cannot be loaded (in this process or a worker).
    """
    if jobs < 1:
        raise ConfigError(f"[{ConfigError.code}] --jobs must be at least 1, got {jobs}.")
    name = extractor_name or EXTRACTOR_NAME
    if jobs == 1:
        from onrecord.extract import create_extractor

        extractor = create_extractor(name)
        iterator = iter(items)
        while chunk := list(islice(iterator, settings.batch_size)):
            yield from _extract_in_order(chunk, extractor, settings, is_cleaning)
        return
    context = multiprocessing.get_context(START_METHOD)
    iterator = iter(items)
    in_flight: deque[Future[list[_Wire]]] = deque()
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_load_worker, initargs=(name,)
    )

    def submit() -> bool:
        chunk = [_to_wire(item) for item in islice(iterator, settings.batch_size)]
        if not chunk:
            return False
        in_flight.append(pool.submit(_extract_chunk, chunk, settings, is_cleaning))
        return True

    try:
        is_reading = True
        while is_reading and len(in_flight) < jobs * CHUNKS_PER_JOB:
            is_reading = submit()
        while in_flight:
            try:
                done = in_flight.popleft().result()
            except BrokenProcessPool as exc:
                raise ExtractError(
                    f"[{ExtractError.code}] a worker process died ({exc}); the machine may be "
                    "out of memory. Run with fewer --jobs or a smaller ONRECORD_BATCH_SIZE."
                ) from exc
            if is_reading:
                is_reading = submit()
            for outcome in done:
                yield _unpack(outcome) if isinstance(outcome, _SentError) else outcome
    finally:
        # Also reached when the consumer stops early: queued chunks are dropped, not run.
        pool.shutdown(wait=True, cancel_futures=True)
    log.info("extracted with %d worker processes", jobs)
