"""Commands that read the store: search, speakers, speaker, export and serve."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from onrecord.cli._app import (
    MAX_COUNT,
    DbOption,
    ExportFormat,
    JsonOption,
    app,
    db_path,
    echo_json,
    open_store,
    parse_date,
    settings_for,
    speaker_dict,
)
from onrecord.errors import ConfigError
from onrecord.export import (
    hit_to_dict,
    write_csv,
    write_jsonl,
    write_parquet,
)
from onrecord.store import QuoteHit


def _hit_line(hit: QuoteHit) -> str:
    when = hit.published.isoformat() if hit.published else "undated"
    via = f" via {' > '.join(hit.via)}" if hit.via else ""
    who = hit.speaker or "(unattributed)"
    return f"{when}  {who} [{hit.kind}]{via} ({hit.outlet or 'unknown outlet'})\n    {hit.snippet}"


@app.command()
def search(
    text: Annotated[str | None, typer.Argument(help="Words to find in quotes.")] = None,
    speaker: Annotated[str | None, typer.Option(help="Any spelling of a speaker's name.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest date, YYYY-MM-DD.")] = None,
    kind: Annotated[str | None, typer.Option(help="direct, indirect or mixed.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_COUNT, help="Most results.")] = 20,
    altered: Annotated[
        bool, typer.Option("--altered", help="Only altered quotations (see `onrecord fidelity`).")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search stored statements by words, speaker, outlet, date and kind."""
    with open_store(db) as store:
        hits = store.search(
            text,
            speaker=speaker,
            outlet=outlet,
            since=parse_date(since, "--since"),
            until=parse_date(until, "--until"),
            kind=kind,
            limit=limit,
            is_altered=altered,
        )
    if as_json:
        echo_json([hit_to_dict(hit) for hit in hits])
        return
    for hit in hits:
        typer.echo(_hit_line(hit))
    typer.echo(f"{len(hits)} statement(s)")


@app.command()
def speakers(
    limit: Annotated[int | None, typer.Option(min=1, max=MAX_COUNT, help="Most speakers.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List quoted speakers across the corpus, most quoted first."""
    with open_store(db) as store:
        summaries = store.speakers(limit)
    if as_json:
        echo_json([speaker_dict(s) for s in summaries])
        return
    for s in summaries:
        detail = ", ".join(part for part in (s.role, s.org) if part)
        aliases = f"  (also: {'; '.join(s.aliases)})" if s.aliases else ""
        typer.echo(f"{s.quote_count:4d}  {s.name}{f' — {detail}' if detail else ''}{aliases}")


@app.command()
def speaker(
    name: Annotated[str, typer.Argument(help="Any spelling of the speaker's name.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything one speaker said, by date, with relay chains."""
    with open_store(db) as store:
        record = store.speaker(name)
    if as_json:
        echo_json(
            {
                "speaker": speaker_dict(record.summary),
                "quotes": [hit_to_dict(hit) for hit in record.quotes],
            }
        )
        return
    s = record.summary
    detail = ", ".join(part for part in (s.role, s.org) if part)
    typer.echo(f"{s.name}{f' — {detail}' if detail else ''}: {s.quote_count} statement(s)")
    for hit in record.quotes:
        typer.echo(_hit_line(hit))


@app.command()
def export(
    output_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv, jsonl or parquet.")
    ] = ExportFormat.JSONL,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Write every stored statement as CSV, JSONL or Parquet."""
    with open_store(db) as store:
        hits = store.iter_quotes()
        if output_format is ExportFormat.PARQUET:
            if out is None:
                raise ConfigError(
                    f"[{ConfigError.code}] Parquet is binary; give a file with --out FILE."
                )
            count = write_parquet(hits, out)
        elif out is None:
            writer = write_csv if output_format is ExportFormat.CSV else write_jsonl
            count = writer(hits, sys.stdout)
        else:
            with out.open("w", encoding="utf-8", newline="") as fp:
                writer = write_csv if output_format is ExportFormat.CSV else write_jsonl
                count = writer(hits, fp)
    if out is not None:
        typer.echo(f"{count} statement(s) -> {out}", err=True)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(envvar="ONRECORD_TOKEN", help="Bearer token that enables POST /api/articles."),
    ] = None,
) -> None:
    """Serve the web UI and the REST API over a store (read-only without a token)."""
    from onrecord.api import serve as run_server

    settings = replace(settings_for(), db_path=db_path(db))
    typer.echo(
        f"onrecord serving {settings.db_path} at http://{host}:{port}/ (API docs at /docs)",
        err=True,
    )
    run_server(settings, host=host, port=port, token=token)
