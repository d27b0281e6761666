"""What the routes ask of the library, in one place: search pages, look-ups, positions, writes.

Input: an open ``Store`` and request values. Output: store records (``QuoteHit``...) and the
positions index. Routes in ``api/`` and pages in ``web/`` both call these functions, so the
two stay in step and neither speaks SQL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

from onrecord.api._errors import BusyError
from onrecord.config import Settings
from onrecord.errors import IngestError, NotFound, OnrecordError
from onrecord.models import ExtractedArticle, RawDocument
from onrecord.store import AddResult, QuoteHit, Store
from onrecord.stories import Quotation

if TYPE_CHECKING:
    from onrecord.extract import Extractor
    from onrecord.positions import Position, PositionsIndex, Shift

log = logging.getLogger(__name__)

# What a request is told to wait for before positions computed for the first time are ready.
FIRST_POSITIONS_RETRY_S: Final = 10
# Matches counted for totals and facets; past this the total is reported as unknown.
COUNT_CAP: Final = 1000
MAX_LIMIT: Final = 200

PositionsProvider = Callable[[Store], "PositionsIndex | None"]


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """The filters of one search, as the user gave them."""

    text: str | None = None
    speaker: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    kind: str | None = None
    raw_fts: bool = False
    is_altered: bool = False


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of hits with the total and the facet counts of all (capped) matches."""

    hits: list[QuoteHit]
    total: int | None
    limit: int
    offset: int
    next_offset: int | None
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


def search_page(store: Store, filters: SearchFilters, limit: int, offset: int) -> SearchPage:
    """Run a search and cut one page from it, with totals and facets.

    Args:
        store: The open store.
        filters: Words and filters.
        limit: Hits per page.
        offset: Hits to skip.

    Returns:
        The page; ``total`` is ``None`` when more than ``COUNT_CAP`` quotes match.

    Raises:
        BadQuery: Malformed raw FTS syntax or an unknown kind.
    """

    def run(limit: int, offset: int) -> list[QuoteHit]:
        return store.search(
            _clean(filters.text),
            speaker=_clean(filters.speaker),
            outlet=_clean(filters.outlet),
            since=filters.since,
            until=filters.until,
            kind=_clean(filters.kind),
            limit=limit,
            offset=offset,
            raw_fts=filters.raw_fts,
            is_altered=filters.is_altered,
        )

    matches = run(COUNT_CAP + 1, 0)
    is_capped = len(matches) > COUNT_CAP
    if is_capped or offset + limit > COUNT_CAP:
        hits = run(limit + 1, offset)
        has_more = len(hits) > limit
        hits = hits[:limit]
    else:
        hits = matches[offset : offset + limit]
        has_more = offset + limit < len(matches)
    counted = matches[:COUNT_CAP]
    return SearchPage(
        hits=hits,
        total=None if is_capped else len(matches),
        limit=limit,
        offset=offset,
        next_offset=offset + limit if has_more else None,
        facets=_facets(counted),
    )


def _facets(hits: Iterable[QuoteHit]) -> dict[str, list[tuple[str, int]]]:
    speakers: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for hit in hits:
        if hit.speaker:
            speakers[hit.speaker] += 1
        if hit.outlet:
            outlets[hit.outlet] += 1
        kinds[hit.kind] += 1
    return {
        "speaker": sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0])),
        "outlet": sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0])),
        "kind": sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
    }


def find_quote(store: Store, quote_id: int) -> QuoteHit:
    """The stored quote with this id.

    The store has no look-up by quote id yet, so this streams ``iter_quotes``; fine for
    corpora of tens of thousands of quotes.

    Raises:
        NotFound: No quote has this id.
    """
    for hit in store.iter_quotes():
        if hit.quote_id == quote_id:
            return hit
    raise NotFound(f"[{NotFound.code}] no quote with id {quote_id}. Find quotes with /api/search.")


def article_hits(store: Store, article_id: str) -> list[QuoteHit]:
    """The stored quote rows of one article, in text order."""
    return sorted(
        (hit for hit in store.iter_quotes() if hit.article_id == article_id),
        key=lambda h: (h.start, h.end),
    )


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
