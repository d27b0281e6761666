"""A batch's fuzzy lookups, answered from one read, equal the lookups statement by statement.

``BatchShingles`` reads the 3-gram index once per batch and keeps it current in memory.
Here every one of its answers during an ingest is checked against the database at that very
point (``_quotation_index.fuzzy_candidates`` and the longest wording, read one statement
at a time), on both backends (SQLite made to read ahead as PostgreSQL does), with batches
large enough that quotes match wordings added earlier in the same batch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Final

import pytest
from tests.store.synthetic import synthetic_articles

from onrecord.derive import _shingles, standard_steps
from onrecord.derive._quotations import MIN_SHARED
from onrecord.derive._shingles import BatchShingles
from onrecord.store import Store
from onrecord.store import _quotation_index as index
from onrecord.store._quotation_index import Candidate, Longest

ARTICLES: Final = 400
BATCH: Final = 100


@pytest.mark.slow
def test_batch_answers_equal_the_database_at_each_quote(
    store_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: Counter[str] = Counter()
    candidates, longest = BatchShingles.candidates, BatchShingles.longest

    def checked_candidates(self: BatchShingles, keys: Sequence[int]) -> list[Candidate]:
        answer = candidates(self, keys)
        expected = index.fuzzy_candidates(
            self._conn,
            keys,
            _shingles.MAX_VARIANTS_PER_KEY,
            MIN_SHARED,
            _shingles.MAX_VARIANT_CANDIDATES,
        )
        assert answer == expected
        seen["lookups"] += 1
        seen["found"] += bool(answer)
        seen["added in the batch"] += any(
            candidate.wording.id in self._added.get(key, []) for candidate in answer for key in keys
        )
        return answer

    def checked_longest(self: BatchShingles, quotation_id: int) -> Longest | None:
        answer = longest(self, quotation_id)
        assert answer == index.longest_wordings(self._conn, [quotation_id]).get(quotation_id)
        seen["longest"] += 1
        return answer

    monkeypatch.setattr(_shingles, "reads_ahead", lambda _: True)
    monkeypatch.setattr(BatchShingles, "candidates", checked_candidates)
    monkeypatch.setattr(BatchShingles, "longest", checked_longest)
    items = list(synthetic_articles(ARTICLES, 17))
    with Store.open(store_target) as store:
        result = store.add_articles(
            items, batch_size=BATCH, steps=standard_steps(is_checking_fidelity=False)
        )
        assert result.failed == 0
    # The check ran where it matters: lookups that found wordings, some added earlier in the
    # same batch, and longest wordings compared.
    assert seen["lookups"] > ARTICLES
    assert seen["found"] > ARTICLES // 4
    assert seen["added in the batch"] > 10
    assert seen["longest"] > 10
