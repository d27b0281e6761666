"""``/``: the search page with facets and highlighted matches."""

from __future__ import annotations

from datetime import date
from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord.api._deps import StoreDep
from onrecord.api._params import Offset
from onrecord.api._service import SearchFilters, search_page
from onrecord.web._templates import TEMPLATES

router = APIRouter(include_in_schema=False)

PAGE_SIZE: Final = 20
KINDS: Final = ("direct", "indirect", "mixed")


def _parse_date(value: str | None, name: str, problems: list[str]) -> date | None:
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        problems.append(f"'{name}' should be a date like 2026-03-20; it was ignored.")
        return None


@router.get("/", response_class=HTMLResponse)
def search(
    request: Request,
    store: StoreDep,
    q: str | None = None,
    speaker: str | None = None,
    outlet: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    altered: bool = False,
    offset: Offset = 0,
) -> Response:
    """Search statements; with no words, the newest statements."""
    problems: list[str] = []
    if kind and kind not in KINDS:
        problems.append(f"'kind' should be one of {', '.join(KINDS)}; it was ignored.")
        kind = None
    filters = SearchFilters(
        text=q,
        speaker=speaker,
        outlet=outlet,
        kind=kind,
        since=_parse_date(since, "since", problems),
        until=_parse_date(until, "until", problems),
        is_altered=altered,
    )
    page = search_page(store, filters, PAGE_SIZE, offset)
    params: dict[str, object] = {
        "q": q,
        "speaker": speaker,
        "outlet": outlet,
        "kind": kind,
        "since": filters.since.isoformat() if filters.since else None,
        "until": filters.until.isoformat() if filters.until else None,
        "altered": 1 if altered else None,
    }
    return TEMPLATES.TemplateResponse(
        request,
        "search.html",
        {
            "page": page,
            "params": params,
            "problems": problems,
            "kinds": KINDS,
            "title": f"Search: {q}" if q else "Search statements",
        },
    )
