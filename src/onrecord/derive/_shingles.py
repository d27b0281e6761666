"""A batch's fuzzy lookups, answered in memory from one read of the 3-gram index.

On PostgreSQL, where every lookup is a round trip to the server, the batch reads ahead
(``reads_ahead``); SQLite answers each lookup in-process from its indexes, as fast as memory
would, and is asked quote by quote.

Input: the scoped 3-gram keys of every quote of a batch that has a speaker (those are the
quotes that look for fuzzy matches). Output: per quote, the stored wordings it shares keys
with (``candidates``), and the longest wording of a quotation (``longest``), as the
database would answer them at that point of the batch, one statement per lookup
(``_quotation_index.fuzzy_candidates``).

Read at the start of the batch: per key, the newest ``MAX_VARIANTS_PER_KEY`` wordings; the
wordings that share enough keys with one of the batch's quotes; the longest wording of their
quotations. Kept current as the batch goes on: a wording it adds is the newest under each of
its keys (its id is higher than any stored) and may be its quotation's longest; a merge moves
a quotation's wordings into another (rewritten at once, since SQLite may give a merged-away
quotation's id to the next new one). What was not read ahead (a quotation first met through
an exact wording, a key no quote of the batch had) is read from the database when first
needed: every write of the batch is already there, so the answer is current.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from onrecord.store import Connection
from onrecord.store import _quotation_index as index
from onrecord.store._connection import is_postgres
from onrecord.store._quotation_index import Candidate, Longest, Wording

# Bounds on what one lookup reads, newest first, so indexing time per quote stays flat as the
# store grows; only phrases shared by that many stored wordings are cut short.
MAX_VARIANTS_PER_KEY: Final = 200
MAX_VARIANT_CANDIDATES: Final = 50


def reads_ahead(conn: Connection) -> bool:
    """Whether a batch reads its lookups ahead (PostgreSQL) or asks quote by quote."""
    return is_postgres(conn)


class BatchShingles:
    """The 3-gram index as the batch sees it, quote after quote."""

    def __init__(self, conn: Connection, keys_per_quote: Sequence[Sequence[int]], min_shared: int):
        self._conn = conn
        self._min_shared = min_shared
        self._is_ahead = reads_ahead(conn)
        self._stored: dict[int, list[int]] = {}
        self._added: dict[int, list[int]] = {}
        self._wordings: dict[int, Wording] = {}
        self._longest: dict[int, Longest] = {}
        if self._is_ahead:
            self._read_ahead(keys_per_quote)

    def _read_ahead(self, keys_per_quote: Sequence[Sequence[int]]) -> None:
        conn, min_shared = self._conn, self._min_shared
        every = sorted({key for keys in keys_per_quote for key in keys})
        # Per key: stored ids newest first (read once), and ids the batch added, oldest first.
        self._stored = index.newest_wordings(conn, every, MAX_VARIANTS_PER_KEY)
        wanted: set[int] = set()
        for keys in keys_per_quote:
            shared = Counter(variant for key in keys for variant in self._stored.get(key, ()))
            wanted.update(variant for variant, count in shared.items() if count >= min_shared)
        # Wordings as read and as added, each with its quotation now.
        self._wordings = index.wordings(conn, sorted(wanted))
        quotations = sorted({wording.quotation_id for wording in self._wordings.values()})
        # Longest wordings known to be current; others are read when needed.
        self._longest = index.longest_wordings(conn, quotations)

    def _newest(self, key: int) -> list[int]:
        added = self._added.get(key, [])
        if key not in self._stored:
            # Read now, with what the batch added under it, which comes first (newest).
            now = index.newest_wordings(self._conn, [key], MAX_VARIANTS_PER_KEY)[key]
            self._stored[key] = [variant for variant in now if variant not in set(added)]
        stored = self._stored[key]
        if not added:
            return stored
        return [*reversed(added), *stored][:MAX_VARIANTS_PER_KEY]

    def candidates(self, keys: Sequence[int]) -> list[Candidate]:
        """``_quotation_index.fuzzy_candidates`` for ``keys`` (sorted), at this point of the
        batch: the wordings sharing the most keys, each with its current quotation."""
        if not self._is_ahead:
            return index.fuzzy_candidates(
                self._conn, keys, MAX_VARIANTS_PER_KEY, self._min_shared, MAX_VARIANT_CANDIDATES
            )
        shared: Counter[int] = Counter()
        for key in keys:
            shared.update(self._newest(key))
        best = [
            variant
            for variant, count in shared.most_common(MAX_VARIANT_CANDIDATES)
            if count >= self._min_shared
        ]
        missing = [variant for variant in best if variant not in self._wordings]
        if missing:
            self._wordings.update(index.wordings(self._conn, missing))
        return [Candidate(self._wordings[variant], shared[variant]) for variant in best]

    def longest(self, quotation_id: int) -> Longest | None:
        """The quotation's longest wording (the oldest of equals)."""
        if not self._is_ahead:
            return index.longest_wordings(self._conn, [quotation_id]).get(quotation_id)
        if quotation_id not in self._longest:
            self._longest.update(index.longest_wordings(self._conn, [quotation_id]))
        return self._longest.get(quotation_id)

    def added(self, wording: Wording, keys: Sequence[int], text: str) -> None:
        """A wording the batch stored, under its 3-gram ``keys``."""
        if not self._is_ahead:
            return
        self._wordings[wording.id] = wording
        for key in keys:
            self._added.setdefault(key, []).append(wording.id)
        quotation_id = wording.quotation_id
        known = self._longest.get(quotation_id)
        if known is not None and wording.token_count > known.token_count:
            self._longest[quotation_id] = Longest(wording.token_count, wording.id, text)

    def started(self, wording: Wording, keys: Sequence[int], text: str) -> None:
        """A new quotation the batch stored, of one wording."""
        if not self._is_ahead:
            return
        self._longest[wording.quotation_id] = Longest(wording.token_count, wording.id, text)
        self.added(wording, keys, text)

    def merged(self, target: int, other: int) -> None:
        """Quotation ``other`` was merged into ``target``."""
        if not self._is_ahead:
            return
        for variant, wording in self._wordings.items():
            if wording.quotation_id == other:
                self._wordings[variant] = replace(wording, quotation_id=target)
        kept, gone = self._longest.pop(target, None), self._longest.pop(other, None)
        if kept is not None and gone is not None:
            self._longest[target] = min(kept, gone, key=lambda each: (-each.token_count, each.id))
