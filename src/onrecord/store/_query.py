"""Statements built with SQLAlchemy Core and compiled for the store's database.

A query module states each statement once, as a Core construct (``insert``, ``select``,
``text`` with ``:name`` parameters) over the light ``table()`` descriptions in
``_tables``. ``run`` and ``run_many`` compile it for the connection's dialect (SQLite's
``:name`` or psycopg's ``%(name)s`` parameters, ``%`` escaped where the driver needs it),
cache the text per statement and dialect, and run it on the store's own connection, inside
the store's own transactions (the writer lock is unchanged). Nothing is rewritten from one
dialect's SQL into another's: where the databases differ, ``for_dialect`` picks the
construct written for each.

Modules not yet stated this way still pass SQLite text through ``_postgres.translate`` on
PostgreSQL (see docs/postgresql.md for the list).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql.elements import ClauseElement

from onrecord.store._connection import Connection, Cursor, is_postgres

T = TypeVar("T")

DIALECTS: Final[dict[str, Dialect]] = {
    "sqlite": sqlite.dialect(paramstyle="named"),
    "postgresql": postgresql.psycopg.dialect(),  # type: ignore[no-untyped-call]
}
_compiled: dict[tuple[int, str], tuple[ClauseElement, str]] = {}


def dialect_name(conn: Connection) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    return "postgresql" if is_postgres(conn) else "sqlite"


def for_dialect(conn: Connection, sqlite_form: T, postgres_form: T) -> T:
    """The one of two forms written for ``conn``'s database."""
    return postgres_form if is_postgres(conn) else sqlite_form


def sql_text(conn: Connection, statement: ClauseElement) -> str:
    """``statement`` compiled for ``conn``'s dialect (cached; statements are constants)."""
    name = dialect_name(conn)
    key = (id(statement), name)
    found = _compiled.get(key)
    if found is None or found[0] is not statement:
        found = (statement, str(statement.compile(dialect=DIALECTS[name])))
        _compiled[key] = found
    return found[1]


def run(
    conn: Connection,
    statement: ClauseElement,
    parameters: Mapping[str, Any] | None = None,  # Any: column values
) -> Cursor:
    """Run one statement with named parameters.

    Returns:
        The cursor, to fetch rows from (``RETURNING`` included).
    """
    return conn.execute_compiled(sql_text(conn, statement), dict(parameters or {}))


def run_many(
    conn: Connection,
    statement: ClauseElement,
    rows: Sequence[Mapping[str, Any]],  # Any: column values
) -> None:
    """Run one statement once per parameter set, sent together (psycopg pipelines them)."""
    if rows:
        conn.execute_compiled_many(sql_text(conn, statement), [dict(row) for row in rows])
