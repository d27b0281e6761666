"""What the store's query modules need of a database connection, on either backend.

The query modules (``_articles``, ``_search``, ``_speakers`` ...) are written once, in the
SQL that SQLite reads, against the small interface below. ``sqlite3.Connection`` is such a
connection as it is; ``_postgres.PostgresConnection`` is one for PostgreSQL, translating each
statement on the way (see that module for what is translated). The few queries that differ
by more than spelling (full-text search) ask ``is_postgres`` and branch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final, Protocol

import psycopg

# Any: SQL parameters and column values are of mixed types by nature.
Params = Sequence[Any] | Mapping[str, Any]


class Row(Protocol):
    """A result row, read by position or by column name."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...

    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    """The result of one statement."""

    @property
    def lastrowid(self) -> int | None: ...

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """An open database connection, in autocommit mode: transactions are explicit."""

    def execute(self, sql: str, parameters: Params = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Sequence[Params], /) -> Cursor: ...

    def close(self) -> None: ...


# What a failed statement raises, on either backend.
DATABASE_ERRORS: Final = (sqlite3.Error, psycopg.Error)


def is_postgres(conn: Connection) -> bool:
    """Whether ``conn`` talks to PostgreSQL (else SQLite)."""
    return getattr(conn, "dialect", "sqlite") == "postgresql"
