"""Inserts that hand back the row's id, the same way on both backends.

``insert_id`` adds a row to a table keyed by ``id INTEGER PRIMARY KEY`` and returns the id
the database gave it. ``upsert_id`` adds a row unless one with the same key is there and
returns that row's id either way: ``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` returns
no row on a conflict (on both SQLite and PostgreSQL), so the existing row is then read by its
key. Both refuse to make up an id: a row they cannot find is a ``StoreError``.

The statements are SQLAlchemy Core constructs (each dialect's own ``insert`` for the
conflict clause), built once per table and set of columns and compiled by ``_query``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, column, select, table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import BindParameter, ClauseElement

from onrecord.errors import StoreError
from onrecord.store._connection import Connection
from onrecord.store._query import dialect_name, insert_into, run


@lru_cache(maxsize=128)
def _insert(name: str, columns: tuple[str, ...]) -> ClauseElement:
    return insert_into(name, columns).returning(column("id"))


@lru_cache(maxsize=128)
def _upsert(
    dialect: str, name: str, columns: tuple[str, ...], key: tuple[str, ...]
) -> tuple[ClauseElement, ClauseElement]:
    target = table(name, column("id"), *(column(each) for each in columns))
    values: dict[str, BindParameter[Any]] = {each: bindparam(each) for each in columns}
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    adding = make(target).values(values).on_conflict_do_nothing(index_elements=list(key))
    finding = select(target.c.id).where(and_(*(target.c[each] == bindparam(each) for each in key)))
    return adding.returning(target.c.id), finding


def insert_id(conn: Connection, name: str, row: Mapping[str, Any]) -> int:  # Any: values
    """Insert ``row`` (column -> value) into table ``name``; returns the new row's ``id``.

    Raises:
        StoreError: The database returned no id (the row was not inserted).
    """
    returned = run(conn, _insert(name, tuple(row)), row).fetchone()
    if returned is None:
        raise StoreError(f"[{StoreError.code}] the database kept no new row in {name}.")
    return int(returned[0])


def upsert_id(
    conn: Connection,
    name: str,
    row: Mapping[str, Any],  # Any: column values
    key: Sequence[str],
) -> int:
    """The ``id`` of the row of table ``name`` whose ``key`` columns equal ``row``'s,
    inserting ``row`` when there is none.

    Args:
        conn: A connection inside a write transaction (the writer lock keeps the row from
            being removed between the insert and the read).
        name: A table with an ``id`` key and a unique constraint on ``key``.
        row: Column -> value of the row to insert.
        key: The columns of the unique constraint; compared with its collation.

    Raises:
        StoreError: Neither the insert nor the read found a row (``key`` is not unique).
    """
    adding, finding = _upsert(dialect_name(conn), name, tuple(row), tuple(key))
    inserted = run(conn, adding, row).fetchone()
    if inserted is not None:
        return int(inserted[0])
    found = run(conn, finding, {each: row[each] for each in key}).fetchone()
    if found is None:
        raise StoreError(
            f"[{StoreError.code}] no row of {name} has the key {', '.join(key)} of "
            f"{dict(row)!r}, and none could be inserted."
        )
    return int(found[0])
