"""Cached stance results: a string-keyed table of JSON documents behind a mapping.

Input: keys from ``onrecord.positions.cache_key`` (``"<method>:<quote id>:<digest>"``) and
the JSON text of a stance result. Output: the same text, read back. The positions package
turns the text into ``StanceResult`` records (``onrecord.positions.StoreStanceCache``).
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Final

from onrecord.store._connection import Connection
from onrecord.store._schema import STANCES

KEY_PARTS: Final = 3


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
        row = self._conn.execute(f"SELECT result FROM {STANCES} WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return str(row[0])

    def __setitem__(self, key: str, value: str) -> None:
        self._conn.execute(
            f"INSERT INTO {STANCES} (key, quote_id, result) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET result = excluded.result",
            (key, _quote_id(key), value),
        )

    def __delitem__(self, key: str) -> None:
        cursor = self._conn.execute(f"DELETE FROM {STANCES} WHERE key = ?", (key,))
        if cursor.rowcount == 0:
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        found = self._conn.execute(f"SELECT 1 FROM {STANCES} WHERE key = ?", (key,)).fetchone()
        return found is not None

    def __iter__(self) -> Iterator[str]:
        keys = self._conn.execute(f"SELECT key FROM {STANCES} ORDER BY key").fetchall()
        return iter([str(row[0]) for row in keys])

    def __len__(self) -> int:
        return int(self._conn.execute(f"SELECT COUNT(*) FROM {STANCES}").fetchone()[0])
