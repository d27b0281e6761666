"""``GET /api/stats``: row counts of the store."""

from __future__ import annotations

from fastapi import APIRouter

from onrecord.api._deps import StoreDep
from onrecord.api.schemas import StatsOut

router = APIRouter(tags=["stats"])


@router.get("/stats", response_model=StatsOut)
def stats(store: StoreDep) -> StatsOut:
    """How many articles, quotes, speakers, aliases and outlets the store holds."""
    counts = store.stats()
    return StatsOut(
        articles=counts["articles"],
        quotes=counts["quotes"],
        speakers=counts["speakers"],
        speaker_aliases=counts["speaker_aliases"],
        outlets=counts["outlets"],
        positions_available=bool(store.position_tables().issues()),
    )
