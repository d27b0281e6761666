"""The statements of the positions tables, written once for both databases.

Constants and cached builders (one per shape of a listing) of ``text()`` statements with
``:name`` parameters, run by ``_positions`` through ``_query``; a list of ids is one
parameter (``any_of``), and rows are written with ``insert_many``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from sqlalchemy import text
from sqlalchemy.sql.elements import TextClause

from onrecord.store._query import any_of
from onrecord.store._schema import (
    ARTICLES,
    ISSUE_EDITS,
    ISSUES,
    OUTLETS,
    POSITIONS,
    POSITIONS_STATE,
    QUOTES,
    SHIFTS,
)
from onrecord.store._search import HIT_COLUMNS, HIT_JOINS

POSITION_COLUMNS: Final = (
    "p.quote_id, p.issue_id, p.actor, p.stance, p.act, p.condition_text, p.link_score, "
    "p.support_probability, p.cues, p.method, p.published, i.label AS issue_label, "
    "q.text, q.speaker_name, q.article_id, q.kind, q.via, q.start, q.position, o.name AS outlet"
)
POSITION_JOINS: Final = (
    f"JOIN {ISSUES} i ON i.id = p.issue_id JOIN {QUOTES} q ON q.id = p.quote_id "
    f"JOIN {ARTICLES} a ON a.id = q.article_id LEFT JOIN {OUTLETS} o ON o.id = a.outlet_id"
)
OLDEST_FIRST: Final = "p.published ASC NULLS LAST, q.article_id, q.start"
# (column, PostgreSQL type) of the rows ``insert_many`` writes, in the order of their values.
ISSUE_ROW: Final = (
    ("id", "TEXT"),
    ("label", "TEXT"),
    ("proposition", "TEXT"),
    ("keywords", "TEXT"),
    ("examples", "TEXT"),
    ("origin", "TEXT"),
    ("sort_order", "BIGINT"),
)
POSITION_ROW: Final = (
    ("quote_id", "BIGINT"),
    ("issue_id", "TEXT"),
    ("actor", "TEXT"),
    ("stance", "TEXT"),
    ("act", "TEXT"),
    ("condition_text", "TEXT"),
    ("link_score", "DOUBLE PRECISION"),
    ("support_probability", "DOUBLE PRECISION"),
    ("cues", "TEXT"),
    ("method", "TEXT"),
    ("published", "TEXT"),
)
SHIFT_ROW: Final = (
    ("actor", "TEXT"),
    ("issue_id", "TEXT"),
    ("published", "TEXT"),
    ("body", "TEXT"),
)
STATE_ROW: Final = (("key", "TEXT"), ("value", "TEXT"))

ALL_ISSUES: Final = text(f"SELECT * FROM {ISSUES} ORDER BY sort_order, id")
ONE_ISSUE: Final = text(f"SELECT * FROM {ISSUES} WHERE id = :id")
CLEAR: Final = tuple(text(f"DELETE FROM {table}") for table in (SHIFTS, POSITIONS, ISSUES))
RENAME_ISSUE: Final = text(f"UPDATE {ISSUES} SET label = :label WHERE id = :id")
DROP_ISSUE: Final = (
    text(f"DELETE FROM {SHIFTS} WHERE issue_id = :id"),
    text(f"DELETE FROM {POSITIONS} WHERE issue_id = :id"),
    text(f"DELETE FROM {ISSUES} WHERE id = :id"),
)
SET_ORIGIN: Final = text(f"UPDATE {ISSUES} SET origin = :origin WHERE id = :id")
RECORD_EDIT: Final = text(
    f"INSERT INTO {ISSUE_EDITS} (action, issue_id, value, edited_at) "
    "VALUES (:action, :issue_id, :value, :edited_at)"
)
EDITS: Final = text(f"SELECT id, action, issue_id, value, edited_at FROM {ISSUE_EDITS} ORDER BY id")
STATE: Final = text(f"SELECT key, value FROM {POSITIONS_STATE}")
CLEAR_STATE: Final = text(f"DELETE FROM {POSITIONS_STATE}")
STATEMENTS_OF_ISSUE: Final = text(
    f"SELECT {HIT_COLUMNS} FROM {POSITIONS} p JOIN {QUOTES} q ON q.id = p.quote_id "
    f"{HIT_JOINS} WHERE p.issue_id = :issue_id ORDER BY a.rowid, q.position"
)
SET_ACTOR: Final = text(f"UPDATE {POSITIONS} SET actor = :actor WHERE quote_id = :quote_id")
PAIR_POSITIONS: Final = text(
    f"SELECT {POSITION_COLUMNS} FROM {POSITIONS} p {POSITION_JOINS} "
    f"WHERE p.actor = :actor AND p.issue_id = :issue_id ORDER BY {OLDEST_FIRST}"
)
TOP_ACTORS: Final = text(
    f"SELECT actor, COUNT(*) AS n FROM {POSITIONS} WHERE issue_id = :issue_id "
    "GROUP BY actor ORDER BY n DESC, actor LIMIT :limit"
)
RECOUNT: Final = text(
    f"UPDATE {ISSUES} SET "
    f"position_count = (SELECT COUNT(*) FROM {POSITIONS} WHERE issue_id = :id), "
    f"actor_count = (SELECT COUNT(DISTINCT actor) FROM {POSITIONS} WHERE issue_id = :id) "
    "WHERE id = :id"
)
DROP_SHIFTS: Final = text(f"DELETE FROM {SHIFTS} WHERE actor = :actor AND issue_id = :issue_id")
ISSUE_ACTORS: Final = text(f"SELECT DISTINCT actor FROM {POSITIONS} WHERE issue_id = :issue_id")
PAIRS: Final = text(f"SELECT DISTINCT actor, issue_id FROM {POSITIONS} ORDER BY actor, issue_id")
HOLDING_ACTOR: Final = text(f"SELECT DISTINCT actor FROM {POSITIONS} WHERE actor = :actor")


# Reads of rows for one list parameter ``ids``, by kind: the column the list holds values of,
# the statement before its WHERE, and what follows the list test.
LISTED: Final = {
    "article_statements": (
        "q.article_id",
        f"SELECT {HIT_COLUMNS} FROM {QUOTES} q {HIT_JOINS}",
        " ORDER BY a.rowid, q.position",
    ),
    "speaker_statements": (
        "q.speaker_id",
        f"SELECT {HIT_COLUMNS} FROM {QUOTES} q {HIT_JOINS}",
        " ORDER BY a.rowid, q.position",
    ),
    "speaker_roles": (
        "speaker_id",
        f"SELECT speaker_id, role, org FROM {QUOTES}",
        " AND role IS NOT NULL AND org IS NOT NULL",
    ),
    "quote_actors": ("quote_id", f"SELECT DISTINCT actor, issue_id FROM {POSITIONS}", ""),
    "speaker_positions": (
        "q.speaker_id",
        "SELECT p.quote_id, p.issue_id, p.actor, q.speaker_id, q.speaker_name, q.role, q.org "
        f"FROM {QUOTES} q JOIN {POSITIONS} p ON p.quote_id = q.id",
        "",
    ),
    "spoken_actors": (
        "q.speaker_id",
        f"SELECT DISTINCT p.actor FROM {POSITIONS} p JOIN {QUOTES} q ON q.id = p.quote_id",
        "",
    ),
}


@lru_cache(maxsize=16)
def listed(dialect: str, kind: str) -> TextClause:
    """The ``LISTED`` statement of ``kind``, for ``dialect``."""
    column, head, tail = LISTED[kind]
    ids = any_of(dialect, column, "ids")
    return text(f"{head} WHERE {ids}{tail}")


@lru_cache(maxsize=4)
def delete_positions(dialect: str, is_of_issues: bool) -> TextClause:
    """Delete the positions of the list ``ids`` of statements (on the list ``issue_ids``)."""
    where = [any_of(dialect, "quote_id", "ids")]
    if is_of_issues:
        where.append(any_of(dialect, "issue_id", "issue_ids"))
    clause = " AND ".join(where)
    return text(f"DELETE FROM {POSITIONS} WHERE {clause}")


def _where(*conditions: tuple[bool, str]) -> str:
    """``WHERE`` with the conditions asked for (a flag and constant text each), ANDed, and a
    space; ``""`` when none is."""
    asked = [condition for is_asked, condition in conditions if is_asked]
    return f"WHERE {' AND '.join(asked)} " if asked else ""


@lru_cache(maxsize=16)
def positions_query(
    dialect: str, is_by_actor: bool, is_spoken: bool, is_of_issue: bool, is_limited: bool
) -> TextClause:
    """Positions held by ``:actor``, or spoken by the list ``speaker_ids`` for someone else,
    on ``:issue_id``, at most ``:limit`` of them: each part only when asked for."""
    spoken = any_of(dialect, "q.speaker_id", "speaker_ids")
    clause = _where(
        (is_by_actor, "p.actor = :actor"),
        (is_spoken, f"{spoken} AND p.actor <> :actor"),
        (is_of_issue, "p.issue_id = :issue_id"),
    )
    tail = " LIMIT :limit" if is_limited else ""
    return text(
        f"SELECT {POSITION_COLUMNS} FROM {POSITIONS} p {POSITION_JOINS} {clause}"
        f"ORDER BY {OLDEST_FIRST}{tail}"
    )


@lru_cache(maxsize=16)
def shifts_query(
    is_by_actor: bool, is_of_issue: bool, is_since: bool, is_paged: bool
) -> TextClause:
    """Stored shift bodies, each filter only when asked for, by the later statement's date."""
    clause = _where(
        (is_by_actor, "s.actor = :actor"),
        (is_of_issue, "s.issue_id = :issue_id"),
        (is_since, "s.published >= :since"),
    )
    tail = " LIMIT :limit OFFSET :offset" if is_paged else ""
    return text(
        f"SELECT s.body FROM {SHIFTS} s {clause}"
        f"ORDER BY s.published ASC NULLS LAST, s.actor, s.issue_id, s.id{tail}"
    )
