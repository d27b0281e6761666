"""``/actors`` and ``/actors/{slug}``: speakers, and everything one said with timeline plots.

With stored positions the actor page opens with a summary per issue ("opposes ... (Mar 2026)
-> conditional (Jun 2026)", each step linking to its statements), then plots one timeline
per issue on one shared time axis (stance over time, shifts marked); without positions, one
plot of statements over time by quote kind. The statements themselves come a page at a time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord import positions as positions_layer
from onrecord.api._deps import StoreDep
from onrecord.api._export import listing_response
from onrecord.api._params import read_paging
from onrecord.api._service import iter_search
from onrecord.api.schemas import ActorDetailOut, ActorListOut, actor_out, quote_out
from onrecord.positions import Position, PositionSummary, Shift
from onrecord.store import QuoteFilter, QuoteHit, SpeakerSummary, Store
from onrecord.web._listing import exports, pager
from onrecord.web._templates import TEMPLATES
from onrecord.web._timeline import Plot, PlotItem, build_plot

router = APIRouter(include_in_schema=False)

STANCE_LEVELS: Final = ("supports", "conditional", "neutral", "opposes")
KIND_LEVELS: Final = ("direct", "mixed", "indirect")
LABEL_CHARS: Final = 140
ACTORS_PAGE: Final = 100
ACTOR_PAGE: Final = 50
MAX_PAGE: Final = 500
# Statements drawn in the plot without positions; more are sampled evenly over time.
PLOT_POINTS: Final = 200


def short_label(text: str) -> str:
    """A statement flattened and cut for a tooltip."""
    flat = " ".join(text.split())
    return flat if len(flat) <= LABEL_CHARS else flat[: LABEL_CHARS - 1] + "…"


def _statement_plot(quotes: tuple[QuoteHit, ...], undated: int) -> Plot:
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
    return build_plot("Statements over time", items, KIND_LEVELS, undated=undated)


@router.get("/actors", response_class=HTMLResponse)
def actors(request: Request, store: StoreDep) -> Response:
    """Every quoted speaker, most quoted first, a page at a time."""
    query = request.query_params
    paging = read_paging(query, default_limit=ACTORS_PAGE, max_limit=MAX_PAGE)
    found = store.speakers(limit=paging.limit, offset=paging.offset)
    total = store.stats()["speakers"]
    if paging.format != "html":
        page = ActorListOut(actors=[actor_out(s) for s in found])
        rows = (actor_out(s) for s in store.speakers())
        return listing_response(paging, page, "actors", rows, name="actors")
    return TEMPLATES.TemplateResponse(
        request,
        "actors.html",
        {
            "actors": found,
            "total": total,
            "pager": pager(
                "/actors",
                query,
                paging.offset,
                paging.limit,
                len(found),
                total,
                paging.offset + len(found) < total,
            ),
            "exports": exports("/actors", "/api/actors", query, paging.limit),
            "title": "Actors",
        },
    )


def _speaker_plot(store: Store, summary: SpeakerSummary) -> Plot:
    sample, dated = store.speaker_sample(summary.id, PLOT_POINTS)
    plot = _statement_plot(tuple(sample), undated=summary.quote_count - dated)
    if len(sample) < dated:
        title = f"Statements over time ({len(sample):,} of {dated:,}, evenly spread)"
        return replace(plot, title=title)
    return plot


def _extent(items: list[PlotItem]) -> tuple[date, date] | None:
    days = [i.when for i in items]
    return (min(days), max(days)) if days else None


def _position_plots(positions: list[Position], shifts: list[Shift]) -> list[Plot]:
    """One stance plot per issue, all on the time axis of the actor's whole record."""
    by_issue: defaultdict[tuple[str, str], list[Position]] = defaultdict(list)
    for position in positions:
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
            for p in found
            if p.published is not None
        ]
        for key, found in by_issue.items()
    }
    extent = _extent([i for group in items.values() for i in group])
    return [
        build_plot(
            label,
            items[(issue_id, label)],
            STANCE_LEVELS,
            shift_dates=[
                s.after.published for s in shifts if s.issue_id == issue_id and s.after.published
            ],
            undated=sum(1 for p in found if p.published is None),
            extent=extent,
        )
        for (issue_id, label), found in sorted(by_issue.items(), key=lambda kv: kv[0][1])
    ]


@router.get("/actors/{slug}", response_class=HTMLResponse)
def actor(slug: str, request: Request, store: StoreDep) -> Response:
    """Everything the speaker said, a page at a time, opening with where they stand.

    The summary lists, per issue, the stances held in turn, each linking to its statements;
    the plots below (one per issue) share one time axis, so that a stance change in one
    lines up with the others.
    """
    query = request.query_params
    paging = read_paging(query, default_limit=ACTOR_PAGE, max_limit=MAX_PAGE)
    summary = store.speaker_summary(slug)
    name = summary.name
    spec = QuoteFilter(speaker=name, sort="oldest")
    quotes = store.find(spec, limit=paging.limit, offset=paging.offset)
    if paging.format != "html":
        page = ActorDetailOut(actor=actor_out(summary), quotes=[quote_out(h) for h in quotes])
        rows = (quote_out(h) for h in iter_search(store, spec))
        return listing_response(paging, page, "quotes", rows, name=summary.slug)
    has_positions = positions_layer.has_positions(store)
    plots: list[Plot] = []
    shifts: list[Shift] = []
    summaries: list[PositionSummary] = []
    if has_positions:
        found, numbers = positions_layer.actor_record(store, name)
        shifts = positions_layer.actor_shifts(store, name)
        summaries = positions_layer.summarise(found, numbers)
        plots = _position_plots(found, shifts)
    if not plots:
        plots.append(_speaker_plot(store, summary))
    return TEMPLATES.TemplateResponse(
        request,
        "actor.html",
        {
            "summary": summary,
            "quotes": quotes,
            "pager": pager(
                request.url.path,
                query,
                paging.offset,
                paging.limit,
                len(quotes),
                summary.quote_count,
                paging.offset + len(quotes) < summary.quote_count,
            ),
            "exports": exports(
                request.url.path, f"/api/actors/{summary.slug}", query, paging.limit
            ),
            "plots": plots,
            "shifts": shifts,
            "position_summaries": summaries,
            "has_positions": has_positions,
            "title": name,
        },
    )
