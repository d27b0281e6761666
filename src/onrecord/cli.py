"""Command line: parse options, call the library, render. No logic lives here.

The one place that configures logging and turns ``OnrecordError`` into a message on stderr
and exit status 1 (a traceback only with ``--debug``).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from onrecord.config import Settings, load_settings
from onrecord.errors import ConfigError, IngestError, OnrecordError
from onrecord.export import (
    article_to_contract,
    format_table,
    hit_to_dict,
    write_csv,
    write_jsonl,
    write_parquet,
)
from onrecord.models import ExtractedArticle
from onrecord.store import Actor, ActorEdit, QuoteHit, SpeakerSummary, Store

if TYPE_CHECKING:
    from onrecord.positions import Position, PositionsIndex, Shift

log = logging.getLogger("onrecord")

app = typer.Typer(
    help="onrecord: a searchable record of who said what in the news, and through whom.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
eval_app = typer.Typer(
    help="Score extraction and stance against annotated corpora.", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")
actors_app = typer.Typer(
    help="List speakers across the corpus; merge, split and show the history of edits.",
    invoke_without_command=True,
)
app.add_typer(actors_app, name="actors")
issues_app = typer.Typer(
    help="List the issues positions are tracked on; promote a discovered one.",
    invoke_without_command=True,
)
app.add_typer(issues_app, name="issues")

_state: dict[str, Any] = {"debug": False, "config": None}


class ExtractFormat(StrEnum):
    """Output formats of ``onrecord extract``."""

    JSONL = "jsonl"
    JSON = "json"
    TABLE = "table"


class ExportFormat(StrEnum):
    """Output formats of ``onrecord export``."""

    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"


DbOption = Annotated[
    Path | None, typer.Option("--db", help="SQLite store (default: $ONRECORD_DB or onrecord.db).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
PathsArgument = Annotated[list[str], typer.Argument(help="Files or folders to read; - is stdin.")]
NoCleanOption = Annotated[
    bool,
    typer.Option("--no-clean", help="Keep the text exactly as read (offsets index the input)."),
]
CatalogueOption = Annotated[
    Path | None,
    typer.Option(
        "--catalogue",
        help="Issue catalogue (TOML); default: [positions] catalogue in the config file, "
        "else issues are discovered.",
    ),
]
IssueOption = Annotated[str | None, typer.Option("--issue", help="Only this issue id or label.")]
MinConfidenceOption = Annotated[
    float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Drop statements below this.")
]


@app.callback()
def _configure(
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Log each article.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="TOML settings: outlet names, speaker aliases, issue catalogue "
            "(default: $ONRECORD_CONFIG or ./onrecord.toml).",
        ),
    ] = None,
) -> None:
    level = logging.DEBUG if verbose or debug else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    _state["debug"] = debug
    _state["config"] = config


def _settings(min_confidence: float = 0.0) -> Settings:
    return replace(load_settings(_state["config"]), min_confidence=min_confidence)


def _db_path(db: Path | None) -> Path:
    return db if db is not None else _settings().db_path


def _open_store(db: Path | None) -> Store:
    return Store.open(_db_path(db), aliases=_settings().aliases_path)


def _echo_json(value: object) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _progress(items: Iterator[Any], unit: str) -> Iterator[Any]:
    from tqdm import tqdm

    # tqdm hides itself when stderr is not a terminal, so pipes and CI logs stay clean.
    return iter(tqdm(items, unit=unit, file=sys.stderr, disable=None, leave=False))


def _report_error(error: IngestError) -> None:
    typer.echo(f"error: {error}", err=True)


def _explain(item: ExtractedArticle) -> None:
    for removed in item.article.removed:
        text = " ".join(removed.text.split())
        typer.echo(f"removed [{removed.reason}] {item.article.source}: {text[:120]}", err=True)


@app.command()
def extract(
    paths: PathsArgument,
    output_format: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="jsonl (the contract), json or table.")
    ] = ExtractFormat.TABLE,
    no_clean: NoCleanOption = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="List what cleaning removed, on stderr.")
    ] = False,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Print every statement in the articles under PATHS, without storing anything."""
    from onrecord.extract import load_extractor
    from onrecord.pipeline import extract_paths

    extractor = load_extractor()
    outcomes = extract_paths(
        paths, extractor, _settings(min_confidence), is_cleaning=not no_clean, stdin=sys.stdin
    )
    failed = 0
    collected: list[ExtractedArticle] = []
    for outcome in outcomes:
        if isinstance(outcome, IngestError):
            failed += 1
            _report_error(outcome)
            continue
        if explain:
            _explain(outcome)
        if output_format is ExtractFormat.JSONL:
            typer.echo(json.dumps(article_to_contract(outcome), ensure_ascii=False))
        else:
            collected.append(outcome)
    if output_format is ExtractFormat.JSON:
        _echo_json([article_to_contract(item) for item in collected])
    elif output_format is ExtractFormat.TABLE:
        typer.echo(format_table(collected))
    if failed:
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: PathsArgument,
    db: DbOption = None,
    no_clean: NoCleanOption = False,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Extract the articles under PATHS and add them to the store.

    Articles already stored are skipped; a bad item gets one error line and the batch goes
    on. Exit status 1 when any item failed.
    """
    from onrecord.extract import load_extractor
    from onrecord.pipeline import extract_paths, store_outcomes

    settings = _settings(min_confidence)
    extractor = load_extractor()
    outcomes = extract_paths(paths, extractor, settings, is_cleaning=not no_clean, stdin=sys.stdin)
    with _open_store(db) as store:
        summary = store_outcomes(_progress(outcomes, "article"), store, settings.batch_size)
    for error in summary.errors:
        _report_error(error)
    typer.echo(
        f"{summary.ingested} ingested, {summary.skipped} skipped (already stored), "
        f"{summary.failed} failed; {summary.quotes} statements -> {_db_path(db)}"
    )
    if summary.failed:
        typer.echo(f"run {summary.run_id}: see `onrecord rejects --run {summary.run_id}`", err=True)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def rejects(
    db: DbOption = None,
    run: Annotated[str | None, typer.Option("--run", help="Only this run id.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most rows.")] = 1000,
    as_json: JsonOption = False,
) -> None:
    """List the input items past ingest runs rejected, and why, newest run first."""
    with _open_store(db) as store:
        rows = store.rejects(run_id=run, limit=limit)
    if as_json:
        _echo_json([asdict(row) for row in rows])
        return
    for row in rows:
        typer.echo(f"{row.rejected_at}  run {row.run_id}  {row.item}  [{row.code}] {row.reason}")
    typer.echo(f"{len(rows)} rejected item(s)")


def _hit_line(hit: QuoteHit) -> str:
    when = hit.published.isoformat() if hit.published else "undated"
    via = f" via {' > '.join(hit.via)}" if hit.via else ""
    who = hit.speaker or "(unattributed)"
    return f"{when}  {who} [{hit.kind}]{via} ({hit.outlet or 'unknown outlet'})\n    {hit.snippet}"


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            f"[{ConfigError.code}] {option} {value!r} is not a date; use YYYY-MM-DD."
        ) from None


@app.command()
def search(
    text: Annotated[str | None, typer.Argument(help="Words to find in quotes.")] = None,
    speaker: Annotated[str | None, typer.Option(help="Any spelling of a speaker's name.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest date, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Latest date, YYYY-MM-DD.")] = None,
    kind: Annotated[str | None, typer.Option(help="direct, indirect or mixed.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most results.")] = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Search stored statements by words, speaker, outlet, date and kind."""
    with _open_store(db) as store:
        hits = store.search(
            text,
            speaker=speaker,
            outlet=outlet,
            since=_parse_date(since, "--since"),
            until=_parse_date(until, "--until"),
            kind=kind,
            limit=limit,
        )
    if as_json:
        _echo_json([hit_to_dict(hit) for hit in hits])
        return
    for hit in hits:
        typer.echo(_hit_line(hit))
    typer.echo(f"{len(hits)} statement(s)")


def _speaker_dict(summary: SpeakerSummary) -> dict[str, object]:
    return {
        "name": summary.name,
        "kind": summary.kind,
        "role": summary.role,
        "org": summary.org,
        "quotes": summary.quote_count,
        "aliases": list(summary.aliases),
        "first_date": summary.first_date,
        "last_date": summary.last_date,
    }


@app.command()
def speakers(
    limit: Annotated[int | None, typer.Option(min=1, help="Most speakers.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List quoted speakers across the corpus, most quoted first."""
    with _open_store(db) as store:
        summaries = store.speakers(limit)
    if as_json:
        _echo_json([_speaker_dict(s) for s in summaries])
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
    with _open_store(db) as store:
        record = store.speaker(name)
    if as_json:
        _echo_json(
            {
                "speaker": _speaker_dict(record.summary),
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
    with _open_store(db) as store:
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

    path = _db_path(db)
    typer.echo(f"onrecord serving {path} at http://{host}:{port}/ (API docs at /docs)", err=True)
    run_server(path, host=host, port=port, token=token)


@eval_app.command("polnear")
def eval_polnear(
    split: Annotated[Path, typer.Argument(help="A PolNeAR split folder (text/, attributions/).")],
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N articles.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Score extraction on a PolNeAR split: content P/R/F1, speakers, cues, kinds."""
    from onrecord.evaluation import run_polnear_eval

    report = run_polnear_eval(split, limit=limit)
    if as_json:
        _echo_json(report.to_dict())
    else:
        typer.echo(report.to_markdown())


def _actor_line(actor: Actor) -> str:
    s = actor.summary
    aliases = f"  (also: {'; '.join(s.aliases)})" if s.aliases else ""
    lines = [f"{s.quote_count:4d}  {s.name} [{s.kind}]{aliases}"]
    for role in actor.roles:
        held = ", ".join(part for part in (role.role, role.org) if part)
        span = f"{role.first_date or 'undated'} .. {role.last_date or 'undated'}"
        lines.append(f"        {held}  {span}")
    return "\n".join(lines)


def _edit_line(edit: ActorEdit) -> str:
    args = ", ".join(f"{key}={value!r}" for key, value in edit.args.items() if value)
    return f"#{edit.id}  {edit.edited_at:%Y-%m-%d %H:%M}  {edit.action}({args})"


@actors_app.callback()
def actors(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """List speakers across the corpus with their spellings and the roles held over time."""
    if ctx.invoked_subcommand is not None:
        return
    with _open_store(db) as store:
        found = store.actors()
    if as_json:
        _echo_json(
            [
                {**_speaker_dict(a.summary), "roles": [asdict(role) for role in a.roles]}
                for a in found
            ]
        )
        return
    for actor in found:
        typer.echo(_actor_line(actor))


@actors_app.command("merge")
def actors_merge(
    name: Annotated[str, typer.Argument(help="Any spelling of the first speaker.")],
    other: Annotated[str, typer.Argument(help="Any spelling of the second speaker.")],
    into: Annotated[str | None, typer.Option("--into", help="Name of the result.")] = None,
    db: DbOption = None,
) -> None:
    """Make two speakers one: spellings and statements move; the edit is recorded."""
    with _open_store(db) as store:
        edit = store.merge_speakers(name, other, into=into)
    typer.echo(f"{_edit_line(edit)} -> {edit.after['speaker']}")


@actors_app.command("split")
def actors_split(
    name: Annotated[str, typer.Argument(help="Any spelling of the speaker.")],
    alias: Annotated[str, typer.Option("--alias", help="The spelling to split off.")],
    new_name: Annotated[str | None, typer.Option("--as", help="Name of the new speaker.")] = None,
    db: DbOption = None,
) -> None:
    """Make one spelling, and the statements stored under it, a speaker of its own."""
    with _open_store(db) as store:
        edit = store.split_speaker(name, alias, new_name=new_name)
    typer.echo(f"{_edit_line(edit)} -> {edit.after['new']}")


@actors_app.command("history")
def actors_history(
    name: Annotated[str | None, typer.Argument(help="Only edits involving this name.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show recorded merges and splits, oldest first."""
    with _open_store(db) as store:
        found = store.actor_edits(name)
    if as_json:
        _echo_json([edit.to_dict() for edit in found])
        return
    for edit in found:
        typer.echo(f"{_edit_line(edit)}\n    before: {edit.before}\n    after:  {edit.after}")


def _catalogue(catalogue: Path | None) -> Path | None:
    return catalogue if catalogue is not None else _settings().catalogue_path


def _positions_index(db: Path | None, catalogue: Path | None) -> PositionsIndex:
    from onrecord.positions import StoreStanceCache, compute_positions

    with _open_store(db) as store:
        return compute_positions(store, _catalogue(catalogue), cache=StoreStanceCache(store))


@issues_app.callback()
def issues(
    ctx: typer.Context,
    catalogue: CatalogueOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the catalogue's issues, or the issues discovered in the store when there is none."""
    from onrecord.positions import PositionModels, discover_quote_issues, load_catalogue

    if ctx.invoked_subcommand is not None:
        return
    path = _catalogue(catalogue)
    if path is not None:
        found: list[Any] = list(load_catalogue(path).issues)
    else:
        with _open_store(db) as store:
            found = discover_quote_issues(store.iter_quotes(), PositionModels.load())
    if as_json:
        _echo_json([item.to_dict() for item in found])
        return
    for item in found:
        detail = getattr(item, "proposition", None) or ", ".join(item.key_phrases)
        typer.echo(f"{item.id}  {item.label}\n    {detail}")


@issues_app.command("promote")
def issues_promote(
    discovered_id: Annotated[str, typer.Argument(help="Id of a discovered issue.")],
    catalogue: Annotated[Path, typer.Option("--catalogue", help="TOML catalogue to append to.")],
    issue_id: Annotated[str | None, typer.Option("--id", help="Id in the catalogue.")] = None,
    label: Annotated[str | None, typer.Option("--label", help="Human label.")] = None,
    proposition: Annotated[
        str | None, typer.Option("--proposition", help="What actors take sides on.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Append a discovered issue to a catalogue file, to be reworded by hand."""
    from onrecord.positions import PositionModels, discover_quote_issues, promote_issue

    with _open_store(db) as store:
        found = discover_quote_issues(store.iter_quotes(), PositionModels.load())
    chosen = next((item for item in found if item.id == discovered_id), None)
    if chosen is None:
        raise ConfigError(
            f"[{ConfigError.code}] no discovered issue {discovered_id!r}. "
            "List them with `onrecord issues` (without a catalogue)."
        )
    issue = promote_issue(chosen, catalogue, issue_id, proposition, label)
    typer.echo(f"{issue.id} -> {catalogue}")


def _position_line(p: Position) -> str:
    when = p.published.isoformat() if p.published else "undated"
    condition = f" [if: {p.condition}]" if p.condition else ""
    return (
        f"{when}  {p.stance} ({p.act}){condition}  {p.issue_label}  "
        f"({p.outlet or 'unknown outlet'})\n    {p.speaker}: {p.quote}"
    )


@app.command()
def positions(
    actor: Annotated[str, typer.Argument(help="A speaker, or a body spokespeople speak for.")],
    issue: IssueOption = None,
    catalogue: CatalogueOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One actor's positions on the issues, by date."""
    from onrecord.positions import timeline

    found = timeline(_positions_index(db, catalogue).positions, actor, issue)
    if as_json:
        _echo_json([p.to_dict() for p in found])
        return
    for p in found:
        typer.echo(_position_line(p))
    typer.echo(f"{len(found)} position(s)")


def _shift_lines(shift: Shift) -> str:
    def side(p: Position) -> str:
        when = p.published.isoformat() if p.published else "undated"
        condition = f" [if: {p.condition}]" if p.condition else ""
        return f"{p.stance}/{p.act}{condition} {when}: {p.quote}"

    return (
        f"{shift.actor} — {shift.issue_label} ({shift.kind} shift)\n"
        f"    from {side(shift.held_since)}\n    to   {side(shift.after)}"
    )


@app.command()
def shifts(
    since: Annotated[
        str | None, typer.Option(help="Only shifts from this date, YYYY-MM-DD.")
    ] = None,
    issue: IssueOption = None,
    catalogue: CatalogueOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Changes of stance (or of conditions) per actor and issue."""
    from onrecord.positions import detect_shifts

    index = _positions_index(db, catalogue)
    found = detect_shifts(index.positions, since=_parse_date(since, "--since"), issue=issue)
    if as_json:
        _echo_json([shift.to_dict() for shift in found])
        return
    for shift in found:
        typer.echo(_shift_lines(shift))
    typer.echo(f"{len(found)} shift(s)")


class StanceDataset(StrEnum):
    """Datasets ``onrecord eval stance`` scores."""

    PERSPECTRUM = "perspectrum"
    NEWS = "news"


@eval_app.command("stance")
def eval_stance(
    dataset: Annotated[StanceDataset, typer.Argument(help="perspectrum or news.")],
    path: Annotated[Path, typer.Argument(help="The labelled JSONL file (Perspectrum: dev).")],
    as_json: JsonOption = False,
) -> None:
    """Score stance: Perspectrum dev (polarity model) or news statements (full method)."""
    from onrecord.positions import evaluate_stance

    report = evaluate_stance(dataset.value, path)
    if as_json:
        _echo_json(report.to_dict())
    else:
        typer.echo(report.to_markdown())


def main() -> None:
    """Run the command line; errors become one line on stderr and exit status 1."""
    try:
        app()
    except OnrecordError as exc:
        if _state["debug"]:
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
