"""Quote fidelity kept up to date as articles are stored.

Input: rowids of articles just stored and indexed into quotations (inside the batch's
transaction). Output: through the store's ``_fidelity`` statements, rows of
``fidelity_keys``, ``fidelity_alignments`` and ``fidelity_findings``, read back by
``Store.fidelity`` and ``Store.quotation_fidelity``.

Updating after a batch, in order:

1. the batch's quotes get their sketch keys (``fidelity.sketch_keys``);
2. stored quotes sharing a key are candidates, kept when ``fidelity.is_same_statement``;
3. a statement is the quotations of the new quotes and of their kept candidates, joined;
4. in each statement that reached two articles or more, the first report is chosen and every
   occurrence of another article whose first report changed, or that is new, is compared with
   it (``fidelity.compare``); its old rows are replaced.

Only statements the batch touched are compared: reading a page never aligns anything.
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import chain
from typing import Final

from onrecord.fidelity import (
    Comparison,
    FidelitySettings,
    Statement,
    closest,
    compare,
    first_reports,
    is_own_interview,
    is_same_speaker,
    is_same_statement,
    match_tokens,
    sketch_keys,
)
from onrecord.store import Connection
from onrecord.store import _fidelity as tables
from onrecord.store._fidelity import LoadedQuote

log = logging.getLogger(__name__)

MAX_CANDIDATES: Final = 10
# Per sketch key, only the newest quotes are read: a phrase thousands of quotes share (a
# template, a slogan) must not make each lookup slower as the store grows.
MAX_POSTINGS: Final = 16
# A wording that is mostly another (or lies inside it) shares most of its sketch keys; a few
# are a common phrase. Shares of the new wording's keys:
MIN_SHARED_KEYS: Final = 0.5
# the same words under another speaker share most of them, even with a number changed.
CROSS_SPEAKER_KEYS: Final = 0.6


class _Member:
    """A loaded occurrence with what fidelity needs beside it."""

    __slots__ = ("_tokens", "loaded", "occurrence", "quotation_id")

    def __init__(self, loaded: LoadedQuote) -> None:
        self.loaded = loaded
        self.occurrence = loaded.occurrence
        self.quotation_id = loaded.quotation_id
        self._tokens: tuple[str, ...] | None = None

    @property
    def tokens(self) -> tuple[str, ...]:
        if self._tokens is None:
            self._tokens = match_tokens(self.occurrence.text, self.occurrence.kind)
        return self._tokens

    def statement(self) -> Statement:
        occurrence = self.occurrence
        context = _sentence(self.loaded.context, self.loaded.offset, len(occurrence.text))
        return Statement(occurrence, is_own_interview(context, occurrence.outlet))


def _sentence(context: str, offset: int, length: int) -> str:
    """The sentence(s) holding a quote, cut from the text read around it (the quote starts
    ``offset`` characters in)."""
    before, after = context[:offset], context[offset + length :]
    cut = max(before.rfind(mark) for mark in (". ", "! ", "? ", "\n"))
    ends = [index for mark in (". ", "! ", "? ", ".\n", "\n") if (index := after.find(mark)) >= 0]
    end = min(ends, default=len(after))
    return before[cut + 1 :] + context[offset : offset + length] + after[: end + 1]


def _members(loaded: dict[int, LoadedQuote]) -> dict[int, _Member]:
    return {quote_id: _Member(each) for quote_id, each in loaded.items()}


class _Groups:
    """Union-find over quote ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, item: int) -> int:
        parent = self.parent.setdefault(item, item)
        if parent != item:
            parent = self.parent[item] = self.find(parent)
        return parent

    def join(self, first: int, second: int) -> None:
        self.parent[self.find(first)] = self.find(second)


def index_fidelity(
    conn: Connection, rowids: Sequence[int], settings: FidelitySettings | None = None
) -> int:
    """Compare the statements a batch of new articles touched with their first reports.

    Args:
        conn: Open connection inside the caller's transaction, after the articles' quotes
            joined their quotations.
        rowids: ``articles.rowid`` of the new articles.
        settings: Thresholds; the defaults when ``None``.

    Returns:
        The number of occurrences compared.
    """
    settings = settings or FidelitySettings()
    if not rowids:
        return 0
    new = _members(tables.quotes_of_articles(conn, rowids))
    keys_of = {quote_id: sketch_keys(m.tokens, settings) for quote_id, m in new.items()}
    tables.add_sketch_keys(
        conn, [(key, quote_id) for quote_id, keys in keys_of.items() for key in keys]
    )
    members = dict(new)
    groups = _Groups()
    verified: dict[int, _Member] = dict(new)
    checked: set[tuple[int, int]] = set()
    candidates = _candidates(conn, keys_of)
    missing = sorted({o for linked in candidates.values() for o, _ in linked} - set(members))
    members.update(_members(tables.quotes_by_id(conn, missing)))
    for quote_id, linked in candidates.items():
        first = members[quote_id]
        for other, shared_keys in linked:
            second = members.get(other)
            if second is None or second.occurrence.article_id == first.occurrence.article_id:
                continue
            if first.quotation_id is not None and second.quotation_id == first.quotation_id:
                verified[other] = second
                continue
            pair = (min(quote_id, other), max(quote_id, other))
            if pair in checked or (
                shared_keys < CROSS_SPEAKER_KEYS * len(keys_of[quote_id])
                and not is_same_speaker(first.occurrence.speaker, second.occurrence.speaker)
            ):
                continue
            checked.add(pair)
            if is_same_statement(
                first.occurrence, first.tokens, second.occurrence, second.tokens, settings
            ):
                groups.join(quote_id, other)
                verified[other] = second
    members = verified
    _add_quotations(conn, members, settings)
    by_quotation: dict[int, int] = {}
    for quote_id, member in members.items():
        groups.find(quote_id)
        if member.quotation_id is not None:
            if member.quotation_id in by_quotation:
                groups.join(quote_id, by_quotation[member.quotation_id])
            else:
                by_quotation[member.quotation_id] = quote_id
    families: dict[int, list[_Member]] = defaultdict(list)
    for quote_id, member in members.items():
        families[groups.find(quote_id)].append(member)
    touched = [
        family[: settings.max_family]
        for family in families.values()
        if len({m.occurrence.article_id for m in family}) > 1
        and any(m.occurrence.quote_id in new for m in family)
    ]
    current = tables.compared_with(
        conn, [m.occurrence.quote_id for family in touched for m in family]
    )
    stale: list[int] = []
    comparisons: list[Comparison] = []
    for family in touched:
        _check_family(family, set(new), current, stale, comparisons, settings)
    tables.replace_comparisons(conn, stale, comparisons)
    log.debug("fidelity: %d occurrences compared for %d new quotes", len(comparisons), len(new))
    return len(comparisons)


def _candidates(
    conn: Connection, keys_of: dict[int, list[int]]
) -> dict[int, list[tuple[int, int]]]:
    """Per new quote, the other quotes sharing its sketch keys with how many, most first."""
    wanted = sorted({key for keys in keys_of.values() for key in keys})
    postings = tables.newest_postings(conn, wanted, MAX_POSTINGS)
    found: dict[int, list[tuple[int, int]]] = {}
    for quote_id, keys in keys_of.items():
        shared = Counter(chain.from_iterable(postings.get(key, ()) for key in keys))
        shared.pop(quote_id, None)
        least = max(1, math.ceil(MIN_SHARED_KEYS * len(keys)))
        best = [(other, n) for other, n in shared.most_common(MAX_CANDIDATES) if n >= least]
        if best:
            found[quote_id] = best
    return found


def _add_quotations(
    conn: Connection, members: dict[int, _Member], settings: FidelitySettings
) -> None:
    """Load the other occurrences of every quotation a loaded quote belongs to (earliest
    ``max_family`` of each)."""
    quotation_ids = sorted({m.quotation_id for m in members.values() if m.quotation_id})
    known: Counter[int] = Counter(m.quotation_id for m in members.values() if m.quotation_id)
    for quotation_id, size in tables.quotation_sizes(conn, quotation_ids).items():
        if size <= known[quotation_id]:
            continue
        for loaded in tables.earliest_quotes(conn, quotation_id, settings.max_family):
            members.setdefault(loaded.occurrence.quote_id, _Member(loaded))


def _check_family(
    family: list[_Member],
    new: set[int],
    current: dict[int, int],
    stale: list[int],
    comparisons: list[Comparison],
    settings: FidelitySettings,
) -> None:
    """Compare a statement's occurrences whose first report changed, or that are new;
    their old rows go into ``stale``, the new ones into ``comparisons``."""
    reports = first_reports([m.occurrence for m in family])
    origin = reports[0]
    by_id = {m.occurrence.quote_id: m for m in family}
    report_tokens = [(o, by_id[o.quote_id].tokens) for o in reports]
    statements = {o.quote_id: by_id[o.quote_id].statement() for o in reports}
    for quote_id, member in by_id.items():
        if member.occurrence.article_id == origin.article_id:
            if quote_id in current:
                stale.append(quote_id)
            continue
        report = reports[closest(member.tokens, report_tokens)]
        if current.get(quote_id) == report.quote_id and quote_id not in new:
            continue
        stale.append(quote_id)
        comparisons.append(compare(statements[report.quote_id], member.statement(), settings))
