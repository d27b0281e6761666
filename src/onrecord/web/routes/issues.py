"""``/issues`` and ``/issues/{id}``: where every actor stands on an issue, over time.

Pages exist only with the positions layer; without it ``/issues`` says so and an issue page
is not found.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord.api._deps import ContextDep, StoreDep
from onrecord.api._export import listing_response
from onrecord.api._params import read_paging
from onrecord.api.schemas import IssueListOut, issue_out
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
    """Every issue with how many positions it has (as JSON or CSV with ``format``)."""
    paging = read_paging(request.query_params, default_limit=MAX_ISSUES, max_limit=MAX_ISSUES)
    index = context.positions.get(store)
    rows = []
    if index is not None:
        counts = Counter(p.issue_id for p in index.positions)
        actors: defaultdict[str, set[str]] = defaultdict(set)
        for p in index.positions:
            actors[p.issue_id].add(p.actor)
        rows = [(i, counts[i.id], len(actors[i.id])) for i in index.issues]
    if paging.format != "html":
        page = IssueListOut(
            available=index is not None, issues=[issue_out(i, count) for i, count, _ in rows]
        )
        return listing_response(paging, page, "issues", page.issues, name="issues")
    return TEMPLATES.TemplateResponse(
        request,
        "issues.html",
        {
            "rows": rows,
            "has_positions": index is not None,
            "exports": exports("/issues", "/api/issues", request.query_params),
            "title": "Issues",
        },
    )


@router.get("/issues/{issue_id}", response_class=HTMLResponse)
def issue(issue_id: str, request: Request, store: StoreDep, context: ContextDep) -> Response:
    """One timeline per actor (most positions first), with the issue's shifts."""
    index = context.positions.get(store)
    found = next((i for i in index.issues if i.id == issue_id), None) if index else None
    if index is None or found is None:
        raise NotFound(
            f"[{NotFound.code}] no issue {issue_id!r}. The list of issues is at /issues."
        )
    by_actor: defaultdict[str, list[PlotItem]] = defaultdict(list)
    undated: Counter[str] = Counter()
    for p in index.positions:
        if p.issue_id != issue_id:
            continue
        if p.published is None:
            undated[p.actor] += 1
            continue
        label = f"{p.published.isoformat()} · {p.speaker} · {p.stance}: {short_label(p.quote)}"
        by_actor[p.actor].append(PlotItem(p.published, p.stance, p.quote_id, label))
    shifts = [s for s in index.shifts if s.issue_id == issue_id]
    shifted = {s.after.quote_id for s in shifts}
    order = sorted(by_actor, key=lambda a: (-len(by_actor[a]), a))[:MAX_PLOTS]
    days = [i.when for items in by_actor.values() for i in items]
    extent = (min(days), max(days)) if days else None
    plots: list[Plot] = [
        build_plot(
            actor,
            [
                PlotItem(i.when, i.level, i.quote_id, i.label, i.quote_id in shifted)
                for i in by_actor[actor]
            ],
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
        {"issue": found, "plots": plots, "shifts": shifts, "title": found.label},
    )
