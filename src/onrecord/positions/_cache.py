"""A stance cache kept in the store, so stored statements are classified once per proposition.

Input: an open ``Store``. Output: a ``MutableMapping[str, StanceResult]`` to pass as
``cache=`` to ``compute_positions`` or ``positions_for``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING

from onrecord.positions._records import StanceResult

if TYPE_CHECKING:
    from onrecord.store import Store


class StoreStanceCache(MutableMapping[str, StanceResult]):
    """Stance results stored in the store's ``stances`` table, keyed by ``cache_key``.

    Keys name the stance method, so results of another method are never read back; a row is
    deleted with its quote.

    Args:
        store: The open store to read and fill.
    """

    def __init__(self, store: Store) -> None:
        self._rows = store.stance_rows()

    def __getitem__(self, key: str) -> StanceResult:
        data = json.loads(self._rows[key])
        return StanceResult(
            stance=data["stance"],
            act=data["act"],
            condition=data["condition"],
            support_probability=float(data["support_probability"]),
            cues=tuple(data.get("cues", ())),
        )

    def __setitem__(self, key: str, value: StanceResult) -> None:
        self._rows[key] = json.dumps(value.to_dict(), ensure_ascii=False)

    def __delitem__(self, key: str) -> None:
        del self._rows[key]

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)
