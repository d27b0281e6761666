"""Quote queries: full-text search with filters, streaming, and rows -> ``QuoteHit``.

User text reaches FTS5 only through ``escape_fts``, which turns every whitespace-separated
token into a quoted phrase, so punctuation and FTS operators in a search box are plain words.
``raw_fts=True`` passes the text through untouched for callers who want FTS5 syntax; a
malformed query then raises ``BadQuery`` carrying SQLite's message.

Every statement here is written once for both databases, with ``:name`` parameters (see
``_query``); the full-text part (matching, ranking, snippets) is each database's own, in
``_fulltext``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Final, Literal

from sqlalchemy import text
from sqlalchemy.sql.elements import TextClause

from onrecord.errors import BadQuery
from onrecord.store._articles import parse_date, rowid_ranges
from onrecord.store._connection import DATABASE_ERRORS, Connection, Cursor, Row
from onrecord.store._fidelity import altered_quote_filter
from onrecord.store._fulltext import FullText, full_text, names_as_json
from onrecord.store._query import any_of, assembled, dialect_name, run
from onrecord.store._records import QuoteHit, SpeakerSummary
from onrecord.store._schema import ARTICLES, OUTLETS, QUOTES, SPEAKER_ALIASES, SPEAKERS
from onrecord.store._speakers import (
    ids_for_alias,
    ids_for_partial_name,
    ids_for_slug,
    normalise_name,
)
from onrecord.store._syntax import SearchExpr, read_query

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
    """The FROM and WHERE of the quotes a filter selects, with their ``:name`` parameters."""

    source: str
    params: dict[str, Any]  # Any: SQL parameters of mixed types
    count_source: str  # the same rows with only the joins the filters need, for counting
    query: str
    has_text: bool
    search: FullText


def _text_query(text: str | None, syntax: SyntaxMode, search: FullText) -> tuple[str, bool]:
    """The full-text query, and whether it is in the backend's syntax (else plain words)."""
    if text is None or not text.strip():
        return "", False
    if syntax == "raw":
        return text, True
    if syntax == "query":
        expr = read_query(text)
        if isinstance(expr, SearchExpr):
            return search.query(expr), True
    return escape_fts(text), False


def _filters(conn: Connection, spec: QuoteFilter) -> tuple[list[str], dict[str, Any]] | None:
    """The WHERE conditions of ``spec`` but its text, with their parameters; ``None`` when no
    speaker has that name.

    Raises:
        BadQuery: An unknown kind.
    """
    where: list[str] = []
    params: dict[str, Any] = {}  # Any: SQL parameters of mixed types
    if spec.speaker is not None:
        ids = find_speaker_ids(conn, spec.speaker)
        if not ids:
            return None
        where.append(any_of(dialect_name(conn), "q.speaker_id", "speaker_ids"))
        params["speaker_ids"] = ids
    if spec.outlet is not None:
        where.append("o.name = :outlet COLLATE NOCASE")
        params["outlet"] = spec.outlet.strip()
    if spec.since is not None:
        where.append("a.published >= :since")
        params["since"] = spec.since.isoformat()
    if spec.until is not None:
        where.append("a.published <= :until")
        params["until"] = spec.until.isoformat()
    if spec.kind is not None:
        if spec.kind not in QUOTE_KINDS:
            raise BadQuery(
                f"[{BadQuery.code}] unknown quote kind {spec.kind!r}. "
                f"Use one of: {', '.join(QUOTE_KINDS)}."
            )
        where.append("q.kind = :kind")
        params["kind"] = spec.kind
    if spec.is_altered:
        where.append(altered_quote_filter())
    return where, params


def match_quotes(conn: Connection, spec: QuoteFilter) -> Match | None:
    """The SQL selecting the quotes of ``spec``; ``None`` when no speaker has that name.

    Raises:
        BadQuery: An unknown kind or sort.
    """
    search = full_text(conn)
    query, is_syntax = _text_query(spec.text, spec.syntax, search)
    has_text = bool(query.strip())
    if spec.sort not in SORTS:
        raise BadQuery(
            f"[{BadQuery.code}] unknown sort {spec.sort!r}. Use one of: {', '.join(SORTS)}."
        )
    filters = _filters(conn, spec)
    if filters is None:
        return None
    where, params = filters
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
            params,
            f"FROM {QUOTES} q {joins}{clause}",
            "",
            False,
            search,
        )
    return Match(
        search.source(HIT_JOINS, where, is_syntax),
        {"query": query, **params},
        search.source(joins, where, is_syntax),
        query,
        True,
        search,
    )


def open_match(
    conn: Connection,
    spec: QuoteFilter,
    sql: str,
    params: Mapping[str, Any],  # Any: SQL parameters of mixed types
) -> Cursor:
    """Start a statement over a ``match_quotes`` source; raw syntax errors become ``BadQuery``.

    Args:
        conn: The store's connection.
        spec: The search.
        sql: The statement, put together from constants and the match's source.
        params: Its ``:name`` parameters.

    Raises:
        BadQuery: Malformed raw full-text syntax.
    """
    try:
        return run(conn, assembled(sql), params)
    except DATABASE_ERRORS as exc:
        if spec.syntax != "raw" or not spec.text:
            raise
        raise _bad_raw_query(spec.text, exc, full_text(conn).syntax) from exc


def run_match(
    conn: Connection,
    spec: QuoteFilter,
    sql: str,
    params: Mapping[str, Any],  # Any: SQL parameters of mixed types
) -> list[Row]:
    """All rows of a statement over a ``match_quotes`` source (see ``open_match``).

    Raises:
        BadQuery: Malformed raw full-text syntax.
    """
    return open_match(conn, spec, sql, params).fetchall()


def _statement(conn: Connection, spec: QuoteFilter) -> tuple[str, dict[str, Any], bool] | None:
    """The search's SELECT ending in ``LIMIT :limit OFFSET :offset``, its other parameters,
    and whether its rows carry a snippet and rank; ``None`` when nothing can match.

    Raises:
        BadQuery: Malformed raw full-text syntax, an unknown kind or sort.
    """
    found = match_quotes(conn, spec)
    if found is None:
        return None
    page = "LIMIT :limit OFFSET :offset"
    if not found.has_text:
        order = OLDEST_FIRST if spec.sort == "oldest" else NEWEST_FIRST
        sql = f"SELECT {HIT_COLUMNS} {found.source} ORDER BY {order} {page}"
        return sql, found.params, False
    search = found.search
    if spec.sort in SORT_ORDER:
        order = SORT_ORDER[spec.sort]
    else:
        try:
            order = search.relevance(conn, found.query, f"rank, {NEWEST_FIRST}")
        except DATABASE_ERRORS as exc:
            if spec.syntax != "raw":
                raise
            raise _bad_raw_query(spec.text, exc, search.syntax) from exc
    sql = f"SELECT {HIT_COLUMNS}, {search.ranked} {found.source} ORDER BY {order} {page}"
    return sql, {**search.ranked_values, **found.params}, True


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
    rows = run_match(conn, spec, sql, {**params, "limit": limit, "offset": offset})
    return [_hit(row, is_ranked) for row in rows]


def iter_matches(conn: Connection, spec: QuoteFilter) -> Iterator[QuoteHit]:
    """Every match of a search in its order, from one statement read row by row.

    Raises:
        BadQuery: As ``search_quotes``.
    """
    statement = _statement(conn, spec)
    if statement is None:
        return
    sql, params, is_ranked = statement
    for row in open_match(conn, spec, sql, {**params, "limit": ALL_ROWS, "offset": 0}):
        yield _hit(row, is_ranked)


def _bad_raw_query(text: str | None, exc: Exception, syntax: str) -> BadQuery:
    return BadQuery(
        f"[{BadQuery.code}] full-text query {text!r} is not valid {syntax} syntax: {exc}. "
        "Fix the query, or search without raw syntax."
    )


QUOTES_OF_ROWIDS: Final = text(
    f"SELECT {HIT_COLUMNS} FROM {QUOTES} q {HIT_JOINS} "
    "WHERE a.rowid BETWEEN :first AND :last ORDER BY a.rowid, q.position"
)
QUOTES_OF_SPEAKER: Final = text(
    f"SELECT {HIT_COLUMNS} FROM {QUOTES} q {HIT_JOINS} WHERE q.speaker_id = :speaker_id "
    f"ORDER BY {OLDEST_FIRST}"
)
QUOTED_NAMES: Final = text(
    f"SELECT DISTINCT sa.name, s.name FROM {SPEAKER_ALIASES} sa "
    f"JOIN {SPEAKERS} s ON s.id = sa.speaker_id "
    f"WHERE EXISTS (SELECT 1 FROM {QUOTES} q WHERE q.speaker_id = s.id)"
)
MOST_QUOTED_FIRST: Final = "quote_count DESC, s.name COLLATE NOCASE, s.id"


def iter_quotes(conn: Connection) -> Iterator[QuoteHit]:
    """Every stored quote, article by article in the order added, page by page."""
    for first, last in rowid_ranges(conn):
        rows = run(conn, QUOTES_OF_ROWIDS, {"first": first, "last": last}).fetchall()
        for row in rows:
            yield row_to_hit(row)


def quotes_for_speaker(conn: Connection, speaker_id: int) -> list[QuoteHit]:
    """Every quote of one speaker, oldest article first, undated ones last."""
    rows = run(conn, QUOTES_OF_SPEAKER, {"speaker_id": speaker_id}).fetchall()
    return [row_to_hit(row) for row in rows]


@lru_cache(maxsize=8)
def _summaries(dialect: str, tail: str) -> TextClause:
    """Speakers with their quote counts, dates and other spellings, ending with ``tail`` (a
    constant: which speakers, grouping, order)."""
    aliases = names_as_json(dialect, "sa.name")
    return text(
        "SELECT s.id, s.name, s.kind, s.role, s.org, COUNT(q.id) AS quote_count, "
        "MIN(a.published) AS first_date, MAX(a.published) AS last_date, "
        f"(SELECT {aliases} FROM {SPEAKER_ALIASES} sa "
        "WHERE sa.speaker_id = s.id AND sa.alias != s.name_key) AS aliases "
        f"FROM {SPEAKERS} s JOIN {QUOTES} q ON q.speaker_id = s.id "
        f"JOIN {ARTICLES} a ON a.id = q.article_id {tail}"
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
    tail = f"GROUP BY s.id ORDER BY {MOST_QUOTED_FIRST} LIMIT :limit OFFSET :offset"
    page = {"limit": ALL_ROWS if limit is None else limit, "offset": offset}
    rows = run(conn, _summaries(dialect_name(conn), tail), page).fetchall()
    return [_row_to_summary(row) for row in rows]


def speaker_summary(conn: Connection, speaker_id: int) -> SpeakerSummary | None:
    """The summary of one speaker, or ``None`` when it has no quotes."""
    statement = _summaries(dialect_name(conn), "WHERE s.id = :speaker_id GROUP BY s.id")
    row = run(conn, statement, {"speaker_id": speaker_id}).fetchone()
    return _row_to_summary(row) if row is not None else None


def find_speaker_ids(conn: Connection, name: str) -> list[int]:
    """Speakers known by ``name``, any spelling, or by the slug of their name."""
    return ids_for_alias(conn, name) or ids_for_slug(conn, name) or ids_for_partial_name(conn, name)


def closest_names(conn: Connection, name: str, count: int = 3) -> list[str]:
    """Canonical names of quoted speakers whose spellings look most like ``name``."""
    rows = run(conn, QUOTED_NAMES).fetchall()
    canonical_of: dict[str, str] = {}
    for alias, canonical in rows:
        canonical_of.setdefault(normalise_name(alias), canonical)
    matches = difflib.get_close_matches(normalise_name(name), canonical_of, n=count * 3, cutoff=0.5)
    found: list[str] = []
    for match in matches:
        if canonical_of[match] not in found:
            found.append(canonical_of[match])
    return found[:count]
