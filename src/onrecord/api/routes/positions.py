"""``/api/issues``, ``/api/positions``, ``/api/shifts``: the positions layer, when present.

Positions are computed from the store by the app's positions provider (see ``create_app``)
and cached until the store changes. Without the layer or its models every list comes back
empty with ``available: false``.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from onrecord.api._deps import ContextDep, StoreDep
from onrecord.api._service import actor_positions, actor_shifts
from onrecord.api.routes._common import ERRORS
from onrecord.api.schemas import (
    IssueListOut,
    PositionListOut,
    ShiftListOut,
    issue_out,
    position_out,
    shift_out,
)

router = APIRouter(tags=["positions"])


def _is_issue(issue_id: str, label: str, wanted: str | None) -> bool:
    if wanted is None:
        return True
    return wanted.casefold() in (issue_id.casefold(), label.casefold())


@router.get("/issues", response_model=IssueListOut, responses=ERRORS)
def issues(store: StoreDep, context: ContextDep) -> IssueListOut:
    """Issues positions are tracked on, with how many positions each has."""
    index = context.positions.get(store)
    if index is None:
        return IssueListOut(available=False, issues=[])
    counts = Counter(p.issue_id for p in index.positions)
    return IssueListOut(available=True, issues=[issue_out(i, counts[i.id]) for i in index.issues])


@router.get("/positions", response_model=PositionListOut, responses=ERRORS)
def positions(
    store: StoreDep,
    context: ContextDep,
    actor: Annotated[str | None, Query(description="actor or speaker name")] = None,
    issue: Annotated[str | None, Query(description="issue id or label")] = None,
) -> PositionListOut:
    """Stances of statements on issues, oldest first."""
    index = context.positions.get(store)
    if index is None:
        return PositionListOut(available=False, positions=[])
    found = actor_positions(index, actor) if actor else list(index.positions)
    return PositionListOut(
        available=True,
        positions=[position_out(p) for p in found if _is_issue(p.issue_id, p.issue_label, issue)],
    )


@router.get("/shifts", response_model=ShiftListOut, responses=ERRORS)
def shifts(
    store: StoreDep,
    context: ContextDep,
    actor: Annotated[str | None, Query(description="actor or speaker name")] = None,
    issue: Annotated[str | None, Query(description="issue id or label")] = None,
    since: Annotated[date | None, Query(description="later statement on or after")] = None,
) -> ShiftListOut:
    """Changes of stance (or of its conditions), by the date of the later statement."""
    index = context.positions.get(store)
    if index is None:
        return ShiftListOut(available=False, shifts=[])
    found = actor_shifts(index, actor) if actor else list(index.shifts)
    return ShiftListOut(
        available=True,
        shifts=[
            shift_out(s)
            for s in found
            if _is_issue(s.issue_id, s.issue_label, issue)
            and (since is None or (s.after.published is not None and s.after.published >= since))
        ],
    )
