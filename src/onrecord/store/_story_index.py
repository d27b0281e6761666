"""The statements that keep the quotation and story tables: lookups and writes.

Input: what ``onrecord.derive`` decides while it clusters a batch (which quotation a quote
joins, which story an article joins, which of them merge). Output: rows of ``quotations``,
``quote_variants``, ``quote_quotation``, ``quote_shingles``, ``stories``, ``article_story``,
``article_bands`` and ``article_links``, read back by ``_story_queries``.

Each function is one statement, or one per dialect where the databases answer an inverted
index lookup best in different ways (``_newest_per_key``). What a batch reads whole (its
articles, their quotes) is read in one statement; each article's quote links and counts are
written in one statement at the end of that article.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final

from sqlalchemy import TextClause, text

from onrecord.store._articles import parse_date
from onrecord.store._connection import Connection, Cursor, is_postgres
from onrecord.store._query import any_of, dialect_name, insert_many, run, run_many
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
NEWEST_VARIANTS: Final = (
    text(
        f"SELECT variant_id FROM {QUOTE_SHINGLES} WHERE key = :key "
        "ORDER BY variant_id DESC LIMIT :limit"
    ),
    text(
        "SELECT newest.variant_id FROM unnest(CAST(:keys AS BIGINT[])) AS wanted(key) "
        f"CROSS JOIN LATERAL (SELECT variant_id FROM {QUOTE_SHINGLES} s WHERE s.key = wanted.key "
        "ORDER BY variant_id DESC LIMIT :limit) AS newest"
    ),
)
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
LONGEST_WORDING: Final = text(
    f"SELECT id, text FROM {QUOTE_VARIANTS} WHERE quotation_id = :quotation_id "
    "ORDER BY token_count DESC, id LIMIT 1"
)
# PostgreSQL: a new wording and its shingle keys (and, for a new statement, its quotation) in
# one statement, each insert feeding the next its id.
WORDING_COLUMNS: Final = (
    "quotation_id, text_key, scope, text, first_quote_id, token_count, shingle_count"
)
WORDING_VALUES: Final = (
    "CAST(:text_key AS TEXT), CAST(:scope AS TEXT), CAST(:text AS TEXT), "
    "CAST(:first_quote_id AS BIGINT), CAST(:token_count AS BIGINT), "
    "CAST(:shingle_count AS BIGINT)"
)
SHINGLES_OF_VARIANT: Final = (
    f"shingles AS (INSERT INTO {QUOTE_SHINGLES} (key, variant_id) "
    "SELECT wanted.key, variant.id FROM variant "
    "CROSS JOIN unnest(CAST(:keys AS BIGINT[])) AS wanted(key) ON CONFLICT DO NOTHING) "
)
ADD_WORDING: Final = text(
    f"WITH variant AS (INSERT INTO {QUOTE_VARIANTS} ({WORDING_COLUMNS}) "
    f"VALUES (CAST(:quotation_id AS BIGINT), {WORDING_VALUES}) RETURNING id), "
    f"{SHINGLES_OF_VARIANT}SELECT id FROM variant"
)
ADD_QUOTATION_WORDING: Final = text(
    f"WITH quotation AS (INSERT INTO {QUOTATIONS} (speaker_id, size) "
    "VALUES (CAST(:speaker_id AS BIGINT), 0) RETURNING id), "
    f"variant AS (INSERT INTO {QUOTE_VARIANTS} ({WORDING_COLUMNS}) "
    f"SELECT quotation.id, {WORDING_VALUES} FROM quotation RETURNING id, quotation_id), "
    f"{SHINGLES_OF_VARIANT}SELECT quotation_id, id FROM variant"
)
MOVE_VARIANTS: Final = text(
    f"UPDATE {QUOTE_VARIANTS} SET quotation_id = :target WHERE quotation_id = :other"
)
MOVE_QUOTES: Final = text(
    f"UPDATE {QUOTE_QUOTATION} SET quotation_id = :target WHERE quotation_id = :other"
)
ADD_QUOTATION_SIZE: Final = text(
    f"UPDATE {QUOTATIONS} SET size = size + "
    f"(SELECT size FROM {QUOTATIONS} WHERE id = :other) WHERE id = :target"
)
DROP_QUOTATION: Final = text(f"DELETE FROM {QUOTATIONS} WHERE id = :other")
GROW_QUOTATION: Final = text(f"UPDATE {QUOTATIONS} SET size = size + :count WHERE id = :id")
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
QUOTE_LINK_COLUMNS: Final = (
    ("quote_id", "BIGINT"),
    ("quotation_id", "BIGINT"),
    ("variant_id", "BIGINT"),
)
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
class Wording:
    """A stored wording (``quote_variants`` row) with the speaker of its first quote."""

    id: int
    quotation_id: int
    token_count: int
    shingle_count: int
    speaker_id: int | None


@dataclass(frozen=True, slots=True)
class NewWording:
    """A wording to store: its text key, speaker scope, text (spacing normalised), the quote
    it was first seen in, its size in words and 3-grams, and its scoped 3-gram keys."""

    text_key: str
    scope: str
    text: str
    first_quote_id: int
    token_count: int
    shingle_count: int
    shingle_keys: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """An article of the story index: its MinHash signature and publication date."""

    rowid: int
    signature: bytes
    published: date | None


# Statements that take a list parameter: ``{}`` is where ``any_of`` puts its condition.
ROWIDS_OF: Final = f"SELECT id, rowid FROM {ARTICLES} WHERE {{}}"
QUOTES_OF: Final = (
    "SELECT a.rowid, q.id, q.text, q.kind, q.speaker_id, s.surname "
    f"FROM {ARTICLES} a JOIN {QUOTES} q ON q.article_id = a.id "
    f"LEFT JOIN {SPEAKERS} s ON s.id = q.speaker_id WHERE {{}} ORDER BY a.rowid, q.position"
)
TEXTS_OF: Final = f"SELECT rowid, text, published FROM {ARTICLES} WHERE {{}}"
SAME_WORDINGS: Final = (
    f"SELECT v.text_key, v.id, v.quotation_id, q.speaker_id FROM {QUOTE_VARIANTS} v "
    f"LEFT JOIN {QUOTES} q ON q.id = v.first_quote_id WHERE {{}} ORDER BY v.id"
)
WORDINGS: Final = (
    "SELECT v.id, v.quotation_id, v.token_count, v.shingle_count, q.speaker_id "
    f"FROM {QUOTE_VARIANTS} v LEFT JOIN {QUOTES} q ON q.id = v.first_quote_id WHERE {{}}"
)
INDEXED_ARTICLES: Final = (
    f"SELECT s.article_rowid, s.signature, a.published FROM {ARTICLE_STORY} s "
    f"JOIN {ARTICLES} a ON a.rowid = s.article_rowid WHERE {{}}"
)
QUOTATION_NEIGHBOURS: Final = (
    "SELECT rowid, signature FROM (SELECT a.rowid, s.signature, ROW_NUMBER() OVER "
    "(PARTITION BY qq.quotation_id ORDER BY a.rowid DESC) AS n "
    f"FROM {QUOTE_QUOTATION} qq JOIN {QUOTES} q ON q.id = qq.quote_id "
    f"JOIN {ARTICLES} a ON a.id = q.article_id "
    f"JOIN {ARTICLE_STORY} s ON s.article_rowid = a.rowid "
    "WHERE {} AND a.rowid != :rowid AND a.published BETWEEN :low AND :high"
    ") AS near WHERE n <= :most ORDER BY rowid"
)
STORIES_OF: Final = f"SELECT DISTINCT story_id FROM {ARTICLE_STORY} WHERE {{}}"


@lru_cache(maxsize=32)
def _listing(dialect: str, sql: str, expression: str, parameter: str) -> TextClause:
    """``sql`` (one of the constants above) with the condition that ``expression`` is one of
    the list parameter ``parameter``."""
    return text(sql.format(any_of(dialect, expression, parameter)))


def _run_listing(
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
    found = {str(row[0]): int(row[1]) for row in _run_listing(conn, ROWIDS_OF, "id", article_ids)}
    return [found[article_id] for article_id in article_ids if article_id in found]


def article_rowids(conn: Connection) -> list[int]:
    """Rowids of every stored article, in the order they were stored."""
    return [int(row[0]) for row in run(conn, ALL_ROWIDS)]


def batch_quotes(conn: Connection, rowids: Sequence[int]) -> dict[int, list[BatchQuote]]:
    """The quotes of these articles, per article rowid, each article's in text order."""
    found: dict[int, list[BatchQuote]] = {rowid: [] for rowid in rowids}
    if not rowids:
        return found
    for rowid, quote_id, quoted, kind, speaker_id, surname in _run_listing(
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
        for row in _run_listing(conn, TEXTS_OF, "rowid", rowids)
    }


def _newest_per_key(
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


def shared_shingles(conn: Connection, keys: Iterable[int], limit: int) -> Counter[int]:
    """Per stored wording, how many of the shingle ``keys`` it shares (newest ``limit`` per
    key)."""
    return _newest_per_key(conn, NEWEST_VARIANTS, keys, limit)


def shared_bands(conn: Connection, keys: Iterable[int], limit: int) -> Counter[int]:
    """Per indexed article rowid, how many of the band ``keys`` it shares (newest ``limit``
    per key)."""
    return _newest_per_key(conn, NEWEST_ARTICLES, keys, limit)


def same_wordings(
    conn: Connection, keys: Sequence[str]
) -> dict[str, list[tuple[int, int, int | None]]]:
    """Stored wordings with these text keys: per key, ``(variant id, quotation id, speaker id
    of its first quote)``, oldest first."""
    found: dict[str, list[tuple[int, int, int | None]]] = {}
    if not keys:
        return found
    for key, variant_id, quotation_id, speaker_id in _run_listing(
        conn, SAME_WORDINGS, "v.text_key", keys
    ):
        found.setdefault(str(key), []).append(
            (int(variant_id), int(quotation_id), None if speaker_id is None else int(speaker_id))
        )
    return found


def wordings(conn: Connection, variant_ids: Sequence[int]) -> list[Wording]:
    """The stored wordings with these ids."""
    if not variant_ids:
        return []
    rows = _run_listing(conn, WORDINGS, "v.id", variant_ids)
    return [
        Wording(
            id=int(row[0]),
            quotation_id=int(row[1]),
            token_count=int(row[2]),
            shingle_count=int(row[3]),
            speaker_id=None if row[4] is None else int(row[4]),
        )
        for row in rows
    ]


def longest_wording(conn: Connection, quotation_id: int) -> tuple[int, str] | None:
    """The id and text of a quotation's longest wording (the oldest of equals)."""
    row = run(conn, LONGEST_WORDING, {"quotation_id": quotation_id}).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def new_quotation(conn: Connection, speaker_id: int | None, wording: NewWording) -> tuple[int, int]:
    """Store a new quotation of one wording (with its shingle keys); returns the quotation's
    and the wording's ids. One statement on PostgreSQL, three in-process ones on SQLite."""
    if is_postgres(conn):
        row = run(conn, ADD_QUOTATION_WORDING, {"speaker_id": speaker_id, **_wording_row(wording)})
        found = row.fetchone()
        return int(found[0]), int(found[1])
    quotation_id = insert_id(conn, QUOTATIONS, {"speaker_id": speaker_id, "size": 0})
    return quotation_id, new_wording(conn, quotation_id, wording)


def new_wording(conn: Connection, quotation_id: int, wording: NewWording) -> int:
    """Store a new wording of a quotation with its shingle keys; returns its id. One statement
    on PostgreSQL, two in-process ones on SQLite."""
    row = {"quotation_id": quotation_id, **_wording_row(wording)}
    if is_postgres(conn):
        return int(run(conn, ADD_WORDING, row).fetchone()[0])
    del row["keys"]
    variant_id = insert_id(conn, QUOTE_VARIANTS, row)
    insert_many(
        conn,
        QUOTE_SHINGLES,
        (("key", "BIGINT"), ("variant_id", "BIGINT")),
        [(key, variant_id) for key in wording.shingle_keys],
        is_ignoring_conflicts=True,
    )
    return variant_id


def _wording_row(wording: NewWording) -> dict[str, object]:
    return {
        "text_key": wording.text_key,
        "scope": wording.scope,
        "text": wording.text,
        "first_quote_id": wording.first_quote_id,
        "token_count": wording.token_count,
        "shingle_count": wording.shingle_count,
        "keys": list(wording.shingle_keys),
    }


def merge_quotations(conn: Connection, target: int, other: int) -> None:
    """Move quotation ``other``'s wordings, quotes and count into ``target``; drop ``other``."""
    moving = {"target": target, "other": other}
    for statement in (MOVE_VARIANTS, MOVE_QUOTES, ADD_QUOTATION_SIZE):
        run(conn, statement, moving)
    run(conn, DROP_QUOTATION, {"other": other})


def link_quotes(
    conn: Connection, links: Sequence[tuple[int, int, int]], growth: Counter[int]
) -> None:
    """Store ``(quote id, quotation id, variant id)`` links and add ``growth`` to the sizes of
    the quotations."""
    insert_many(conn, QUOTE_QUOTATION, QUOTE_LINK_COLUMNS, links)
    run_many(
        conn,
        GROW_QUOTATION,
        [{"id": quotation_id, "count": count} for quotation_id, count in sorted(growth.items())],
    )


def indexed_articles(conn: Connection, rowids: Sequence[int]) -> list[StoryArticle]:
    """The articles among ``rowids`` that are in a story, with signature and date."""
    if not rowids:
        return []
    rows = _run_listing(conn, INDEXED_ARTICLES, "s.article_rowid", rowids)
    return [StoryArticle(int(row[0]), bytes(row[1]), parse_date(row[2])) for row in rows]


def quotation_neighbours(
    conn: Connection,
    quotation_ids: Sequence[int],
    rowid: int,
    window: tuple[date, date],
    most: int,
) -> dict[int, bytes]:
    """Indexed articles other than ``rowid``, published within ``window`` (inclusive), that
    carry one of the quotations; at most the newest ``most`` per quotation. Rowid ->
    signature."""
    if not quotation_ids:
        return {}
    parameters = {
        "rowid": rowid,
        "low": window[0].isoformat(),
        "high": window[1].isoformat(),
        "most": most,
    }
    rows = _run_listing(conn, QUOTATION_NEIGHBOURS, "qq.quotation_id", quotation_ids, parameters)
    return {int(row[0]): bytes(row[1]) for row in rows}


def stories_of(conn: Connection, rowids: Sequence[int]) -> set[int]:
    """The stories these articles are in."""
    if not rowids:
        return set()
    rows = _run_listing(conn, STORIES_OF, "article_rowid", rowids)
    return {int(row[0]) for row in rows}


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
) -> int:
    """Put an article into a story (a new one when ``story_id`` is ``None``) with its band
    keys and its ``(low, high, kind, similarity)`` links; returns the story's id."""
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
    return story_id


def clear_index(conn: Connection) -> None:
    """Empty every quotation and story table (inside the caller's transaction)."""
    for clearing in CLEAR:
        run(conn, clearing)
