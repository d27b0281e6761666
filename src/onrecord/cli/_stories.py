"""Commands across articles: quotations, where each was first reported, and stories."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import typer

from onrecord.cli._app import MAX_COUNT, MAX_ID, DbOption, JsonOption, app, echo_json, open_store
from onrecord.store import Store
from onrecord.stories import Origin, OriginStep, QuotationSummary, StorySummary

T = TypeVar("T")

QuotationId = Annotated[
    int,
    typer.Argument(
        min=-MAX_ID,
        max=MAX_ID,
        help="Quotation id (from `onrecord quotations`), or a quote id with --quote.",
    ),
]
FromQuoteOption = Annotated[
    bool, typer.Option("--quote", help="ID is a stored quote's id (`search --json` quote_id).")
]


def _when(step: OriginStep | QuotationSummary | StorySummary) -> str:
    published = getattr(step, "published", None) or getattr(step, "first_published", None)
    return published.isoformat() if published else "undated"


def _origin_lines(origin: Origin) -> list[str]:
    first = origin.first
    lines = [
        f"{origin.speaker or '(unattributed)'} -> first carried by "
        f"{first.outlet or 'unknown outlet'} on {_when(first)}"
        + (f" (via {' > '.join(first.via)})" if first.via else "")
    ]
    for step in origin.relays:
        source = f" from {step.relayed_from}" if step.relayed_from else ""
        stored = "" if step.is_stored else " (named as a relay, not stored)"
        lines.append(f"  -> {step.outlet or 'unknown outlet'}{source} on {_when(step)}{stored}")
    return lines


def _summary_line(summary: QuotationSummary) -> str:
    return (
        f"#{summary.id}  {summary.speaker or '(unattributed)'}: {summary.occurrence_count} "
        f"occurrence(s) in {summary.outlet_count} outlet(s), first {summary.first_outlet} "
        f"{_when(summary)}\n    {summary.text}"
    )


@app.command()
def quotations(
    speaker: Annotated[str | None, typer.Option(help="Any spelling of a speaker's name.")] = None,
    min_occurrences: Annotated[
        int, typer.Option(min=1, max=MAX_COUNT, help="Fewest occurrences.")
    ] = 2,
    limit: Annotated[int, typer.Option(min=1, max=MAX_COUNT, help="Most quotations.")] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Statements carried by several articles, most carried first, with their first report."""
    with open_store(db) as store:
        found = store.quotations(speaker=speaker, min_occurrences=min_occurrences, limit=limit)
    if as_json:
        echo_json([summary.to_dict() for summary in found])
        return
    for summary in found:
        typer.echo(_summary_line(summary))
    typer.echo(f"{len(found)} quotation(s)")


def _load(db: DbOption, wanted: int, is_quote: bool, read: Callable[[Store, int], T]) -> T:
    with open_store(db) as store:
        return read(store, store.quotation_of_quote(wanted) if is_quote else wanted)


@app.command()
def quote(
    quotation_id: QuotationId,
    is_quote: FromQuoteOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One quotation: every occurrence by date, its wordings and where it was first reported."""
    found = _load(db, quotation_id, is_quote, Store.quotation)
    if as_json:
        echo_json(found.to_dict())
        return
    typer.echo(_summary_line(found.summary))
    typer.echo("occurrences:")
    for item in found.occurrences:
        via = f" via {' > '.join(item.via)}" if item.via else ""
        when = item.published.isoformat() if item.published else "undated"
        typer.echo(f"  {when}  {item.outlet or 'unknown outlet'}{via}: {item.title}")
    if len(found.variants) > 1:
        typer.echo("wordings:")
        for variant in found.variants:
            typer.echo(f"  {variant.count}x  {variant.text}")
    typer.echo("origin:")
    for line in _origin_lines(found.origin):
        typer.echo(f"  {line}")


@app.command()
def origin(
    quotation_id: QuotationId,
    is_quote: FromQuoteOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Which outlet first carried a statement and which relayed it, with dates."""
    found = _load(db, quotation_id, is_quote, Store.origin)
    if as_json:
        echo_json(found.to_dict())
        return
    for line in _origin_lines(found):
        typer.echo(line)


@app.command()
def stories(
    min_articles: Annotated[
        int, typer.Option(min=1, max=MAX_COUNT, help="Fewest articles in a story.")
    ] = 2,
    limit: Annotated[int, typer.Option(min=1, max=MAX_COUNT, help="Most stories.")] = 50,
    story_id: Annotated[
        int | None,
        typer.Option(
            "--id", min=-MAX_ID, max=MAX_ID, help="Show one story's articles and quotations."
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Clusters of articles about one event (reprints, rewrites, shared quotations)."""
    with open_store(db) as store:
        if story_id is not None:
            story = store.story(story_id)
            if as_json:
                echo_json(story.to_dict())
                return
            typer.echo(f"story #{story.summary.id}: {story.summary.first_title}")
            for article in story.articles:
                when = article.published.isoformat() if article.published else "undated"
                typer.echo(f"  {when}  [{article.relation}] {article.outlet}: {article.title}")
            return
        found = store.stories(min_articles=min_articles, limit=limit)
    if as_json:
        echo_json([summary.to_dict() for summary in found])
        return
    for summary in found:
        typer.echo(
            f"#{summary.id}  {summary.article_count} articles, first {summary.first_outlet} "
            f"{_when(summary)}: {summary.first_title}"
        )
    typer.echo(f"{len(found)} stor{'y' if len(found) == 1 else 'ies'}")
