"""``/api/issues``, ``/api/positions``, ``/api/shifts``, and edits of discovered issues.

Positions are derived when articles are stored and read here with indexed queries; a store
without issues answers every list empty with ``available: false``. Edits (rename, merge,
drop, promote into the catalogue) need the server's token, as article uploads do.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from onrecord.api._deps import ContextDep, StoreDep, require_token
from onrecord.api.routes._common import ERRORS
from onrecord.api.schemas import (
    IssueEditIn,
    IssueListOut,
    IssueOut,
    PositionListOut,
    ShiftListOut,
    position_out,
    shift_out,
    stored_issue_out,
)
from onrecord.positions import (
    SHIFTS_LIMIT,
    actor_positions,
    actor_shifts,
    drop_issue,
    find_issue_id,
    has_positions,
    is_stale,
    merge_issue,
    promote_stored_issue,
    rename_issue,
    stored_issues_list,
    stored_shifts,
)

router = APIRouter(tags=["positions"])
MAX_SHIFTS = 1000


@router.get("/issues", response_model=IssueListOut, responses=ERRORS)
def issues(store: StoreDep, context: ContextDep) -> IssueListOut:
    """Issues positions are tracked on, with how many positions and actors each has.

    ``stale`` says why stored positions do not match the server's catalogue (run
    ``onrecord positions rebuild``), else it is null.
    """
    found = stored_issues_list(store)
    return IssueListOut(
        available=bool(found),
        issues=[stored_issue_out(i) for i in found],
        stale=is_stale(store, context.settings.catalogue_path),
    )


@router.get("/positions", response_model=PositionListOut, responses=ERRORS)
def positions_list(
    store: StoreDep,
    actor: Annotated[str | None, Query(description="actor or speaker name")] = None,
    issue: Annotated[str | None, Query(description="issue id or label")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> PositionListOut:
    """Stances of statements on issues, oldest first."""
    if not has_positions(store):
        return PositionListOut(available=False, positions=[])
    found = actor_positions(store, actor, find_issue_id(store, issue), limit)
    return PositionListOut(available=True, positions=[position_out(p) for p in found])


@router.get("/shifts", response_model=ShiftListOut, responses=ERRORS)
def shifts(
    store: StoreDep,
    actor: Annotated[str | None, Query(description="actor or speaker name")] = None,
    issue: Annotated[str | None, Query(description="issue id or label")] = None,
    since: Annotated[date | None, Query(description="later statement on or after")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_SHIFTS)] = SHIFTS_LIMIT,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ShiftListOut:
    """Changes of stance (or of its conditions), by the date of the later statement."""
    if not has_positions(store):
        return ShiftListOut(available=False, shifts=[])
    issue_id = find_issue_id(store, issue)
    if actor is not None:
        found = [
            s
            for s in actor_shifts(store, actor)
            if (issue_id is None or s.issue_id == issue_id)
            and (since is None or (s.after.published is not None and s.after.published >= since))
        ][offset : offset + limit]
    else:
        found = stored_shifts(store, issue_id=issue_id, since=since, limit=limit, offset=offset)
    return ShiftListOut(available=True, shifts=[shift_out(s) for s in found])


@router.post(
    "/issues/{issue_id}/edit",
    response_model=IssueOut,
    responses=ERRORS,
    dependencies=[Depends(require_token)],
)
def edit_issue(issue_id: str, body: IssueEditIn, store: StoreDep, context: ContextDep) -> IssueOut:
    """Rename, merge into another, or promote into the catalogue one discovered issue.

    A catalogue issue is changed in the catalogue file, not here: the catalogue always wins.
    """
    settings = context.settings
    if body.action == "rename":
        edited = rename_issue(store, issue_id, body.value or "")
    elif body.action == "merge":
        edited = merge_issue(store, issue_id, body.value or "")
    else:
        edited = promote_stored_issue(store, issue_id, settings.catalogue_path)
    return stored_issue_out(edited)


@router.delete(
    "/issues/{issue_id}",
    response_model=IssueListOut,
    responses=ERRORS,
    dependencies=[Depends(require_token)],
)
def delete_issue(issue_id: str, store: StoreDep, context: ContextDep) -> IssueListOut:
    """Drop a discovered issue with its positions; later discovery leaves it out."""
    drop_issue(store, issue_id)
    found = stored_issues_list(store)
    return IssueListOut(
        available=bool(found),
        issues=[stored_issue_out(i) for i in found],
        stale=is_stale(store, context.settings.catalogue_path),
    )
