"""The store-backed stance cache: lossless round trips, persistence, and cleanup with quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.positions import StanceResult, StoreStanceCache, cache_key
from onrecord.store import Store

RESULT = StanceResult(
    stance="conditional",
    act="offer",
    condition="only on a reciprocal basis",
    support_probability=0.8125,
    cues=("condition:only", "act:offer"),
)


def test_results_round_trip_and_persist(tmp_path: Path) -> None:
    key = cache_key(7, "Veldora lets monitors work at the dam")
    with Store.open(tmp_path / "cache.db") as store:
        cache = StoreStanceCache(store)
        assert key not in cache
        cache[key] = RESULT
        cache[key] = RESULT
        assert len(cache) == 1
    with Store.open(tmp_path / "cache.db") as store:
        cache = StoreStanceCache(store)
        assert cache[key] == RESULT
        assert list(cache) == [key]
        del cache[key]
        assert len(cache) == 0
        with pytest.raises(KeyError):
            cache[key]
