"""Inserts that hand back the row's id, the same way on both backends.

``insert_id`` adds a row to a table keyed by ``id INTEGER PRIMARY KEY`` and returns the id
the database gave it. ``upsert_id`` adds a row unless one with the same key is there and
returns that row's id either way: ``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` returns
no row on a conflict (on both SQLite and PostgreSQL), so the existing row is then read by its
key. Both refuse to make up an id: a row they cannot find is a ``StoreError``.

Table and column names come from the callers' constants, never from input; values always
travel as parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from onrecord.errors import StoreError
from onrecord.store._connection import Connection


def _insert_sql(table: str, row: Mapping[str, Any]) -> str:
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})"


def insert_id(conn: Connection, table: str, row: Mapping[str, Any]) -> int:  # Any: values
    """Insert ``row`` (column -> value) into ``table``; returns the new row's ``id``.

    Raises:
        StoreError: The database returned no id (the row was not inserted).
    """
    found = conn.execute(_insert_sql(table, row) + " RETURNING id", tuple(row.values()))
    returned = found.fetchone()
    if returned is None:
        raise StoreError(f"[{StoreError.code}] the database kept no new row in {table}.")
    return int(returned[0])


def upsert_id(
    conn: Connection,
    table: str,
    row: Mapping[str, Any],  # Any: column values
    key: Sequence[str],
) -> int:
    """The ``id`` of the row of ``table`` whose ``key`` columns equal ``row``'s, inserting
    ``row`` when there is none.

    Args:
        conn: A connection inside a write transaction (the writer lock keeps the row from
            being removed between the insert and the read).
        table: A table with an ``id`` key and a unique constraint on ``key``.
        row: Column -> value of the row to insert.
        key: The columns of the unique constraint; compared with its collation.

    Raises:
        StoreError: Neither the insert nor the read found a row (``key`` is not unique).
    """
    conflict = ", ".join(key)
    inserted = conn.execute(
        _insert_sql(table, row) + f" ON CONFLICT ({conflict}) DO NOTHING RETURNING id",
        tuple(row.values()),
    ).fetchone()
    if inserted is not None:
        return int(inserted[0])
    where = " AND ".join(f"{column} = ?" for column in key)
    found = conn.execute(
        f"SELECT id FROM {table} WHERE {where}", tuple(row[column] for column in key)
    ).fetchone()
    if found is None:
        raise StoreError(
            f"[{StoreError.code}] no row of {table} has the key {conflict} of {dict(row)!r}, "
            "and none could be inserted."
        )
    return int(found[0])
