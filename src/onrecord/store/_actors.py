"""Hand edits of speaker identity: merge two speakers, split a spelling off, keep the history.

Input: speaker names as a user types them. Output: ``ActorEdit`` records, ``Actor`` listings
and ``SpeakerRole`` rows derived from the quotes.

An edit changes rows in ``speakers``, ``speaker_aliases`` and ``quotes``, records itself in
``actor_edits`` (arguments, and snapshots before and after) and pins the spellings involved
in ``alias_pins``, which ``assign_speaker`` consults first: a re-ingested or new article that
uses a pinned spelling goes to the speaker the edit chose.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Final

from sqlalchemy import TextClause, text

from onrecord.errors import BadQuery, NotFound
from onrecord.store._articles import parse_date
from onrecord.store._connection import Connection
from onrecord.store._query import run, run_many
from onrecord.store._records import Actor, ActorEdit, SpeakerRole
from onrecord.store._schema import (
    ACTOR_EDITS,
    ALIAS_PINS,
    ARTICLES,
    QUOTATIONS,
    QUOTES,
    SPEAKER_ALIASES,
    SPEAKERS,
)
from onrecord.store._search import find_speaker_ids, speaker_summaries
from onrecord.store._speakers import (
    ADD_ALIAS,
    PIN_SPEAKER,
    create_pinned,
    display_name,
    merge_speakers,
    normalise_name,
)
from onrecord.store._writes import insert_id

log = logging.getLogger(__name__)

MERGE: Final = "merge"
SPLIT: Final = "split"

SNAPSHOT_SPEAKER: Final = text(f"SELECT id, name, kind, role, org FROM {SPEAKERS} WHERE id = :id")
ALIASES_OF: Final = text(
    f"SELECT name FROM {SPEAKER_ALIASES} WHERE speaker_id = :speaker_id ORDER BY name"
)
COUNT_QUOTES_OF: Final = text(f"SELECT COUNT(*) FROM {QUOTES} WHERE speaker_id = :speaker_id")
# A pinned spelling goes to the speaker of the latest edit that named it.
PIN: Final = text(
    f"INSERT INTO {ALIAS_PINS} (alias, speaker_id) VALUES (:alias, :speaker_id) "
    "ON CONFLICT (alias) DO UPDATE SET speaker_id = excluded.speaker_id"
)
MOVE_QUOTATIONS: Final = text(
    f"UPDATE {QUOTATIONS} SET speaker_id = :keep WHERE speaker_id = :drop"
)
ALIAS_KEYS_OF: Final = text(f"SELECT alias FROM {SPEAKER_ALIASES} WHERE speaker_id = :speaker_id")
SPELLING: Final = text(
    f"SELECT a.name, s.name_key, s.kind FROM {SPEAKER_ALIASES} a "
    f"JOIN {SPEAKERS} s ON s.id = a.speaker_id "
    "WHERE a.speaker_id = :speaker_id AND a.alias = :alias"
)
MOVE_ALIAS: Final = text(
    f"UPDATE {SPEAKER_ALIASES} SET speaker_id = :new_id "
    "WHERE speaker_id = :speaker_id AND alias = :alias"
)
GIVEN_NAMES_OF: Final = text(
    f"SELECT id, speaker_given FROM {QUOTES} WHERE speaker_id = :speaker_id"
)
MOVE_QUOTE: Final = text(
    f"UPDATE {QUOTES} SET speaker_id = :speaker_id, speaker_name = :name WHERE id = :id"
)
LATEST_ATTRIBUTES: Final = text(
    f"SELECT q.role, q.org FROM {QUOTES} q JOIN {ARTICLES} a ON a.id = q.article_id "
    "WHERE q.speaker_id = :speaker_id AND (q.role IS NOT NULL OR q.org IS NOT NULL) "
    "ORDER BY a.published DESC LIMIT 1"
)
SET_ATTRIBUTES: Final = text(f"UPDATE {SPEAKERS} SET role = :role, org = :org WHERE id = :id")
ALL_EDITS: Final = text(
    f"SELECT id, action, edited_at, args, before, after FROM {ACTOR_EDITS} ORDER BY id"
)


def resolve_speaker_id(conn: Connection, name: str) -> int:
    ids = find_speaker_ids(conn, name)
    if not ids:
        raise NotFound(
            f"[{NotFound.code}] no speaker named {name!r}. List speakers with `onrecord actors`."
        )
    return ids[0]


def _snapshot(conn: Connection, speaker_id: int) -> dict[str, object]:
    row = run(conn, SNAPSHOT_SPEAKER, {"id": speaker_id}).fetchone()
    aliases = run(conn, ALIASES_OF, {"speaker_id": speaker_id}).fetchall()
    count = run(conn, COUNT_QUOTES_OF, {"speaker_id": speaker_id}).fetchone()[0]
    return {
        "id": int(row["id"]),
        "name": str(row["name"]),
        "kind": str(row["kind"]),
        "role": row["role"],
        "org": row["org"],
        "aliases": sorted({str(alias[0]) for alias in aliases}),
        "quote_count": int(count),
    }


def _pin(conn: Connection, speaker_id: int, keys: set[str]) -> None:
    run_many(conn, PIN, [{"alias": key, "speaker_id": speaker_id} for key in sorted(keys) if key])


def _record(
    conn: Connection,
    action: str,
    edited_at: datetime,
    args: Mapping[str, object],
    before: Mapping[str, object],
    after: Mapping[str, object],
) -> ActorEdit:
    edit_id = insert_id(
        conn,
        ACTOR_EDITS,
        {
            "action": action,
            "edited_at": edited_at.isoformat(),
            "args": json.dumps(args, ensure_ascii=False),
            "before": json.dumps(before, ensure_ascii=False),
            "after": json.dumps(after, ensure_ascii=False),
        },
    )
    return ActorEdit(
        id=edit_id,
        action=action,
        edited_at=edited_at,
        args=args,
        before=before,
        after=after,
    )


def merge(
    conn: Connection, name: str, other: str, into: str | None, edited_at: datetime
) -> ActorEdit:
    """Make the speakers called ``name`` and ``other`` one speaker, inside a transaction.

    The speaker that ``into`` names survives (else ``name``'s) and is called ``into`` (else
    keeps its name); the other's aliases and quotes move to it, and every alias is pinned.

    Raises:
        NotFound: Either name is unknown.
        BadQuery: Both names are the same speaker, or ``into`` names a third one.
    """
    first, second = resolve_speaker_id(conn, name), resolve_speaker_id(conn, other)
    if first == second:
        raise BadQuery(
            f"[{BadQuery.code}] {name!r} and {other!r} are already the same speaker. "
            "Check `onrecord actors` for the names to merge."
        )
    into_ids = find_speaker_ids(conn, into) if into else []
    if into_ids and into_ids[0] not in (first, second):
        raise BadQuery(
            f"[{BadQuery.code}] --into {into!r} is the name of a third speaker. "
            "Merge that one too, or pick another name."
        )
    keep, drop = (second, first) if into_ids and into_ids[0] == second else (first, second)
    before = {"speakers": [_snapshot(conn, first), _snapshot(conn, second)]}
    run(conn, MOVE_QUOTATIONS, {"keep": keep, "drop": drop})
    merge_speakers(conn, keep, drop, display_name(into) if into else None)
    run(conn, PIN_SPEAKER, {"id": keep})
    if into:
        run(
            conn,
            ADD_ALIAS,
            {"alias": normalise_name(into), "name": into.strip(), "speaker_id": keep},
        )
    keys = {str(row[0]) for row in run(conn, ALIAS_KEYS_OF, {"speaker_id": keep}).fetchall()}
    _pin(conn, keep, keys)
    args: dict[str, object] = {"name": name, "other": other, "into": into}
    edit = _record(conn, MERGE, edited_at, args, before, {"speaker": _snapshot(conn, keep)})
    log.info("merged speaker %s into %s", drop, keep)
    return edit


def split(
    conn: Connection, name: str, alias: str, new_name: str | None, edited_at: datetime
) -> ActorEdit:
    """Make the spelling ``alias`` of speaker ``name`` a speaker of its own, with its quotes.

    Quotes whose article gave the speaker as that spelling move to the new speaker, which is
    called ``new_name`` (else the spelling as first stored) and pinned to the spelling.

    Raises:
        NotFound: ``name`` is unknown, or ``alias`` is not one of its spellings.
        BadQuery: ``alias`` is the speaker's canonical name, or ``new_name`` is taken.
    """
    speaker_id = resolve_speaker_id(conn, name)
    key = normalise_name(alias)
    row = run(conn, SPELLING, {"speaker_id": speaker_id, "alias": key}).fetchone()
    if row is None:
        raise NotFound(
            f"[{NotFound.code}] {alias!r} is not a spelling of {name!r}. "
            "See its spellings with `onrecord actors`."
        )
    if row["name_key"] == key:
        raise BadQuery(
            f"[{BadQuery.code}] {alias!r} is the canonical name of that speaker; split off "
            "another spelling, or merge first and pass --into to rename."
        )
    target = display_name(new_name) if new_name else str(row["name"])
    target_key = normalise_name(target)
    if not target_key:
        raise BadQuery(f"[{BadQuery.code}] new name {target!r} has no letters; pass another.")
    taken = [sid for sid in find_speaker_ids(conn, target) if sid != speaker_id]
    if taken or (target_key != key and target_key == row["name_key"]):
        raise BadQuery(
            f"[{BadQuery.code}] a speaker named {target!r} exists already. Pick another "
            "--as name, or split and then merge."
        )
    before = {"speaker": _snapshot(conn, speaker_id)}
    new_id = create_pinned(conn, target, str(row["kind"]))
    run(conn, MOVE_ALIAS, {"new_id": new_id, "speaker_id": speaker_id, "alias": key})
    run(conn, ADD_ALIAS, {"alias": target_key, "name": target, "speaker_id": new_id})
    moved = [
        int(quote["id"])
        for quote in run(conn, GIVEN_NAMES_OF, {"speaker_id": speaker_id}).fetchall()
        if quote["speaker_given"] and normalise_name(str(quote["speaker_given"])) == key
    ]
    run_many(
        conn,
        MOVE_QUOTE,
        [{"speaker_id": new_id, "name": target, "id": quote_id} for quote_id in moved],
    )
    _latest_attributes(conn, new_id)
    _pin(conn, new_id, {key, target_key})
    args: dict[str, object] = {"name": name, "alias": alias, "as": new_name}
    after = {"speaker": _snapshot(conn, speaker_id), "new": _snapshot(conn, new_id)}
    edit = _record(conn, SPLIT, edited_at, args, before, after)
    log.info("split %d quotes of speaker %s off as speaker %s", len(moved), speaker_id, new_id)
    return edit


def _latest_attributes(conn: Connection, speaker_id: int) -> None:
    """Give a speaker the role and org of its latest quote that names one."""
    row = run(conn, LATEST_ATTRIBUTES, {"speaker_id": speaker_id}).fetchone()
    if row is not None:
        run(conn, SET_ATTRIBUTES, {"role": row["role"], "org": row["org"], "id": speaker_id})


def edits(conn: Connection, name: str | None) -> list[ActorEdit]:
    """Recorded edits, oldest first; with ``name``, those whose arguments or snapshots name it."""
    rows = run(conn, ALL_EDITS).fetchall()
    found = [
        ActorEdit(
            id=int(row["id"]),
            action=str(row["action"]),
            edited_at=datetime.fromisoformat(str(row["edited_at"])),
            args=json.loads(row["args"]),
            before=json.loads(row["before"]),
            after=json.loads(row["after"]),
        )
        for row in rows
    ]
    if name is None:
        return found
    key = normalise_name(name)
    return [edit for edit in found if key in _names_in(edit)]


def _names_in(edit: ActorEdit) -> set[str]:
    names = {normalise_name(str(v)) for v in edit.args.values() if isinstance(v, str)}
    for snapshots in (edit.before, edit.after):
        for value in snapshots.values():
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, dict):
                    names.add(normalise_name(str(item.get("name", ""))))
                    names.update(normalise_name(str(a)) for a in item.get("aliases", []))
    return names


@lru_cache(maxsize=2)
def _roles_query(is_one_speaker: bool) -> TextClause:
    where = "WHERE (q.role IS NOT NULL OR q.org IS NOT NULL) AND q.speaker_id IS NOT NULL"
    if is_one_speaker:
        where += " AND q.speaker_id = :speaker_id"
    return text(
        "SELECT q.speaker_id, q.role, q.org, MIN(a.published) AS first_date, "
        "MAX(a.published) AS last_date, COUNT(*) AS quote_count "
        f"FROM {QUOTES} q JOIN {ARTICLES} a ON a.id = q.article_id {where} "
        "GROUP BY q.speaker_id, q.role, q.org ORDER BY q.speaker_id, first_date, q.role"
    )


def roles(conn: Connection, speaker_id: int | None = None) -> list[SpeakerRole]:
    """Roles and organisations speakers were quoted in, each with its first and last date."""
    is_one_speaker = speaker_id is not None
    parameters = {"speaker_id": speaker_id} if is_one_speaker else {}
    rows = run(conn, _roles_query(is_one_speaker), parameters).fetchall()
    return [
        SpeakerRole(
            speaker_id=int(row["speaker_id"]),
            role=row["role"],
            org=row["org"],
            first_date=parse_date(row["first_date"]),
            last_date=parse_date(row["last_date"]),
            quote_count=int(row["quote_count"]),
        )
        for row in rows
    ]


def actors(conn: Connection) -> list[Actor]:
    """Every quoted speaker, most quoted first, with the roles held over time."""
    by_speaker: dict[int, list[SpeakerRole]] = {}
    for role in roles(conn):
        by_speaker.setdefault(role.speaker_id, []).append(role)
    return [
        Actor(summary=summary, roles=tuple(by_speaker.get(summary.id, [])))
        for summary in speaker_summaries(conn)
    ]
