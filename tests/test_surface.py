"""The public surface stays honest: every command has help, ``__all__`` lists what exists."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

import onrecord
from onrecord.cli import app


def _walk(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found: list[tuple[tuple[str, ...], Any]] = []
    for name, sub in getattr(command, "commands", {}).items():
        path = (*prefix, name)
        found.append((path, sub))
        found.extend(_walk(sub, path))
    return found


COMMANDS = _walk(typer.main.get_command(app))


def test_core_commands_exist() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"ingest", "extract", "search", "speakers", "speaker", "export", "eval polnear"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help(path: tuple[str, ...], command: Any) -> None:
    assert command.help, f"`onrecord {' '.join(path)}` has no help text"
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert command.help.split("\n")[0][:30] in " ".join(result.output.split())


def test_all_lists_public_names() -> None:
    for name in onrecord.__all__:
        assert hasattr(onrecord, name), name
    public = {
        name
        for name, value in vars(onrecord).items()
        if not name.startswith("_") and (isinstance(value, type) or callable(value))
    }
    assert public <= set(onrecord.__all__)
