"""``/stories`` and ``/stories/{id}``: articles about one event, first report first."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord.api._deps import StoreDep
from onrecord.api._params import Offset, RowId
from onrecord.web._templates import TEMPLATES

router = APIRouter(include_in_schema=False)

PAGE_SIZE: Final = 50


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request, store: StoreDep, offset: Offset = 0) -> Response:
    """Stories carried by more than one article, largest first, and the most carried quotes."""
    found = store.stories(limit=PAGE_SIZE + 1, offset=offset)
    return TEMPLATES.TemplateResponse(
        request,
        "stories.html",
        {
            "stories": found[:PAGE_SIZE],
            "next_offset": offset + PAGE_SIZE if len(found) > PAGE_SIZE else None,
            "quotations": store.quotations(limit=20) if offset == 0 else [],
            "title": "Stories",
        },
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(story_id: RowId, request: Request, store: StoreDep) -> Response:
    """A story: its first report, the articles that followed and the quotes they share."""
    found = store.story(story_id)
    shared = [store.quotation(q).summary for q in found.quotation_ids]
    return TEMPLATES.TemplateResponse(
        request,
        "story.html",
        {
            "story": found,
            "quotations": shared,
            "title": found.summary.first_title or f"Story {story_id}",
        },
    )
