"""Commands about actors and positions: actors, issues, positions, shifts, stance evaluation."""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from onrecord.errors import ConfigError
from onrecord.store import Actor, ActorEdit

if TYPE_CHECKING:
    from onrecord.positions import Position, PositionsIndex, Shift

from onrecord.cli._app import (
    CatalogueOption,
    DbOption,
    IssueOption,
    JsonOption,
    actors_app,
    app,
    echo_json,
    eval_app,
    issues_app,
    open_store,
    parse_date,
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
    with open_store(db) as store:
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
    with open_store(db) as store:
        edit = store.split_speaker(name, alias, new_name=new_name)
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


def _positions_index(db: str | None, catalogue: Path | None) -> PositionsIndex:
    from onrecord.positions import StoreStanceCache, compute_positions

    with open_store(db) as store:
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
        with open_store(db) as store:
            found = discover_quote_issues(store.iter_quotes(), PositionModels.load())
    if as_json:
        echo_json([item.to_dict() for item in found])
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

    with open_store(db) as store:
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
        echo_json([p.to_dict() for p in found])
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
    found = detect_shifts(index.positions, since=parse_date(since, "--since"), issue=issue)
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
