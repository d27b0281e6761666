"""``/actors`` and ``/actors/{slug}``: speakers, and everything one said with timeline plots.

With the positions layer the actor page plots one timeline per issue (stance over time,
shifts marked); without it, one plot of statements over time by quote kind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.datastructures import QueryParams

from onrecord.api._deps import ContextDep, StoreDep
from onrecord.api._errors import BusyError
from onrecord.api._export import listing_response
from onrecord.api._params import read_paging
from onrecord.api._service import actor_positions, actor_shifts, iter_search
from onrecord.api.schemas import ActorDetailOut, ActorListOut, actor_out, quote_out
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


@router.get("/actors/{slug}", response_class=HTMLResponse)
def actor(slug: str, request: Request, store: StoreDep, context: ContextDep) -> Response:
    """Everything the speaker said, by date and a page at a time, with timeline plots."""
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
        plots.append(_speaker_plot(store, summary))
    api_query = QueryParams({**query, "speaker": name, "sort": "oldest"})
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
            "exports": replace(
                exports(request.url.path, "/api/search", query, paging.limit),
                api_url=exports("/api/search", "/api/search", api_query, paging.limit).api_url,
            ),
            "plots": plots,
            "shifts": shifts,
            "has_positions": index is not None,
            "title": name,
        },
    )
