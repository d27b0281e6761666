"""``/api/stories/{id}``: story clusters of quotations across outlets (not built yet).

Until story clustering lands every story id is unknown; the route exists so clients and the
web pages can already link to it, and so the stories layer has one module to fill in.
"""

from __future__ import annotations

from fastapi import APIRouter

from onrecord.api.routes._common import ERRORS
from onrecord.errors import NotFound

router = APIRouter(tags=["stories"])


@router.get("/stories/{story_id}", responses=ERRORS)
def story(story_id: str) -> dict[str, object]:
    """A story cluster; answers 404 until story clustering is part of onrecord."""
    raise NotFound(
        f"[{NotFound.code}] no story {story_id!r}: story clustering is not part of this "
        "onrecord yet. Quotes and their occurrences are at /api/quotes/{id}."
    )
