"""Command line: parse options, call the library, render. No logic lives here."""

from __future__ import annotations

import typer

app = typer.Typer(help="onrecord: a searchable record of who said what in the news.")


@app.command()
def version() -> None:
    """Print the onrecord version."""
    from onrecord import __version__

    typer.echo(__version__)


def main() -> None:
    """Run the command line."""
    app()
