"""Commands that read articles: extract, ingest, rejects and the PolNeAR evaluation."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from onrecord.cli._app import (
    MAX_COUNT,
    ClusterOption,
    DbOption,
    ExtractFormat,
    JobsOption,
    JsonOption,
    MinConfidenceOption,
    ModelOption,
    NoCleanOption,
    PathsArgument,
    app,
    db_path,
    echo_json,
    eval_app,
    open_store,
    quiet_dask,
    settings_for,
)
from onrecord.config import Settings
from onrecord.errors import ConfigError, IngestError
from onrecord.export import (
    article_to_contract,
    format_table,
)
from onrecord.lang import supported_languages
from onrecord.models import ExtractedArticle, RawDocument


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


def _read(paths: list[str], settings: Settings) -> Iterator[RawDocument | IngestError]:
    from onrecord.ingest import read_inputs

    return read_inputs(
        paths, stdin=sys.stdin, max_bytes=settings.max_bytes, timeout_s=settings.item_timeout_s
    )


def _outcomes(
    paths: list[str],
    settings: Settings,
    jobs: int,
    is_cleaning: bool,
    extractor_name: str,
    cluster: str | None,
) -> Iterator[ExtractedArticle | IngestError]:
    if cluster is not None:
        if jobs > 1:
            raise ConfigError(
                f"[{ConfigError.code}] --cluster and --jobs {jobs} both spread extraction; "
                "give one of them (on a cluster, the worker count sets the parallelism)."
            )
        from onrecord.cluster import cluster_extract

        quiet_dask()
        items = _read(paths, settings)
        return cluster_extract(
            items, settings, address=cluster, is_cleaning=is_cleaning, extractor_name=extractor_name
        )
    if jobs > 1:
        from onrecord.workers import parallel_extract

        items = _read(paths, settings)
        return parallel_extract(items, settings, jobs, is_cleaning, extractor_name=extractor_name)
    from onrecord.extract import create_extractor
    from onrecord.pipeline import extract_paths

    extractor = create_extractor(extractor_name)
    return extract_paths(paths, extractor, settings, is_cleaning=is_cleaning, stdin=sys.stdin)


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
    model: ModelOption = None,
    jobs: JobsOption = 1,
    cluster: ClusterOption = None,
) -> None:
    """Print every statement in the articles under PATHS, without storing anything."""
    settings = settings_for(min_confidence)
    outcomes = _outcomes(
        paths, settings, jobs, not no_clean, model or settings.extract_model, cluster
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
        echo_json([article_to_contract(item) for item in collected])
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
    model: ModelOption = None,
    jobs: JobsOption = 1,
    cluster: ClusterOption = None,
) -> None:
    """Extract the articles under PATHS and add them to the store.

    Articles already stored are skipped; a bad item gets one error line and the batch goes
    on. Exit status 1 when any item failed.
    """
    from onrecord.pipeline import store_outcomes
    from onrecord.positions import PositionsStep

    settings = settings_for(min_confidence)
    outcomes = _outcomes(
        paths, settings, jobs, not no_clean, model or settings.extract_model, cluster
    )
    with (
        open_store(db) as store,
        PositionsStep.from_settings(settings, is_overlapped=True) as positions,
    ):
        summary = store_outcomes(
            _progress(outcomes, "article"),
            store,
            settings.batch_size,
            on_error=_report_error,
            after_batch=[positions],
        )
    typer.echo(
        f"{summary.ingested} ingested, {summary.skipped} skipped (already stored), "
        f"{summary.failed} failed; {summary.quotes} statements -> {db_path(db)}"
    )
    if summary.unsupported_language:
        typer.echo(
            f"{summary.unsupported_language} in unsupported languages: stored without "
            f"statements (supported: {', '.join(supported_languages())})"
        )
    if summary.warned:
        typer.echo(
            f"{summary.warned} kept with a warning (little or no body text): see "
            f"`onrecord rejects --warnings --run {summary.run_id}`",
            err=True,
        )
    if summary.failed:
        typer.echo(f"run {summary.run_id}: see `onrecord rejects --run {summary.run_id}`", err=True)
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def rejects(
    db: DbOption = None,
    run: Annotated[str | None, typer.Option("--run", help="Only this run id.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_COUNT, help="Most rows.")] = 1000,
    warnings: Annotated[
        bool, typer.Option("--warnings", help="Also list articles stored with a warning (OR121).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """List the input items past ingest runs rejected, and why, newest run first."""
    with open_store(db) as store:
        rows = store.rejects(run_id=run, limit=limit, is_warning_listed=warnings)
    if as_json:
        echo_json([asdict(row) for row in rows])
        return
    for row in rows:
        typer.echo(f"{row.rejected_at}  run {row.run_id}  {row.item}  [{row.code}] {row.reason}")
    typer.echo(f"{len(rows)} rejected item(s)")


@eval_app.command("polnear")
def eval_polnear(
    split: Annotated[Path, typer.Argument(help="A PolNeAR split folder (text/, attributions/).")],
    limit: Annotated[
        int | None, typer.Option(min=1, max=MAX_COUNT, help="Only the first N articles.")
    ] = None,
    names: Annotated[
        Path | None,
        typer.Option(
            help="Gold speaker names for the split (eval/speakers/polnear_dev_names.jsonl): "
            "also score resolved names and the null-name rate."
        ),
    ] = None,
    as_json: JsonOption = False,
    model: ModelOption = None,
) -> None:
    """Score extraction on a PolNeAR split: content P/R/F1, speakers, cues, kinds."""
    from onrecord.evaluation import run_polnear_eval
    from onrecord.extract import create_extractor

    extractor = create_extractor(model or settings_for().extract_model)
    report = run_polnear_eval(split, limit=limit, extractor=extractor, names_path=names)
    if as_json:
        echo_json(report.to_dict())
    else:
        typer.echo(report.to_markdown())


@eval_app.command("speakers")
def eval_speakers(
    folder: Annotated[
        Path, typer.Argument(help="A folder with expected.jsonl and articles/ (eval/speakers).")
    ],
    errors: Annotated[bool, typer.Option(help="Also list each statement that went wrong.")] = False,
    as_json: JsonOption = False,
    model: ModelOption = None,
) -> None:
    """Score statements and speakers on own articles: found, right speaker, null names, relays."""
    from onrecord.evaluation import run_speaker_eval
    from onrecord.extract import create_extractor

    scores = run_speaker_eval(
        folder, extractor=create_extractor(model or settings_for().extract_model)
    )
    if as_json:
        echo_json({**scores.to_dict(), "errors": scores.errors if errors else []})
        return
    typer.echo("\n".join(scores.to_markdown()))
    if errors:
        for error in scores.errors:
            typer.echo(json.dumps(error, ensure_ascii=False))
