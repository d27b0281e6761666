"""``/api/quotes/{id}`` and ``/api/quotations``: statements, and each one across outlets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from onrecord.api._deps import StoreDep
from onrecord.api._params import MAX_COUNT, Offset, RowId
from onrecord.api._service import find_quote, quotation_of, story_id_of
from onrecord.api.routes._common import ERRORS
from onrecord.api.schemas import (
    QuotationListOut,
    QuotationOut,
    QuoteDetailOut,
    quotation_out,
    quotation_summary_out,
    quote_detail_out,
)

router = APIRouter(tags=["quotes"])


@router.get("/quotes/{quote_id}", response_model=QuoteDetailOut, responses=ERRORS)
def quote(quote_id: RowId, store: StoreDep) -> QuoteDetailOut:
    """A statement, every article that carried it (first source first), its relay chain
    (``via`` as this article gives it, ``origin`` across all of them) and its story."""
    hit = find_quote(store, quote_id)
    return quote_detail_out(hit, quotation_of(store, quote_id), story_id_of(store, hit.article_id))


@router.get("/quotations", response_model=QuotationListOut, responses=ERRORS)
def quotations(
    store: StoreDep,
    speaker: Annotated[str | None, Query(description="any spelling of a speaker's name")] = None,
    min_occurrences: Annotated[
        int, Query(ge=1, le=MAX_COUNT, description="fewest occurrences")
    ] = 2,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> QuotationListOut:
    """Statements carried by several articles, most carried first."""
    found = store.quotations(
        speaker=speaker, min_occurrences=min_occurrences, limit=limit + 1, offset=offset
    )
    return QuotationListOut(
        quotations=[quotation_summary_out(q) for q in found[:limit]],
        next_offset=offset + limit if len(found) > limit else None,
    )


@router.get("/quotations/{quotation_id}", response_model=QuotationOut, responses=ERRORS)
def quotation(quotation_id: RowId, store: StoreDep) -> QuotationOut:
    """One quotation: occurrences oldest first, wordings, and where it was first reported."""
    return quotation_out(store.quotation(quotation_id))
