"""``GET /api/search``: quotes by words and filters, paginated, as JSON or CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from onrecord.api._deps import StoreDep
from onrecord.api._export import listing_response
from onrecord.api._params import SearchRequest, search_of
from onrecord.api._service import MAX_LIMIT, iter_search, search_page
from onrecord.api.routes._common import ERRORS
from onrecord.api.schemas import SearchOut, quote_out, search_out

router = APIRouter(tags=["search"])

DEFAULT_LIMIT = 20


@router.get("/search", response_model=SearchOut, responses=ERRORS)
def search(
    store: StoreDep,
    request: Annotated[SearchRequest, Depends(search_of(DEFAULT_LIMIT, MAX_LIMIT))],
) -> Response:
    """Find statements by words and filters, best match first (newest first without words).

    ``q`` takes phrases in double quotes, ``OR``, ``NOT`` or ``-word``, and ``prefix*``;
    text that cannot be read that way is searched as words, with a line in ``notes``.
    ``sort`` is relevance (default), newest or oldest. ``total`` counts every match
    (``null`` beyond 100,000); ``facets`` count matches by speaker, outlet, kind and month;
    with no match, ``dropped`` says what removing each filter would find. ``format=csv``
    gives the page as CSV; ``scope=all`` streams every match. With ``raw=true``, ``q`` is
    FTS5 (tsquery on PostgreSQL) syntax and a malformed query answers 400.
    """
    page = search_page(store, request)
    rows = (quote_out(hit) for hit in iter_search(store, request.spec))
    return listing_response(request.paging, search_out(page), "results", rows, name="search")
