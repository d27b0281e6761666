"""``onrecord fidelity``: quotations whose words or speaker changed as outlets relayed them."""

from __future__ import annotations

from typing import Annotated

import typer

from onrecord.cli._app import (
    MAX_COUNT,
    DbOption,
    JsonOption,
    app,
    echo_json,
    open_store,
    parse_date,
)
from onrecord.fidelity import KIND_LABELS, FidelityFinding, Side


def _side(side: Side) -> str:
    when = side.published.isoformat() if side.published else "undated"
    return f"{side.outlet or 'unknown outlet'} {when}, {side.speaker or '(unattributed)'}"


def _lines(finding: FidelityFinding) -> list[str]:
    label = KIND_LABELS.get(finding.kind, finding.kind)
    lines = [
        f"[{finding.severity}] {finding.kind}: {label}"
        + (f" ({finding.detail})" if finding.detail else ""),
        f"    first:  {_side(finding.origin)}  (quotation {finding.origin.quotation_id})",
        f"            {finding.origin.text}",
        f"    later:  {_side(finding.occurrence)}  (quotation {finding.occurrence.quotation_id})",
        f"            {finding.occurrence.text}",
    ]
    if finding.origin_words or finding.copy_words:
        lines.append(f"    changed: {finding.origin_words or '-'} -> {finding.copy_words or '-'}")
    return lines


@app.command()
def fidelity(
    since: Annotated[
        str | None, typer.Option(help="Only later occurrences published on or after YYYY-MM-DD.")
    ] = None,
    speaker: Annotated[
        str | None, typer.Option(help="Any spelling of a speaker's name, either side.")
    ] = None,
    severity: Annotated[
        str, typer.Option(help="Least severity listed: low, medium or high.")
    ] = "low",
    kind: Annotated[
        str | None,
        typer.Option(help="Only this kind, e.g. negation_changed, speaker_changed, trimmed."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_COUNT, help="Most findings.")] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Quotations altered on the way: trimmed, reworded, negated, re-attributed, uncredited."""
    with open_store(db) as store:
        found = store.fidelity(
            since=parse_date(since, "--since"),
            speaker=speaker,
            severity=severity,
            kind=kind,
            limit=limit,
        )
    if as_json:
        echo_json([finding.to_dict() for finding in found])
        return
    for finding in found:
        for line in _lines(finding):
            typer.echo(line)
    typer.echo(f"{len(found)} finding(s)")
