"""``/``: the search page with facets, a date histogram, page numbers and exports."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord.api._deps import StoreDep
from onrecord.api._errors import InvalidRequestError
from onrecord.api._export import listing_response
from onrecord.api._params import read_search
from onrecord.api._service import MAX_LIMIT, iter_search, search_page
from onrecord.api.schemas import quote_out, search_out
from onrecord.store import SORTS
from onrecord.store._search import QUOTE_KINDS
from onrecord.web._listing import exports, month_bars, pager, without
from onrecord.web._templates import TEMPLATES

router = APIRouter(include_in_schema=False)

PAGE_SIZE: Final = 20
HISTOGRAM_HEIGHT: Final = 60.0
FILTER_LABELS: Final = {
    "q": "words",
    "speaker": "speaker",
    "outlet": "outlet",
    "kind": "kind",
    "since": "from",
    "until": "to",
    "altered": "altered quotations only",
}


def _form(request: Request) -> dict[str, str | None]:
    query = request.query_params
    names = ("q", "speaker", "outlet", "kind", "since", "until", "sort", "limit", "altered")
    return {name: query.get(name) for name in names}


@router.get("/", response_class=HTMLResponse)
def search(request: Request, store: StoreDep) -> Response:
    """Search statements; with no words, the newest statements."""
    context: dict[str, object] = {
        "params": _form(request),
        "kinds": QUOTE_KINDS,
        "sorts": SORTS,
        "labels": FILTER_LABELS,
    }
    try:
        found = read_search(request.query_params, default_limit=PAGE_SIZE, max_limit=MAX_LIMIT)
    except InvalidRequestError as exc:
        context.update(page=None, problems=[str(exc)], title="Search statements")
        return TEMPLATES.TemplateResponse(request, "search.html", context, status_code=422)
    page = search_page(store, found)
    if found.paging.format != "html":
        rows = (quote_out(hit) for hit in iter_search(store, found.spec))
        return listing_response(found.paging, search_out(page), "results", rows, name="search")
    query = request.query_params
    context.update(
        page=page,
        problems=[],
        pager=pager(
            "/",
            query,
            page.offset,
            page.limit,
            len(page.hits),
            page.total,
            page.next_offset is not None,
        ),
        exports=exports("/", "/api/search", query, page.limit),
        months=month_bars("/", query, page.facets.counts["month"], HISTOGRAM_HEIGHT),
        drop_urls={d.parameter: without("/", query, d.parameter) for d in page.dropped},
        title=f"Search: {found.spec.text}" if found.spec.text else "Search statements",
    )
    return TEMPLATES.TemplateResponse(request, "search.html", context)
