"""``GET /api/quotes/{id}``: one statement with speaker, article, relay chain, occurrences."""

from __future__ import annotations

from fastapi import APIRouter

from onrecord.api._deps import StoreDep
from onrecord.api._service import find_quote, occurrences
from onrecord.api.routes._common import ERRORS
from onrecord.api.schemas import QuoteDetailOut, quote_detail_out

router = APIRouter(tags=["quotes"])


@router.get("/quotes/{quote_id}", response_model=QuoteDetailOut, responses=ERRORS)
def quote(quote_id: int, store: StoreDep) -> QuoteDetailOut:
    """A statement, where it appeared (first source first) and who relayed it (``via``)."""
    hit = find_quote(store, quote_id)
    return quote_detail_out(hit, occurrences(store, hit))
