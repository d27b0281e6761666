"""Commands about actors and positions: actors, issues, positions, shifts, stance evaluation.

Positions are read as stored (derived at ingest); `positions rebuild` derives them again.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from onrecord.errors import ConfigError
from onrecord.store import Actor, ActorEdit, Store

if TYPE_CHECKING:
    from onrecord.positions import Position, Shift

from onrecord.cli._app import (
    MAX_COUNT,
    CatalogueOption,
    DbOption,
    IssueOption,
    JsonOption,
    actors_app,
    app,
    db_path,
    echo_json,
    eval_app,
    issues_app,
    open_store,
    parse_date,
    positions_app,
    settings_for,
    speaker_dict,
)


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


def _edited_names(edit: ActorEdit) -> list[str]:
    """Names of the speakers an edit left, whose positions may have another holder now."""
    return [
        str(snapshot["name"])
        for snapshot in edit.after.values()
        if isinstance(snapshot, dict) and "name" in snapshot
    ]


@actors_app.callback()
def actors(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """List speakers across the corpus with their spellings and the roles held over time."""
    if ctx.invoked_subcommand is not None:
        return
    with open_store(db) as store:
        found = store.actors()
    if as_json:
        echo_json(
            [
                {**speaker_dict(a.summary), "roles": [asdict(role) for role in a.roles]}
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
    from onrecord.positions import refresh_speakers

    with open_store(db) as store:
        edit = store.merge_speakers(name, other, into=into)
        refresh_speakers(store, _edited_names(edit))
    typer.echo(f"{_edit_line(edit)} -> {edit.after['speaker']}")


@actors_app.command("split")
def actors_split(
    name: Annotated[str, typer.Argument(help="Any spelling of the speaker.")],
    alias: Annotated[str, typer.Option("--alias", help="The spelling to split off.")],
    new_name: Annotated[str | None, typer.Option("--as", help="Name of the new speaker.")] = None,
    db: DbOption = None,
) -> None:
    """Make one spelling, and the statements stored under it, a speaker of its own."""
    from onrecord.positions import refresh_speakers

    with open_store(db) as store:
        edit = store.split_speaker(name, alias, new_name=new_name)
        refresh_speakers(store, _edited_names(edit))
    typer.echo(f"{_edit_line(edit)} -> {edit.after['new']}")


@actors_app.command("history")
def actors_history(
    name: Annotated[str | None, typer.Argument(help="Only edits involving this name.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show recorded merges and splits, oldest first."""
    with open_store(db) as store:
        found = store.actor_edits(name)
    if as_json:
        echo_json([edit.to_dict() for edit in found])
        return
    for edit in found:
        typer.echo(f"{_edit_line(edit)}\n    before: {edit.before}\n    after:  {edit.after}")


def _catalogue(catalogue: Path | None) -> Path | None:
    return catalogue if catalogue is not None else settings_for().catalogue_path


def _check_stored(store: Store, catalogue: Path | None) -> None:
    from onrecord.positions import has_positions, is_stale

    if not has_positions(store):
        raise ConfigError(
            f"[{ConfigError.code}] {store.path} holds no positions yet. Run "
            "`onrecord positions rebuild` (with a catalogue in the config file, or --catalogue; "
            "without one, issues are discovered)."
        )
    stale = is_stale(store, _catalogue(catalogue))
    if stale:
        raise ConfigError(f"[{ConfigError.code}] {stale}.")


@issues_app.callback()
def issues(
    ctx: typer.Context,
    catalogue: CatalogueOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the issues positions are tracked on: the stored ones, else the catalogue's."""
    from onrecord.positions import load_catalogue, stored_issues_list

    if ctx.invoked_subcommand is not None:
        return
    target = db_path(db)
    stored = []
    # Listing a catalogue needs no store: a missing default store is not created for it.
    if not isinstance(target, Path) or target.exists():
        with open_store(db) as store:
            stored = stored_issues_list(store)
    path = _catalogue(catalogue)
    if not stored and path is not None:
        found: list[Any] = list(load_catalogue(path).issues)
        if as_json:
            echo_json([item.to_dict() for item in found])
            return
        for item in found:
            typer.echo(f"{item.id}  {item.label}\n    {item.proposition}")
        return
    if as_json:
        echo_json([asdict(item) for item in stored])
        return
    for issue in stored:
        typer.echo(
            f"{issue.id}  {issue.label}  [{issue.origin}] "
            f"{issue.position_count} positions, {issue.actor_count} actors\n"
            f"    {issue.proposition}"
        )


@issues_app.command("discover")
def issues_discover(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Discover issues among the stored statements (nothing is stored; see `positions rebuild`)."""
    from onrecord.positions import PositionModels, discover_store_issues

    with open_store(db) as store:
        found = discover_store_issues(store, PositionModels.load())
    if as_json:
        echo_json([item.to_dict() for item in found])
        return
    for item in found:
        typer.echo(f"{item.id}  {item.label}  ({len(item.quote_ids)} statements)")
        for example in item.examples[:2]:
            typer.echo(f"    {example}")


IssueArgument = Annotated[str, typer.Argument(help="Id of a stored, discovered issue.")]


@issues_app.command("rename")
def issues_rename(
    issue_id: IssueArgument,
    label: Annotated[str, typer.Argument(help="The new label.")],
    db: DbOption = None,
) -> None:
    """Give a discovered issue a label of your own (kept when issues are discovered again)."""
    from onrecord.positions import rename_issue

    with open_store(db) as store:
        issue = rename_issue(store, issue_id, label)
    typer.echo(f"{issue.id}  {issue.label}")


@issues_app.command("merge")
def issues_merge(
    issue_id: IssueArgument,
    into: Annotated[str, typer.Argument(help="Id of the issue to merge it into.")],
    db: DbOption = None,
) -> None:
    """Merge a discovered issue into another; its statements are read again against it."""
    from onrecord.positions import merge_issue

    with open_store(db) as store:
        issue = merge_issue(store, issue_id, into)
    typer.echo(f"{issue_id} -> {issue.id}  ({issue.position_count} positions)")


@issues_app.command("drop")
def issues_drop(issue_id: IssueArgument, db: DbOption = None) -> None:
    """Drop a discovered issue and its positions (left out of later discovery too)."""
    from onrecord.positions import drop_issue

    with open_store(db) as store:
        drop_issue(store, issue_id)
    typer.echo(f"dropped {issue_id}")


@issues_app.command("promote")
def issues_promote(
    issue_id: IssueArgument,
    catalogue: CatalogueOption = None,
    db: DbOption = None,
) -> None:
    """Append a discovered issue to the catalogue file, where it can be reworded by hand."""
    from onrecord.positions import promote_stored_issue

    path = _catalogue(catalogue)
    with open_store(db) as store:
        issue = promote_stored_issue(store, issue_id, path)
    typer.echo(f"{issue.id} -> {path}")


def _position_line(p: Position) -> str:
    when = p.published.isoformat() if p.published else "undated"
    condition = f" [if: {p.condition}]" if p.condition else ""
    return (
        f"{when}  {p.stance} ({p.act}){condition}  {p.issue_label}  "
        f"({p.outlet or 'unknown outlet'})\n    {p.speaker}: {p.quote}"
    )


@positions_app.command("show")
def positions_show(
    actor: Annotated[str, typer.Argument(help="A speaker, or a body spokespeople speak for.")],
    issue: IssueOption = None,
    catalogue: CatalogueOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One actor's positions on the issues, by date (`onrecord positions ACTOR` for short)."""
    from onrecord.positions import actor_positions, find_issue_id

    with open_store(db) as store:
        _check_stored(store, catalogue)
        found = actor_positions(store, actor, find_issue_id(store, issue))
    if as_json:
        echo_json([p.to_dict() for p in found])
        return
    for p in found:
        typer.echo(_position_line(p))
    typer.echo(f"{len(found)} position(s)")


@positions_app.command("rebuild")
def positions_rebuild(
    catalogue: CatalogueOption = None,
    discover: Annotated[
        bool,
        typer.Option("--discover", help="Add discovered issues to the catalogue's."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Derive every position again: after changing the catalogue or the stance model."""
    from tqdm import tqdm

    from onrecord.positions import PositionModels, issue_set, rebuild_positions

    models = PositionModels.load()
    with open_store(db) as store:
        chosen, state = issue_set(store, _catalogue(catalogue), models, discover=discover)
        # tqdm hides itself when stderr is not a terminal.
        with tqdm(unit="statement", file=sys.stderr, disable=None, leave=False) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            count = rebuild_positions(store, chosen, state, models, progress)
    typer.echo(f"{len(chosen)} issue(s), {count} position(s) -> {db_path(db)}")


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
    limit: Annotated[int, typer.Option(min=1, max=MAX_COUNT, help="Most shifts.")] = MAX_COUNT,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Changes of stance (or of conditions) per actor and issue, as stored."""
    from onrecord.positions import find_issue_id, stored_shifts

    with open_store(db) as store:
        _check_stored(store, catalogue)
        found = stored_shifts(
            store,
            issue_id=find_issue_id(store, issue),
            since=parse_date(since, "--since"),
            limit=limit,
        )
    if as_json:
        echo_json([shift.to_dict() for shift in found])
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
    rules_only: Annotated[
        bool, typer.Option("--rules-only", help="Score the rules alone (stance.rules.v2).")
    ] = False,
) -> None:
    """Score stance: Perspectrum dev (polarity) or news statements (stance, act, condition)."""
    from onrecord.positions import StanceClassifier, evaluate_stance

    report = evaluate_stance(dataset.value, path, StanceClassifier(use_model=not rules_only))
    if as_json:
        echo_json(report.to_dict())
    else:
        typer.echo(report.to_markdown())
