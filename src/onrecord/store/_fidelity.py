"""The statements of quote fidelity: what ``onrecord.derive`` reads and writes while it
compares a batch's statements, and the findings read back.

Input: the rowids and quote ids the fidelity step asks about; its ``Comparison`` results.
Output: rows of ``fidelity_keys``, ``fidelity_alignments`` and ``fidelity_findings``; read
back as ``FidelityFinding`` and ``OccurrenceFidelity``. Lists of ids travel as one parameter
(``any_of``), a chunk of ``CHUNK`` at a time.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import TextClause, text

from onrecord.fidelity import (
    Comparison,
    DiffOp,
    FidelityFinding,
    Finding,
    OccurrenceFidelity,
    Side,
    severity_rank,
)
from onrecord.store._connection import Connection, Row
from onrecord.store._query import any_of, dialect_name, insert_many, run
from onrecord.store._schema import (
    ARTICLES,
    FIDELITY_ALIGNMENTS,
    FIDELITY_FINDINGS,
    FIDELITY_KEYS,
    OUTLETS,
    QUOTATIONS,
    QUOTE_QUOTATION,
    QUOTES,
)
from onrecord.store._story_queries import occurrence_from_row
from onrecord.stories import Occurrence, chronological_key

CHUNK: Final = 400
# Characters either side of a quote read to see whether the speaker told the outlet itself.
CONTEXT_CHARS: Final = 160
FIDELITY_TABLES: Final = (FIDELITY_KEYS, FIDELITY_ALIGNMENTS, FIDELITY_FINDINGS)

MEMBER_SQL: Final = (
    "SELECT q.id AS quote_id, q.article_id, q.text, q.kind, q.speaker_name, "
    "o.name AS outlet, a.published, q.via, a.title, a.url, a.source, "
    "a.rowid AS ingested_order, qq.quotation_id, q.start, "
    f"substr(a.text, CAST(CASE WHEN q.start > {CONTEXT_CHARS} THEN q.start - "
    f"{CONTEXT_CHARS - 1} ELSE 1 END AS INTEGER), "
    f'CAST(q."end" - q.start + {2 * CONTEXT_CHARS} AS INTEGER)) AS context '
    f"FROM {QUOTES} q JOIN {ARTICLES} a ON a.id = q.article_id "
    f"LEFT JOIN {OUTLETS} o ON o.id = a.outlet_id "
    f"LEFT JOIN {QUOTE_QUOTATION} qq ON qq.quote_id = q.id "
)
# The earliest occurrences of one quotation, undated ones last.
EARLIEST_MEMBERS: Final = text(
    MEMBER_SQL + "WHERE qq.quotation_id = :quotation_id "
    "ORDER BY a.published IS NULL, a.published, a.rowid LIMIT :most"
)
ALIGNMENT_COLUMNS: Final = (
    ("quote_id", "BIGINT"),
    ("origin_quote_id", "BIGINT"),
    ("diff", "TEXT"),
    ("checker", "TEXT"),
)
FINDING_COLUMNS: Final = (
    ("quote_id", "BIGINT"),
    ("origin_quote_id", "BIGINT"),
    ("kind", "TEXT"),
    ("severity", "TEXT"),
    ("rank", "BIGINT"),
    ("origin_words", "TEXT"),
    ("copy_words", "TEXT"),
    ("detail", "TEXT"),
)
QUOTATION_ALIGNMENTS: Final = text(
    f"SELECT f.quote_id, f.origin_quote_id, f.diff FROM {FIDELITY_ALIGNMENTS} f "
    f"WHERE f.quote_id IN (SELECT quote_id FROM {QUOTE_QUOTATION} "
    "WHERE quotation_id = :quotation_id) "
    f"OR f.origin_quote_id IN (SELECT quote_id FROM {QUOTE_QUOTATION} "
    "WHERE quotation_id = :quotation_id)"
)
CLEAR: Final = tuple(text(f"DELETE FROM {table}") for table in FIDELITY_TABLES)


@lru_cache(maxsize=8)
def _members_query(dialect: str, column: str) -> TextClause:
    """Occurrences whose ``column`` (``a.rowid`` or ``q.id``) is one of the list ``ids``."""
    return text(MEMBER_SQL + "WHERE " + any_of(dialect, column, "ids"))


@lru_cache(maxsize=2)
def _newest_postings(dialect: str) -> TextClause:
    """The newest ``most`` postings of each key of the list ``keys`` (a window per key)."""
    keys = any_of(dialect, "key", "keys")
    return text(
        "SELECT key, quote_id FROM (SELECT key, quote_id, ROW_NUMBER() OVER "
        "(PARTITION BY key ORDER BY quote_id DESC) AS n "
        f"FROM {FIDELITY_KEYS} WHERE {keys}) AS newest WHERE n <= :most"
    )


@lru_cache(maxsize=2)
def _alignments_of(dialect: str) -> TextClause:
    quotes = any_of(dialect, "quote_id", "ids")
    return text(f"SELECT quote_id, origin_quote_id FROM {FIDELITY_ALIGNMENTS} WHERE {quotes}")


@lru_cache(maxsize=2)
def _sizes_of(dialect: str) -> TextClause:
    quotations = any_of(dialect, "id", "ids")
    return text(f"SELECT id, size FROM {QUOTATIONS} WHERE {quotations}")


@lru_cache(maxsize=2)
def _findings_of(dialect: str) -> TextClause:
    quotes = any_of(dialect, "quote_id", "ids")
    return text(
        "SELECT quote_id, kind, severity, origin_words, copy_words, detail "
        f"FROM {FIDELITY_FINDINGS} WHERE {quotes} ORDER BY rank DESC, id"
    )


@lru_cache(maxsize=4)
def _delete_stale(dialect: str, table: str) -> TextClause:
    quotes = any_of(dialect, "quote_id", "ids")
    return text(f"DELETE FROM {table} WHERE {quotes}")


@lru_cache(maxsize=16)
def _findings_query(dialect: str, is_since: bool, is_kind: bool, is_by_speaker: bool) -> TextClause:
    where = ["f.rank >= :min_rank"]
    if is_since:
        where.append("a.published >= :since")
    if is_kind:
        where.append("f.kind = :kind")
    if is_by_speaker:
        speakers = any_of(dialect, "speaker_id", "speaker_ids")
        quoted = any_of(dialect, "q.speaker_id", "speaker_ids")
        where.append(
            f"({quoted} OR f.origin_quote_id IN (SELECT id FROM {QUOTES} WHERE {speakers}))"
        )
    clause = " AND ".join(where)
    return text(
        "SELECT f.quote_id, f.origin_quote_id, f.kind, f.severity, f.origin_words, "
        f"f.copy_words, f.detail FROM {FIDELITY_FINDINGS} f "
        f"JOIN {QUOTES} q ON q.id = f.quote_id JOIN {ARTICLES} a ON a.id = q.article_id "
        f"WHERE {clause} "
        "ORDER BY f.rank DESC, a.published IS NULL, a.published DESC, f.id "
        "LIMIT :limit OFFSET :offset"
    )


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True, slots=True)
class LoadedQuote:
    """A stored quote as fidelity compares it: the occurrence, its quotation, and the text
    read around it (the quote starts ``offset`` characters into ``context``)."""

    occurrence: Occurrence
    quotation_id: int | None
    context: str
    offset: int


def _loaded(row: Row) -> LoadedQuote:
    quotation_id = row["quotation_id"]
    return LoadedQuote(
        occurrence=occurrence_from_row(row),
        quotation_id=None if quotation_id is None else int(quotation_id),
        context=row["context"] or "",
        offset=min(int(row["start"]), CONTEXT_CHARS),
    )


def _load(conn: Connection, column: str, values: Sequence[int]) -> dict[int, LoadedQuote]:
    """The occurrences whose ``column`` (``a.rowid`` or ``q.id``) is one of ``values``."""
    found: dict[int, LoadedQuote] = {}
    query = _members_query(dialect_name(conn), column)
    for chunk in _chunks(values):
        for row in run(conn, query, {"ids": list(chunk)}).fetchall():
            found[int(row["quote_id"])] = _loaded(row)
    return found


def quotes_of_articles(conn: Connection, rowids: Sequence[int]) -> dict[int, LoadedQuote]:
    """The stored quotes of these articles, by quote id."""
    return _load(conn, "a.rowid", list(rowids))


def quotes_by_id(conn: Connection, quote_ids: Sequence[int]) -> dict[int, LoadedQuote]:
    """The stored quotes with these ids, by quote id (unknown ids are left out)."""
    return _load(conn, "q.id", list(quote_ids))


def earliest_quotes(conn: Connection, quotation_id: int, most: int) -> list[LoadedQuote]:
    """The ``most`` earliest occurrences of one quotation, undated ones last."""
    parameters = {"quotation_id": quotation_id, "most": most}
    return [_loaded(row) for row in run(conn, EARLIEST_MEMBERS, parameters).fetchall()]


def add_sketch_keys(conn: Connection, postings: Sequence[tuple[int, int]]) -> None:
    """Store ``(sketch key, quote id)`` postings (ones already there are kept)."""
    insert_many(
        conn,
        FIDELITY_KEYS,
        (("key", "BIGINT"), ("quote_id", "BIGINT")),
        postings,
        is_ignoring_conflicts=True,
    )


def newest_postings(conn: Connection, keys: Sequence[int], most: int) -> dict[int, list[int]]:
    """Per sketch key, the ids of the newest ``most`` quotes stored under it."""
    postings: dict[int, list[int]] = defaultdict(list)
    query = _newest_postings(dialect_name(conn))
    for chunk in _chunks(keys):
        parameters = {"keys": list(chunk), "most": most}
        for key, quote_id in run(conn, query, parameters).fetchall():
            postings[int(key)].append(int(quote_id))
    return postings


def _pairs(conn: Connection, query: TextClause, ids: Sequence[int]) -> dict[int, int]:
    """The two integer columns of ``query``'s rows as a mapping, for the list ``ids``."""
    found: dict[int, int] = {}
    for chunk in _chunks(ids):
        for key, value in run(conn, query, {"ids": list(chunk)}).fetchall():
            found[int(key)] = int(value)
    return found


def quotation_sizes(conn: Connection, quotation_ids: Sequence[int]) -> dict[int, int]:
    """How many quotes each of these quotations holds."""
    return _pairs(conn, _sizes_of(dialect_name(conn)), quotation_ids)


def compared_with(conn: Connection, quote_ids: Sequence[int]) -> dict[int, int]:
    """The first report each of these quotes was last compared with."""
    return _pairs(conn, _alignments_of(dialect_name(conn)), quote_ids)


def replace_comparisons(
    conn: Connection, stale: Sequence[int], comparisons: Sequence[Comparison]
) -> None:
    """Drop the alignments and findings of the ``stale`` quotes; store ``comparisons``."""
    dialect = dialect_name(conn)
    for chunk in _chunks(stale):
        for table in (FIDELITY_ALIGNMENTS, FIDELITY_FINDINGS):
            run(conn, _delete_stale(dialect, table), {"ids": list(chunk)})
    insert_many(
        conn,
        FIDELITY_ALIGNMENTS,
        ALIGNMENT_COLUMNS,
        [
            (
                c.quote_id,
                c.origin_quote_id,
                json.dumps([op.to_dict() for op in c.diff], ensure_ascii=False),
                c.checker,
            )
            for c in comparisons
        ],
    )
    insert_many(
        conn,
        FIDELITY_FINDINGS,
        FINDING_COLUMNS,
        [
            (
                c.quote_id,
                c.origin_quote_id,
                f.kind,
                f.severity,
                severity_rank(f.severity),
                f.origin_words,
                f.copy_words,
                f.detail,
            )
            for c in comparisons
            for f in c.findings
        ],
    )


def clear_fidelity(conn: Connection) -> None:
    """Empty the fidelity tables (inside the caller's transaction)."""
    for clearing in CLEAR:
        run(conn, clearing)


# -- reading -------------------------------------------------------------------------------


def _sides(conn: Connection, quote_ids: Iterable[int]) -> dict[int, Side]:
    found: dict[int, Side] = {}
    for quote_id, member in _load(conn, "q.id", sorted(set(quote_ids))).items():
        occurrence = member.occurrence
        found[quote_id] = Side(
            quote_id=quote_id,
            quotation_id=member.quotation_id,
            article_id=occurrence.article_id,
            text=occurrence.text,
            kind=occurrence.kind,
            speaker=occurrence.speaker,
            outlet=occurrence.outlet,
            published=occurrence.published,
            title=occurrence.title,
            url=occurrence.url,
        )
    return found


def _finding(row: Row) -> Finding:
    return Finding(
        kind=row["kind"],
        severity=row["severity"],
        origin_words=row["origin_words"],
        copy_words=row["copy_words"],
        detail=row["detail"],
    )


def findings(
    conn: Connection,
    *,
    since: date | None,
    speaker_ids: Sequence[int] | None,
    min_rank: int,
    kind: str | None,
    limit: int,
    offset: int,
) -> list[FidelityFinding]:
    """Stored findings, most severe first, then newest occurrence first."""
    query = _findings_query(
        dialect_name(conn), since is not None, kind is not None, speaker_ids is not None
    )
    parameters: dict[str, Any] = {"min_rank": min_rank, "limit": limit, "offset": offset}
    if since is not None:
        parameters["since"] = since.isoformat()
    if kind is not None:
        parameters["kind"] = kind
    if speaker_ids is not None:
        parameters["speaker_ids"] = list(speaker_ids)
    rows = run(conn, query, parameters).fetchall()
    sides = _sides(conn, [int(r["quote_id"]) for r in rows] + [int(r[1]) for r in rows])
    found: list[FidelityFinding] = []
    for row in rows:
        origin, occurrence = sides.get(int(row["origin_quote_id"])), sides.get(int(row[0]))
        if origin is None or occurrence is None:
            continue
        found.append(
            FidelityFinding(**_finding(row).to_dict(), origin=origin, occurrence=occurrence)
        )
    return found


def quotation_fidelity(conn: Connection, quotation_id: int) -> list[OccurrenceFidelity]:
    """Each compared occurrence of a quotation, and each later occurrence elsewhere whose first
    report is in it, with the diff and the findings; oldest occurrence first."""
    rows = run(conn, QUOTATION_ALIGNMENTS, {"quotation_id": quotation_id}).fetchall()
    if not rows:
        return []
    quote_ids = [int(r[0]) for r in rows]
    sides = _sides(conn, quote_ids + [int(r[1]) for r in rows])
    by_quote: dict[int, list[Finding]] = defaultdict(list)
    query = _findings_of(dialect_name(conn))
    for chunk in _chunks(quote_ids):
        for row in run(conn, query, {"ids": list(chunk)}).fetchall():
            by_quote[int(row[0])].append(_finding(row))
    found: list[OccurrenceFidelity] = []
    for quote_id, origin_id, diff in rows:
        origin, occurrence = sides.get(int(origin_id)), sides.get(int(quote_id))
        if origin is None or occurrence is None:
            continue
        items = tuple(by_quote.get(int(quote_id), ()))
        found.append(
            OccurrenceFidelity(
                origin=origin,
                occurrence=occurrence,
                diff=tuple(DiffOp(**op) for op in json.loads(diff)),
                findings=items,
                classification=tuple(f.kind for f in items) or ("identical",),
            )
        )
    found.sort(key=lambda o: chronological_key(o.occurrence.published, o.occurrence.quote_id))
    return found


def altered_quote_filter() -> str:
    """A WHERE condition on ``q.id``: the quote is an altered occurrence or the first report of
    one (any finding)."""
    return (
        f"(q.id IN (SELECT quote_id FROM {FIDELITY_FINDINGS}) "
        f"OR q.id IN (SELECT origin_quote_id FROM {FIDELITY_FINDINGS}))"
    )
