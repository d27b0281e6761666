"""Queries for browsing: exact totals, facet counts, quote look-ups, plot samples.

Input: a ``QuoteFilter`` (the same one ``Store.search`` runs) or ids. Output: counts and
``QuoteHit`` rows. Totals and facets are taken over the very FROM/WHERE that the search runs
(``match_quotes``, with the same ``:name`` parameters, full-text part included), so a count
never disagrees with the list it describes, on either database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Final

from sqlalchemy import text

from onrecord.store._connection import Connection
from onrecord.store._query import run
from onrecord.store._records import QuoteHit
from onrecord.store._schema import QUOTES
from onrecord.store._search import (
    HIT_COLUMNS,
    HIT_JOINS,
    OLDEST_FIRST,
    QuoteFilter,
    match_quotes,
    row_to_hit,
    run_match,
)

FACET_FIELDS: Final = ("speaker", "outlet", "kind", "month")
FACET_COLUMNS: Final = "q.speaker_name, o.name AS outlet, q.kind, a.published"
DATED_OF_SPEAKER: Final = "WHERE q.speaker_id = :speaker_id AND a.published IS NOT NULL"
QUOTE_BY_ID: Final = text(f"SELECT {HIT_COLUMNS} FROM {QUOTES} q {HIT_JOINS} WHERE q.id = :id")
QUOTES_OF_ARTICLE: Final = text(
    f"SELECT {HIT_COLUMNS} FROM {QUOTES} q {HIT_JOINS} WHERE q.article_id = :article_id "
    'ORDER BY q.start, q."end"'
)
COUNT_DATED: Final = text(f"SELECT count(*) FROM {QUOTES} q {HIT_JOINS} {DATED_OF_SPEAKER}")
# Every ``step``-th dated quote of a speaker, from the first, oldest first.
SPREAD: Final = text(
    f"SELECT * FROM (SELECT {HIT_COLUMNS}, "
    f"ROW_NUMBER() OVER (ORDER BY {OLDEST_FIRST}) AS seq "
    f"FROM {QUOTES} q {HIT_JOINS} {DATED_OF_SPEAKER}) AS ranked "
    "WHERE (seq - 1) % :step = 0 ORDER BY seq"
)


@dataclass(frozen=True, slots=True)
class Facets:
    """Counts of the matching quotes by speaker, outlet, kind and month (``YYYY-MM``).

    ``counted`` is how many matches the counts cover; ``is_sample`` is true when that is
    fewer than all of them (the first ``counted`` in index order).
    """

    counts: dict[str, list[tuple[str, int]]]
    counted: int
    is_sample: bool


def count_quotes(conn: Connection, spec: QuoteFilter, cap: int) -> int:
    """How many quotes match, counting no further than ``cap``.

    Raises:
        BadQuery: Malformed raw full-text syntax, an unknown kind or sort.
    """
    found = match_quotes(conn, spec)
    if found is None:
        return 0
    sql = f"SELECT count(*) FROM (SELECT 1 {found.count_source} LIMIT :cap) AS matched"
    rows = run_match(conn, spec, sql, {**found.params, "cap": cap})
    return int(rows[0][0])


def _ordered(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def quote_facets(conn: Connection, spec: QuoteFilter, sample: int) -> Facets:
    """Facet counts over the matches, all of them when there are at most ``sample``.

    Raises:
        BadQuery: Malformed raw full-text syntax, an unknown kind or sort.
    """
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACET_FIELDS}
    found = match_quotes(conn, spec)
    if found is None:
        return Facets({name: [] for name in FACET_FIELDS}, 0, is_sample=False)
    sql = f"SELECT {FACET_COLUMNS} {found.source} LIMIT :most"
    rows = run_match(conn, spec, sql, {**found.params, "most": sample + 1})
    for speaker, outlet, kind, published in rows[:sample]:
        if speaker:
            counters["speaker"][speaker] += 1
        if outlet:
            counters["outlet"][outlet] += 1
        counters["kind"][kind] += 1
        if published:
            counters["month"][str(published)[:7]] += 1
    counts = {name: _ordered(counter) for name, counter in counters.items()}
    counts["month"] = sorted(counters["month"].items())
    return Facets(counts, min(len(rows), sample), is_sample=len(rows) > sample)


def quote_by_id(conn: Connection, quote_id: int) -> QuoteHit | None:
    """The stored quote with this id, or ``None``."""
    row = run(conn, QUOTE_BY_ID, {"id": quote_id}).fetchone()
    return row_to_hit(row) if row is not None else None


def quotes_of_article(conn: Connection, article_id: str) -> list[QuoteHit]:
    """The stored quotes of one article, in text order."""
    rows = run(conn, QUOTES_OF_ARTICLE, {"article_id": article_id}).fetchall()
    return [row_to_hit(row) for row in rows]


def spread_sample(conn: Connection, speaker_id: int, most: int) -> tuple[list[QuoteHit], int]:
    """At most ``most`` dated quotes of a speaker, evenly spread over all of them by date.

    Returns:
        The quotes, oldest first, and how many dated quotes the speaker has.
    """
    total = int(run(conn, COUNT_DATED, {"speaker_id": speaker_id}).fetchone()[0])
    step = max(1, -(-total // most)) if most > 0 else total + 1
    rows = run(conn, SPREAD, {"speaker_id": speaker_id, "step": step}).fetchall()
    return [row_to_hit(row) for row in rows][:most], total
