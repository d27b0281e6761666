"""Extraction spread over worker processes: RawDocument stream -> ExtractedArticle stream.

Each worker builds the extractor once (``create_extractor``, by registry name) and then runs
``pipeline.extract_articles`` on chunks of ``Settings.batch_size`` input items. The parent
reads the input lazily and keeps at most ``jobs * CHUNKS_PER_JOB`` chunks in flight, so memory
stays flat however long the stream is. Every input item gives exactly one outcome, and the
outcomes come back in input order (unlike ``extract_articles``, which puts a batch's errors
first), so ``--jobs N`` gives the same output as ``--jobs 1``.

The chunking, the ordering and the packing of errors for the trip between processes live in
``onrecord._chunks``, shared with the cluster backend (``onrecord.cluster``).
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TYPE_CHECKING, Final

from onrecord._chunks import (
    Item,
    Outcome,
    SentItem,
    SentOutcome,
    extract_chunk,
    extract_in_order,
    in_order,
)
from onrecord.config import Settings
from onrecord.errors import ConfigError, ExtractError, OnrecordError
from onrecord.extract import EXTRACTOR_NAME

if TYPE_CHECKING:
    from onrecord.extract import Extractor

log = logging.getLogger(__name__)

CHUNKS_PER_JOB: Final = 2
# spawn, not fork: the parent may hold threads (progress bars, SQLite) that fork would copy
# in a locked state, and a fresh interpreter loads the model exactly once per worker.
START_METHOD: Final = "spawn"


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
    chunk: list[SentItem], settings: Settings, is_cleaning: bool
) -> list[SentOutcome]:
    if _worker_failure:
        raise _worker_failure[0]
    return extract_chunk(chunk, _worker_extractor[0], settings, is_cleaning)


def _result(future: Future[list[SentOutcome]]) -> list[SentOutcome]:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise ExtractError(
            f"[{ExtractError.code}] a worker process died ({exc}); the machine may be "
            "out of memory. Run with fewer --jobs or a smaller ONRECORD_BATCH_SIZE."
        ) from exc


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
            yield from extract_in_order(chunk, extractor, settings, is_cleaning)
        return
    context = multiprocessing.get_context(START_METHOD)
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_load_worker, initargs=(name,)
    )
    try:
        yield from in_order(
            items,
            settings.batch_size,
            lambda chunk: pool.submit(_extract_chunk, chunk, settings, is_cleaning),
            _result,
            lambda: jobs * CHUNKS_PER_JOB,
        )
    finally:
        # Also reached when the consumer stops early: queued chunks are dropped, not run.
        pool.shutdown(wait=True, cancel_futures=True)
    log.info("extracted with %d worker processes", jobs)
