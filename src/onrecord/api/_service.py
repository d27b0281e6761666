"""What the routes ask of the library, in one place: search pages, look-ups, positions, writes.

Input: an open ``Store`` and request values. Output: store records (``QuoteHit``...) and the
positions index. Routes in ``api/`` and pages in ``web/`` both call these functions, so the
two stay in step and neither speaks SQL.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Final

from onrecord.config import Settings
from onrecord.errors import IngestError, NotFound
from onrecord.models import ExtractedArticle, RawDocument
from onrecord.store import AddResult, QuoteHit, Store
from onrecord.stories import Quotation

if TYPE_CHECKING:
    from onrecord.extract import Extractor
    from onrecord.pipeline import AfterBatch

log = logging.getLogger(__name__)

# Matches counted for totals and facets; past this the total is reported as unknown.
COUNT_CAP: Final = 1000
MAX_LIMIT: Final = 200


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


class ArticleWriter:
    """Runs the pipeline on posted articles with the server's settings (outlets, confidence
    threshold) and its after-batch steps (positions); the extractor loads on first use."""

    def __init__(
        self,
        settings: Settings,
        load: Callable[[], Extractor] | None = None,
        after_batch: Sequence[AfterBatch] = (),
    ) -> None:
        self._settings = settings
        self._after_batch = tuple(after_batch)
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
        result = store.add_articles([item])
        if result.failed:
            raise IngestError(raw.source, "the article could not be stored (see server log)")
        run_after_batch(self._after_batch, store, result)
        return item, result
