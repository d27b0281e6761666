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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

from onrecord.errors import BadQuery
from onrecord.store._articles import parse_date, rowid_ranges
from onrecord.store._connection import DATABASE_ERRORS, Connection, Cursor, Row, is_postgres
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
from onrecord.store._syntax import SearchExpr, read_query, to_fts5, to_tsquery

HIGHLIGHT_OPEN: Final = "["
HIGHLIGHT_CLOSE: Final = "]"
QUOTE_KINDS: Final = ("direct", "indirect", "mixed")

HIT_COLUMNS: Final = (
    'q.id AS quote_id, q.article_id, q.text, q.start, q."end", q.kind, q.cue, q.confidence, '
    "q.speaker_name, q.speaker_id, q.speaker_given, q.speaker_mention, q.mention_start, "
    "q.mention_end, q.role, q.org, q.speaker_kind, q.via, q.extractor, "
    "a.title, a.url, o.name AS outlet, a.published"
)
ARTICLE_JOIN: Final = f"JOIN {ARTICLES} a ON a.id = q.article_id"
OUTLET_JOIN: Final = f"LEFT JOIN {OUTLETS} o ON o.id = a.outlet_id"
HIT_JOINS: Final = f"{ARTICLE_JOIN} {OUTLET_JOIN}"
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
# A LIMIT both backends read as "no limit" (SQLite's -1 is not PostgreSQL's).
ALL_ROWS: Final = 2**62
SORTS: Final = ("relevance", "newest", "oldest")
SORT_ORDER: Final = {"newest": NEWEST_FIRST, "oldest": OLDEST_FIRST}
SyntaxMode = Literal["words", "query", "raw"]
SortOrder = Literal["relevance", "newest", "oldest"]


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """What a quote search asks for; see ``Store.search`` for each field.

    ``syntax`` says how ``text`` is read: ``words`` (every word, literally), ``query`` (the
    search-box syntax of ``_syntax``; unreadable text falls back to ``words``) or ``raw``
    (the backend's own full-text syntax). ``sort`` is ``relevance`` (best match first; with
    no text the same as ``newest``), ``newest`` or ``oldest``. ``is_altered`` keeps only
    altered quotations (quotes with a fidelity finding, or the first reports they altered).
    """

    text: str | None = None
    speaker: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    kind: str | None = None
    syntax: SyntaxMode = "words"
    sort: SortOrder = "relevance"
    is_altered: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    """The FROM and WHERE of the quotes a filter selects, with their parameters."""

    source: str
    params: tuple[Any, ...]  # Any: SQL parameters of mixed types
    count_source: str  # the same rows with only the joins the filters need, for counting
    query: str
    has_text: bool
    is_postgres: bool


def _has_many_matches(conn: Connection, query: str) -> bool:
    """Whether the full-text query matches more quotes than are worth ranking."""
    row = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {QUOTES_FTS} WHERE {QUOTES_FTS} MATCH ? LIMIT ?)",
        (query, RANKED_MATCHES_MAX),
    ).fetchone()
    return int(row[0]) >= RANKED_MATCHES_MAX


def _text_query(text: str | None, syntax: SyntaxMode, postgres: bool) -> tuple[str, bool]:
    """The full-text query, and whether it is in the backend's syntax (else plain words)."""
    if text is None or not text.strip():
        return "", False
    if syntax == "raw":
        return text, True
    if syntax == "query":
        expr = read_query(text)
        if isinstance(expr, SearchExpr):
            return (to_tsquery(expr) if postgres else to_fts5(expr)), True
    return escape_fts(text), False


def match_quotes(conn: Connection, spec: QuoteFilter) -> Match | None:
    """The SQL selecting the quotes of ``spec``; ``None`` when no speaker has that name.

    Raises:
        BadQuery: An unknown kind or sort.
    """
    where: list[str] = []
    params: list[Any] = []  # Any: SQL parameters of mixed types
    postgres = is_postgres(conn)
    query, is_syntax = _text_query(spec.text, spec.syntax, postgres)
    has_text = bool(query.strip())
    if spec.sort not in SORTS:
        raise BadQuery(
            f"[{BadQuery.code}] unknown sort {spec.sort!r}. Use one of: {', '.join(SORTS)}."
        )
    if spec.speaker is not None:
        ids = find_speaker_ids(conn, spec.speaker)
        if not ids:
            return None
        where.append(f"q.speaker_id IN ({', '.join('?' for _ in ids)})")
        params.extend(ids)
    if spec.outlet is not None:
        where.append("o.name = ? COLLATE NOCASE")
        params.append(spec.outlet.strip())
    if spec.since is not None:
        where.append("a.published >= ?")
        params.append(spec.since.isoformat())
    if spec.until is not None:
        where.append("a.published <= ?")
        params.append(spec.until.isoformat())
    if spec.kind is not None:
        if spec.kind not in QUOTE_KINDS:
            raise BadQuery(
                f"[{BadQuery.code}] unknown quote kind {spec.kind!r}. "
                f"Use one of: {', '.join(QUOTE_KINDS)}."
            )
        where.append("q.kind = ?")
        params.append(spec.kind)
    if spec.is_altered:
        where.append(altered_quote_filter())
    # Counting a million rows through joins it does not need costs ten times the count.
    joins = (
        HIT_JOINS
        if spec.outlet is not None
        else ARTICLE_JOIN
        if spec.since is not None or spec.until is not None
        else ""
    )
    if not has_text:
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return Match(
            f"FROM {QUOTES} q {HIT_JOINS}{clause}",
            tuple(params),
            f"FROM {QUOTES} q {joins}{clause}",
            "",
            False,
            postgres,
        )
    if postgres:
        parse = "to_tsquery" if is_syntax else "plainto_tsquery"
        tsquery = f"CROSS JOIN {parse}('{TEXT_SEARCH_CONFIG}', ?) AS query"
        clause = " AND ".join(["q.fts @@ query", *where])
        return Match(
            f"FROM {QUOTES} q {HIT_JOINS} {tsquery} WHERE {clause}",
            (query, *params),
            f"FROM {QUOTES} q {joins} {tsquery} WHERE {clause}",
            query,
            True,
            postgres,
        )
    clause = " AND ".join([f"{QUOTES_FTS} MATCH ?", *where])
    fts_join = f"FROM {QUOTES_FTS} JOIN {QUOTES} q ON q.id = {QUOTES_FTS}.rowid"
    return Match(
        f"{fts_join} {HIT_JOINS} WHERE {clause}",
        (query, *params),
        f"{fts_join} {joins} WHERE {clause}" if where else f"FROM {QUOTES_FTS} WHERE {clause}",
        query,
        True,
        postgres,
    )


def open_match(conn: Connection, spec: QuoteFilter, sql: str, params: Sequence[Any]) -> Cursor:
    """Start a statement over a ``match_quotes`` source; raw syntax errors become ``BadQuery``.

    Raises:
        BadQuery: Malformed raw full-text syntax.
    """
    try:
        return conn.execute(sql, params)
    except DATABASE_ERRORS as exc:
        if spec.syntax != "raw" or not spec.text:
            raise
        syntax = "tsquery" if is_postgres(conn) else "FTS5"
        raise _bad_raw_query(spec.text, exc, syntax) from exc


def run_match(conn: Connection, spec: QuoteFilter, sql: str, params: Sequence[Any]) -> list[Row]:
    """All rows of a statement over a ``match_quotes`` source (see ``open_match``).

    Raises:
        BadQuery: Malformed raw full-text syntax.
    """
    return open_match(conn, spec, sql, params).fetchall()


def _statement(conn: Connection, spec: QuoteFilter) -> tuple[str, list[Any], bool] | None:
    """The search's SELECT ending in ``LIMIT ? OFFSET ?``, its other parameters, and whether
    its rows carry a snippet and rank; ``None`` when nothing can match.

    Raises:
        BadQuery: Malformed raw FTS syntax, an unknown kind or sort.
    """
    found = match_quotes(conn, spec)
    if found is None:
        return None
    if not found.has_text:
        order = OLDEST_FIRST if spec.sort == "oldest" else NEWEST_FIRST
        sql = f"SELECT {HIT_COLUMNS} {found.source} ORDER BY {order} LIMIT ? OFFSET ?"
        return sql, list(found.params), False
    if found.is_postgres:
        order = SORT_ORDER.get(spec.sort, f"rank, {NEWEST_FIRST}")
        sql = (
            f"SELECT {HIT_COLUMNS}, ts_headline('{TEXT_SEARCH_CONFIG}', q.text, query, "
            f"'StartSel={HIGHLIGHT_OPEN}, StopSel={HIGHLIGHT_CLOSE}, MaxWords=32, MinWords=12, "
            "HighlightAll=false') AS snippet, -ts_rank(q.fts, query) AS rank "
            f"{found.source} ORDER BY {order} LIMIT ? OFFSET ?"
        )
        return sql, list(found.params), True
    if spec.sort in SORT_ORDER:
        order = SORT_ORDER[spec.sort]
    else:
        # Ranking scores every match before the limit applies: for a word in thousands of
        # quotes that costs hundreds of milliseconds, so those come newest stored first.
        try:
            is_common = _has_many_matches(conn, found.query)
        except sqlite3.OperationalError as exc:
            if spec.syntax != "raw":
                raise
            raise _bad_raw_query(spec.text, exc, "FTS5") from exc
        order = f"{QUOTES_FTS}.rowid DESC" if is_common else f"rank, {NEWEST_FIRST}"
    sql = (
        f"SELECT {HIT_COLUMNS}, "
        f"snippet({QUOTES_FTS}, 0, ?, ?, '…', 32) AS snippet, "
        f"bm25({QUOTES_FTS}) AS rank "
        f"{found.source} ORDER BY {order} LIMIT ? OFFSET ?"
    )
    return sql, [HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE, *found.params], True


def _hit(row: Row, is_ranked: bool) -> QuoteHit:
    return row_to_hit(row, row["snippet"], row["rank"]) if is_ranked else row_to_hit(row)


def search_quotes(conn: Connection, spec: QuoteFilter, limit: int, offset: int) -> list[QuoteHit]:
    """Run a quote search; see ``Store.search`` for the meaning of each field."""
    if limit < 0 or offset < 0:
        raise BadQuery(
            f"[{BadQuery.code}] limit ({limit}) and offset ({offset}) must not be negative."
        )
    statement = _statement(conn, spec)
    if statement is None:
        return []
    sql, params, is_ranked = statement
    return [_hit(row, is_ranked) for row in run_match(conn, spec, sql, [*params, limit, offset])]


def iter_matches(conn: Connection, spec: QuoteFilter) -> Iterator[QuoteHit]:
    """Every match of a search in its order, from one statement read row by row.

    Raises:
        BadQuery: As ``search_quotes``.
    """
    statement = _statement(conn, spec)
    if statement is None:
        return
    sql, params, is_ranked = statement
    for row in open_match(conn, spec, sql, [*params, ALL_ROWS, 0]):
        yield _hit(row, is_ranked)


def _bad_raw_query(text: str | None, exc: Exception, syntax: str) -> BadQuery:
    return BadQuery(
        f"[{BadQuery.code}] full-text query {text!r} is not valid {syntax} syntax: {exc}. "
        "Fix the query, or search without raw syntax."
    )


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


def speaker_summaries(
    conn: Connection, limit: int | None = None, offset: int = 0
) -> list[SpeakerSummary]:
    """Quoted speakers, most quoted first, then by name."""
    sql = f"{SUMMARY_SQL} GROUP BY s.id ORDER BY quote_count DESC, s.name COLLATE NOCASE, s.id"
    if limit is None and offset == 0:
        return [_row_to_summary(row) for row in conn.execute(sql).fetchall()]
    rows = conn.execute(f"{sql} LIMIT ? OFFSET ?", (ALL_ROWS if limit is None else limit, offset))
    return [_row_to_summary(row) for row in rows.fetchall()]


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
