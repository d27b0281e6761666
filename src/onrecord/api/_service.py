"""What the routes ask of the library, in one place: search pages, look-ups, positions, writes.

Input: an open ``Store`` and request values. Output: store records (``QuoteHit``...) and the
positions index. Routes in ``api/`` and pages in ``web/`` both call these functions, so the
two stay in step and neither speaks SQL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from onrecord.api._errors import BusyError
from onrecord.api.schemas import QuotationListOut, quotation_summary_out
from onrecord.config import Settings
from onrecord.errors import IngestError, NotFound, OnrecordError
from onrecord.models import ExtractedArticle, RawDocument
from onrecord.store import AddResult, Facets, QuoteFilter, QuoteHit, Store
from onrecord.stories import Quotation

if TYPE_CHECKING:
    from onrecord.api._params import Paging, SearchRequest
    from onrecord.extract import Extractor
    from onrecord.positions import Position, PositionsIndex, Shift

log = logging.getLogger(__name__)
T = TypeVar("T")

# What a request is told to wait for before positions computed for the first time are ready.
FIRST_POSITIONS_RETRY_S: Final = 10
# Totals are exact up to here; facets count up to FACET_SAMPLE matches, labelled as a sample.
COUNT_CAP: Final = 100_000
FACET_SAMPLE: Final = 2_000
DROP_CAP: Final = 10_000
MAX_LIMIT: Final = 200
EXPORT_BATCH: Final = 1_000
# Search parameters that narrow the result, and the QuoteFilter field each one sets.
FILTER_FIELDS: Final = {
    "q": "text",
    "speaker": "speaker",
    "outlet": "outlet",
    "kind": "kind",
    "since": "since",
    "until": "until",
}

PositionsProvider = Callable[[Store], "PositionsIndex | None"]


@dataclass(frozen=True, slots=True)
class Dropped:
    """What removing one filter of an empty search would find."""

    parameter: str
    value: str
    total: int


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of hits with the exact total, facet counts and, when empty, the way out."""

    hits: list[QuoteHit]
    total: int | None
    limit: int
    offset: int
    next_offset: int | None
    facets: Facets
    notes: tuple[str, ...] = ()
    dropped: tuple[Dropped, ...] = ()


def active_filters(spec: QuoteFilter) -> dict[str, str]:
    """The search parameters a filter sets, by name, as they go in a URL."""
    found: dict[str, str] = {}
    for parameter, name in FILTER_FIELDS.items():
        value = getattr(spec, name)
        if value is not None:
            found[parameter] = value.isoformat() if isinstance(value, date) else str(value)
    return found


def search_page(store: Store, request: SearchRequest) -> SearchPage:
    """Run a search and cut one page from it, with the total and facets of all matches.

    Args:
        store: The open store.
        request: The validated search (``onrecord.api._params.read_search``).

    Returns:
        The page; ``total`` is ``None`` when more than ``COUNT_CAP`` quotes match.

    Raises:
        BadQuery: Malformed raw full-text syntax.
    """
    spec, paging = request.spec, request.paging
    hits = store.find(spec, limit=paging.limit + 1, offset=paging.offset)
    total = store.count(spec, cap=COUNT_CAP + 1)
    dropped: list[Dropped] = []
    if total == 0:
        for parameter, value in active_filters(spec).items():
            # Any: one of QuoteFilter's optional fields, chosen by name.
            cleared: dict[str, Any] = {FILTER_FIELDS[parameter]: None}
            wider = replace(spec, **cleared)
            dropped.append(Dropped(parameter, value, store.count(wider, cap=DROP_CAP)))
    return SearchPage(
        hits=hits[: paging.limit],
        total=None if total > COUNT_CAP else total,
        limit=paging.limit,
        offset=paging.offset,
        next_offset=paging.offset + paging.limit if len(hits) > paging.limit else None,
        facets=store.facets(spec, sample=FACET_SAMPLE),
        notes=request.notes,
        dropped=tuple(dropped),
    )


def iter_search(store: Store, spec: QuoteFilter) -> Iterator[QuoteHit]:
    """Every match of a search, in its order, streamed from one query (for exports)."""
    return store.iter_find(spec)


def quotations_page(
    store: Store, speaker: str | None, min_occurrences: int, paging: Paging
) -> QuotationListOut:
    """One page of quotations carried at least ``min_occurrences`` times, most first."""
    limit, offset = paging.limit, paging.offset
    found = store.quotations(
        speaker=speaker, min_occurrences=min_occurrences, limit=limit + 1, offset=offset
    )
    return QuotationListOut(
        quotations=[quotation_summary_out(q) for q in found[:limit]],
        next_offset=offset + limit if len(found) > limit else None,
    )


def find_quote(store: Store, quote_id: int) -> QuoteHit:
    """The stored quote with this id.

    Raises:
        NotFound: No quote has this id.
    """
    return store.quote(quote_id)


def article_hits(store: Store, article_id: str) -> list[QuoteHit]:
    """The stored quote rows of one article, in text order."""
    return store.article_quotes(article_id)


def quotation_of(store: Store, quote_id: int) -> Quotation | None:
    """The quotation a stored quote belongs to (all its occurrences and origin), if any."""
    try:
        return store.quotation(store.quotation_of_quote(quote_id))
    except NotFound:
        return None


def story_id_of(store: Store, article_id: str) -> int | None:
    """The story an article belongs to, or ``None`` when it is in none."""
    try:
        return store.story_of(article_id)
    except NotFound:
        return None


class PositionsCache:
    """Positions of the store, computed in a background thread and shared by all requests.

    Positions are whole-store work (minutes on a large store), so no request ever runs it or
    waits on it: a request gets the last result, and when the store's row counts differ from
    the ones that result was computed at, one recomputation starts in a thread of its own,
    with its own store connection. To leave the server most of its time, a recomputation
    starts no sooner after the previous one ended than that one took. Only before the very
    first result exists does a request wait, at most ``wait_s``, and then it gets
    ``BusyError`` (503 with ``Retry-After``).
    """

    def __init__(
        self,
        provider: PositionsProvider,
        db_path: Path | str,
        *,
        wait_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._provider = provider
        self._db_path = db_path
        self._wait_s = wait_s
        self._clock = clock
        # Guards the fields below; never held while positions are computed.
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._key: tuple[int, ...] | None = None
        self._value: PositionsIndex | None = None
        self._next_start = 0.0

    def get(self, store: Store) -> PositionsIndex | None:
        """The latest positions index, or ``None`` when positions are unavailable.

        Raises:
            BusyError: The first computation has not finished within ``wait_s``.
        """
        self._refresh(store)
        if not self._ready.wait(self._wait_s):
            raise BusyError(
                "positions are being computed for the first time", FIRST_POSITIONS_RETRY_S
            )
        with self._lock:
            return self._value

    def latest(self, store: Store) -> PositionsIndex | None:
        """The latest positions index without waiting: ``None`` also before the first one."""
        self._refresh(store)
        with self._lock:
            return self._value

    def settle(self, timeout_s: float) -> bool:
        """Wait until no computation runs (for tests and benchmarks); False on timeout."""
        return self._idle.wait(timeout_s)

    def _refresh(self, store: Store) -> None:
        stats = store.stats()
        key = (stats["articles"], stats["quotes"], stats["speakers"])
        with self._lock:
            if key == self._key or not self._idle.is_set() or self._clock() < self._next_start:
                return
            self._idle.clear()
        thread = threading.Thread(
            target=self._compute, args=(key,), name="onrecord-positions", daemon=True
        )
        thread.start()

    def _compute(self, key: tuple[int, ...]) -> None:
        started = self._clock()
        value: PositionsIndex | None = None
        try:
            with Store.open(self._db_path) as store:
                value = self._provider(store)
        except Exception:  # a failed refresh keeps the last result; the log has the cause
            log.exception("positions could not be computed; keeping the last result")
            with self._lock:
                value = self._value
        ended = self._clock()
        with self._lock:
            self._key = key
            self._value = value
            self._next_start = ended + (ended - started)
        self._ready.set()
        self._idle.set()
        log.info("positions computed in %.1f s", ended - started)


def default_positions_provider(catalogue_path: Path | None) -> PositionsProvider:
    """A provider running ``onrecord.positions.compute_positions``; ``None`` when unavailable.

    Args:
        catalogue_path: Issue catalogue; ``None`` lets positions discover issues.
    """

    def provide(store: Store) -> PositionsIndex | None:
        try:
            # Imported here: positions is an optional layer with models of its own.
            from onrecord.positions import compute_positions
        except ImportError:
            log.info("positions layer not installed; actor pages plot statements")
            return None
        try:
            return compute_positions(store, catalogue_path)
        except OnrecordError as exc:
            log.warning("positions unavailable: %s", exc)
            return None

    return provide


def no_positions(store: Store) -> PositionsIndex | None:
    """A provider for servers (and tests) that do without positions."""
    del store
    return None


class ArticleWriter:
    """Runs the pipeline on posted articles; the extractor loads on first use."""

    def __init__(self, load: Callable[[], Extractor] | None = None) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._extractor: Extractor | None = None

    def _get(self) -> Extractor:
        if self._extractor is None:
            if self._load is None:
                # Imported here: loading spaCy is slow and only writes need it.
                from onrecord.extract import load_extractor

                self._load = load_extractor
            self._extractor = self._load()
        return self._extractor

    def extract(self, raw: RawDocument) -> ExtractedArticle:
        """Clean, parse and resolve one posted article.

        Raises:
            IngestError: The input holds no usable article.
        """
        # Imported here: the pipeline pulls in spaCy.
        from onrecord.pipeline import extract_articles

        with self._lock:
            extractor = self._get()
            for outcome in extract_articles([raw], extractor, Settings()):
                if isinstance(outcome, IngestError):
                    raise outcome
                return outcome
        raise IngestError(raw.source, "no article found in the request body")

    def write(self, store: Store, raw: RawDocument) -> tuple[ExtractedArticle, AddResult]:
        """Extract one article and add it to the store.

        Raises:
            IngestError: The input holds no usable article, or it could not be stored.
        """
        item = self.extract(raw)
        result = store.add_articles([item])
        if result.failed:
            raise IngestError(raw.source, "the article could not be stored (see server log)")
        return item, result


def actor_positions(index: PositionsIndex, name: str) -> list[Position]:
    """A speaker's positions (as speaker, or as the body they speak for), oldest first."""
    wanted = name.casefold()
    found = [
        p for p in index.positions if p.speaker.casefold() == wanted or p.actor.casefold() == wanted
    ]
    return sorted(found, key=lambda p: (p.published is None, p.published or date.max, p.start))


def actor_shifts(index: PositionsIndex, name: str) -> list[Shift]:
    """Shifts of a speaker, or of the body they speak for."""
    wanted = name.casefold()
    return [
        s
        for s in index.shifts
        if s.actor.casefold() == wanted
        or s.after.speaker.casefold() == wanted
        or s.before.speaker.casefold() == wanted
    ]


def iter_pages(fetch: Callable[[int, int], list[T]]) -> Iterator[T]:
    """Every row of a paged listing: ``fetch(limit, offset)`` a batch at a time."""
    offset = 0
    while True:
        batch = fetch(EXPORT_BATCH, offset)
        yield from batch
        if len(batch) < EXPORT_BATCH:
            return
        offset += EXPORT_BATCH
