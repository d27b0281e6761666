"""Two writers adding overlapping batches to one PostgreSQL database at once.

The advisory writer lock makes their batches take turns: no article, quote, speaker or
quotation is lost or stored twice, and no article fails for lack of the lock (without it both
writers would find an article missing and one would fail on the key).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from tests.store.synthetic import synthetic_articles

from onrecord.derive import standard_steps
from onrecord.models import ExtractedArticle
from onrecord.store import AddResult, Store

ARTICLES: Final = 240
OVERLAP: Final = 80
BATCH: Final = 20
SEED: Final = 23


def _quotes(store: Store) -> list[tuple[str, int, int, str | None]]:
    return sorted((h.article_id, h.start, h.end, h.speaker) for h in store.iter_quotes())


def _add_at_once(url: str, parts: Sequence[Sequence[ExtractedArticle]]) -> list[AddResult]:
    """Each part added by its own store in its own thread, all starting together."""
    stores = [Store.open(url) for _ in parts]
    results: list[AddResult | None] = [None] * len(parts)
    errors: list[BaseException] = []
    start = threading.Barrier(len(parts))

    def write(index: int) -> None:
        try:
            start.wait()
            results[index] = stores[index].add_articles(
                parts[index], batch_size=BATCH, steps=standard_steps()
            )
        except BaseException as exc:  # handed to the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(parts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    assert not errors, errors
    return [result for result in results if result is not None]


def test_two_writers_store_overlapping_batches_once(postgres_url: str, tmp_path: Path) -> None:
    items = list(synthetic_articles(ARTICLES, SEED))
    half = (ARTICLES + OVERLAP) // 2
    first, second = items[:half], list(reversed(items[half - OVERLAP :]))
    results = _add_at_once(postgres_url, [first, second])
    assert sum(result.added for result in results) == ARTICLES
    assert sum(result.skipped_duplicates for result in results) == OVERLAP
    assert all(result.failed == 0 for result in results)
    with Store.open(str(tmp_path / "one-writer.db")) as alone:
        alone.add_articles(items, batch_size=BATCH, steps=standard_steps())
        expected = _quotes(alone)
        expected_speakers = sorted(s.name for s in alone.speakers())
    with Store.open(postgres_url) as store:
        stored = [item.article.id for item in store.iter_articles()]
        assert sorted(stored) == sorted(item.article.id for item in items)
        assert _quotes(store) == expected
        names = [summary.name for summary in store.speakers()]
        assert sorted(names) == expected_speakers
        quotations = store.quotations(min_occurrences=1, limit=1_000_000)
        assert sum(q.occurrence_count for q in quotations) == len(expected)
        assert store.stats()["quotes"] == len(expected)
