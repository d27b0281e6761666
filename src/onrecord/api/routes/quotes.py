"""``/api/quotes/{id}`` and ``/api/quotations``: statements, and each one across outlets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from onrecord.api._deps import StoreDep
from onrecord.api._export import listing_response
from onrecord.api._params import MAX_COUNT, Paging, RowId, paging_of
from onrecord.api._service import (
    find_quote,
    iter_pages,
    quotation_of,
    quotations_page,
    story_id_of,
)
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
    paging: Annotated[Paging, Depends(paging_of(50, 200))],
    speaker: Annotated[str | None, Query(description="any spelling of a speaker's name")] = None,
    min_occurrences: Annotated[
        int, Query(ge=1, le=MAX_COUNT, description="fewest occurrences")
    ] = 2,
) -> Response:
    """Statements carried by several articles, most carried first (``format=csv``)."""
    page = quotations_page(store, speaker, min_occurrences, paging)
    rows = (
        quotation_summary_out(q)
        for q in iter_pages(
            lambda limit, offset: store.quotations(
                speaker=speaker, min_occurrences=min_occurrences, limit=limit, offset=offset
            )
        )
    )
    return listing_response(paging, page, "quotations", rows, name="quotations")


@router.get("/quotations/{quotation_id}", response_model=QuotationOut, responses=ERRORS)
def quotation(quotation_id: RowId, store: StoreDep) -> QuotationOut:
    """One quotation: occurrences oldest first, wordings, and where it was first reported."""
    return quotation_out(store.quotation(quotation_id))
