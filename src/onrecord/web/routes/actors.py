"""``/actors`` and ``/actors/{slug}``: speakers, and everything one said with timeline plots.

With stored positions the actor page opens with a summary per issue ("opposes ... (Mar 2026)
-> conditional (Jun 2026)", each step linking to its statements), then plots one timeline
per issue on one shared time axis (stance over time, shifts marked); without positions, one
plot of statements over time by quote kind.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord import positions as positions_layer
from onrecord.api._deps import StoreDep
from onrecord.positions import Position, PositionSummary, Shift
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


def _extent(items: list[PlotItem]) -> tuple[date, date] | None:
    days = [i.when for i in items]
    return (min(days), max(days)) if days else None


@router.get("/actors/{slug}", response_class=HTMLResponse)
def actor(slug: str, request: Request, store: StoreDep) -> Response:
    """Everything the speaker said, by date, opening with where they stand on each issue.

    The summary lists, per issue, the stances held in turn, each linking to its statements;
    the plots below (one per issue) share one time axis, so that a stance change in one
    lines up with the others.
    """
    record = store.speaker(slug)
    name = record.summary.name
    has_positions = positions_layer.has_positions(store)
    plots: list[Plot] = []
    shifts: list[Shift] = []
    summaries: list[PositionSummary] = []
    if has_positions:
        found = positions_layer.actor_positions(store, name)
        shifts = positions_layer.actor_shifts(store, name)
        summaries = positions_layer.summarise(found, positions_layer.statement_numbers(store, name))
        by_issue: defaultdict[tuple[str, str], list[Position]] = defaultdict(list)
        for position in found:
            by_issue[(position.issue_id, position.issue_label)].append(position)
        shifted = {s.after.quote_id for s in shifts}
        items = {
            key: [
                PlotItem(
                    when=p.published,
                    level=p.stance,
                    quote_id=p.quote_id,
                    label=f"{p.published} · {p.stance} ({p.act}): {short_label(p.quote)}",
                    is_shift=p.quote_id in shifted,
                )
                for p in ps
                if p.published is not None
            ]
            for key, ps in by_issue.items()
        }
        extent = _extent([i for group in items.values() for i in group])
        for (issue_id, label), ps in sorted(by_issue.items(), key=lambda kv: kv[0][1]):
            plots.append(
                build_plot(
                    label,
                    items[(issue_id, label)],
                    STANCE_LEVELS,
                    shift_dates=[
                        s.after.published
                        for s in shifts
                        if s.issue_id == issue_id and s.after.published
                    ],
                    undated=sum(1 for p in ps if p.published is None),
                    extent=extent,
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
            "position_summaries": summaries,
            "has_positions": has_positions,
            "title": name,
        },
    )
