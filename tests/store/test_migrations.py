"""Schema creation, named migrations, version checks and connection settings."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from onrecord.errors import SchemaTooNew, StoreError
from onrecord.store import SCHEMA_VERSION, Store
from onrecord.store._query import run
from onrecord.store._schema import MIGRATIONS

FIXED = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        return {row[0] for row in rows}


def test_open_creates_every_table_from_empty(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with Store.open(path, now=lambda: FIXED) as store:
        assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
        assert store.migrations() == [m.name for m in MIGRATIONS]
    tables = _tables(path)
    expected = {"articles", "outlets", "speakers", "speaker_aliases", "quotes", "quotes_fts"}
    assert expected <= tables
    assert {"quotes_fts_ai", "quotes_fts_ad", "quotes_fts_au"} <= tables
    with sqlite3.connect(path) as conn:
        applied = conn.execute("SELECT name, applied_at FROM _migrations").fetchall()
    assert {at for _, at in applied} == {FIXED.isoformat()}


def test_reopening_applies_nothing_again(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    Store.open(path, now=lambda: FIXED).close()
    later = datetime(2030, 1, 1, tzinfo=UTC)
    with Store.open(path, now=lambda: later) as store:
        assert store.migrations() == [m.name for m in MIGRATIONS]
    with sqlite3.connect(path) as conn:
        times = {row[0] for row in conn.execute("SELECT applied_at FROM _migrations")}
    assert times == {FIXED.isoformat()}


def test_missing_later_step_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "partial.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER speakers_name_au")
        conn.execute("DROP TRIGGER quotes_fts_ai")
        conn.execute("DROP TRIGGER quotes_fts_ad")
        conn.execute("DROP TRIGGER quotes_fts_au")
        conn.execute("DROP TABLE quotes_fts")
        conn.execute("DELETE FROM _migrations WHERE name != ?", (MIGRATIONS[0].name,))
        conn.execute("PRAGMA user_version = 1")
    with Store.open(path) as store:
        assert store.migrations()[-1] == MIGRATIONS[-1].name
        assert store.schema_version == SCHEMA_VERSION
    assert "quotes_fts" in _tables(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaTooNew, match=rf"v{SCHEMA_VERSION + 1}.*up to v{SCHEMA_VERSION}"):
        Store.open(path)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not a database\n" * 20)
    with pytest.raises(StoreError, match="not a usable onrecord database"):
        Store.open(path)


def test_connection_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    with Store.open(tmp_path / "wal.db") as store:
        conn = store._conn
        assert run(conn, text("PRAGMA journal_mode")).fetchone()[0] == "wal"
        assert run(conn, text("PRAGMA foreign_keys")).fetchone()[0] == 1


def test_a_missing_directory_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        Store.open(tmp_path / "no" / "such" / "dir" / "x.db")
