"""``/quotes/{id}``: a quotation with all its occurrences, first source and relay chain.

``/quotations/{id}`` leads to the page of the quotation's first occurrence.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from onrecord.api._deps import StoreDep
from onrecord.api._params import RowId
from onrecord.api._service import find_quote, quotation_of, story_id_of
from onrecord.fidelity import KIND_LABELS
from onrecord.web._templates import TEMPLATES

router = APIRouter(include_in_schema=False)


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


@router.get("/quotations/{quotation_id}")
def quotation(quotation_id: RowId, store: StoreDep) -> Response:
    """The page of the quotation's first occurrence."""
    found = store.quotation(quotation_id)
    first = found.origin.first.quote_id or found.occurrences[0].quote_id
    return RedirectResponse(f"/quotes/{first}", status_code=303)
