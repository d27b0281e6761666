"""Frozen migration steps per dialect, the schema version table, and stores made by release
0.1.0 (``fixtures/``) opened by this one: upgraded in place with nothing lost, on both backends.
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

import psycopg
import pytest
from sqlalchemy import text
from tests.e2e.conftest import store_contents
from tests.postgres_server import find_binary

from onrecord.errors import SchemaTooNew
from onrecord.store import SCHEMA_VERSION, Store, _schema, _schema_postgres
from onrecord.store._migrate import SCHEMA_VERSION_TABLE
from onrecord.store._query import run
from onrecord.store._schema import Migration

FIXTURES: Final = Path(__file__).parent / "fixtures"
SQLITE_RELEASE: Final = FIXTURES / "release-0.1.0.db"
POSTGRES_RELEASE: Final = FIXTURES / "release-0.1.0.postgres.sql.gz"
RELEASE_VERSION: Final = 8
RELEASE_ARTICLES: Final = 8
# Tables this release adds to every store, beside the migration steps.
NEW_TABLES: Final = {SCHEMA_VERSION_TABLE}

Snapshot = dict[str, list[tuple[Any, ...]]]


def _select_all(table: str) -> str:
    # Table names read from the database's own catalogue, quoted.
    return f'SELECT * FROM "{table}"'  # noqa: S608


def _rows(conn: Any, catalogue: str) -> Snapshot:  # Any: a sqlite3 or psycopg connection
    """Every row of every table the ``catalogue`` query names, as text, in a stable order."""
    tables = [str(row[0]) for row in conn.execute(catalogue)]
    return {
        table: sorted(
            tuple(str(value) for value in row) for row in conn.execute(_select_all(table))
        )
        for table in tables
    }


def _sqlite_rows(path: Path) -> Snapshot:
    with sqlite3.connect(path) as conn:
        return _rows(
            conn, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )


def _postgres_rows(url: str) -> Snapshot:
    with psycopg.connect(url) as conn:
        return _rows(
            conn, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )


def _postgres_schema(url: str) -> dict[str, set[tuple[Any, ...]]]:
    queries = {
        "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default, "
        "collation_name, generation_expression, is_identity, identity_generation "
        "FROM information_schema.columns WHERE table_schema = 'public'",
        "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
        "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
        "triggers": "SELECT trigger_name, event_manipulation, event_object_table, "
        "action_timing, action_statement FROM information_schema.triggers",
        "collations": "SELECT collname, colliculocale, collisdeterministic FROM pg_collation "
        "WHERE collnamespace = 'public'::regnamespace",
    }
    with psycopg.connect(url) as conn:
        return {name: {tuple(row) for row in conn.execute(sql)} for name, sql in queries.items()}


def _restore(url: str, dump: Path, tmp_path: Path) -> None:
    psql = find_binary("psql")
    assert psql is not None, "PostgreSQL's psql is needed to load the release dump"
    script = tmp_path / "release.sql"
    script.write_bytes(gzip.decompress(dump.read_bytes()))
    subprocess.run(  # noqa: S603 - a fixed binary, a test URL and a test file
        [str(psql), "-v", "ON_ERROR_STOP=1", "-q", "-d", url, "-f", str(script)],
        check=True,
        capture_output=True,
    )


def _upgrade(target: str, snapshot: Callable[[], Snapshot], steps: Sequence[Migration]) -> Snapshot:
    """Open a release store with this onrecord; check that every row it had is kept."""
    before = snapshot()
    assert len(before["articles"]) == RELEASE_ARTICLES
    with Store.open(target) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.migrations() == [step.name for step in steps]
    after = snapshot()
    assert set(after) == set(before) | NEW_TABLES
    for table, rows in before.items():
        assert after[table] == rows, table
    return after


def test_every_step_is_written_for_both_dialects_under_one_name() -> None:
    sqlite_names = [step.name for step in _schema.MIGRATIONS]
    assert [step.name for step in _schema_postgres.MIGRATIONS] == sqlite_names
    assert len(sqlite_names) == SCHEMA_VERSION
    for step in _schema_postgres.MIGRATIONS:
        text = " ".join(step.statements)
        # SQLite's words have no place in the PostgreSQL steps.
        for word in ("VIRTUAL TABLE", "INTEGER PRIMARY KEY", " REAL", "BLOB", "WITHOUT ROWID"):
            assert word not in text, (step.name, word)


def test_the_sqlite_release_store_upgrades_with_nothing_lost(tmp_path: Path) -> None:
    path = tmp_path / "release.db"
    shutil.copyfile(SQLITE_RELEASE, path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == RELEASE_VERSION
    after = _upgrade(str(path), lambda: _sqlite_rows(path), _schema.MIGRATIONS)
    upgraded = store_contents(path)
    assert after[SCHEMA_VERSION_TABLE][0][:2] == ("1", str(SCHEMA_VERSION))
    assert len(upgraded["articles"]) == RELEASE_ARTICLES  # type: ignore[arg-type]
    assert any(upgraded["found"].values())  # type: ignore[attr-defined]
    # The upgraded file has the schema a new file gets.
    fresh = tmp_path / "fresh.db"
    Store.open(fresh).close()
    with sqlite3.connect(path) as old, sqlite3.connect(fresh) as new:
        schema = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        assert old.execute(schema).fetchall() == new.execute(schema).fetchall()


def test_the_postgres_release_store_upgrades_with_nothing_lost(
    postgres_url: str, postgres_server: Any, tmp_path: Path
) -> None:
    _restore(postgres_url, POSTGRES_RELEASE, tmp_path)
    _upgrade(postgres_url, lambda: _postgres_rows(postgres_url), _schema_postgres.MIGRATIONS)
    upgraded = store_contents(postgres_url)
    # The frozen steps build exactly the schema the release built.
    fresh = postgres_server.create_database()
    Store.open(fresh).close()
    assert _postgres_schema(postgres_url) == _postgres_schema(fresh)
    # Both release stores read back the same after the upgrade.
    copy = tmp_path / "release.db"
    shutil.copyfile(SQLITE_RELEASE, copy)
    assert store_contents(copy) == upgraded


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_version_newer_than_this_release_is_refused(
    dialect: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    target = (
        str(tmp_path / "newer.db")
        if dialect == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    with Store.open(target) as store:
        run(store._conn, text("UPDATE _schema_version SET version = :v"), {"v": SCHEMA_VERSION + 1})
    with pytest.raises(SchemaTooNew, match=rf"v{SCHEMA_VERSION + 1}.*up to v{SCHEMA_VERSION}"):
        Store.open(target)
