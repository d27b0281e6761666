"""The statements that keep the quotation tables: wording lookups, new quotations, merges.

Input: what ``onrecord.derive`` decides while it attaches a batch's quotes (which quotation a
quote joins, which quotations merge). Output: rows of ``quotations``, ``quote_variants``,
``quote_quotation`` and ``quote_shingles``, read back by ``_story_queries``.

What ``onrecord.derive`` reads for a batch it reads in few statements: the wordings with
the batch's text keys, the newest wordings under each of its 3-gram keys
(``newest_wordings``), those wordings and their quotations' longest ones. On PostgreSQL,
where a round trip costs more than the work, a batch's new quotations and wordings get their
ids from the sequences ahead, in one statement (``reserve_ids``), so that storing one waits
for no answer. ``fuzzy_candidates`` is one quote's lookup, statement by statement, against
which the batch's answers are checked (tests/stories/test_batch_shingles.py).
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
# PostgreSQL: per 3-gram key, the newest ``limit`` wordings, for many keys in one statement.
NEWEST_BY_KEY: Final = text(
    "SELECT wanted.key, found.variant_id FROM unnest(CAST(:keys AS BIGINT[])) AS wanted(key) "
    f"CROSS JOIN LATERAL (SELECT variant_id FROM {QUOTE_SHINGLES} s WHERE s.key = wanted.key "
    "ORDER BY variant_id DESC LIMIT :limit) AS found"
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
# Each quotation's longest wording, the oldest of equals.
LONGEST_WORDINGS: Final = (
    "SELECT quotation_id, token_count, id, text FROM (SELECT quotation_id, token_count, id, "
    "text, ROW_NUMBER() OVER (PARTITION BY quotation_id ORDER BY token_count DESC, id) AS n "
    f"FROM {QUOTE_VARIANTS} WHERE {{}}) AS ranked WHERE n = 1"
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
    """A stored wording that shares ``shared`` 3-gram keys with a new quote."""

    wording: Wording
    shared: int


@dataclass(frozen=True, slots=True)
class Longest:
    """A quotation's longest wording (the oldest of equals): its size in words, id, text."""

    token_count: int
    id: int
    text: str


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


def newest_wordings(conn: Connection, keys: Sequence[int], limit: int) -> dict[int, list[int]]:
    """Per 3-gram key, the ids of the newest ``limit`` stored wordings with it, newest first
    (one statement on PostgreSQL, one per key in-process on SQLite)."""
    found: dict[int, list[int]] = {key: [] for key in keys}
    if not keys:
        return found
    if is_postgres(conn):
        for key, variant_id in run(conn, NEWEST_BY_KEY, {"keys": list(keys), "limit": limit}):
            found[int(key)].append(int(variant_id))
        for ids in found.values():
            ids.sort(reverse=True)
        return found
    for key in keys:
        rows = run(conn, NEWEST_VARIANTS[0], {"key": key, "limit": limit})
        found[key] = [int(row[0]) for row in rows]
    return found


def wordings(conn: Connection, variant_ids: Sequence[int]) -> dict[int, Wording]:
    """The stored wordings with these ids, by id."""
    if not variant_ids:
        return {}
    rows = run_listing(conn, WORDINGS, "v.id", variant_ids)
    return {wording.id: wording for wording in map(_wording, rows)}


def longest_wordings(conn: Connection, quotation_ids: Sequence[int]) -> dict[int, Longest]:
    """The longest wording (the oldest of equals) of each of these quotations."""
    if not quotation_ids:
        return {}
    rows = run_listing(conn, LONGEST_WORDINGS, "quotation_id", quotation_ids)
    return {int(row[0]): Longest(int(row[1]), int(row[2]), str(row[3])) for row in rows}


def fuzzy_candidates(
    conn: Connection, keys: Sequence[int], limit: int, min_shared: int, most: int
) -> list[Candidate]:
    """The stored wordings sharing at least ``min_shared`` of the 3-gram ``keys`` (counting
    the newest ``limit`` per key), the ``most`` that share the most, ties in the order they
    are first met key by key, newest first: the lookup of one quote, statement by statement,
    that ``onrecord.derive`` answers for a whole batch from one read."""
    shared: Counter[int] = newest_per_key(conn, NEWEST_VARIANTS, keys, limit)
    best = [variant for variant, count in shared.most_common(most) if count >= min_shared]
    found = wordings(conn, best)
    return [Candidate(wording=found[variant], shared=shared[variant]) for variant in best]


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
