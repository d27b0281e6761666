"""Quote fidelity kept up to date as articles are stored, and read back.

Input: rowids of articles just stored and indexed into quotations (inside the caller's
transaction). Output: rows of ``fidelity_keys``, ``fidelity_alignments`` and
``fidelity_findings``; read back as ``FidelityFinding`` and ``OccurrenceFidelity``.

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

import json
import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from itertools import chain
from typing import Any, Final

from sqlalchemy import TextClause, text

from onrecord.fidelity import (
    Comparison,
    DiffOp,
    FidelityFinding,
    FidelitySettings,
    Finding,
    OccurrenceFidelity,
    Side,
    Statement,
    compare,
    is_same_speaker,
    is_same_statement,
    match_tokens,
    severity_rank,
    sketch_keys,
)
from onrecord.fidelity._match import closest, first_reports, is_own_interview
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
from onrecord.stories import chronological_key

log = logging.getLogger(__name__)

CHUNK: Final = 400
MAX_CANDIDATES: Final = 10
# Per sketch key, only the newest quotes are read: a phrase thousands of quotes share (a
# template, a slogan) must not make each lookup slower as the store grows.
MAX_POSTINGS: Final = 16
# A wording that is mostly another (or lies inside it) shares most of its sketch keys; a few
# are a common phrase. Shares of the new wording's keys:
MIN_SHARED_KEYS: Final = 0.5
# the same words under another speaker share most of them, even with a number changed.
CROSS_SPEAKER_KEYS: Final = 0.6
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


class _Member:
    """A loaded occurrence with what fidelity needs beside it."""

    __slots__ = ("_tokens", "context", "occurrence", "quotation_id", "start")

    def __init__(self, row: Row) -> None:
        self.occurrence = occurrence_from_row(row)
        self.quotation_id: int | None = (
            int(row["quotation_id"]) if row["quotation_id"] is not None else None
        )
        self.context: str = row["context"] or ""
        self.start = int(row["start"])
        self._tokens: tuple[str, ...] | None = None

    @property
    def tokens(self) -> tuple[str, ...]:
        if self._tokens is None:
            self._tokens = match_tokens(self.occurrence.text, self.occurrence.kind)
        return self._tokens

    def statement(self) -> Statement:
        occurrence = self.occurrence
        context = _sentence(self.context, self.start, len(occurrence.text))
        return Statement(occurrence, is_own_interview(context, occurrence.outlet))


def _sentence(context: str, start: int, length: int) -> str:
    """The sentence(s) holding a quote, cut from the text read around it."""
    offset = min(start, CONTEXT_CHARS)
    before, after = context[:offset], context[offset + length :]
    cut = max(before.rfind(mark) for mark in (". ", "! ", "? ", "\n"))
    ends = [index for mark in (". ", "! ", "? ", ".\n", "\n") if (index := after.find(mark)) >= 0]
    end = min(ends, default=len(after))
    return before[cut + 1 :] + context[offset : offset + length] + after[: end + 1]


def _load(conn: Connection, column: str, values: Sequence[int]) -> dict[int, _Member]:
    """The occurrences whose ``column`` (``a.rowid`` or ``q.id``) is one of ``values``."""
    found: dict[int, _Member] = {}
    query = _members_query(dialect_name(conn), column)
    for chunk in _chunks(values):
        for row in run(conn, query, {"ids": list(chunk)}).fetchall():
            found[int(row["quote_id"])] = _Member(row)
    return found


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
    new = _load(conn, "a.rowid", list(rowids))
    keys_of = {quote_id: sketch_keys(m.tokens, settings) for quote_id, m in new.items()}
    insert_many(
        conn,
        FIDELITY_KEYS,
        (("key", "BIGINT"), ("quote_id", "BIGINT")),
        [(key, quote_id) for quote_id, keys in keys_of.items() for key in keys],
        is_ignoring_conflicts=True,
    )
    members = dict(new)
    groups = _Groups()
    verified: dict[int, _Member] = dict(new)
    checked: set[tuple[int, int]] = set()
    candidates = _candidates(conn, keys_of)
    missing = sorted({o for linked in candidates.values() for o, _ in linked} - set(members))
    members.update(_load(conn, "q.id", missing))
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
    current = _current(conn, [m.occurrence.quote_id for family in touched for m in family])
    stale: list[int] = []
    comparisons: list[Comparison] = []
    for family in touched:
        _check_family(family, set(new), current, stale, comparisons, settings)
    _replace(conn, stale, comparisons)
    log.debug("fidelity: %d occurrences compared for %d new quotes", len(comparisons), len(new))
    return len(comparisons)


def _current(conn: Connection, quote_ids: Sequence[int]) -> dict[int, int]:
    """The first report each of these quotes was last compared with."""
    current: dict[int, int] = {}
    query = _alignments_of(dialect_name(conn))
    for chunk in _chunks(quote_ids):
        for quote_id, origin_id in run(conn, query, {"ids": list(chunk)}).fetchall():
            current[int(quote_id)] = int(origin_id)
    return current


def _candidates(
    conn: Connection, keys_of: dict[int, list[int]]
) -> dict[int, list[tuple[int, int]]]:
    """Per new quote, the other quotes sharing its sketch keys with how many, most first."""
    postings: dict[int, list[int]] = defaultdict(list)
    query = _newest_postings(dialect_name(conn))
    for chunk in _chunks(sorted({key for keys in keys_of.values() for key in keys})):
        parameters = {"keys": list(chunk), "most": MAX_POSTINGS}
        for key, quote_id in run(conn, query, parameters).fetchall():
            postings[int(key)].append(int(quote_id))
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
    sizes = _sizes_of(dialect_name(conn))
    for chunk in _chunks(quotation_ids):
        for quotation_id, size in run(conn, sizes, {"ids": list(chunk)}).fetchall():
            if int(size) <= known[int(quotation_id)]:
                continue
            parameters = {"quotation_id": quotation_id, "most": settings.max_family}
            for row in run(conn, EARLIEST_MEMBERS, parameters).fetchall():
                members.setdefault(int(row["quote_id"]), _Member(row))


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


def _replace(conn: Connection, stale: Sequence[int], comparisons: Sequence[Comparison]) -> None:
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
