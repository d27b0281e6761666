"""Stored positions: issues, positions per statement and issue, shifts, and what made them.

Input: records from the positions layer (``onrecord.positions``), which derives them; this
module only writes and reads rows. Output: ``StoredIssue``, ``StoredPosition``, shift JSON.
Every read is an indexed query: nothing here scans the store's statements.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import Any, NamedTuple, Protocol

from onrecord.store._articles import parse_date
from onrecord.store._connection import Connection, Row
from onrecord.store._position_queries import (
    ALL_ISSUES,
    CLEAR,
    CLEAR_STATE,
    DROP_ISSUE,
    DROP_SHIFTS,
    EDITS,
    HOLDING_ACTOR,
    ISSUE_ACTORS,
    ISSUE_ROW,
    ONE_ISSUE,
    PAIR_POSITIONS,
    PAIRS,
    POSITION_ROW,
    RECORD_EDIT,
    RECOUNT,
    RENAME_ISSUE,
    SET_ACTOR,
    SET_ORIGIN,
    SHIFT_ROW,
    STATE,
    STATE_ROW,
    STATEMENTS_OF_ISSUE,
    TOP_ACTORS,
    delete_positions,
    listed,
    positions_query,
    shifts_query,
)
from onrecord.store._query import dialect_name, insert_many, run, run_many
from onrecord.store._records import IssueEdit, QuoteHit, StoredIssue, StoredPosition
from onrecord.store._schema import (
    ISSUES,
    POSITIONS,
    POSITIONS_STATE,
    SHIFTS,
)
from onrecord.store._search import find_speaker_ids, row_to_hit


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
        return [_issue(row) for row in run(self._conn, ALL_ISSUES).fetchall()]

    def issue(self, issue_id: str) -> StoredIssue | None:
        """One issue by id, or ``None``."""
        row = run(self._conn, ONE_ISSUE, {"id": issue_id}).fetchone()
        return None if row is None else _issue(row)

    def replace_issues(
        self, issues: Sequence[tuple[IssueFields, str]], state: dict[str, str]
    ) -> None:
        """Start over: these issues (each with its origin), no positions, no shifts."""
        with self._writing():
            for statement in CLEAR:
                run(self._conn, statement)
            rows = [
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
            ]
            insert_many(self._conn, ISSUES, ISSUE_ROW, rows)
            self._set_state(state)

    def rename_issue(self, issue_id: str, label: str) -> None:
        """Give a stored issue another label."""
        with self._writing():
            run(self._conn, RENAME_ISSUE, {"label": label, "id": issue_id})

    def drop_issue(self, issue_id: str) -> None:
        """Remove an issue with its positions and shifts."""
        with self._writing():
            for statement in DROP_ISSUE:
                run(self._conn, statement, {"id": issue_id})

    def set_origin(self, issue_id: str, origin: str, state: dict[str, str]) -> None:
        """Mark an issue as the catalogue's (after promotion), with the new state."""
        with self._writing():
            run(self._conn, SET_ORIGIN, {"origin": origin, "id": issue_id})
            self._set_state(state)

    def record_edit(self, action: str, issue_id: str, value: str | None, edited_at: str) -> None:
        """Remember a user's edit of a discovered issue, to apply again after discovery."""
        edit = {"action": action, "issue_id": issue_id, "value": value, "edited_at": edited_at}
        with self._writing():
            run(self._conn, RECORD_EDIT, edit)

    def edits(self) -> list[IssueEdit]:
        """Recorded edits of discovered issues, oldest first."""
        return [
            IssueEdit(int(r["id"]), r["action"], r["issue_id"], r["value"], r["edited_at"])
            for r in run(self._conn, EDITS).fetchall()
        ]

    # --- state ----------------------------------------------------------------------------

    def state(self) -> dict[str, str]:
        """What the stored positions were derived with (empty before the first derivation)."""
        return {str(r["key"]): str(r["value"]) for r in run(self._conn, STATE).fetchall()}

    def _set_state(self, state: dict[str, str]) -> None:
        run(self._conn, CLEAR_STATE)
        insert_many(self._conn, POSITIONS_STATE, STATE_ROW, list(state.items()))

    # --- statements to derive from ----------------------------------------------------------

    def _listed(self, kind: str, ids: Sequence[Any]) -> list[Row]:  # Any: int or str ids
        if not ids:
            return []
        statement = listed(dialect_name(self._conn), kind)
        return run(self._conn, statement, {"ids": list(ids)}).fetchall()

    def statements_of_articles(self, article_ids: Sequence[str]) -> list[QuoteHit]:
        """The stored statements of these articles."""
        return [row_to_hit(row) for row in self._listed("article_statements", article_ids)]

    def statements_of_speakers(self, speaker_ids: Sequence[int]) -> list[QuoteHit]:
        """Every stored statement of these speakers."""
        return [row_to_hit(row) for row in self._listed("speaker_statements", speaker_ids)]

    def statements_of_issue(self, issue_id: str) -> list[QuoteHit]:
        """The stored statements holding a position on this issue."""
        rows = run(self._conn, STATEMENTS_OF_ISSUE, {"issue_id": issue_id}).fetchall()
        return [row_to_hit(row) for row in rows]

    def speaker_roles(self, speaker_ids: Sequence[int]) -> list[tuple[int, str, str]]:
        """(speaker id, role, organisation) of every statement of these speakers with both."""
        rows = self._listed("speaker_roles", speaker_ids)
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def actors_of_quotes(self, quote_ids: Sequence[int]) -> set[tuple[str, str]]:
        """(actor, issue) pairs the stored positions of these statements belong to."""
        return {(str(r[0]), str(r[1])) for r in self._listed("quote_actors", quote_ids)}

    def speaker_ids(self, name: str) -> list[int]:
        """The ids of the speakers a name (any spelling) stands for."""
        return find_speaker_ids(self._conn, name)

    def speaker_positions(self, speaker_ids: Sequence[int]) -> list[HeldPosition]:
        """The stored positions of these speakers' statements, with role and organisation."""
        return [
            HeldPosition(int(r[0]), str(r[1]), str(r[2]), int(r[3]), str(r[4] or ""), r[5], r[6])
            for r in self._listed("speaker_positions", speaker_ids)
        ]

    def set_actors(self, moves: Sequence[tuple[str, int]]) -> None:
        """Give the positions of statements another holder: (actor, quote id) pairs."""
        with self._writing():
            run_many(
                self._conn,
                SET_ACTOR,
                [{"actor": actor, "quote_id": quote_id} for actor, quote_id in moves],
            )

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
            if quote_ids and (issue_ids is None or issue_ids):
                statement = delete_positions(dialect_name(self._conn), issue_ids is not None)
                params = {"ids": list(quote_ids), "issue_ids": list(issue_ids or ())}
                run(self._conn, statement, params)
            insert_many(self._conn, POSITIONS, POSITION_ROW, rows)

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
        params = {"actor": actor, "issue_id": issue_id, "limit": limit}
        if actor is None:
            return self._select(False, [], params)
        # Two indexed look-ups (held by the actor; spoken by its speaker) rather than one OR,
        # which would read every position.
        found = self._select(True, [], params)
        speaker_ids = find_speaker_ids(self._conn, actor)
        if speaker_ids:
            seen = {(p.quote_id, p.issue_id) for p in found}
            # Only the positions held by someone else (the body a spokesperson speaks for):
            # the others came with the first look-up.
            spoken = self._select(False, speaker_ids, params)
            found.extend(p for p in spoken if (p.quote_id, p.issue_id) not in seen)
            found.sort(key=_oldest_first)
        return found[:limit] if limit is not None else found

    def _select(
        self,
        is_by_actor: bool,
        speaker_ids: Sequence[int],
        params: dict[str, Any],  # Any: the actor, issue and limit of ``positions``
    ) -> list[StoredPosition]:
        statement = positions_query(
            dialect_name(self._conn),
            is_by_actor,
            bool(speaker_ids),
            params["issue_id"] is not None,
            params["limit"] is not None,
        )
        values = {**params, "speaker_ids": list(speaker_ids)}
        return [_position(row) for row in run(self._conn, statement, values).fetchall()]

    def pair_positions(self, actor: str, issue_id: str) -> list[StoredPosition]:
        """Positions held by exactly this actor on one issue, oldest first."""
        rows = run(self._conn, PAIR_POSITIONS, {"actor": actor, "issue_id": issue_id})
        return [_position(row) for row in rows.fetchall()]

    def top_actors(self, issue_id: str, limit: int) -> list[tuple[str, int]]:
        """Actors with the most positions on an issue, with their counts."""
        rows = run(self._conn, TOP_ACTORS, {"issue_id": issue_id, "limit": limit})
        return [(str(r[0]), int(r[1])) for r in rows.fetchall()]

    def recount(self, issue_ids: Iterable[str]) -> None:
        """Bring the position and actor counts of these issues up to date."""
        with self._writing():
            run_many(self._conn, RECOUNT, [{"id": issue_id} for issue_id in sorted(set(issue_ids))])

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
            run_many(
                self._conn,
                DROP_SHIFTS,
                [{"actor": actor, "issue_id": issue_id} for actor, issue_id in pairs],
            )
            insert_many(self._conn, SHIFTS, SHIFT_ROW, list(shifts))

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
        statement = shifts_query(
            actor is not None, issue_id is not None, since is not None, limit is not None
        )
        params = {
            "actor": actor,
            "issue_id": issue_id,
            "since": since.isoformat() if since is not None else None,
            "limit": limit,
            "offset": offset,
        }
        return [str(r[0]) for r in run(self._conn, statement, params).fetchall()]

    def issue_pairs(self, issue_id: str) -> list[tuple[str, str]]:
        """Every (actor, issue) pair with a stored position on this issue."""
        rows = run(self._conn, ISSUE_ACTORS, {"issue_id": issue_id}).fetchall()
        return [(str(r[0]), issue_id) for r in rows]

    def pairs(self) -> list[tuple[str, str]]:
        """Every (actor, issue) pair with a stored position."""
        return [(str(r[0]), str(r[1])) for r in run(self._conn, PAIRS).fetchall()]

    def actor_names(self, name: str) -> list[str]:
        """The actors a name stands for: itself when it holds positions, and the bodies its
        speaker speaks for."""
        found = {str(r[0]) for r in run(self._conn, HOLDING_ACTOR, {"actor": name}).fetchall()}
        spoken = self._listed("spoken_actors", find_speaker_ids(self._conn, name))
        found.update(str(r[0]) for r in spoken)
        return sorted(found)
