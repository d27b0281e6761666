"""``GET /api/search``: quotes by words and filters, paginated."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from onrecord.api._deps import StoreDep
from onrecord.api._params import Offset
from onrecord.api._service import MAX_LIMIT, SearchFilters, search_page
from onrecord.api.routes._common import ERRORS
from onrecord.api.schemas import SearchOut, quote_out

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut, responses=ERRORS)
def search(
    store: StoreDep,
    q: Annotated[str | None, Query(description="words to find (all must match)")] = None,
    speaker: Annotated[str | None, Query(description="any spelling of a speaker's name")] = None,
    outlet: Annotated[str | None, Query(description="outlet name")] = None,
    since: Annotated[date | None, Query(description="earliest published date")] = None,
    until: Annotated[date | None, Query(description="latest published date")] = None,
    kind: Annotated[str | None, Query(description="direct, indirect or mixed")] = None,
    raw: Annotated[bool, Query(description="read q as FTS5 query syntax")] = False,
    altered: Annotated[
        bool, Query(description="only altered quotations (a quote fidelity finding)")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
    offset: Offset = 0,
) -> SearchOut:
    """Find statements by words and filters, best match first (newest first without words).

    ``total`` counts all matches (``null`` beyond 1,000); ``next_offset`` is the ``offset``
    of the next page, ``null`` on the last one. With ``raw=true``, ``q`` is FTS5 syntax and a
    malformed query answers 400.
    """
    filters = SearchFilters(
        text=q,
        speaker=speaker,
        outlet=outlet,
        since=since,
        until=until,
        kind=kind,
        raw_fts=raw,
        is_altered=altered,
    )
    page = search_page(store, filters, limit, offset)
    return SearchOut(
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        next_offset=page.next_offset,
        results=[quote_out(hit) for hit in page.hits],
    )
