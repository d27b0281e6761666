"""``/stories`` and ``/stories/{id}``: articles about one event, first report first."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord.api._deps import StoreDep
from onrecord.api._export import listing_response
from onrecord.api._params import RowId, read_paging
from onrecord.api._service import iter_pages
from onrecord.api.schemas import StoryListOut, story_out, story_summary_out
from onrecord.web._listing import exports, pager
from onrecord.web._templates import TEMPLATES

router = APIRouter(include_in_schema=False)

PAGE_SIZE: Final = 50
MAX_PAGE: Final = 200


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request, store: StoreDep) -> Response:
    """Stories carried by more than one article, largest first, and the most carried quotes."""
    paging = read_paging(request.query_params, default_limit=PAGE_SIZE, max_limit=MAX_PAGE)
    limit, offset = paging.limit, paging.offset
    found = store.stories(limit=limit + 1, offset=offset)
    if paging.format != "html":
        page = StoryListOut(
            stories=[story_summary_out(s) for s in found[:limit]],
            next_offset=offset + limit if len(found) > limit else None,
        )
        rows = (
            story_summary_out(s)
            for s in iter_pages(lambda n, skip: store.stories(limit=n, offset=skip))
        )
        return listing_response(paging, page, "stories", rows, name="stories")
    query = request.query_params
    return TEMPLATES.TemplateResponse(
        request,
        "stories.html",
        {
            "stories": found[:limit],
            "pager": pager(
                "/stories",
                query,
                offset,
                limit,
                len(found[:limit]),
                store.story_count(),
                len(found) > limit,
            ),
            "exports": exports("/stories", "/api/stories", query, limit),
            "quotations": store.quotations(limit=20) if offset == 0 else [],
            "title": "Stories",
        },
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(story_id: RowId, request: Request, store: StoreDep) -> Response:
    """A story: its first report, the articles that followed and the quotes they share."""
    paging = read_paging(request.query_params, default_limit=PAGE_SIZE, max_limit=MAX_PAGE)
    found = store.story(story_id)
    shared = [store.quotation(q).summary for q in found.quotation_ids]
    if paging.format != "html":
        page = story_out(found, shared)
        return listing_response(paging, page, "articles", page.articles, name=f"story-{story_id}")
    path = f"/stories/{story_id}"
    return TEMPLATES.TemplateResponse(
        request,
        "story.html",
        {
            "story": found,
            "quotations": shared,
            "exports": exports(path, f"/api{path}", request.query_params),
            "title": found.summary.first_title or f"Story {story_id}",
        },
    )
