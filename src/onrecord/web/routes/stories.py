"""``/stories``: story clusters across outlets; a placeholder until clustering lands."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord.errors import NotFound
from onrecord.web._templates import TEMPLATES

router = APIRouter(include_in_schema=False)


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request) -> Response:
    """What stories will be, and where quotations live meanwhile."""
    return TEMPLATES.TemplateResponse(request, "stories.html", {"title": "Stories"})


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(story_id: str) -> Response:
    """A story cluster; not found until story clustering is part of onrecord."""
    raise NotFound(
        f"[{NotFound.code}] no story {story_id!r}: story clustering is not part of this "
        "onrecord yet. Each quote's page lists where it appeared."
    )
