"""``/quotes/{id}``: a quotation with all its occurrences, first source and relay chain."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord.api._deps import StoreDep
from onrecord.api._service import find_quote, occurrences
from onrecord.web._templates import TEMPLATES

router = APIRouter(include_in_schema=False)


@router.get("/quotes/{quote_id}", response_class=HTMLResponse)
def quote(quote_id: int, request: Request, store: StoreDep) -> Response:
    """Who said it, where it appeared first and through whom it travelled."""
    hit = find_quote(store, quote_id)
    found = occurrences(store, hit)
    return TEMPLATES.TemplateResponse(
        request,
        "quote.html",
        {
            "hit": hit,
            "occurrences": found,
            "first": found[0] if found else hit,
            "title": f"Quote by {hit.speaker}" if hit.speaker else "Quote",
        },
    )
