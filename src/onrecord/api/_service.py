"""What the routes ask of the library, in one place: search pages, look-ups, positions, writes.

Input: an open ``Store`` and request values. Output: store records (``QuoteHit``...) and the
positions index. Routes in ``api/`` and pages in ``web/`` both call these functions, so the
two stay in step and neither speaks SQL.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Final, TypeVar

from onrecord.api.schemas import QuotationListOut, quotation_summary_out
from onrecord.config import Settings
from onrecord.derive import standard_steps
from onrecord.errors import IngestError, NotFound
from onrecord.models import ExtractedArticle, RawDocument
from onrecord.store import AddResult, Facets, QuoteFilter, QuoteHit, Store
from onrecord.stories import Quotation

if TYPE_CHECKING:
    from onrecord.api._params import Paging, SearchRequest
    from onrecord.extract import Extractor
    from onrecord.pipeline import AfterBatch

log = logging.getLogger(__name__)
T = TypeVar("T")

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
    "altered": "is_altered",
}
# What each filter field is when the search does not set it (any: QuoteFilter's mixed types).
FILTER_DEFAULTS: Final[dict[str, Any]] = {f.name: f.default for f in fields(QuoteFilter)}


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
        if value != FILTER_DEFAULTS[name]:
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
            name = FILTER_FIELDS[parameter]
            cleared: dict[str, Any] = {name: FILTER_DEFAULTS[name]}
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


class ArticleWriter:
    """Runs the pipeline on posted articles with the server's settings (outlets, confidence
    threshold), the standard derived data (``onrecord.derive.standard_steps``) and its
    after-batch steps (positions); the extractor loads on first use."""

    def __init__(
        self,
        settings: Settings,
        load: Callable[[], Extractor] | None = None,
        after_batch: Sequence[AfterBatch] = (),
    ) -> None:
        self._settings = settings
        self._after_batch = tuple(after_batch)
        self._steps = standard_steps()
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
            for outcome in extract_articles([raw], extractor, self._settings):
                if isinstance(outcome, IngestError):
                    raise outcome
                return outcome
        raise IngestError(raw.source, "no article found in the request body")

    def write(self, store: Store, raw: RawDocument) -> tuple[ExtractedArticle, AddResult]:
        """Extract one article and add it to the store.

        Raises:
            IngestError: The input holds no usable article, or it could not be stored.
        """
        # Imported here: the pipeline pulls in spaCy.
        from onrecord.pipeline import run_after_batch

        item = self.extract(raw)
        result = store.add_articles([item], steps=self._steps)
        if result.failed:
            raise IngestError(raw.source, "the article could not be stored (see server log)")
        run_after_batch(self._after_batch, store, result)
        return item, result


def iter_pages(fetch: Callable[[int, int], list[T]]) -> Iterator[T]:
    """Every row of a paged listing: ``fetch(limit, offset)`` a batch at a time."""
    offset = 0
    while True:
        batch = fetch(EXPORT_BATCH, offset)
        yield from batch
        if len(batch) < EXPORT_BATCH:
            return
        offset += EXPORT_BATCH
