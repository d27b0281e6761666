"""``/issues`` and ``/issues/{id}``: where every actor stands on an issue, over time.

Both read positions stored at ingest; a store without issues gets a page saying how to get
them, and ``/issues`` says when the stored positions were derived from another catalogue than
the server's (``onrecord positions rebuild`` derives them again).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord import positions as positions_layer
from onrecord.api._deps import ContextDep, StoreDep
from onrecord.api._export import listing_response
from onrecord.api._params import read_paging
from onrecord.api.schemas import IssueListOut, PositionListOut, position_out, stored_issue_out
from onrecord.errors import NotFound
from onrecord.web._listing import exports
from onrecord.web._templates import TEMPLATES
from onrecord.web._timeline import Plot, PlotItem, build_plot
from onrecord.web.routes.actors import STANCE_LEVELS, short_label

router = APIRouter(include_in_schema=False)

MAX_PLOTS: Final = 24
MAX_ISSUES: Final = 10_000


@router.get("/issues", response_class=HTMLResponse)
def issues(request: Request, store: StoreDep, context: ContextDep) -> Response:
    """Every issue with how many positions and actors it has (counts kept at ingest; as JSON
    or CSV with ``format``)."""
    paging = read_paging(request.query_params, default_limit=MAX_ISSUES, max_limit=MAX_ISSUES)
    found = positions_layer.stored_issues_list(store)
    rows = [(i, i.position_count, i.actor_count) for i in found]
    if paging.format != "html":
        page = IssueListOut(
            available=bool(found),
            issues=[stored_issue_out(i) for i in found],
            stale=positions_layer.is_stale(store, context.settings.catalogue_path),
        )
        return listing_response(paging, page, "issues", page.issues, name="issues")
    return TEMPLATES.TemplateResponse(
        request,
        "issues.html",
        {
            "rows": rows,
            "has_positions": bool(found),
            "stale": positions_layer.is_stale(store, context.settings.catalogue_path),
            "exports": exports("/issues", "/api/issues", request.query_params),
            "title": "Issues",
        },
    )


@router.get("/issues/{issue_id}", response_class=HTMLResponse)
def issue(issue_id: str, request: Request, store: StoreDep) -> Response:
    """One timeline per actor (most positions first, one shared time axis), with shifts; its
    positions, oldest first, as JSON or CSV with ``format``."""
    found = store.position_tables().issue(issue_id)
    if found is None:
        raise NotFound(
            f"[{NotFound.code}] no issue {issue_id!r}. The list of issues is at /issues."
        )
    query = request.query_params
    paging = read_paging(query, default_limit=MAX_ISSUES, max_limit=MAX_ISSUES)
    if paging.format != "html":
        wanted = None if paging.is_all else paging.offset + paging.limit
        held = positions_layer.actor_positions(store, None, issue_id, wanted)
        page = PositionListOut(
            available=True,
            positions=[position_out(p) for p in held[paging.offset : paging.offset + paging.limit]],
        )
        rows = (position_out(p) for p in held)
        return listing_response(paging, page, "positions", rows, name=issue_id)
    positions, shifts = positions_layer.issue_positions(store, issue_id, MAX_PLOTS)
    by_actor: defaultdict[str, list[PlotItem]] = defaultdict(list)
    undated: Counter[str] = Counter()
    shifted = {s.after.quote_id for s in shifts}
    for p in positions:
        if p.published is None:
            undated[p.actor] += 1
            continue
        label = f"{p.published.isoformat()} · {p.speaker} · {p.stance}: {short_label(p.quote)}"
        by_actor[p.actor].append(
            PlotItem(p.published, p.stance, p.quote_id, label, p.quote_id in shifted)
        )
    order = sorted(by_actor, key=lambda a: (-len(by_actor[a]), a))[:MAX_PLOTS]
    days = [i.when for items in by_actor.values() for i in items]
    extent = (min(days), max(days)) if days else None
    plots: list[Plot] = [
        build_plot(
            actor,
            by_actor[actor],
            STANCE_LEVELS,
            shift_dates=[
                s.after.published for s in shifts if s.actor == actor and s.after.published
            ],
            undated=undated[actor],
            extent=extent,
        )
        for actor in order
    ]
    return TEMPLATES.TemplateResponse(
        request,
        "issue.html",
        {
            "issue": found,
            "plots": plots,
            "shifts": shifts,
            "exports": exports(
                request.url.path, "/api/positions", query, api_params={"issue": issue_id}
            ),
            "title": found.label,
        },
    )
