"""``/api/stories``: clusters of articles about one event, each with its first report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from onrecord.api._deps import StoreDep
from onrecord.api._export import listing_response
from onrecord.api._params import MAX_COUNT, Paging, RowId, paging_of
from onrecord.api._service import iter_pages
from onrecord.api.routes._common import ERRORS
from onrecord.api.schemas import StoryListOut, StoryOut, story_out, story_summary_out

router = APIRouter(tags=["stories"])


@router.get("/stories", response_model=StoryListOut, responses=ERRORS)
def stories(
    store: StoreDep,
    paging: Annotated[Paging, Depends(paging_of(50, 200))],
    min_articles: Annotated[
        int, Query(ge=1, le=MAX_COUNT, description="fewest articles in a story")
    ] = 2,
) -> Response:
    """Stories, largest first (``format=csv``, ``scope=all``)."""
    limit, offset = paging.limit, paging.offset
    found = store.stories(min_articles=min_articles, limit=limit + 1, offset=offset)
    page = StoryListOut(
        stories=[story_summary_out(s) for s in found[:limit]],
        next_offset=offset + limit if len(found) > limit else None,
    )
    rows = (
        story_summary_out(s)
        for s in iter_pages(
            lambda limit, offset: store.stories(
                min_articles=min_articles, limit=limit, offset=offset
            )
        )
    )
    return listing_response(paging, page, "stories", rows, name="stories")


@router.get("/stories/{story_id}", response_model=StoryOut, responses=ERRORS)
def story(story_id: RowId, store: StoreDep) -> StoryOut:
    """A story: its articles (first report first, with how each joined) and shared quotations."""
    found = store.story(story_id)
    shared = [store.quotation(q).summary for q in found.quotation_ids]
    return story_out(found, shared)
