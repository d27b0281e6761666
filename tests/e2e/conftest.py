"""End-to-end fixtures: the real ``onrecord`` command over the bundled demo corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from onrecord.store import Store

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "demo"
DEMO_CONFIG = REPO / "data" / "onrecord.toml"
EXPECTED = Path(__file__).with_name("demo_expected.json")


def run_cli(
    args: Sequence[str], *, cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m onrecord ARGS`` as a user would, capturing its output."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("ONRECORD_DB", None)
    return subprocess.run(  # noqa: S603 - the project's own CLI with test-chosen arguments
        [sys.executable, "-m", "onrecord", *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        input=stdin,
        env=env,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    """What the demo corpus was written to contain."""
    data: dict[str, Any] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built by ``onrecord ingest data/demo``."""
    db = tmp_path_factory.mktemp("e2e") / "demo.db"
    result = run_cli(["--config", str(DEMO_CONFIG), "ingest", str(DEMO), "--db", str(db)])
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture(scope="session")
def demo_extract() -> dict[str, dict[str, Any]]:
    """``onrecord extract data/demo --format jsonl``, keyed by path relative to data/demo."""
    result = run_cli(["--config", str(DEMO_CONFIG), "extract", str(DEMO), "--format", "jsonl"])
    assert result.returncode == 0, result.stderr
    by_source: dict[str, dict[str, Any]] = {}
    for line in result.stdout.splitlines():
        record = json.loads(line)
        by_source[str(Path(record["source"]).relative_to(DEMO))] = record
    return by_source


# Searches whose result sets two stores of the demo must agree on.
SEARCHED = ("monitors", "guarantees", "Kroll", "dam", "unarmed observers", "water release")


def store_contents(target: Path | str) -> dict[str, object]:
    """Everything a user can read back from a store, search order aside."""
    with Store.open(target) as store:
        return {
            "articles": list(store.iter_articles()),
            "quotes": list(store.iter_quotes()),
            "speakers": store.speakers(),
            "actors": store.actors(),
            "stories": store.stories(min_articles=1, limit=1000),
            "quotations": store.quotations(min_occurrences=1, limit=10_000),
            "duplicates": store.duplicate_pairs(),
            "stats": store.stats(),
            "found": {word: {hit.quote_id for hit in store.search(word)} for word in SEARCHED},
        }
