"""kill -9 in the middle of an ingest, readers during a write, two writers at once: the store
stays whole, holds only whole articles, and a re-run finishes without duplicates."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from onrecord import Settings
from onrecord.api import create_app
from onrecord.store import Store
from tests.reliability.conftest import cli_env, run_cli

ARTICLES = 120


def _corpus(hostile: ModuleType, folder: Path) -> None:
    rng = random.Random(5)  # noqa: S311 -- test data
    folder.mkdir()
    for number in range(ARTICLES):
        text, _, _ = hostile.good_article(number, rng)
        # A few paragraphs more, so that a batch takes a moment to parse.
        text += "\n\n".join(
            f"The council met for the {k}th time and discussed the budget of the port."
            for k in range(6)
        )
        (folder / f"article_{number:03d}.txt").write_text(text, encoding="utf-8")


def _quotes_by_article(db: Path) -> dict[str, list[tuple[str, str | None]]]:
    with Store.open(db) as store:
        return {
            item.article.id: sorted(
                (q.text, q.speaker.name if q.speaker else None) for q in item.quotes
            )
            for item in store.iter_articles()
        }


def _integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def _start_ingest(folder: Path, db: Path, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 -- our own interpreter and module
        [sys.executable, "-m", "onrecord", "ingest", str(folder), "--db", str(db)],
        cwd=cwd,
        env=cli_env(ONRECORD_BATCH_SIZE="4"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def corpus(hostile: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The folder of articles and a store holding a clean, uninterrupted run over it."""
    root = tmp_path_factory.mktemp("crash")
    folder = root / "articles"
    _corpus(hostile, folder)
    clean = root / "clean.db"
    result = run_cli("ingest", str(folder), "--db", str(clean), cwd=root, ONRECORD_BATCH_SIZE="4")
    assert result.returncode == 0, result.stderr
    return folder, clean


@pytest.mark.slow
def test_kill_9_leaves_whole_articles_and_a_rerun_finishes(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    folder, clean = corpus
    db = tmp_path / "killed.db"
    process = _start_ingest(folder, db, tmp_path)
    deadline = time.monotonic() + 120
    while _stored(db) < 8 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "the ingest ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert _integrity(db) == "ok"
    expected = _quotes_by_article(clean)
    partial = _quotes_by_article(db)
    assert 8 <= len(partial) < ARTICLES
    for article_id, quotes in partial.items():
        assert quotes == expected[article_id]

    rerun = run_cli("ingest", str(folder), "--db", str(db), cwd=tmp_path, ONRECORD_BATCH_SIZE="4")
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.startswith(f"{ARTICLES - len(partial)} ingested, {len(partial)} skipped")
    assert _quotes_by_article(db) == expected
    assert _integrity(db) == "ok"
    with sqlite3.connect(db) as conn:
        sources = [row[0] for row in conn.execute("SELECT source FROM articles")]
    assert len(sources) == len(set(sources)) == ARTICLES


@pytest.mark.slow
def test_readers_work_while_an_ingest_writes(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    folder, _ = corpus
    db = tmp_path / "busy.db"
    Store.open(db).close()
    process = _start_ingest(folder, db, tmp_path)
    client = TestClient(create_app(Settings(db_path=db)))
    searches = 0
    try:
        while process.poll() is None:
            if _stored(db) == 0:
                time.sleep(0.02)
                continue
            response = client.get("/api/search", params={"q": "winter"})
            assert response.status_code == 200, response.text
            cli = run_cli("search", "winter", "--db", str(db), cwd=tmp_path, timeout_s=60)
            assert cli.returncode == 0, cli.stderr
            searches += 1
    finally:
        process.communicate(timeout=120)
    assert process.returncode == 0
    assert searches >= 1
    assert client.get("/api/search", params={"q": "winter", "limit": 200}).status_code == 200


@pytest.mark.slow
def test_two_ingests_into_one_store_both_finish(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    folder, clean = corpus
    db = tmp_path / "shared.db"
    first = _start_ingest(folder, db, tmp_path)
    second = _start_ingest(folder, db, tmp_path)
    out_first = first.communicate(timeout=240)
    out_second = second.communicate(timeout=240)
    assert first.returncode == 0, out_first[1]
    assert second.returncode == 0, out_second[1]
    assert _integrity(db) == "ok"
    assert _quotes_by_article(db) == _quotes_by_article(clean)
    added = [int(out[0].split(" ingested")[0]) for out in (out_first, out_second)]
    assert sum(added) == ARTICLES
