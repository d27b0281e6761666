"""``/actors`` and ``/actors/{slug}``: speakers, and everything one said with timeline plots.

With the positions layer the actor page plots one timeline per issue (stance over time,
shifts marked); without it, one plot of statements over time by quote kind.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord.api._deps import ContextDep, StoreDep
from onrecord.api._errors import BusyError
from onrecord.api._service import actor_positions, actor_shifts
from onrecord.store import QuoteHit
from onrecord.web._templates import TEMPLATES
from onrecord.web._timeline import Plot, PlotItem, build_plot

router = APIRouter(include_in_schema=False)

STANCE_LEVELS: Final = ("supports", "conditional", "neutral", "opposes")
KIND_LEVELS: Final = ("direct", "mixed", "indirect")
LABEL_CHARS: Final = 140


def short_label(text: str) -> str:
    """A statement flattened and cut for a tooltip."""
    flat = " ".join(text.split())
    return flat if len(flat) <= LABEL_CHARS else flat[: LABEL_CHARS - 1] + "…"


def _statement_plot(quotes: tuple[QuoteHit, ...]) -> Plot:
    items = [
        PlotItem(
            when=h.published,
            level=h.kind,
            quote_id=h.quote_id,
            label=f"{h.published} · {h.outlet or 'unknown outlet'}: {short_label(h.text)}",
        )
        for h in quotes
        if h.published is not None
    ]
    undated = sum(1 for h in quotes if h.published is None)
    return build_plot("Statements over time", items, KIND_LEVELS, undated=undated)


@router.get("/actors", response_class=HTMLResponse)
def actors(request: Request, store: StoreDep) -> Response:
    """Every quoted speaker, most quoted first."""
    return TEMPLATES.TemplateResponse(
        request, "actors.html", {"actors": store.speakers(), "title": "Actors"}
    )


@router.get("/actors/{slug}", response_class=HTMLResponse)
def actor(slug: str, request: Request, store: StoreDep, context: ContextDep) -> Response:
    """Everything the speaker said, by date, with a timeline plot per issue."""
    record = store.speaker(slug)
    name = record.summary.name
    try:
        index = context.positions.get(store)
    except BusyError:
        # Positions computed for the first time are not ready: the page plots statements.
        index = None
    plots: list[Plot] = []
    shifts = []
    if index is not None:
        by_issue = defaultdict(list)
        for position in actor_positions(index, name):
            by_issue[(position.issue_id, position.issue_label)].append(position)
        shifts = actor_shifts(index, name)
        for (issue_id, label), found in sorted(by_issue.items(), key=lambda kv: kv[0][1]):
            issue_shifts = [s for s in shifts if s.issue_id == issue_id]
            shifted = {s.after.quote_id for s in issue_shifts}
            items = [
                PlotItem(
                    when=p.published,
                    level=p.stance,
                    quote_id=p.quote_id,
                    label=f"{p.published} · {p.stance} ({p.act}): {short_label(p.quote)}",
                    is_shift=p.quote_id in shifted,
                )
                for p in found
                if p.published is not None
            ]
            plots.append(
                build_plot(
                    label,
                    items,
                    STANCE_LEVELS,
                    shift_dates=[s.after.published for s in issue_shifts if s.after.published],
                    undated=sum(1 for p in found if p.published is None),
                )
            )
    if not plots:
        plots.append(_statement_plot(record.quotes))
    return TEMPLATES.TemplateResponse(
        request,
        "actor.html",
        {
            "summary": record.summary,
            "quotes": record.quotes,
            "plots": plots,
            "shifts": shifts,
            "has_positions": index is not None,
            "title": name,
        },
    )
