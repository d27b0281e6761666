"""The command line's app, shared options and the error boundary.

The one place that configures logging and turns ``OnrecordError`` into a message on stderr
and exit status 1 (a traceback only with ``--debug``).
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final

import typer
from typer import _click  # typer ships its own click; its groups take that click's Context
from typer.core import TyperGroup

from onrecord.config import Settings, load_settings, store_target
from onrecord.errors import ConfigError, OnrecordError, printable
from onrecord.store import SpeakerSummary, Store

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
    help="List the issues positions are tracked on; discover, rename, merge, drop, promote.",
    invoke_without_command=True,
)
app.add_typer(issues_app, name="issues")


class _ActorOrCommand(TyperGroup):
    """``onrecord positions ACTOR`` runs ``show ACTOR``; ``positions rebuild`` its command."""

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        words = [a for a in args if not a.startswith("-")]
        if words and words[0] not in self.commands:
            args = ["show", *args]
        return super().parse_args(ctx, args)


positions_app = typer.Typer(
    cls=_ActorOrCommand,
    help="Positions stored per statement: show one actor's (`positions ACTOR`), or "
    "`positions rebuild` after changing the catalogue or the model.",
    no_args_is_help=True,
)
app.add_typer(positions_app, name="positions")

state: dict[str, Any] = {"debug": False, "config": None}


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
    str | None,
    typer.Option(
        "--db",
        help="SQLite file or postgresql://user@host/name (default: $ONRECORD_DB or onrecord.db).",
    ),
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
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "--extractor",
        help="Extraction model: fast (CRF) or accurate (encoder and CRF), or a registered "
        "versioned name (default: the model named in the config file's extract table, "
        "else fast).",
    ),
]
# Bounds on counts and ids given on the command line: far past any real store, and inside
# the 64-bit integers SQLite compares with, so that a huge number is refused at the edge.
MAX_COUNT: Final = 10_000_000
MAX_ID: Final = 2**63 - 1
JobsOption = Annotated[
    int, typer.Option("--jobs", "-j", min=1, max=1024, help="Worker processes for extraction.")
]
ClusterOption = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        metavar="ADDRESS",
        help="Extract on a Dask cluster: local:N starts N worker processes here, "
        "tcp://HOST:PORT uses a running `dask scheduler`. Not with --jobs.",
    ),
]
MinConfidenceOption = Annotated[
    float,
    typer.Option(
        "--min-confidence",
        min=0.0,
        max=1.0,
        help="Drop statements whose calibrated confidence is below this.",
    ),
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
    state["debug"] = debug
    state["config"] = config


def quiet_dask() -> None:
    """Hold Dask's loggers to this run's level; importing ``distributed`` sets them to INFO."""
    import distributed  # noqa: F401 - the import sets the levels reset here

    level = max(logging.getLogger().level, logging.INFO)
    logging.getLogger("distributed").setLevel(level)


def settings_for(min_confidence: float = 0.0) -> Settings:
    return replace(load_settings(state["config"]), min_confidence=min_confidence)


def db_path(db: str | None) -> Path | str:
    return store_target(db) if db is not None else settings_for().db_path


def open_store(db: str | None) -> Store:
    return Store.open(db_path(db), aliases=settings_for().aliases_path)


def echo_json(value: object) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            f"[{ConfigError.code}] {option} {value!r} is not a date; use YYYY-MM-DD."
        ) from None


def speaker_dict(summary: SpeakerSummary) -> dict[str, object]:
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


def main() -> None:
    """Run the command line; errors become one line on stderr and exit status 1."""
    try:
        app()
    except OnrecordError as exc:
        if state["debug"]:
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:  # the last boundary: one line, the traceback only with --debug
        if state["debug"]:
            raise
        typer.echo(
            f"error: [{OnrecordError.code}] {type(exc).__name__}: {printable(str(exc))}. "
            "This is a bug in onrecord; run again with --debug and report the traceback.",
            err=True,
        )
        sys.exit(1)
