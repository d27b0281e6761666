"""``/articles/{id}``: an article with its statements highlighted and the removed junk."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from onrecord.api._deps import StoreDep
from onrecord.api._service import article_hits, story_id_of
from onrecord.web._render import SpanMark, colour_slots, segments
from onrecord.web._templates import TEMPLATES

router = APIRouter(include_in_schema=False)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(article_id: str, request: Request, store: StoreDep) -> Response:
    """The article text with statements coloured by speaker, a legend and collapsed junk."""
    item = store.article(article_id)
    hits = {(h.start, h.end): h for h in article_hits(store, article_id)}
    rows = []
    for quote in item.quotes:
        hit = hits.get((quote.start, quote.end))
        name = (hit.speaker if hit is not None else None) or quote.speaker.name
        rows.append((quote, hit, name))
    slots = colour_slots([name for _, _, name in rows])
    marks = [
        SpanMark(
            start=quote.start,
            end=quote.end,
            colour=slots[name or ""],
            speaker=name or "unnamed source",
            quote_id=hit.quote_id if hit is not None else None,
            kind=quote.kind,
        )
        for quote, hit, name in rows
    ]
    legend = [(name or "unnamed source", slot, bool(name)) for name, slot in slots.items()]
    statements = list(zip(rows, marks, strict=True))
    return TEMPLATES.TemplateResponse(
        request,
        "article.html",
        {
            "article": item.article,
            "segments": segments(item.article.text, marks),
            "legend": legend,
            "statements": statements,
            "story_id": story_id_of(store, article_id),
            "title": item.article.title or item.article.id,
        },
    )
