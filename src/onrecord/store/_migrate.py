"""Bring a database to the current schema: the named steps of its dialect, each once.

Input: an open connection. Output: the same database with every step of ``_schema.MIGRATIONS``
(SQLite) or ``_schema_postgres.MIGRATIONS`` (PostgreSQL) applied, in order, each in its own
write transaction, its name recorded in ``_migrations`` and the schema version in
``_schema_version``. The two lists hold the same steps under the same names; each is frozen
text, so nothing is rewritten at run time and a shipped step is never changed.

The version is also kept where onrecord 0.1.0 read it (SQLite's ``user_version``; on
PostgreSQL the number of recorded steps), so that release still refuses a newer store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Final

from sqlalchemy import text

from onrecord.errors import SchemaTooNew, StoreError
from onrecord.store import _schema, _schema_postgres
from onrecord.store._connection import Connection, is_postgres, transaction
from onrecord.store._query import run
from onrecord.store._schema import MIGRATIONS_TABLE, SCHEMA_VERSION, Migration

log = logging.getLogger(__name__)

SCHEMA_VERSION_TABLE: Final = "_schema_version"
# Run on every open of a SQLite file, before the steps; they create only what is missing.
SQLITE_SETUP_STATEMENTS: Final = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = WAL",
    "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS _schema_version "
    "(id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, updated_at TEXT NOT NULL)",
)
RECORDED_VERSION: Final = text(f"SELECT version FROM {SCHEMA_VERSION_TABLE} WHERE id = 1")
STEPS_COUNT: Final = text(f"SELECT count(*) FROM {MIGRATIONS_TABLE}")
USER_VERSION: Final = text("PRAGMA user_version")
APPLIED: Final = text(f"SELECT name FROM {MIGRATIONS_TABLE}")
IS_APPLIED: Final = text(f"SELECT 1 FROM {MIGRATIONS_TABLE} WHERE name = :name")
RECORD_STEP: Final = text(
    f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (:name, :applied_at)"
)
RECORD_VERSION: Final = text(
    f"INSERT INTO {SCHEMA_VERSION_TABLE} (id, version, updated_at) VALUES (1, :version, :at) "
    "ON CONFLICT (id) DO UPDATE SET version = excluded.version, "
    "updated_at = excluded.updated_at"
)
POSTGRES_SETUP_STATEMENTS: Final = (
    *_schema_postgres.SETUP_STATEMENTS,
    "CREATE TABLE IF NOT EXISTS _schema_version "
    "(id BIGINT PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL, updated_at TEXT NOT NULL)",
)


def steps(conn: Connection) -> tuple[Migration, ...]:
    """The migration steps written for ``conn``'s database.

    Raises:
        StoreError: The PostgreSQL steps do not match the SQLite ones name for name (a step
            was added to one list only).
    """
    if not is_postgres(conn):
        return _schema.MIGRATIONS
    names = [step.name for step in _schema.MIGRATIONS]
    written = [step.name for step in _schema_postgres.MIGRATIONS]
    if written != names:
        missing = [name for name in names if name not in written] or written
        raise StoreError(
            f"[{StoreError.code}] the PostgreSQL schema steps do not match the SQLite ones "
            f"({', '.join(missing)}). Write each step for both databases, in "
            "store/_schema.py and store/_schema_postgres.py, under one name."
        )
    return _schema_postgres.MIGRATIONS


def schema_version(conn: Connection) -> int:
    """The schema version of the database: the newest of what this and older releases kept."""
    recorded = _recorded(conn) or 0
    legacy = run(conn, STEPS_COUNT if is_postgres(conn) else USER_VERSION).fetchone()
    return max(recorded, int(legacy[0]))


def migrate(conn: Connection, name: str, now: Callable[[], datetime]) -> None:
    """Apply the steps ``conn`` lacks and record the schema version.

    Args:
        conn: The open database.
        name: How to name the database in messages (a path, or a URL without password).
        now: Clock for the times recorded with each step.

    Raises:
        SchemaTooNew: A newer onrecord wrote the database.
        StoreError: The dialects' step lists disagree (see ``steps``).
    """
    if is_postgres(conn):
        with transaction(conn):
            for statement in POSTGRES_SETUP_STATEMENTS:
                conn.execute_verbatim(statement)
    else:
        for statement in SQLITE_SETUP_STATEMENTS:
            conn.execute_verbatim(statement)
    found = schema_version(conn)
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(name, found, SCHEMA_VERSION)
    applied = {str(row[0]) for row in run(conn, APPLIED)}
    for version, migration in enumerate(steps(conn), start=1):
        if migration.name in applied:
            continue
        with transaction(conn):
            # Another process may have applied this step while we waited for the write lock.
            if _is_applied(conn, migration.name):
                continue
            for statement in migration.statements:
                conn.execute_verbatim(statement)
            run(conn, RECORD_STEP, {"name": migration.name, "applied_at": now().isoformat()})
            _record_version(conn, version, now)
        log.info("applied migration %s", migration.name)
    if _recorded(conn) != SCHEMA_VERSION:
        # A store made before the version table (or by a run that stopped half-way).
        with transaction(conn):
            _record_version(conn, SCHEMA_VERSION, now)


def _recorded(conn: Connection) -> int | None:
    row = run(conn, RECORDED_VERSION).fetchone()
    return None if row is None else int(row[0])


def _record_version(conn: Connection, version: int, now: Callable[[], datetime]) -> None:
    run(conn, RECORD_VERSION, {"version": version, "at": now().isoformat()})
    if not is_postgres(conn):
        # PRAGMA takes no parameters; version is an int from enumerate.
        conn.execute_verbatim(f"PRAGMA user_version = {version:d}")


def _is_applied(conn: Connection, name: str) -> bool:
    return run(conn, IS_APPLIED, {"name": name}).fetchone() is not None
