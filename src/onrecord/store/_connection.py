"""What the store's query modules need of a database connection, on either backend.

The query modules (``_articles``, ``_search``, ``_speakers`` ...) state their statements with
SQLAlchemy Core (see ``_query``) and hand this small interface SQL compiled for the
connection's own dialect. ``SqliteConnection`` wraps a ``sqlite3`` connection;
``_postgres.PostgresConnection`` is one for PostgreSQL. The queries that differ by more than
spelling (full-text search, ranking, snippets) are written once per dialect, in
``_fulltext``. Transactions and savepoints are plain statements run verbatim, except the start
of a write transaction, which each connection takes its own way (``begin_write``).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Final, Protocol

import psycopg

log = logging.getLogger(__name__)


class Row(Protocol):
    """A result row, read by position or by column name."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...

    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    """The result of one statement."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """An open database connection, in autocommit mode: transactions are explicit.

    ``execute_compiled`` and ``execute_compiled_many`` take SQL compiled for the connection's
    own dialect by ``_query`` and run it as it is; ``execute_verbatim`` runs a statement that
    takes no parameters exactly as written (the frozen migration steps, ``COMMIT``,
    savepoints); ``begin_write`` starts a write transaction holding the writer lock;
    ``pipelined`` runs a block's statements without a round trip per write (PostgreSQL).
    There is no method that takes one dialect's SQL text and rewrites it for the other.
    """

    @property
    def dialect(self) -> str: ...

    def execute_compiled(self, sql: str, parameters: Mapping[str, Any], /) -> Cursor: ...

    def execute_compiled_many(
        self, sql: str, parameters: Sequence[Mapping[str, Any]], /
    ) -> None: ...

    def execute_verbatim(self, sql: str, /) -> None: ...

    def begin_write(self) -> None: ...

    def pipelined(self) -> AbstractContextManager[None]: ...

    def close(self) -> None: ...


class SqliteConnection:
    """A ``sqlite3`` connection (autocommit, rows by name) as the store's ``Connection``."""

    dialect: Final = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute_compiled(self, sql: str, parameters: Mapping[str, Any], /) -> sqlite3.Cursor:
        return self._conn.execute(sql, parameters)

    def execute_compiled_many(self, sql: str, parameters: Sequence[Mapping[str, Any]], /) -> None:
        self._conn.executemany(sql, parameters)

    def execute_verbatim(self, sql: str, /) -> None:
        self._conn.execute(sql)

    @contextmanager
    def pipelined(self) -> Iterator[None]:
        """Nothing to do: SQLite runs in-process, each statement answers at once."""
        yield

    def begin_write(self) -> None:
        # IMMEDIATE takes the file's write lock now, not at the first write.
        self._conn.execute("BEGIN IMMEDIATE")

    def close(self) -> None:
        self._conn.close()


# What a failed statement raises, on either backend.
DATABASE_ERRORS: Final = (sqlite3.Error, psycopg.Error)


def is_postgres(conn: Connection) -> bool:
    """Whether ``conn`` talks to PostgreSQL (else SQLite)."""
    return conn.dialect == "postgresql"


@contextmanager
def transaction(conn: Connection) -> Iterator[None]:
    """One write transaction: commit when the block ends, roll back when it raises.

    It starts with ``begin_write``, which takes the database's write lock at once (SQLite's
    ``BEGIN IMMEDIATE``; on PostgreSQL one advisory lock, see ``_postgres``), so that two
    writers queue one after the other instead of failing half-way with "database is locked".
    """
    conn.begin_write()
    try:
        yield
        conn.execute_verbatim("COMMIT")
    except BaseException:
        # SQLite ends the transaction itself on some errors (a full disk); a second
        # ROLLBACK would only add "no transaction is active" to the real error.
        try:
            conn.execute_verbatim("ROLLBACK")
        except DATABASE_ERRORS as again:
            log.debug("nothing to roll back: %s", again)
        raise


@contextmanager
def savepoint(conn: Connection, name: str) -> Iterator[None]:
    """A part of the open transaction that is undone alone when the block raises.

    Args:
        conn: A connection inside ``transaction``.
        name: The savepoint's name, one of the store's constants (never user input).
    """
    conn.execute_verbatim(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        # On a full disk SQLite has already rolled the whole transaction back; the error
        # that says so must reach the caller, not "no such savepoint".
        try:
            conn.execute_verbatim(f"ROLLBACK TO {name}")
            conn.execute_verbatim(f"RELEASE {name}")
        except DATABASE_ERRORS as again:
            log.debug("savepoint %s is gone with its transaction: %s", name, again)
        raise
    conn.execute_verbatim(f"RELEASE {name}")
