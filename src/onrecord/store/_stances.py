"""Cached stance results: a string-keyed table of JSON documents behind a mapping.

Input: keys from ``onrecord.positions.cache_key`` (``"<method>:<quote id>:<digest>"``) and
the JSON text of a stance result. Output: the same text, read back. The positions package
turns the text into ``StanceResult`` records (``onrecord.positions.StoreStanceCache``).
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Final

from sqlalchemy import text

from onrecord.store._connection import Connection
from onrecord.store._query import run
from onrecord.store._schema import STANCES

KEY_PARTS: Final = 3
SELECT_RESULT: Final = text(f"SELECT result FROM {STANCES} WHERE key = :key")
# The same upsert on both databases: the new result replaces the cached one.
SAVE_RESULT: Final = text(
    f"INSERT INTO {STANCES} (key, quote_id, result) VALUES (:key, :quote_id, :result) "
    "ON CONFLICT (key) DO UPDATE SET result = excluded.result"
)
DELETE_RESULT: Final = text(f"DELETE FROM {STANCES} WHERE key = :key")
HAS_RESULT: Final = text(f"SELECT 1 FROM {STANCES} WHERE key = :key")
SELECT_KEYS: Final = text(f"SELECT key FROM {STANCES} ORDER BY key")
COUNT_RESULTS: Final = text(f"SELECT COUNT(*) FROM {STANCES}")


def _quote_id(key: str) -> int | None:
    parts = key.split(":")
    return int(parts[1]) if len(parts) == KEY_PARTS and parts[1].isdigit() else None


class StanceRows(MutableMapping[str, str]):
    """The ``stances`` table as a mutable mapping from cache key to JSON text.

    Each write commits on its own unless the caller holds a transaction. A row whose key names
    a stored quote is deleted with that quote.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def __getitem__(self, key: str) -> str:
        row = run(self._conn, SELECT_RESULT, {"key": key}).fetchone()
        if row is None:
            raise KeyError(key)
        return str(row[0])

    def __setitem__(self, key: str, value: str) -> None:
        run(self._conn, SAVE_RESULT, {"key": key, "quote_id": _quote_id(key), "result": value})

    def __delitem__(self, key: str) -> None:
        cursor = run(self._conn, DELETE_RESULT, {"key": key})
        if cursor.rowcount == 0:
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        found = run(self._conn, HAS_RESULT, {"key": key}).fetchone()
        return found is not None

    def __iter__(self) -> Iterator[str]:
        keys = run(self._conn, SELECT_KEYS).fetchall()
        return iter([str(row[0]) for row in keys])

    def __len__(self) -> int:
        return int(run(self._conn, COUNT_RESULTS).fetchone()[0])
