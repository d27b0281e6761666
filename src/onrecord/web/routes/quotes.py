"""``/quotes/{id}``: a quotation with all its occurrences, first source and relay chain.

``/quotations`` lists statements carried by several articles, most carried first;
``/quotations/{id}`` leads to the page of the quotation's first occurrence.
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from onrecord.api._deps import StoreDep
from onrecord.api._export import listing_response
from onrecord.api._params import RowId, read_paging
from onrecord.api._service import (
    find_quote,
    iter_pages,
    quotation_of,
    quotations_page,
    story_id_of,
)
from onrecord.api.schemas import quotation_summary_out
from onrecord.fidelity import KIND_LABELS
from onrecord.web._listing import exports, pager
from onrecord.web._templates import TEMPLATES

router = APIRouter(include_in_schema=False)

PAGE_SIZE: Final = 50
MAX_PAGE: Final = 200


@router.get("/quotes/{quote_id}", response_class=HTMLResponse)
def quote(quote_id: RowId, request: Request, store: StoreDep) -> Response:
    """Who said it, where it appeared first and through whom it travelled."""
    hit = find_quote(store, quote_id)
    quotation = quotation_of(store, quote_id)
    return TEMPLATES.TemplateResponse(
        request,
        "quote.html",
        {
            "hit": hit,
            "quotation": quotation,
            "fidelity": store.quotation_fidelity(quotation.summary.id) if quotation else [],
            "labels": KIND_LABELS,
            "story_id": story_id_of(store, hit.article_id),
            "title": f"Quote by {hit.speaker}" if hit.speaker else "Quote",
        },
    )


@router.get("/quotations", response_class=HTMLResponse)
def quotations(request: Request, store: StoreDep) -> Response:
    """Statements carried by more than one article, most carried first."""
    query = request.query_params
    paging = read_paging(query, default_limit=PAGE_SIZE, max_limit=MAX_PAGE)
    speaker = (query.get("speaker") or "").strip() or None
    if paging.format != "html":
        page = quotations_page(store, speaker, 2, paging)
        rows = (
            quotation_summary_out(q)
            for q in iter_pages(
                lambda n, skip: store.quotations(speaker=speaker, limit=n, offset=skip)
            )
        )
        return listing_response(paging, page, "quotations", rows, name="quotations")
    found = store.quotations(speaker=speaker, limit=paging.limit + 1, offset=paging.offset)
    return TEMPLATES.TemplateResponse(
        request,
        "quotations.html",
        {
            "quotations": found[: paging.limit],
            "speaker": speaker,
            "pager": pager(
                "/quotations",
                query,
                paging.offset,
                paging.limit,
                len(found[: paging.limit]),
                store.quotation_count(speaker=speaker),
                len(found) > paging.limit,
            ),
            "exports": exports("/quotations", "/api/quotations", query, paging.limit),
            "title": "Quotations",
        },
    )


@router.get("/quotations/{quotation_id}")
def quotation(quotation_id: RowId, store: StoreDep) -> Response:
    """The page of the quotation's first occurrence."""
    found = store.quotation(quotation_id)
    first = found.origin.first.quote_id or found.occurrences[0].quote_id
    return RedirectResponse(f"/quotes/{first}", status_code=303)
