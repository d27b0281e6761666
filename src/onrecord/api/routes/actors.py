"""``GET /api/actors`` and ``/api/actors/{slug}``: speakers and everything they said."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from onrecord.api._deps import StoreDep
from onrecord.api._export import listing_response
from onrecord.api._params import Paging, paging_of
from onrecord.api._service import iter_search
from onrecord.api.routes._common import ERRORS
from onrecord.api.schemas import (
    ActorDetailOut,
    ActorListOut,
    PositionListOut,
    actor_out,
    position_out,
    quote_out,
)
from onrecord.store import QuoteFilter

router = APIRouter(tags=["actors"])

MAX_ACTORS = 10_000
# Statements per page of one actor's record.
ACTOR_QUOTES = 500


@router.get("/actors", response_model=ActorListOut, responses=ERRORS)
def actors(
    store: StoreDep, paging: Annotated[Paging, Depends(paging_of(MAX_ACTORS, MAX_ACTORS))]
) -> Response:
    """Quoted speakers, most quoted first (``format=csv``, ``scope=all``)."""
    found = store.speakers(paging.limit, paging.offset)
    page = ActorListOut(actors=[actor_out(s) for s in found])
    rows = (actor_out(s) for s in store.speakers())
    return listing_response(paging, page, "actors", rows, name="actors")


@router.get("/actors/{slug}", response_model=ActorDetailOut, responses=ERRORS)
def actor(
    slug: str,
    store: StoreDep,
    paging: Annotated[Paging, Depends(paging_of(ACTOR_QUOTES, MAX_ACTORS))],
) -> Response:
    """What one speaker said, oldest first, ``limit`` at a time (``next_offset`` is the next
    page's ``offset``; ``format=csv``, ``scope=all``); ``slug`` may also be any spelling."""
    summary = store.speaker_summary(slug)
    spec = QuoteFilter(speaker=summary.name, sort="oldest")
    found = store.find(spec, limit=paging.limit + 1, offset=paging.offset)
    page = ActorDetailOut(
        actor=actor_out(summary),
        quotes=[quote_out(h) for h in found[: paging.limit]],
        next_offset=paging.offset + paging.limit if len(found) > paging.limit else None,
    )
    rows = (quote_out(h) for h in iter_search(store, spec))
    return listing_response(paging, page, "quotes", rows, name=summary.slug)


@router.get("/actors/{slug}/positions", response_model=PositionListOut, responses=ERRORS)
def actor_positions(slug: str, store: StoreDep) -> PositionListOut:
    """The speaker's stance on each issue over time (``available`` false without positions)."""
    # Imported here: the positions layer loads numpy.
    from onrecord.positions import actor_positions as positions_of
    from onrecord.positions import has_positions

    record = store.speaker(slug)
    if not has_positions(store):
        return PositionListOut(available=False, positions=[])
    return PositionListOut(
        available=True,
        positions=[position_out(p) for p in positions_of(store, record.summary.name)],
    )
