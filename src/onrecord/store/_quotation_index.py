"""The statements that keep the quotation tables: wording lookups, new quotations, merges.

Input: what ``onrecord.derive`` decides while it attaches a batch's quotes (which quotation a
quote joins, which quotations merge). Output: rows of ``quotations``, ``quote_variants``,
``quote_quotation`` and ``quote_shingles``, read back by ``_story_queries``.

Where a round trip costs more than the work (PostgreSQL, on a socket), the statements are
fewer: a batch's new quotations and wordings get their ids from the sequences ahead, in one
statement (``reserve_ids``), so that storing one waits for no answer; a quote's fuzzy
candidates, with each one's wording and its quotation's longest wording, come in one
statement (``fuzzy_candidates``). SQLite, in-process, answers each small lookup at once and
keeps them one by one; both give the same candidates in the same order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import text

from onrecord.store._connection import Connection, is_postgres
from onrecord.store._query import insert_many, run, run_many
from onrecord.store._schema import (
    QUOTATIONS,
    QUOTE_QUOTATION,
    QUOTE_SHINGLES,
    QUOTE_VARIANTS,
    QUOTES,
)
from onrecord.store._story_index import newest_per_key, run_listing
from onrecord.store._writes import insert_id

# The newest rows under one 3-gram key (see ``_story_index.newest_per_key``).
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
# PostgreSQL: a quote's fuzzy candidates in one statement. Per key the newest ``limit``
# wordings; the ``most`` sharing the most keys, at least ``min_shared``, ties in the order
# they first appear reading the keys in turn, each key's wordings newest first (as
# ``Counter.most_common`` ranks them on SQLite); with each the speaker of its first quote and
# its quotation's longest wording (the oldest of equals).
FUZZY_CANDIDATES: Final = text(
    "WITH newest AS (SELECT wanted.place, found.variant_id "
    "FROM unnest(CAST(:keys AS BIGINT[])) WITH ORDINALITY AS wanted(key, place) "
    f"CROSS JOIN LATERAL (SELECT variant_id FROM {QUOTE_SHINGLES} s WHERE s.key = wanted.key "
    "ORDER BY variant_id DESC LIMIT :limit) AS found), "
    "counted AS (SELECT variant_id, count(*) AS shared, min(place) AS first_place FROM newest "
    "GROUP BY variant_id HAVING count(*) >= :min_shared "
    "ORDER BY shared DESC, first_place, variant_id DESC LIMIT :most) "
    "SELECT c.variant_id, c.shared, v.quotation_id, v.token_count, v.shingle_count, "
    "q.speaker_id, longest.id, longest.text FROM counted c "
    f"JOIN {QUOTE_VARIANTS} v ON v.id = c.variant_id "
    f"LEFT JOIN {QUOTES} q ON q.id = v.first_quote_id "
    f"CROSS JOIN LATERAL (SELECT w.id, w.text FROM {QUOTE_VARIANTS} w "
    "WHERE w.quotation_id = v.quotation_id ORDER BY w.token_count DESC, w.id LIMIT 1) AS longest"
)
LONGEST_WORDING: Final = text(
    f"SELECT id, text FROM {QUOTE_VARIANTS} WHERE quotation_id = :quotation_id "
    "ORDER BY token_count DESC, id LIMIT 1"
)
# PostgreSQL: ids for a batch's new quotations and wordings, taken from their sequences.
RESERVE_IDS: Final = text(
    f"SELECT nextval(pg_get_serial_sequence('{QUOTATIONS}', 'id')), "
    f"nextval(pg_get_serial_sequence('{QUOTE_VARIANTS}', 'id')) "
    "FROM generate_series(1, :count)"
)
# PostgreSQL: a new wording with its shingle keys (and, for a new statement, its quotation)
# in one statement, with the ids taken ahead; nothing is read back.
WORDING_COLUMNS: Final = (
    "id, quotation_id, text_key, scope, text, first_quote_id, token_count, shingle_count"
)
WORDING_VALUES: Final = (
    "CAST(:variant_id AS BIGINT), CAST(:quotation_id AS BIGINT), CAST(:text_key AS TEXT), "
    "CAST(:scope AS TEXT), CAST(:text AS TEXT), CAST(:first_quote_id AS BIGINT), "
    "CAST(:token_count AS BIGINT), CAST(:shingle_count AS BIGINT)"
)
ADD_WORDING_SQL: Final = (
    f"variant AS (INSERT INTO {QUOTE_VARIANTS} ({WORDING_COLUMNS}) VALUES ({WORDING_VALUES})) "
    f"INSERT INTO {QUOTE_SHINGLES} (key, variant_id) "
    "SELECT wanted.key, CAST(:variant_id AS BIGINT) "
    "FROM unnest(CAST(:keys AS BIGINT[])) AS wanted(key) ON CONFLICT DO NOTHING"
)
ADD_WORDING: Final = text(f"WITH {ADD_WORDING_SQL}")
ADD_QUOTATION_WORDING: Final = text(
    f"WITH quotation AS (INSERT INTO {QUOTATIONS} (id, speaker_id, size) "
    "VALUES (CAST(:quotation_id AS BIGINT), CAST(:speaker_id AS BIGINT), 0)), "
    f"{ADD_WORDING_SQL}"
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
# PostgreSQL: an article's quote links and its quotations' growth in one statement.
LINK_AND_GROW: Final = text(
    f"WITH linked AS (INSERT INTO {QUOTE_QUOTATION} (quote_id, quotation_id, variant_id) "
    "SELECT * FROM unnest(CAST(:quote_ids AS BIGINT[]), CAST(:quotation_ids AS BIGINT[]), "
    "CAST(:variant_ids AS BIGINT[]))) "
    f"UPDATE {QUOTATIONS} SET size = size + grown.count "
    "FROM unnest(CAST(:grown_ids AS BIGINT[]), CAST(:counts AS BIGINT[])) AS grown(id, count) "
    f"WHERE {QUOTATIONS}.id = grown.id"
)
QUOTE_LINK_COLUMNS: Final = (
    ("quote_id", "BIGINT"),
    ("quotation_id", "BIGINT"),
    ("variant_id", "BIGINT"),
)
SAME_WORDINGS: Final = (
    f"SELECT v.text_key, v.id, v.quotation_id, q.speaker_id FROM {QUOTE_VARIANTS} v "
    f"LEFT JOIN {QUOTES} q ON q.id = v.first_quote_id WHERE {{}} ORDER BY v.id"
)
WORDINGS: Final = (
    "SELECT v.id, v.quotation_id, v.token_count, v.shingle_count, q.speaker_id "
    f"FROM {QUOTE_VARIANTS} v LEFT JOIN {QUOTES} q ON q.id = v.first_quote_id WHERE {{}}"
)


@dataclass(frozen=True, slots=True)
class Wording:
    """A stored wording (``quote_variants`` row) with the speaker of its first quote."""

    id: int
    quotation_id: int
    token_count: int
    shingle_count: int
    speaker_id: int | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored wording that shares ``shared`` 3-gram keys with a new quote; with its
    quotation's longest wording (id, text) when ``is_longest_read``, else to be read with
    ``longest_wording`` when needed."""

    wording: Wording
    shared: int
    longest: tuple[int, str] | None = None
    is_longest_read: bool = False


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


@dataclass(slots=True)
class ReservedIds:
    """Ids taken ahead for a batch's new quotations and wordings (PostgreSQL), used in
    order; empty on SQLite, where the database gives each row its id as it is stored."""

    quotations: list[int] = field(default_factory=list)
    wordings: list[int] = field(default_factory=list)


def reserve_ids(conn: Connection, count: int) -> ReservedIds:
    """On PostgreSQL, ``count`` new ids each for quotations and wordings, ascending (a quote
    starts at most one of each); on SQLite none."""
    if not is_postgres(conn) or count <= 0:
        return ReservedIds()
    rows = run(conn, RESERVE_IDS, {"count": count}).fetchall()
    return ReservedIds(sorted(int(row[0]) for row in rows), sorted(int(row[1]) for row in rows))


def same_wordings(
    conn: Connection, keys: Sequence[str]
) -> dict[str, list[tuple[int, int, int | None]]]:
    """Stored wordings with these text keys: per key, ``(variant id, quotation id, speaker id
    of its first quote)``, oldest first."""
    found: dict[str, list[tuple[int, int, int | None]]] = {}
    if not keys:
        return found
    for key, variant_id, quotation_id, speaker_id in run_listing(
        conn, SAME_WORDINGS, "v.text_key", keys
    ):
        found.setdefault(str(key), []).append(
            (int(variant_id), int(quotation_id), None if speaker_id is None else int(speaker_id))
        )
    return found


def _wording(row: Sequence[Any]) -> Wording:  # Any: column values
    return Wording(
        id=int(row[0]),
        quotation_id=int(row[1]),
        token_count=int(row[2]),
        shingle_count=int(row[3]),
        speaker_id=None if row[4] is None else int(row[4]),
    )


def fuzzy_candidates(
    conn: Connection, keys: Sequence[int], limit: int, min_shared: int, most: int
) -> list[Candidate]:
    """The stored wordings sharing at least ``min_shared`` of the 3-gram ``keys`` (counting
    the newest ``limit`` per key), the ``most`` that share the most (ties in the order they
    are first met, key by key, newest first)."""
    if not keys:
        return []
    if is_postgres(conn):
        rows = run(
            conn,
            FUZZY_CANDIDATES,
            {"keys": list(keys), "limit": limit, "min_shared": min_shared, "most": most},
        )
        return [
            Candidate(
                wording=_wording((row[0], row[2], row[3], row[4], row[5])),
                shared=int(row[1]),
                longest=(int(row[6]), str(row[7])),
                is_longest_read=True,
            )
            for row in rows
        ]
    shared: Counter[int] = newest_per_key(conn, NEWEST_VARIANTS, keys, limit)
    best = [variant for variant, count in shared.most_common(most) if count >= min_shared]
    if not best:
        return []
    found = [_wording(row) for row in run_listing(conn, WORDINGS, "v.id", best)]
    return [Candidate(wording=wording, shared=shared[wording.id]) for wording in found]


def longest_wording(conn: Connection, quotation_id: int) -> tuple[int, str] | None:
    """The id and text of a quotation's longest wording (the oldest of equals)."""
    row = run(conn, LONGEST_WORDING, {"quotation_id": quotation_id}).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def new_quotation(
    conn: Connection, speaker_id: int | None, wording: NewWording, ids: ReservedIds
) -> tuple[int, int]:
    """Store a new quotation of one wording (with its shingle keys); returns the quotation's
    and the wording's ids. On PostgreSQL one statement with ids from ``ids``, nothing read
    back; three in-process ones on SQLite."""
    if is_postgres(conn):
        quotation_id = ids.quotations.pop(0)
        variant_id = ids.wordings.pop(0)
        row = {"quotation_id": quotation_id, "variant_id": variant_id, "speaker_id": speaker_id}
        run(conn, ADD_QUOTATION_WORDING, {**row, **_wording_row(wording)})
        return quotation_id, variant_id
    quotation_id = insert_id(conn, QUOTATIONS, {"speaker_id": speaker_id, "size": 0})
    return quotation_id, new_wording(conn, quotation_id, wording, ids)


def new_wording(conn: Connection, quotation_id: int, wording: NewWording, ids: ReservedIds) -> int:
    """Store a new wording of a quotation with its shingle keys; returns its id. On
    PostgreSQL one statement with an id from ``ids``; two in-process ones on SQLite."""
    row = {"quotation_id": quotation_id, **_wording_row(wording)}
    if is_postgres(conn):
        variant_id = ids.wordings.pop(0)
        run(conn, ADD_WORDING, {**row, "variant_id": variant_id})
        return variant_id
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
    the quotations (one statement on PostgreSQL)."""
    grown = sorted(growth.items())
    if is_postgres(conn):
        if links or grown:
            run(
                conn,
                LINK_AND_GROW,
                {
                    "quote_ids": [link[0] for link in links],
                    "quotation_ids": [link[1] for link in links],
                    "variant_ids": [link[2] for link in links],
                    "grown_ids": [quotation_id for quotation_id, _ in grown],
                    "counts": [count for _, count in grown],
                },
            )
        return
    insert_many(conn, QUOTE_QUOTATION, QUOTE_LINK_COLUMNS, links)
    run_many(
        conn,
        GROW_QUOTATION,
        [{"id": quotation_id, "count": count} for quotation_id, count in grown],
    )
