"""``GET /api/actors`` and ``/api/actors/{slug}``: speakers and everything they said."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from onrecord.api._deps import StoreDep
from onrecord.api._export import listing_response
from onrecord.api._params import Paging, paging_of
from onrecord.api.routes._common import ERRORS
from onrecord.api.schemas import (
    ActorDetailOut,
    ActorListOut,
    PositionListOut,
    actor_out,
    position_out,
    quote_out,
)

router = APIRouter(tags=["actors"])

MAX_ACTORS = 10_000


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
def actor(slug: str, store: StoreDep) -> ActorDetailOut:
    """Everything one speaker said, oldest first; ``slug`` may also be any spelling."""
    record = store.speaker(slug)
    return ActorDetailOut(
        actor=actor_out(record.summary), quotes=[quote_out(h) for h in record.quotes]
    )


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
