"""The real command line on hostile arguments: special files and huge numbers end in error
lines and an exit status, never a hang or a traceback."""

from __future__ import annotations

import os
from pathlib import Path

from tests.reliability.conftest import run_cli

ARTICLE = (
    "Council item 1\n\nLINDHAVEN (Tidewire) - Mara Velin arrived on Monday.\n\n"
    '"We will reopen the bridge before winter," Mara Velin told reporters.\n'
)
HUGE = str(10**20)


def test_a_fifo_and_a_device_as_arguments_get_error_lines(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "a.db"
    result = run_cli("ingest", str(fifo), "/dev/zero", str(good), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(lines) == 2
    assert f"] {fifo}: this is a named pipe (FIFO)" in lines[0]
    assert "] /dev/zero: this is a character device" in lines[1]
    assert result.stdout.startswith("1 ingested, 0 skipped (already stored), 2 failed")
    assert "Traceback" not in result.stderr


def test_huge_numbers_on_the_command_line_are_refused_without_a_traceback(
    tmp_path: Path,
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "a.db"
    assert run_cli("ingest", str(good), "--db", str(db), cwd=tmp_path).returncode == 0
    for args in (
        ("search", "bridge", "--limit", HUGE),
        ("quotations", "--min-occurrences", HUGE),
        ("quote", HUGE),
        ("stories", "--id", HUGE),
    ):
        result = run_cli(*args, "--db", str(db), cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert "Invalid value" in result.stderr
