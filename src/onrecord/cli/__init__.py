"""Command line: parse options, call the library, render. No logic lives here.

``_app`` holds the typer app, the shared options and the error boundary (``main``); each other
module registers the commands of one concern on it.
"""

from onrecord.cli import (  # noqa: F401 - registers commands
    _fidelity,
    _ingest,
    _positions,
    _query,
    _stories,
)
from onrecord.cli._app import app, main

__all__ = ["app", "main"]
