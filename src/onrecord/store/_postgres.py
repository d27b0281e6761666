"""PostgreSQL as the store's database: a connection that runs the store's queries.

The schema is written for PostgreSQL in ``_schema_postgres`` (frozen steps, run by
``_migrate``). ``PostgresConnection`` runs the statements the query layer (``_query``)
compiles for PostgreSQL as they are. A write transaction (``begin_write``) holds one advisory
lock, so that writers queue one after another as they do on a SQLite file.
No statement is rewritten from SQLite's dialect: the query layer compiles each one for
PostgreSQL (see docs/postgresql.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Final

import psycopg
from psycopg.adapt import Loader
from psycopg.types.numeric import IntDumper

DIALECT: Final = "postgresql"
# Any number works as long as every onrecord writer uses the same one.
WRITE_LOCK: Final = 7_357_001
TEXT_SEARCH_CONFIG: Final = "english"


class PostgresRow(tuple[Any, ...]):
    """A row read by position or by column name, as ``sqlite3.Row`` is."""

    _names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:  # Any: an int, a slice or a column name
        if isinstance(key, str):
            return super().__getitem__(self._names[key])
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: psycopg.Cursor[Any]) -> Any:  # Any: psycopg's RowMaker protocol
    names = {column.name: index for index, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> PostgresRow:
        row = PostgresRow(values)
        row._names = names
        return row

    return make


class _TextLoader(Loader):
    """Reads json as the text SQLite's ``json_group_array`` gives, for one decoding path."""

    def load(self, data: Any) -> str:  # Any: bytes or a memoryview from the driver
        return bytes(data).decode("utf-8")


class _BoolAsInt(IntDumper):
    """SQLite has no boolean: 0/1 integer columns take Python booleans as integers."""

    def dump(self, obj: Any) -> bytes:
        return bytes(super().dump(int(obj)) or b"")


class PostgresCursor:
    """The result of one statement (in pipeline mode, fetched when first read)."""

    def __init__(self, cursor: psycopg.Cursor[Any], pipeline: psycopg.Pipeline | None) -> None:
        self._cursor = cursor
        self._pipeline = pipeline

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        if self._pipeline is not None and self._cursor.pgresult is None:
            # The statement's result has not come back yet: send what is queued and wait.
            self._pipeline.sync()
        return self._cursor.fetchall() if self._cursor.description is not None else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PostgresConnection:
    """A psycopg connection that runs the query layer's statements (see the module doc)."""

    dialect: Final = DIALECT

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn
        self._pipeline: psycopg.Pipeline | None = None

    def execute_compiled(self, sql: str, parameters: Mapping[str, Any], /) -> PostgresCursor:
        cursor = self._conn.cursor()
        cursor.execute(sql, parameters)
        return PostgresCursor(cursor, self._pipeline)

    def execute_compiled_many(self, sql: str, parameters: Sequence[Mapping[str, Any]], /) -> None:
        self._conn.cursor().executemany(sql, parameters)

    def copy_rows(self, sql: str, rows: Sequence[Sequence[Any]], /) -> None:
        """Send ``rows`` through one ``COPY ... FROM STDIN`` statement (``sql``)."""
        with self._conn.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def execute_verbatim(self, sql: str, /) -> None:
        # No parameters: psycopg sends the text as it is, with no placeholder or % handling.
        self._conn.execute(sql.encode("utf-8"))

    @contextmanager
    def pipelined(self) -> Iterator[None]:
        """Statements in the block are sent without waiting for each one's answer (psycopg's
        pipeline mode): a statement whose rows are read waits for its answer and for those
        of the statements before it, so a write costs no round trip of its own. An error
        surfaces at the next read or at the end of the block."""
        if self._pipeline is not None:
            yield
            return
        with self._conn.pipeline() as pipeline:
            self._pipeline = pipeline
            try:
                yield
            finally:
                self._pipeline = None

    def begin_write(self) -> None:
        self._conn.execute("BEGIN")
        self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def close(self) -> None:
        self._conn.close()


def connect(url: str) -> PostgresConnection:
    """Open ``url`` in autocommit mode (the store issues BEGIN/COMMIT itself).

    Raises:
        psycopg.Error: The server cannot be reached or refuses the login.
    """
    conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
    for name in ("json", "jsonb"):
        conn.adapters.register_loader(name, _TextLoader)
    conn.adapters.register_dumper(bool, _BoolAsInt)
    return PostgresConnection(conn)


def redact(url: str) -> str:
    """``url`` without its password, for messages and ``Store.path``."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
