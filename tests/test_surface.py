"""The public surface stays honest: every command has help, ``__all__`` lists what exists."""

from __future__ import annotations

import click
import pytest
import typer.main
from typer.testing import CliRunner

import onrecord
from onrecord.cli import app


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
    return found


COMMANDS = _commands(typer.main.get_command(app))  # type: ignore[arg-type]


def test_core_commands_exist() -> None:
    names = {" ".join(path) for path in COMMANDS}
    assert {"ingest", "extract", "search", "speakers", "speaker", "export", "eval polnear"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    group = typer.main.get_command(app)
    command: click.Command = group
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    assert command.help, f"`onrecord {' '.join(path)}` has no help text"


def test_all_lists_public_names() -> None:
    for name in onrecord.__all__:
        assert hasattr(onrecord, name), name
    public = {
        name
        for name, value in vars(onrecord).items()
        if not name.startswith("_") and (isinstance(value, type) or callable(value))
    }
    assert public <= set(onrecord.__all__)
