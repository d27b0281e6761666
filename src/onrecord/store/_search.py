"""Quote queries: full-text search with filters, streaming, and rows -> ``QuoteHit``.

User text reaches FTS5 only through ``escape_fts``, which turns every whitespace-separated
token into a quoted phrase, so punctuation and FTS operators in a search box are plain words.
``raw_fts=True`` passes the text through untouched for callers who want FTS5 syntax; a
malformed query then raises ``BadQuery`` carrying SQLite's message.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from typing import Any, Final

from onrecord.errors import BadQuery
from onrecord.store._articles import parse_date, rowid_ranges
from onrecord.store._connection import DATABASE_ERRORS, Connection, Row, is_postgres
from onrecord.store._fidelity import altered_quote_filter
from onrecord.store._postgres import TEXT_SEARCH_CONFIG
from onrecord.store._records import QuoteHit, SpeakerSummary
from onrecord.store._schema import (
    ARTICLES,
    OUTLETS,
    QUOTES,
    QUOTES_FTS,
    SPEAKER_ALIASES,
    SPEAKERS,
)
from onrecord.store._speakers import (
    ids_for_alias,
    ids_for_partial_name,
    ids_for_slug,
    normalise_name,
)

HIGHLIGHT_OPEN: Final = "["
HIGHLIGHT_CLOSE: Final = "]"
QUOTE_KINDS: Final = ("direct", "indirect", "mixed")

HIT_COLUMNS: Final = (
    'q.id AS quote_id, q.article_id, q.text, q.start, q."end", q.kind, q.cue, q.confidence, '
    "q.speaker_name, q.speaker_id, q.speaker_given, q.speaker_mention, q.mention_start, "
    "q.mention_end, q.role, q.org, q.speaker_kind, q.via, q.extractor, "
    "a.title, a.url, o.name AS outlet, a.published"
)
HIT_JOINS: Final = (
    f"JOIN {ARTICLES} a ON a.id = q.article_id LEFT JOIN {OUTLETS} o ON o.id = a.outlet_id"
)
# Undated articles sort after dated ones; the quote id keeps the order stable.
NEWEST_FIRST: Final = "a.published DESC NULLS LAST, a.rowid DESC, q.position"
OLDEST_FIRST: Final = "a.published ASC NULLS LAST, a.rowid, q.position"


def escape_fts(text: str) -> str:
    """Turn free text into an FTS5 query that matches all its words and never fails to parse.

    Each whitespace-separated token becomes a double-quoted phrase (inner double quotes
    doubled), and the phrases are ANDed. NUL characters count as whitespace: FTS5 reads the
    query as a C string and would see an unterminated phrase.

    Args:
        text: What the user typed.

    Returns:
        An FTS5 query; ``""`` when ``text`` has no tokens.
    """
    tokens = text.replace("\x00", " ").split()
    return " ".join('"' + token.replace('"', '""') + '"' for token in tokens)


def row_to_hit(row: Row, snippet: str | None = None, rank: float | None = None) -> QuoteHit:
    """Build a ``QuoteHit`` from a row selected with ``HIT_COLUMNS``."""
    return QuoteHit(
        quote_id=row["quote_id"],
        article_id=row["article_id"],
        text=row["text"],
        start=row["start"],
        end=row["end"],
        kind=row["kind"],
        cue=row["cue"],
        confidence=row["confidence"],
        speaker=row["speaker_name"],
        speaker_id=row["speaker_id"],
        speaker_given=row["speaker_given"],
        speaker_mention=row["speaker_mention"],
        mention_start=row["mention_start"],
        mention_end=row["mention_end"],
        role=row["role"],
        org=row["org"],
        speaker_kind=row["speaker_kind"],
        via=tuple(json.loads(row["via"])),
        extractor=row["extractor"],
        title=row["title"],
        url=row["url"],
        outlet=row["outlet"],
        published=parse_date(row["published"]),
        snippet=snippet if snippet is not None else row["text"],
        rank=rank,
    )


RANKED_MATCHES_MAX = 5000


def _has_many_matches(conn: Connection, query: str) -> bool:
    """Whether the full-text query matches more quotes than are worth ranking."""
    row = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {QUOTES_FTS} WHERE {QUOTES_FTS} MATCH ? LIMIT ?)",
        (query, RANKED_MATCHES_MAX),
    ).fetchone()
    return int(row[0]) >= RANKED_MATCHES_MAX


def search_quotes(
    conn: Connection,
    text: str | None = None,
    *,
    speaker: str | None = None,
    outlet: str | None = None,
    since: date | None = None,
    until: date | None = None,
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
    raw_fts: bool = False,
    is_altered: bool = False,
) -> list[QuoteHit]:
    """Run a quote search; see ``Store.search`` for the meaning of each argument."""
    where: list[str] = []
    params: list[Any] = []  # Any: SQL parameters of mixed types
    query = (text if raw_fts else escape_fts(text)) if text is not None else ""
    has_text = bool(query.strip())
    if speaker is not None:
        ids = find_speaker_ids(conn, speaker)
        if not ids:
            return []
        where.append(f"q.speaker_id IN ({', '.join('?' for _ in ids)})")
        params.extend(ids)
    if outlet is not None:
        where.append("o.name = ? COLLATE NOCASE")
        params.append(outlet.strip())
    if since is not None:
        where.append("a.published >= ?")
        params.append(since.isoformat())
    if until is not None:
        where.append("a.published <= ?")
        params.append(until.isoformat())
    if kind is not None:
        if kind not in QUOTE_KINDS:
            raise BadQuery(
                f"[{BadQuery.code}] unknown quote kind {kind!r}. "
                f"Use one of: {', '.join(QUOTE_KINDS)}."
            )
        where.append("q.kind = ?")
        params.append(kind)
    if is_altered:
        where.append(altered_quote_filter())
    if limit < 0 or offset < 0:
        raise BadQuery(
            f"[{BadQuery.code}] limit ({limit}) and offset ({offset}) must not be negative."
        )
    params.extend([limit, offset])
    if not has_text:
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        sql = (
            f"SELECT {HIT_COLUMNS} FROM {QUOTES} q {HIT_JOINS} {clause} "
            f"ORDER BY {NEWEST_FIRST} LIMIT ? OFFSET ?"
        )
        return [row_to_hit(row) for row in conn.execute(sql, params).fetchall()]
    if is_postgres(conn):
        return _postgres_search(conn, text, query, raw_fts, where, params)
    clause = " AND ".join([f"{QUOTES_FTS} MATCH ?", *where])
    try:
        # Ranking scores every match before the limit applies: for a word in thousands of
        # quotes that costs hundreds of milliseconds, so those come newest stored first.
        is_common = _has_many_matches(conn, query)
        order = f"{QUOTES_FTS}.rowid DESC" if is_common else f"rank, {NEWEST_FIRST}"
        sql = (
            f"SELECT {HIT_COLUMNS}, "
            f"snippet({QUOTES_FTS}, 0, ?, ?, '…', 32) AS snippet, "
            f"bm25({QUOTES_FTS}) AS rank "
            f"FROM {QUOTES_FTS} JOIN {QUOTES} q ON q.id = {QUOTES_FTS}.rowid {HIT_JOINS} "
            f"WHERE {clause} ORDER BY {order} LIMIT ? OFFSET ?"
        )
        rows = conn.execute(sql, [HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE, query, *params]).fetchall()
    except sqlite3.OperationalError as exc:
        if not raw_fts:
            raise
        raise _bad_raw_query(text, exc, "FTS5") from exc
    return _ranked_hits(rows)


def _bad_raw_query(text: str | None, exc: Exception, syntax: str) -> BadQuery:
    return BadQuery(
        f"[{BadQuery.code}] full-text query {text!r} is not valid {syntax} syntax: {exc}. "
        "Fix the query, or search without raw syntax."
    )


def _ranked_hits(rows: list[Row]) -> list[QuoteHit]:
    return [row_to_hit(row, row["snippet"], row["rank"]) for row in rows]


def _postgres_search(
    conn: Connection,
    text: str | None,
    query: str,
    raw_fts: bool,
    where: list[str],
    params: list[Any],  # Any: SQL parameters of mixed types
) -> list[QuoteHit]:
    """The search on PostgreSQL: the ``quotes.fts`` column against a ``tsquery``.

    Free text becomes ``plainto_tsquery`` (all words, punctuation ignored); raw syntax goes
    to ``to_tsquery`` (``&``, ``|``, ``!``, ``:*``). The rank is negated ``ts_rank``, so that
    lower is better as with SQLite's bm25.
    """
    parse = "to_tsquery" if raw_fts else "plainto_tsquery"
    tsquery = f"{parse}('{TEXT_SEARCH_CONFIG}', ?)"
    clause = " AND ".join(["q.fts @@ query", *where])
    sql = (
        f"SELECT {HIT_COLUMNS}, ts_headline('{TEXT_SEARCH_CONFIG}', q.text, query, "
        f"'StartSel={HIGHLIGHT_OPEN}, StopSel={HIGHLIGHT_CLOSE}, MaxWords=32, MinWords=12, "
        "HighlightAll=false') AS snippet, -ts_rank(q.fts, query) AS rank "
        f"FROM {QUOTES} q {HIT_JOINS} CROSS JOIN {tsquery} AS query WHERE {clause} "
        f"ORDER BY rank, {NEWEST_FIRST} LIMIT ? OFFSET ?"
    )
    try:
        rows = conn.execute(sql, [text if raw_fts else query, *params]).fetchall()
    except DATABASE_ERRORS as exc:
        if not raw_fts:
            raise
        raise _bad_raw_query(text, exc, "tsquery") from exc
    return _ranked_hits(rows)


def iter_quotes(conn: Connection) -> Iterator[QuoteHit]:
    """Every stored quote, article by article in the order added, page by page."""
    for first, last in rowid_ranges(conn):
        rows = conn.execute(
            f"SELECT {HIT_COLUMNS} FROM {QUOTES} q {HIT_JOINS} "
            "WHERE a.rowid BETWEEN ? AND ? ORDER BY a.rowid, q.position",
            (first, last),
        ).fetchall()
        for row in rows:
            yield row_to_hit(row)


def quotes_for_speaker(conn: Connection, speaker_id: int) -> list[QuoteHit]:
    """Every quote of one speaker, oldest article first, undated ones last."""
    rows = conn.execute(
        f"SELECT {HIT_COLUMNS} FROM {QUOTES} q {HIT_JOINS} WHERE q.speaker_id = ? "
        f"ORDER BY {OLDEST_FIRST}",
        (speaker_id,),
    ).fetchall()
    return [row_to_hit(row) for row in rows]


SUMMARY_SQL: Final = (
    "SELECT s.id, s.name, s.kind, s.role, s.org, COUNT(q.id) AS quote_count, "
    "MIN(a.published) AS first_date, MAX(a.published) AS last_date, "
    f"(SELECT COALESCE(json_group_array(sa.name), '[]') FROM {SPEAKER_ALIASES} sa "
    "WHERE sa.speaker_id = s.id AND sa.alias != s.name_key) AS aliases "
    f"FROM {SPEAKERS} s JOIN {QUOTES} q ON q.speaker_id = s.id "
    f"JOIN {ARTICLES} a ON a.id = q.article_id"
)


def _row_to_summary(row: Row) -> SpeakerSummary:
    return SpeakerSummary(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        role=row["role"],
        org=row["org"],
        quote_count=row["quote_count"],
        aliases=tuple(sorted(set(json.loads(row["aliases"])))),
        first_date=parse_date(row["first_date"]),
        last_date=parse_date(row["last_date"]),
    )


def speaker_summaries(conn: Connection, limit: int | None = None) -> list[SpeakerSummary]:
    """Quoted speakers, most quoted first, then by name."""
    sql = f"{SUMMARY_SQL} GROUP BY s.id ORDER BY quote_count DESC, s.name COLLATE NOCASE"
    if limit is None:
        return [_row_to_summary(row) for row in conn.execute(sql).fetchall()]
    rows = conn.execute(f"{sql} LIMIT ?", (limit,)).fetchall()
    return [_row_to_summary(row) for row in rows]


def speaker_summary(conn: Connection, speaker_id: int) -> SpeakerSummary | None:
    """The summary of one speaker, or ``None`` when it has no quotes."""
    row = conn.execute(f"{SUMMARY_SQL} WHERE s.id = ? GROUP BY s.id", (speaker_id,)).fetchone()
    return _row_to_summary(row) if row is not None else None


def find_speaker_ids(conn: Connection, name: str) -> list[int]:
    """Speakers known by ``name``, any spelling, or by the slug of their name."""
    return ids_for_alias(conn, name) or ids_for_slug(conn, name) or ids_for_partial_name(conn, name)


def closest_names(conn: Connection, name: str, count: int = 3) -> list[str]:
    """Canonical names of quoted speakers whose spellings look most like ``name``."""
    rows = conn.execute(
        f"SELECT DISTINCT sa.name, s.name FROM {SPEAKER_ALIASES} sa "
        f"JOIN {SPEAKERS} s ON s.id = sa.speaker_id "
        f"WHERE EXISTS (SELECT 1 FROM {QUOTES} q WHERE q.speaker_id = s.id)"
    ).fetchall()
    canonical_of: dict[str, str] = {}
    for alias, canonical in rows:
        canonical_of.setdefault(normalise_name(alias), canonical)
    matches = difflib.get_close_matches(normalise_name(name), canonical_of, n=count * 3, cutoff=0.5)
    found: list[str] = []
    for match in matches:
        if canonical_of[match] not in found:
            found.append(canonical_of[match])
    return found[:count]
