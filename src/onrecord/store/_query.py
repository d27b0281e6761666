"""Statements built with SQLAlchemy Core and compiled for the store's database.

A query module states each statement once, as a Core construct (``insert``, ``select``,
``text`` with ``:name`` parameters) over the light ``table()`` descriptions in
``_tables``. ``run`` and ``run_many`` compile it for the connection's dialect (SQLite's
``:name`` or psycopg's ``%(name)s`` parameters, ``%`` escaped where the driver needs it),
cache the text per statement and dialect, and run it on the store's own connection, inside
the store's own transactions (the writer lock is unchanged). Nothing is rewritten from one
dialect's SQL into another's: where the databases differ, ``for_dialect`` picks the
construct written for each.

Full-text search, where the databases differ most, is written once per dialect in
``_fulltext``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, Final, NamedTuple, TypeVar

from sqlalchemy import bindparam, column, insert, table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import BindParameter, ClauseElement, TextClause

from onrecord.store._connection import Connection, Cursor, is_postgres
from onrecord.store._postgres import PostgresConnection

T = TypeVar("T")

DIALECTS: Final[dict[str, Dialect]] = {
    "sqlite": sqlite.dialect(paramstyle="named"),
    "postgresql": postgresql.psycopg.dialect(),  # type: ignore[no-untyped-call]
}
# Statements are module constants or built once per shape (lru_cache), so this stays small;
# the bound only guards against a caller that builds a new statement per call.
MOST_COMPILED: Final = 1024
_compiled: dict[tuple[int, str], Compiled] = {}


class Compiled(NamedTuple):
    """One statement's text for one dialect, with the values it fixes itself."""

    statement: ClauseElement
    sql: str
    defaults: dict[str, Any]  # Any: values SQLAlchemy bound itself (SQLite's OFFSET 0)


def insert_into(name: str, columns: Sequence[str]) -> Insert:
    """``INSERT INTO name (columns) VALUES (...)`` with one parameter per column, named as it.

    Args:
        name: A table name constant from ``_schema``.
        columns: Its columns to fill; reserved words (``end``) are quoted when compiled.
    """
    values: dict[str, BindParameter[Any]] = {key: bindparam(key) for key in columns}
    return insert(table(name, *(column(key) for key in columns))).values(values)


@lru_cache(maxsize=64)
def _many(
    dialect: str, name: str, columns: tuple[tuple[str, str], ...], is_ignoring: bool
) -> ClauseElement:
    keys = [key for key, _ in columns]
    if dialect == "sqlite":
        adding = sqlite.insert(table(name, *(column(key) for key in keys)))
        adding = adding.values({key: bindparam(key) for key in keys})
        return adding.on_conflict_do_nothing() if is_ignoring else adding
    arrays = ", ".join(f"CAST(:{key} AS {kind}[])" for key, kind in columns)
    conflict = " ON CONFLICT DO NOTHING" if is_ignoring else ""
    # Reserved words among the columns (quotes' "end") are quoted, as Core quotes them.
    quote = DIALECTS["postgresql"].identifier_preparer.quote
    named = ", ".join(quote(key) for key in keys)
    return text(f"INSERT INTO {name} ({named}) SELECT * FROM unnest({arrays}){conflict}")


@lru_cache(maxsize=16)
def _copy(name: str, keys: tuple[str, ...]) -> str:
    quote = DIALECTS["postgresql"].identifier_preparer.quote
    named = ", ".join(quote(key) for key in keys)
    return f"COPY {name} ({named}) FROM STDIN"


def insert_many(
    conn: Connection,
    name: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],  # Any: column values
    *,
    is_ignoring_conflicts: bool = False,
    is_copying: bool = False,
) -> None:
    """Insert ``rows`` into table ``name`` at once.

    SQLite runs one prepared ``INSERT`` per row in-process (its fastest way). PostgreSQL gets
    one ``INSERT ... SELECT FROM unnest(arrays)``: one statement and one round trip for the
    whole list, however long; or, with ``is_copying``, one ``COPY ... FROM STDIN``, which
    costs a round trip more but reads long rows faster (a batch's articles and quotes: see
    docs/postgresql.md).

    Args:
        conn: A connection, inside the caller's transaction.
        name: A table name constant from ``_schema``.
        columns: ``(column, PostgreSQL type)`` pairs, in the order of each row's values.
        rows: One sequence of values per row.
        is_ignoring_conflicts: Skip rows that would break a unique key (``ON CONFLICT DO
            NOTHING``) instead of failing.
        is_copying: On PostgreSQL, use ``COPY`` (not with ``is_ignoring_conflicts``).
    """
    if not rows:
        return
    if is_copying and not is_ignoring_conflicts and isinstance(conn, PostgresConnection):
        conn.copy_rows(_copy(name, tuple(key for key, _ in columns)), rows)
        return
    dialect = dialect_name(conn)
    statement = _many(dialect, name, tuple(columns), is_ignoring_conflicts)
    keys = [key for key, _ in columns]
    if dialect == "sqlite":
        run_many(conn, statement, [dict(zip(keys, row, strict=True)) for row in rows])
        return
    arrays = {key: [row[index] for row in rows] for index, key in enumerate(keys)}
    run(conn, statement, arrays)


@lru_cache(maxsize=64)
def _insert_columns(name: str, columns: tuple[str, ...]) -> Insert:
    return insert_into(name, columns)


def insert_row(
    conn: Connection,
    name: str,
    row: Mapping[str, Any],  # Any: column values
) -> None:
    """Insert one row (column -> value) into table ``name``; the statement is built once per
    table and set of columns."""
    run(conn, _insert_columns(name, tuple(row)), row)


# Distinct statements assembled from constants (one per combination of a search's filters).
MOST_ASSEMBLED: Final = 512


@lru_cache(maxsize=MOST_ASSEMBLED)
def assembled(sql: str) -> TextClause:
    """The ``text()`` statement of SQL put together from constants and ``:name`` parameters.

    One statement per distinct text, so that its compiled form is cached as a module
    constant's is. Values never go into ``sql``: only the store's constants and clauses.
    """
    return text(sql)


def any_of(dialect: str, expression: str, parameter: str) -> str:
    """SQL that is true when ``expression`` equals one value of the list parameter.

    The list is one parameter on both databases, so a statement with it is compiled once:
    PostgreSQL reads it as an array (``= ANY``); SQLite gets it as JSON text (``json_each``).
    ``run`` sends a list to SQLite as that JSON text.

    Args:
        dialect: ``"sqlite"`` or ``"postgresql"``.
        expression: A column or expression of the statement (a constant, never input).
        parameter: The parameter's name.
    """
    if dialect == "postgresql":
        return f"{expression} = ANY(:{parameter})"
    return f"{expression} IN (SELECT value FROM json_each(:{parameter}))"


def dialect_name(conn: Connection) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    return "postgresql" if is_postgres(conn) else "sqlite"


def for_dialect(conn: Connection, sqlite_form: T, postgres_form: T) -> T:
    """The one of two forms written for ``conn``'s database."""
    return postgres_form if is_postgres(conn) else sqlite_form


def compiled(conn: Connection, statement: ClauseElement) -> Compiled:
    """``statement`` compiled for ``conn``'s dialect (cached per statement and dialect)."""
    name = dialect_name(conn)
    key = (id(statement), name)
    found = _compiled.get(key)
    if found is None or found.statement is not statement:
        done = statement.compile(dialect=DIALECTS[name])
        defaults = {bind: value for bind, value in done.params.items() if value is not None}
        found = Compiled(statement, str(done), defaults)
        if len(_compiled) >= MOST_COMPILED:
            _compiled.clear()
        _compiled[key] = found
    return found


def run(
    conn: Connection,
    statement: ClauseElement,
    parameters: Mapping[str, Any] | None = None,  # Any: column values
) -> Cursor:
    """Run one statement with named parameters.

    Returns:
        The cursor, to fetch rows from (``RETURNING`` included).
    """
    found = compiled(conn, statement)
    values = {**found.defaults, **(parameters or {})}
    if not is_postgres(conn):
        # Lists are the parameters of ``any_of``: SQLite reads them as JSON arrays.
        values = {
            key: json.dumps(value) if isinstance(value, list) else value
            for key, value in values.items()
        }
    return conn.execute_compiled(found.sql, values)


def run_many(
    conn: Connection,
    statement: ClauseElement,
    rows: Sequence[Mapping[str, Any]],  # Any: column values
) -> None:
    """Run one statement once per parameter set, sent together (psycopg pipelines them)."""
    if rows:
        found = compiled(conn, statement)
        conn.execute_compiled_many(found.sql, [{**found.defaults, **row} for row in rows])
