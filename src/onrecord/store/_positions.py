"""Stored positions: issues, positions per statement and issue, shifts, and what made them.

Input: records from the positions layer (``onrecord.positions``), which derives them; this
module only writes and reads rows. Output: ``StoredIssue``, ``StoredPosition``, shift JSON.
Every read is an indexed query: nothing here scans the store's statements.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Final, NamedTuple, Protocol

from onrecord.store._articles import parse_date
from onrecord.store._connection import Connection, Row
from onrecord.store._records import IssueEdit, QuoteHit, StoredIssue, StoredPosition
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
from onrecord.store._search import HIT_COLUMNS, HIT_JOINS, find_speaker_ids, row_to_hit

# Enough ids per statement for SQLite's default limit of host parameters, with room to spare.
CHUNK: Final = 500
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


class HeldPosition(NamedTuple):
    """Who holds a stored position, and what of its statement decides that."""

    quote_id: int
    issue_id: str
    actor: str
    speaker_id: int
    speaker: str
    role: str | None
    org: str | None


class PositionFields(Protocol):
    """What a derived position must carry to be stored (``onrecord.positions.Position``)."""

    @property
    def quote_id(self) -> int: ...
    @property
    def issue_id(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def stance(self) -> str: ...
    @property
    def act(self) -> str: ...
    @property
    def condition(self) -> str | None: ...
    @property
    def link_score(self) -> float: ...
    @property
    def support_probability(self) -> float: ...
    @property
    def cues(self) -> tuple[str, ...]: ...
    @property
    def method(self) -> str: ...
    @property
    def published(self) -> date | None: ...


class IssueFields(Protocol):
    """What an issue must carry to be stored (``onrecord.positions.Issue``)."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def proposition(self) -> str: ...
    @property
    def keywords(self) -> tuple[str, ...]: ...
    @property
    def examples(self) -> tuple[str, ...]: ...


def _chunks(values: Sequence[object]) -> Iterator[Sequence[object]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


def _issue(row: Row) -> StoredIssue:
    return StoredIssue(
        id=row["id"],
        label=row["label"],
        proposition=row["proposition"],
        keywords=tuple(json.loads(row["keywords"])),
        examples=tuple(json.loads(row["examples"])),
        origin=row["origin"],
        position_count=int(row["position_count"]),
        actor_count=int(row["actor_count"]),
    )


def _oldest_first(p: StoredPosition) -> tuple[bool, date, str, int]:
    return (p.published is None, p.published or date.max, p.article_id, p.start)


def _position(row: Row) -> StoredPosition:
    return StoredPosition(
        actor=row["actor"],
        speaker=row["speaker_name"] or "",
        issue_id=row["issue_id"],
        issue_label=row["issue_label"],
        stance=row["stance"],
        act=row["act"],
        condition=row["condition_text"],
        quote=row["text"],
        quote_id=int(row["quote_id"]),
        article_id=row["article_id"],
        published=parse_date(row["published"]),
        outlet=row["outlet"],
        via=tuple(json.loads(row["via"])),
        kind=row["kind"],
        link_score=float(row["link_score"]),
        support_probability=float(row["support_probability"]),
        start=int(row["start"]),
        cues=tuple(json.loads(row["cues"])),
        method=row["method"],
        number=int(row["position"]),
    )


class PositionTables:
    """The positions tables of one store: written by the positions layer, read by pages.

    Each write method runs in one transaction of its own (``writing``).

    Args:
        conn: The store's connection.
        writing: The store's write-transaction context.
    """

    def __init__(
        self, conn: Connection, writing: Callable[[], AbstractContextManager[None]]
    ) -> None:
        self._conn = conn
        self._writing = writing

    # --- issues ---------------------------------------------------------------------------

    def issues(self) -> list[StoredIssue]:
        """The issues positions are derived against, in the order they were given."""
        rows = self._conn.execute(f"SELECT * FROM {ISSUES} ORDER BY sort_order, id").fetchall()
        return [_issue(row) for row in rows]

    def issue(self, issue_id: str) -> StoredIssue | None:
        """One issue by id, or ``None``."""
        row = self._conn.execute(f"SELECT * FROM {ISSUES} WHERE id = ?", (issue_id,)).fetchone()
        return None if row is None else _issue(row)

    def replace_issues(
        self, issues: Sequence[tuple[IssueFields, str]], state: dict[str, str]
    ) -> None:
        """Start over: these issues (each with its origin), no positions, no shifts."""
        with self._writing():
            for table in (SHIFTS, POSITIONS, ISSUES, POSITIONS_STATE):
                self._conn.execute(f"DELETE FROM {table}")
            self._conn.executemany(
                f"INSERT INTO {ISSUES} (id, label, proposition, keywords, examples, origin, "
                "sort_order) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        issue.id,
                        issue.label,
                        issue.proposition,
                        json.dumps(list(issue.keywords), ensure_ascii=False),
                        json.dumps(list(issue.examples), ensure_ascii=False),
                        origin,
                        order,
                    )
                    for order, (issue, origin) in enumerate(issues)
                ],
            )
            self._set_state(state)

    def rename_issue(self, issue_id: str, label: str) -> None:
        """Give a stored issue another label."""
        with self._writing():
            self._conn.execute(f"UPDATE {ISSUES} SET label = ? WHERE id = ?", (label, issue_id))

    def drop_issue(self, issue_id: str) -> None:
        """Remove an issue with its positions and shifts."""
        with self._writing():
            self._conn.execute(f"DELETE FROM {SHIFTS} WHERE issue_id = ?", (issue_id,))
            self._conn.execute(f"DELETE FROM {POSITIONS} WHERE issue_id = ?", (issue_id,))
            self._conn.execute(f"DELETE FROM {ISSUES} WHERE id = ?", (issue_id,))

    def set_origin(self, issue_id: str, origin: str, state: dict[str, str]) -> None:
        """Mark an issue as the catalogue's (after promotion), with the new state."""
        with self._writing():
            self._conn.execute(f"UPDATE {ISSUES} SET origin = ? WHERE id = ?", (origin, issue_id))
            self._set_state(state)

    def record_edit(self, action: str, issue_id: str, value: str | None, edited_at: str) -> None:
        """Remember a user's edit of a discovered issue, to apply again after discovery."""
        with self._writing():
            self._conn.execute(
                f"INSERT INTO {ISSUE_EDITS} (action, issue_id, value, edited_at) "
                "VALUES (?, ?, ?, ?)",
                (action, issue_id, value, edited_at),
            )

    def edits(self) -> list[IssueEdit]:
        """Recorded edits of discovered issues, oldest first."""
        rows = self._conn.execute(
            f"SELECT id, action, issue_id, value, edited_at FROM {ISSUE_EDITS} ORDER BY id"
        ).fetchall()
        return [
            IssueEdit(int(r["id"]), r["action"], r["issue_id"], r["value"], r["edited_at"])
            for r in rows
        ]

    # --- state ----------------------------------------------------------------------------

    def state(self) -> dict[str, str]:
        """What the stored positions were derived with (empty before the first derivation)."""
        rows = self._conn.execute(f"SELECT key, value FROM {POSITIONS_STATE}").fetchall()
        return {str(r["key"]): str(r["value"]) for r in rows}

    def _set_state(self, state: dict[str, str]) -> None:
        self._conn.execute(f"DELETE FROM {POSITIONS_STATE}")
        self._conn.executemany(
            f"INSERT INTO {POSITIONS_STATE} (key, value) VALUES (?, ?)", list(state.items())
        )

    # --- statements to derive from ----------------------------------------------------------

    def statements_of_articles(self, article_ids: Sequence[str]) -> list[QuoteHit]:
        """The stored statements of these articles."""
        found: list[QuoteHit] = []
        for chunk in _chunks(article_ids):
            rows = self._conn.execute(
                f"SELECT {HIT_COLUMNS} FROM {QUOTES} q {HIT_JOINS} "
                f"WHERE q.article_id IN ({_marks(chunk)}) ORDER BY a.rowid, q.position",
                tuple(chunk),
            ).fetchall()
            found.extend(row_to_hit(row) for row in rows)
        return found

    def statements_of_speakers(self, speaker_ids: Sequence[int]) -> list[QuoteHit]:
        """Every stored statement of these speakers."""
        found: list[QuoteHit] = []
        for chunk in _chunks(speaker_ids):
            rows = self._conn.execute(
                f"SELECT {HIT_COLUMNS} FROM {QUOTES} q {HIT_JOINS} "
                f"WHERE q.speaker_id IN ({_marks(chunk)}) ORDER BY a.rowid, q.position",
                tuple(chunk),
            ).fetchall()
            found.extend(row_to_hit(row) for row in rows)
        return found

    def statements_of_issue(self, issue_id: str) -> list[QuoteHit]:
        """The stored statements holding a position on this issue."""
        rows = self._conn.execute(
            f"SELECT {HIT_COLUMNS} FROM {POSITIONS} p JOIN {QUOTES} q ON q.id = p.quote_id "
            f"{HIT_JOINS} WHERE p.issue_id = ? ORDER BY a.rowid, q.position",
            (issue_id,),
        ).fetchall()
        return [row_to_hit(row) for row in rows]

    def speaker_roles(self, speaker_ids: Sequence[int]) -> list[tuple[int, str, str]]:
        """(speaker id, role, organisation) of every statement of these speakers with both."""
        found: list[tuple[int, str, str]] = []
        for chunk in _chunks(speaker_ids):
            rows = self._conn.execute(
                f"SELECT speaker_id, role, org FROM {QUOTES} WHERE speaker_id IN "
                f"({_marks(chunk)}) AND role IS NOT NULL AND org IS NOT NULL",
                tuple(chunk),
            ).fetchall()
            found.extend((int(r[0]), str(r[1]), str(r[2])) for r in rows)
        return found

    def actors_of_quotes(self, quote_ids: Sequence[int]) -> set[tuple[str, str]]:
        """(actor, issue) pairs the stored positions of these statements belong to."""
        found: set[tuple[str, str]] = set()
        for chunk in _chunks(quote_ids):
            rows = self._conn.execute(
                f"SELECT DISTINCT actor, issue_id FROM {POSITIONS} "
                f"WHERE quote_id IN ({_marks(chunk)})",
                tuple(chunk),
            ).fetchall()
            found.update((str(r[0]), str(r[1])) for r in rows)
        return found

    def speaker_ids(self, name: str) -> list[int]:
        """The ids of the speakers a name (any spelling) stands for."""
        return find_speaker_ids(self._conn, name)

    def speaker_positions(self, speaker_ids: Sequence[int]) -> list[HeldPosition]:
        """The stored positions of these speakers' statements, with role and organisation."""
        found: list[HeldPosition] = []
        for chunk in _chunks(speaker_ids):
            rows = self._conn.execute(
                "SELECT p.quote_id, p.issue_id, p.actor, q.speaker_id, q.speaker_name, q.role, "
                f"q.org FROM {QUOTES} q JOIN {POSITIONS} p ON p.quote_id = q.id "
                f"WHERE q.speaker_id IN ({_marks(chunk)})",
                tuple(chunk),
            ).fetchall()
            found.extend(
                HeldPosition(
                    int(r[0]), str(r[1]), str(r[2]), int(r[3]), str(r[4] or ""), r[5], r[6]
                )
                for r in rows
            )
        return found

    def set_actors(self, moves: Sequence[tuple[str, int]]) -> None:
        """Give the positions of statements another holder: (actor, quote id) pairs."""
        with self._writing():
            self._conn.executemany(f"UPDATE {POSITIONS} SET actor = ? WHERE quote_id = ?", moves)

    # --- positions --------------------------------------------------------------------------

    def write_positions(
        self,
        quote_ids: Sequence[int],
        positions: Iterable[PositionFields],
        issue_ids: Sequence[str] | None = None,
    ) -> None:
        """Replace the positions of these statements (on ``issue_ids`` only, when given)."""
        rows = [
            (
                p.quote_id,
                p.issue_id,
                p.actor,
                p.stance,
                p.act,
                p.condition,
                p.link_score,
                p.support_probability,
                json.dumps(list(p.cues), ensure_ascii=False),
                p.method,
                p.published.isoformat() if p.published else None,
            )
            for p in positions
        ]
        with self._writing():
            only = f" AND issue_id IN ({_marks(issue_ids)})" if issue_ids is not None else ""
            for chunk in _chunks(quote_ids):
                self._conn.execute(
                    f"DELETE FROM {POSITIONS} WHERE quote_id IN ({_marks(chunk)}){only}",
                    (*chunk, *(issue_ids or ())),
                )
            if rows:
                self._conn.executemany(
                    f"INSERT INTO {POSITIONS} (quote_id, issue_id, actor, stance, act, "
                    "condition_text, link_score, support_probability, cues, method, published) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )

    def positions(
        self,
        *,
        actor: str | None = None,
        issue_id: str | None = None,
        limit: int | None = None,
    ) -> list[StoredPosition]:
        """Stored positions, oldest first: of one actor (held, or spoken as its speaker), of
        one issue, or both.

        Args:
            actor: An actor (any case), or any spelling of a speaker.
            issue_id: An issue id.
            limit: Most positions to return.
        """
        if actor is None:
            return self._select("", [], issue_id, limit)
        # Two indexed look-ups (held by the actor; spoken by its speaker) rather than one OR,
        # which would read every position.
        found = self._select("p.actor = ?", [actor], issue_id, limit)
        speaker_ids = find_speaker_ids(self._conn, actor)
        if speaker_ids:
            seen = {(p.quote_id, p.issue_id) for p in found}
            # Only the positions held by someone else (the body a spokesperson speaks for):
            # the others came with the first look-up.
            spoken = self._select(
                f"q.speaker_id IN ({_marks(speaker_ids)}) AND p.actor <> ?",
                [*speaker_ids, actor],
                issue_id,
                limit,
            )
            found.extend(p for p in spoken if (p.quote_id, p.issue_id) not in seen)
            found.sort(key=_oldest_first)
        return found[:limit] if limit is not None else found

    def _select(
        self, clause: str, params: list[object], issue_id: str | None, limit: int | None
    ) -> list[StoredPosition]:
        clauses = [clause] if clause else []
        if issue_id is not None:
            clauses.append("p.issue_id = ?")
            params = [*params, issue_id]
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        tail = f" LIMIT {int(limit):d}" if limit is not None else ""
        rows = self._conn.execute(
            f"SELECT {POSITION_COLUMNS} FROM {POSITIONS} p {POSITION_JOINS} {where} "
            f"ORDER BY {OLDEST_FIRST}{tail}",
            tuple(params),
        ).fetchall()
        return [_position(row) for row in rows]

    def pair_positions(self, actor: str, issue_id: str) -> list[StoredPosition]:
        """Positions held by exactly this actor on one issue, oldest first."""
        rows = self._conn.execute(
            f"SELECT {POSITION_COLUMNS} FROM {POSITIONS} p {POSITION_JOINS} "
            f"WHERE p.actor = ? AND p.issue_id = ? ORDER BY {OLDEST_FIRST}",
            (actor, issue_id),
        ).fetchall()
        return [_position(row) for row in rows]

    def top_actors(self, issue_id: str, limit: int) -> list[tuple[str, int]]:
        """Actors with the most positions on an issue, with their counts."""
        rows = self._conn.execute(
            f"SELECT actor, COUNT(*) AS n FROM {POSITIONS} WHERE issue_id = ? "
            "GROUP BY actor ORDER BY n DESC, actor LIMIT ?",
            (issue_id, limit),
        ).fetchall()
        return [(str(r[0]), int(r[1])) for r in rows]

    def recount(self, issue_ids: Iterable[str]) -> None:
        """Bring the position and actor counts of these issues up to date."""
        with self._writing():
            for issue_id in sorted(set(issue_ids)):
                self._conn.execute(
                    f"UPDATE {ISSUES} SET "
                    f"position_count = (SELECT COUNT(*) FROM {POSITIONS} WHERE issue_id = ?), "
                    f"actor_count = (SELECT COUNT(DISTINCT actor) FROM {POSITIONS} "
                    "WHERE issue_id = ?) WHERE id = ?",
                    (issue_id, issue_id, issue_id),
                )

    # --- shifts -----------------------------------------------------------------------------

    def replace_shifts(
        self, pairs: Iterable[tuple[str, str]], shifts: Sequence[tuple[str, str, str | None, str]]
    ) -> None:
        """Replace the shifts of these (actor, issue) pairs with ``shifts``.

        Args:
            pairs: The pairs whose shifts are replaced.
            shifts: (actor, issue id, date of the later statement, JSON body) per shift.
        """
        with self._writing():
            for actor, issue_id in pairs:
                self._conn.execute(
                    f"DELETE FROM {SHIFTS} WHERE actor = ? AND issue_id = ?", (actor, issue_id)
                )
            if shifts:
                self._conn.executemany(
                    f"INSERT INTO {SHIFTS} (actor, issue_id, published, body) VALUES (?, ?, ?, ?)",
                    list(shifts),
                )

    def shifts(
        self,
        *,
        actor: str | None = None,
        issue_id: str | None = None,
        since: date | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[str]:
        """Stored shifts as JSON, by the date of the later statement.

        Args:
            actor: Only shifts of this actor (any case).
            issue_id: Only shifts on this issue.
            since: Only shifts whose later statement is on or after this date.
            limit: Most shifts to return.
            offset: Shifts to skip.
        """
        clauses: list[str] = []
        params: list[object] = []
        if actor is not None:
            clauses.append("s.actor = ?")
            params.append(actor)
        if issue_id is not None:
            clauses.append("s.issue_id = ?")
            params.append(issue_id)
        if since is not None:
            clauses.append("s.published >= ?")
            params.append(since.isoformat())
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        tail = f" LIMIT {int(limit):d} OFFSET {int(offset):d}" if limit is not None else ""
        rows = self._conn.execute(
            f"SELECT s.body FROM {SHIFTS} s {where} "
            f"ORDER BY s.published ASC NULLS LAST, s.actor, s.issue_id, s.id{tail}",
            tuple(params),
        ).fetchall()
        return [str(r[0]) for r in rows]

    def issue_pairs(self, issue_id: str) -> list[tuple[str, str]]:
        """Every (actor, issue) pair with a stored position on this issue."""
        rows = self._conn.execute(
            f"SELECT DISTINCT actor FROM {POSITIONS} WHERE issue_id = ?", (issue_id,)
        ).fetchall()
        return [(str(r[0]), issue_id) for r in rows]

    def pairs(self) -> list[tuple[str, str]]:
        """Every (actor, issue) pair with a stored position."""
        rows = self._conn.execute(
            f"SELECT DISTINCT actor, issue_id FROM {POSITIONS} ORDER BY actor, issue_id"
        ).fetchall()
        return [(str(r[0]), str(r[1])) for r in rows]

    def actor_names(self, name: str) -> list[str]:
        """The actors a name stands for: itself when it holds positions, and the bodies its
        speaker speaks for."""
        speaker_ids = find_speaker_ids(self._conn, name)
        found = {
            str(r[0])
            for r in self._conn.execute(
                f"SELECT DISTINCT actor FROM {POSITIONS} WHERE actor = ?", (name,)
            ).fetchall()
        }
        if speaker_ids:
            rows = self._conn.execute(
                f"SELECT DISTINCT p.actor FROM {POSITIONS} p JOIN {QUOTES} q "
                f"ON q.id = p.quote_id WHERE q.speaker_id IN ({_marks(speaker_ids)})",
                tuple(speaker_ids),
            ).fetchall()
            found.update(str(r[0]) for r in rows)
        return sorted(found)
