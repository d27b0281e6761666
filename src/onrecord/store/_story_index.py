"""The statements that keep the story tables, and what a batch reads whole.

Input: what ``onrecord.derive`` decides while it clusters a batch (which story an article
joins, which stories merge). Output: rows of ``stories``, ``article_story``, ``article_bands``
and ``article_links``, read back by ``_story_queries``; the quotation tables are kept by
``_quotation_index``, which shares the lookups here (``newest_per_key``, ``run_listing``).

Each function is one statement, or one per dialect where the databases answer an inverted
index lookup best in different ways. What a batch reads whole (its articles, their quotes)
is read in one statement. On PostgreSQL an article's story candidates with their signatures
and stories are one statement (``story_candidates``), and joining a story is one statement
that reads nothing back (``join_story``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import TextClause, text

from onrecord.store._articles import parse_date
from onrecord.store._connection import Connection, Cursor, is_postgres
from onrecord.store._query import any_of, dialect_name, insert_many, run
from onrecord.store._schema import (
    ARTICLE_BANDS,
    ARTICLE_LINKS,
    ARTICLE_STORY,
    ARTICLES,
    QUOTATIONS,
    QUOTE_QUOTATION,
    QUOTE_SHINGLES,
    QUOTE_VARIANTS,
    QUOTES,
    SPEAKERS,
    STORIES,
)
from onrecord.store._writes import insert_id

INDEX_TABLES: Final = (
    QUOTE_QUOTATION,
    QUOTE_SHINGLES,
    QUOTE_VARIANTS,
    QUOTATIONS,
    ARTICLE_LINKS,
    ARTICLE_BANDS,
    ARTICLE_STORY,
    STORIES,
)

# The newest rows under one key of an inverted index (word 3-grams, MinHash bands). SQLite
# answers one key at a time from its index, in-process; PostgreSQL gets every key of a lookup
# in one statement (one round trip), each key still cut at its newest ``limit`` rows.
NEWEST_ARTICLES: Final = (
    text(
        f"SELECT article_rowid FROM {ARTICLE_BANDS} WHERE key = :key "
        "ORDER BY article_rowid DESC LIMIT :limit"
    ),
    text(
        "SELECT newest.article_rowid FROM unnest(CAST(:keys AS BIGINT[])) AS wanted(key) "
        f"CROSS JOIN LATERAL (SELECT article_rowid FROM {ARTICLE_BANDS} b "
        "WHERE b.key = wanted.key ORDER BY article_rowid DESC LIMIT :limit) AS newest"
    ),
)
# PostgreSQL: an article's story candidates in one statement: per band key the newest
# ``limit`` indexed articles, the ``most`` sharing the most keys (ties in the order they are
# first met, key by key, newest first, as ``Counter.most_common`` ranks them on SQLite), with
# signature, publication date and story.
STORY_CANDIDATES: Final = text(
    "WITH newest AS (SELECT wanted.place, found.article_rowid "
    "FROM unnest(CAST(:keys AS BIGINT[])) WITH ORDINALITY AS wanted(key, place) "
    f"CROSS JOIN LATERAL (SELECT article_rowid FROM {ARTICLE_BANDS} b "
    "WHERE b.key = wanted.key ORDER BY article_rowid DESC LIMIT :limit) AS found), "
    "counted AS (SELECT article_rowid, count(*) AS shared, min(place) AS first_place "
    "FROM newest GROUP BY article_rowid "
    "ORDER BY shared DESC, first_place, article_rowid DESC LIMIT :most) "
    "SELECT s.article_rowid, s.signature, a.published, s.story_id FROM counted c "
    f"JOIN {ARTICLE_STORY} s ON s.article_rowid = c.article_rowid "
    f"JOIN {ARTICLES} a ON a.rowid = s.article_rowid"
)
# PostgreSQL: an article joins a story (a new one when :story_id is null) with its band keys
# and links, in one statement.
JOIN_STORY_AT_ONCE: Final = text(
    f"WITH started AS (INSERT INTO {STORIES} (size) SELECT 1 "
    "WHERE CAST(:story_id AS BIGINT) IS NULL RETURNING id), "
    f"grown AS (UPDATE {STORIES} SET size = size + 1 WHERE id = CAST(:story_id AS BIGINT) "
    "RETURNING id), "
    "chosen AS (SELECT id FROM started UNION ALL SELECT id FROM grown), "
    f"joined AS (INSERT INTO {ARTICLE_STORY} (article_rowid, story_id, signature) "
    "SELECT CAST(:rowid AS BIGINT), id, CAST(:signature AS BYTEA) FROM chosen), "
    f"banded AS (INSERT INTO {ARTICLE_BANDS} (key, article_rowid) "
    "SELECT wanted.key, CAST(:rowid AS BIGINT) FROM unnest(CAST(:keys AS BIGINT[])) AS wanted(key) "
    "ON CONFLICT DO NOTHING) "
    f"INSERT INTO {ARTICLE_LINKS} (low, high, kind, similarity) "
    "SELECT * FROM unnest(CAST(:lows AS BIGINT[]), CAST(:highs AS BIGINT[]), "
    "CAST(:kinds AS TEXT[]), CAST(:similarities AS DOUBLE PRECISION[])) ON CONFLICT DO NOTHING"
)
MOVE_STORY: Final = text(f"UPDATE {ARTICLE_STORY} SET story_id = :target WHERE story_id = :other")
ADD_STORY_SIZE: Final = text(
    f"UPDATE {STORIES} SET size = size + (SELECT size FROM {STORIES} WHERE id = :other) "
    "WHERE id = :target"
)
DROP_STORY: Final = text(f"DELETE FROM {STORIES} WHERE id = :other")
GROW_STORY: Final = text(f"UPDATE {STORIES} SET size = size + 1 WHERE id = :id")
JOIN_STORY: Final = text(
    f"INSERT INTO {ARTICLE_STORY} (article_rowid, story_id, signature) "
    "VALUES (:rowid, :story_id, :signature)"
)
ALL_ROWIDS: Final = text(f"SELECT rowid FROM {ARTICLES} ORDER BY rowid")
CLEAR: Final = tuple(text(f"DELETE FROM {table}") for table in INDEX_TABLES)
LINK_COLUMNS: Final = (
    ("low", "BIGINT"),
    ("high", "BIGINT"),
    ("kind", "TEXT"),
    ("similarity", "DOUBLE PRECISION"),
)


@dataclass(frozen=True, slots=True)
class BatchQuote:
    """A stored quote of a batch's article, as the quotation index reads it."""

    rowid: int
    quote_id: int
    text: str
    kind: str
    speaker_id: int | None
    scope: str  # the speaker's surname key, "" without one


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """An article of the story index: its MinHash signature, publication date and story."""

    rowid: int
    signature: bytes
    published: date | None
    story_id: int


# Statements that take a list parameter: ``{}`` is where ``any_of`` puts its condition.
ROWIDS_OF: Final = f"SELECT id, rowid FROM {ARTICLES} WHERE {{}}"
QUOTES_OF: Final = (
    "SELECT a.rowid, q.id, q.text, q.kind, q.speaker_id, s.surname "
    f"FROM {ARTICLES} a JOIN {QUOTES} q ON q.article_id = a.id "
    f"LEFT JOIN {SPEAKERS} s ON s.id = q.speaker_id WHERE {{}} ORDER BY a.rowid, q.position"
)
TEXTS_OF: Final = f"SELECT rowid, text, published FROM {ARTICLES} WHERE {{}}"
INDEXED_ARTICLES: Final = (
    f"SELECT s.article_rowid, s.signature, a.published, s.story_id FROM {ARTICLE_STORY} s "
    f"JOIN {ARTICLES} a ON a.rowid = s.article_rowid WHERE {{}}"
)
QUOTATION_NEIGHBOURS: Final = (
    "SELECT rowid, signature, story_id FROM (SELECT a.rowid, s.signature, s.story_id, "
    "ROW_NUMBER() OVER "
    "(PARTITION BY qq.quotation_id ORDER BY a.rowid DESC) AS n "
    f"FROM {QUOTE_QUOTATION} qq JOIN {QUOTES} q ON q.id = qq.quote_id "
    f"JOIN {ARTICLES} a ON a.id = q.article_id "
    f"JOIN {ARTICLE_STORY} s ON s.article_rowid = a.rowid "
    "WHERE {} AND a.rowid != :rowid AND a.published BETWEEN :low AND :high"
    ") AS near WHERE n <= :most ORDER BY rowid"
)


@lru_cache(maxsize=32)
def _listing(dialect: str, sql: str, expression: str, parameter: str) -> TextClause:
    """``sql`` (one of the constants above) with the condition that ``expression`` is one of
    the list parameter ``parameter``."""
    return text(sql.format(any_of(dialect, expression, parameter)))


def run_listing(
    conn: Connection,
    sql: str,
    expression: str,
    values: Sequence[object],
    parameters: Mapping[str, object] | None = None,
) -> Cursor:
    """Run a listing statement with ``values`` as its list parameter ``ids``."""
    query = _listing(dialect_name(conn), sql, expression, "ids")
    return run(conn, query, {**(parameters or {}), "ids": list(values)})


def rowids_for(conn: Connection, article_ids: Sequence[str]) -> list[int]:
    """Rowids of the given article ids, in the given order (unknown ids are left out)."""
    if not article_ids:
        return []
    found = {str(row[0]): int(row[1]) for row in run_listing(conn, ROWIDS_OF, "id", article_ids)}
    return [found[article_id] for article_id in article_ids if article_id in found]


def article_rowids(conn: Connection) -> list[int]:
    """Rowids of every stored article, in the order they were stored."""
    return [int(row[0]) for row in run(conn, ALL_ROWIDS)]


def batch_quotes(conn: Connection, rowids: Sequence[int]) -> dict[int, list[BatchQuote]]:
    """The quotes of these articles, per article rowid, each article's in text order."""
    found: dict[int, list[BatchQuote]] = {rowid: [] for rowid in rowids}
    if not rowids:
        return found
    for rowid, quote_id, quoted, kind, speaker_id, surname in run_listing(
        conn, QUOTES_OF, "a.rowid", rowids
    ):
        found[int(rowid)].append(
            BatchQuote(
                rowid=int(rowid),
                quote_id=int(quote_id),
                text=quoted,
                kind=kind,
                speaker_id=None if speaker_id is None else int(speaker_id),
                scope=surname or "",
            )
        )
    return found


def article_texts(conn: Connection, rowids: Sequence[int]) -> dict[int, tuple[str, date | None]]:
    """Text and publication date of these articles, by rowid."""
    if not rowids:
        return {}
    return {
        int(row[0]): (row[1], parse_date(row[2]))
        for row in run_listing(conn, TEXTS_OF, "rowid", rowids)
    }


def newest_per_key(
    conn: Connection,
    newest: tuple[TextClause, TextClause],
    keys: Iterable[int],
    limit: int,
) -> Counter[int]:
    """How many of ``keys`` each id shares, counting only the newest ``limit`` ids per key."""
    shared: Counter[int] = Counter()
    if is_postgres(conn):
        wanted = list(keys)
        if wanted:
            found = run(conn, newest[1], {"keys": wanted, "limit": limit})
            shared.update(int(row[0]) for row in found)
        return shared
    for key in keys:
        shared.update(int(row[0]) for row in run(conn, newest[0], {"key": key, "limit": limit}))
    return shared


def story_candidates(
    conn: Connection, keys: Sequence[int], limit: int, most: int
) -> list[StoryArticle]:
    """The indexed articles sharing the most band ``keys`` (counting the newest ``limit`` per
    key), at most ``most``, ties in the order they are first met key by key, newest first."""
    if not keys:
        return []
    if is_postgres(conn):
        rows = run(conn, STORY_CANDIDATES, {"keys": list(keys), "limit": limit, "most": most})
        return [_story_article(row) for row in rows]
    shared = newest_per_key(conn, NEWEST_ARTICLES, keys, limit)
    best = [rowid for rowid, _ in shared.most_common(most)]
    if not best:
        return []
    return [
        _story_article(row) for row in run_listing(conn, INDEXED_ARTICLES, "s.article_rowid", best)
    ]


def _story_article(row: Sequence[Any]) -> StoryArticle:  # Any: column values
    return StoryArticle(int(row[0]), bytes(row[1]), parse_date(row[2]), int(row[3]))


def quotation_neighbours(
    conn: Connection,
    quotation_ids: Sequence[int],
    rowid: int,
    window: tuple[date, date],
    most: int,
) -> dict[int, tuple[bytes, int]]:
    """Indexed articles other than ``rowid``, published within ``window`` (inclusive), that
    carry one of the quotations; at most the newest ``most`` per quotation. Rowid ->
    (signature, story id)."""
    if not quotation_ids:
        return {}
    parameters = {
        "rowid": rowid,
        "low": window[0].isoformat(),
        "high": window[1].isoformat(),
        "most": most,
    }
    rows = run_listing(conn, QUOTATION_NEIGHBOURS, "qq.quotation_id", quotation_ids, parameters)
    return {int(row[0]): (bytes(row[1]), int(row[2])) for row in rows}


def merge_stories(conn: Connection, target: int, other: int) -> None:
    """Move story ``other``'s articles and count into ``target``; drop ``other``."""
    moving = {"target": target, "other": other}
    run(conn, MOVE_STORY, moving)
    run(conn, ADD_STORY_SIZE, moving)
    run(conn, DROP_STORY, {"other": other})


def join_story(
    conn: Connection,
    rowid: int,
    story_id: int | None,
    signature: bytes,
    band_keys: Sequence[int],
    links: Sequence[tuple[int, int, str, float]],
) -> None:
    """Put an article into a story (a new one when ``story_id`` is ``None``) with its band
    keys and its ``(low, high, kind, similarity)`` links (one statement on PostgreSQL)."""
    if is_postgres(conn):
        run(
            conn,
            JOIN_STORY_AT_ONCE,
            {
                "story_id": story_id,
                "rowid": rowid,
                "signature": signature,
                "keys": list(band_keys),
                "lows": [link[0] for link in links],
                "highs": [link[1] for link in links],
                "kinds": [link[2] for link in links],
                "similarities": [link[3] for link in links],
            },
        )
        return
    if story_id is None:
        story_id = insert_id(conn, STORIES, {"size": 1})
    else:
        run(conn, GROW_STORY, {"id": story_id})
    run(conn, JOIN_STORY, {"rowid": rowid, "story_id": story_id, "signature": signature})
    insert_many(
        conn,
        ARTICLE_BANDS,
        (("key", "BIGINT"), ("article_rowid", "BIGINT")),
        [(key, rowid) for key in band_keys],
        is_ignoring_conflicts=True,
    )
    insert_many(conn, ARTICLE_LINKS, LINK_COLUMNS, links, is_ignoring_conflicts=True)


def clear_index(conn: Connection) -> None:
    """Empty every quotation and story table (inside the caller's transaction)."""
    for clearing in CLEAR:
        run(conn, clearing)
