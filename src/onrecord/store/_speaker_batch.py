"""Speaker assignment for a whole batch of quotes, in a few statements.

``assign_speaker`` asks the database once or more per rule for each quote. ``SpeakerBatch``
gives the same answers for a batch of quotes: it reads at once what the batch's names need
(the speakers their spellings belong to, and everyone sharing their surnames), applies the
rules of ``_speakers`` to that in memory, quote after quote in the order given, and writes
what changed with multi-row statements when flushed: the quotes, the new spellings, the
speakers' attributes and names. A new speaker is inserted when it appears (its id is needed);
on PostgreSQL its id is taken ahead from the sequence (one statement for the batch's names)
and the new speakers are inserted together when flushed.

Only a new name that would fold shorter variants of itself into one speaker (a merge) goes
through ``assign_speaker`` on the database: the batch writes what it holds first, and reads
again after.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import text
from sqlalchemy.sql.elements import TextClause

from onrecord.models import Speaker
from onrecord.store._connection import Connection, is_postgres
from onrecord.store._query import any_of, dialect_name, for_dialect, insert_many, run, run_many
from onrecord.store._schema import ALIAS_PINS, QUOTES, SPEAKER_ALIASES, SPEAKERS
from onrecord.store._speakers import (
    FULL,
    GIVEN_SPELLINGS,
    MONONYM,
    NAME_MATCHING_KINDS,
    _create,
    _fullness,
    _is_partial_of,
    _rename,
    _surname,
    assign_speaker,
    display_name,
    normalise_name,
    preferred_spelling,
    speaker_row,
)

# Column and PostgreSQL type of each quote value, in the order ``quote_row`` gives them.
QUOTE_COLUMNS: Final = (
    ("article_id", "TEXT"),
    ("position", "BIGINT"),
    ("start", "BIGINT"),
    ("end", "BIGINT"),
    ("text", "TEXT"),
    ("kind", "TEXT"),
    ("cue", "TEXT"),
    ("confidence", "DOUBLE PRECISION"),
    ("speaker_id", "BIGINT"),
    ("speaker_name", "TEXT"),
    ("speaker_given", "TEXT"),
    ("speaker_mention", "TEXT"),
    ("mention_start", "BIGINT"),
    ("mention_end", "BIGINT"),
    ("role", "TEXT"),
    ("org", "TEXT"),
    ("speaker_kind", "TEXT"),
    ("via", "TEXT"),
    ("extractor", "TEXT"),
)
SPEAKER_AT: Final = 8
NAME_AT: Final = 9
GIVEN_AT: Final = 10
ALIAS_COLUMNS: Final = (("alias", "TEXT"), ("name", "TEXT"), ("speaker_id", "BIGINT"))
# A spelling's speaker, as ``_speakers.FIND`` gives it, for every spelling of a list at once.
FIND_MANY_SQLITE: Final = text(
    f"SELECT k.value, (SELECT speaker_id FROM {ALIAS_PINS} WHERE alias = k.value), "
    f"(SELECT s.id FROM {SPEAKER_ALIASES} a JOIN {SPEAKERS} s ON s.id = a.speaker_id "
    "WHERE a.alias = k.value ORDER BY s.is_pinned DESC, s.id LIMIT 1) "
    "FROM json_each(:keys) k"
)
FIND_MANY_POSTGRES: Final = text(
    f"SELECT k.value, (SELECT speaker_id FROM {ALIAS_PINS} WHERE alias = k.value), "
    f"(SELECT s.id FROM {SPEAKER_ALIASES} a JOIN {SPEAKERS} s ON s.id = a.speaker_id "
    "WHERE a.alias = k.value ORDER BY s.is_pinned DESC, s.id LIMIT 1) "
    "FROM unnest(CAST(:keys AS TEXT[])) AS k(value)"
)
# PostgreSQL: ids for new speakers, taken from the sequence ahead.
RESERVE_SPEAKER_IDS: Final = text(
    f"SELECT nextval(pg_get_serial_sequence('{SPEAKERS}', 'id')) FROM generate_series(1, :count)"
)
SPEAKER_COLUMNS: Final = (
    ("id", "BIGINT"),
    ("name", "TEXT"),
    ("name_key", "TEXT"),
    ("surname", "TEXT"),
    ("fullness", "BIGINT"),
    ("kind", "TEXT"),
    ("is_pinned", "BIGINT"),
)
SET_ATTRIBUTES_SQLITE: Final = text(
    f"UPDATE {SPEAKERS} SET kind = :kind, role = :role, org = :org, attrs_seen = :attrs_seen "
    "WHERE id = :id"
)
SET_ATTRIBUTES_POSTGRES: Final = text(
    f"UPDATE {SPEAKERS} AS s SET kind = v.kind, role = v.role, org = v.org, "
    "attrs_seen = v.attrs_seen FROM unnest(CAST(:id AS BIGINT[]), CAST(:kind AS TEXT[]), "
    "CAST(:role AS TEXT[]), CAST(:org AS TEXT[]), CAST(:attrs_seen AS TEXT[])) "
    "AS v(id, kind, role, org, attrs_seen) WHERE s.id = v.id"
)


@lru_cache(maxsize=2)
def _held_rows(dialect: str) -> TextClause:
    """Speakers by id or by surname, with whether a hand edit pinned one of their spellings."""
    return text(
        "SELECT s.id, s.name, s.name_key, s.surname, s.kind, s.role, s.org, s.attrs_seen, "
        f"s.is_pinned, EXISTS (SELECT 1 FROM {ALIAS_PINS} p WHERE p.speaker_id = s.id) "
        f"FROM {SPEAKERS} s WHERE {any_of(dialect, 's.id', 'ids')} "
        f"OR {any_of(dialect, 's.surname', 'surnames')}"
    )


@dataclass
class _Held:
    """One speaker as the batch knows it: its stored row plus what the batch changed."""

    id: int
    name: str
    name_key: str
    surname: str
    kind: str
    role: str | None
    org: str | None
    attrs_seen: str
    is_pinned: bool
    is_edit_pinned: bool
    stored: tuple[str, str, str | None, str | None, str]  # name, kind, role, org, attrs_seen
    # Spellings its stored quotes give (read when first needed), and those of queued quotes.
    given: Counter[str] | None = None
    queued: Counter[str] = field(default_factory=Counter)

    def attributes(self) -> tuple[str, str | None, str | None, str]:
        return self.kind, self.role, self.org, self.attrs_seen


class SpeakerBatch:
    """Assigns the speakers of a batch's quotes and queues the quotes; ``flush`` writes them.

    Args:
        conn: A connection inside the caller's write transaction (the writer lock keeps
            what the batch read from changing under it).
        names: The speaker names the batch will assign, read in one go at the first one.
    """

    def __init__(self, conn: Connection, names: Sequence[str | None]) -> None:
        self._conn = conn
        self._keys = sorted({key for name in names if name and (key := normalise_name(name))})
        self._found: dict[str, int | None] = {}
        self._held: dict[int, _Held] = {}
        self._quotes: list[list[Any]] = []  # Any: column values
        self._aliases: dict[tuple[str, int], str] = {}
        # PostgreSQL: ids taken ahead, and new speakers not yet inserted.
        self._spare_ids: list[int] = []
        self._new_speakers: list[list[Any]] = []  # Any: column values

    def add(self, row: Sequence[Any], speaker: Speaker, seen: str) -> None:  # Any: values
        """Assign ``speaker`` and queue the quote ``row`` (values in ``QUOTE_COLUMNS``
        order; the speaker's id and name are filled in here).

        Args:
            row: The quote's values.
            speaker: The speaker the article gives.
            seen: The article's ISO published date (``""`` if unknown).
        """
        values = list(row)
        key = normalise_name(speaker.name) if speaker.name is not None else ""
        if not key:
            self._quotes.append(values)
            return
        if key not in self._found:
            self._load()
        speaker_id = self._found[key]
        if speaker_id is None:
            speaker_id = self._add_new(speaker.name or "", key, speaker.kind)
        if speaker_id is None:
            self._add_on_database(values, speaker, seen)
            return
        held = self._held[speaker_id]
        self._found[key] = speaker_id
        self._aliases.setdefault((key, speaker_id), (speaker.name or "").strip())
        self._settle_spelling(held, display_name(speaker.name or ""))
        self._take_attributes(held, speaker, seen)
        values[SPEAKER_AT], values[NAME_AT] = speaker_id, held.name
        if values[GIVEN_AT] is not None:
            held.queued[values[GIVEN_AT]] += 1
        self._quotes.append(values)

    def flush(self) -> None:
        """Write the queued quotes and spellings, and what changed of each speaker."""
        insert_many(self._conn, SPEAKERS, SPEAKER_COLUMNS, self._new_speakers)
        self._new_speakers = []
        for values in self._quotes:
            held = self._held.get(values[SPEAKER_AT]) if values[SPEAKER_AT] is not None else None
            if held is not None:
                values[NAME_AT] = held.name
        insert_many(self._conn, QUOTES, QUOTE_COLUMNS, self._quotes, is_copying=True)
        insert_many(
            self._conn,
            SPEAKER_ALIASES,
            ALIAS_COLUMNS,
            [(key, name, speaker_id) for (key, speaker_id), name in self._aliases.items()],
            is_ignoring_conflicts=True,
        )
        self._quotes, self._aliases = [], {}
        changed = [held for held in self._held.values() if held.attributes() != held.stored[1:]]
        self._set_attributes(changed)
        for held in self._held.values():
            if held.name != held.stored[0]:
                _rename(self._conn, held.id, held.name)
            held.stored = (held.name, *held.attributes())
            if held.given is not None:
                held.given.update(held.queued)
            held.queued = Counter()

    def _set_attributes(self, changed: Sequence[_Held]) -> None:
        rows = [
            {"id": h.id, "kind": h.kind, "role": h.role, "org": h.org, "attrs_seen": h.attrs_seen}
            for h in changed
        ]
        if not rows:
            return
        if dialect_name(self._conn) == "sqlite":
            run_many(self._conn, SET_ATTRIBUTES_SQLITE, rows)
            return
        run(
            self._conn,
            SET_ATTRIBUTES_POSTGRES,
            {key: [row[key] for row in rows] for key in rows[0]},
        )

    def _load(self) -> None:
        """Read the speakers of every spelling of the batch, and all who share a surname."""
        keys = [key for key in self._keys if key not in self._found]
        statement = for_dialect(self._conn, FIND_MANY_SQLITE, FIND_MANY_POSTGRES)
        ids: set[int] = set()
        for key, pinned, aliased in run(self._conn, statement, {"keys": keys}).fetchall():
            found = pinned if pinned is not None else aliased
            self._found[str(key)] = int(found) if found is not None else None
            if found is not None:
                ids.add(int(found))
        ids -= set(self._held)
        surnames = sorted({_surname(key) for key in keys})
        parameters = {"ids": sorted(ids), "surnames": surnames}
        for row in run(self._conn, _held_rows(dialect_name(self._conn)), parameters).fetchall():
            if int(row[0]) in self._held:
                continue
            role, org = row[5], row[6]
            stored = (str(row[1]), str(row[4]), role, org, str(row[7]))
            self._held[int(row[0])] = _Held(
                id=int(row[0]),
                name=stored[0],
                name_key=str(row[2]),
                surname=str(row[3]),
                kind=stored[1],
                role=role,
                org=org,
                attrs_seen=stored[4],
                is_pinned=bool(row[8]),
                is_edit_pinned=bool(row[9]),
                stored=stored,
            )

    def _people(self, surname: str) -> list[_Held]:
        """People (and speakers of unknown kind) with this surname, oldest first."""
        return sorted(
            (
                held
                for held in self._held.values()
                if held.surname == surname and held.kind in NAME_MATCHING_KINDS
            ),
            key=lambda held: held.id,
        )

    def _add_new(self, name: str, key: str, kind: str) -> int | None:
        """The speaker for a spelling no speaker has yet: the one person whose fuller name it
        is part of, or a new speaker; ``None`` when a new speaker would take in others."""
        is_matching = kind in NAME_MATCHING_KINDS
        people = self._people(_surname(key)) if is_matching else []
        if is_matching and _fullness(key) != FULL:
            fuller = [held.id for held in people if _is_partial_of(key, held.name_key)]
            if len(fuller) == 1:
                return fuller[0]
        if (
            is_matching
            and _fullness(key) > MONONYM
            and any(_is_partial_of(held.name_key, key) for held in people)
        ):
            return None
        shown = display_name(name)
        speaker_id = self._create(shown, key, kind)
        stored = (shown, kind, None, None, "")
        self._held[speaker_id] = _Held(
            id=speaker_id,
            name=shown,
            name_key=key,
            surname=_surname(key),
            kind=kind,
            role=None,
            org=None,
            attrs_seen="",
            is_pinned=False,
            is_edit_pinned=False,
            stored=stored,
            given=Counter(),
        )
        return speaker_id

    def _create(self, name: str, key: str, kind: str) -> int:
        """A new speaker's id: inserted now on SQLite; on PostgreSQL taken ahead and
        inserted by ``flush``."""
        if not is_postgres(self._conn):
            return _create(self._conn, name, key, kind, pinned=False)
        if not self._spare_ids:
            count = max(len(self._keys), 1)
            rows = run(self._conn, RESERVE_SPEAKER_IDS, {"count": count}).fetchall()
            self._spare_ids = sorted(int(row[0]) for row in rows)
        speaker_id = self._spare_ids.pop(0)
        row = speaker_row(name, key, kind, pinned=False)
        self._new_speakers.append([speaker_id, *(row[column] for column, _ in SPEAKER_COLUMNS[1:])])
        return speaker_id

    def _add_on_database(self, values: list[Any], speaker: Speaker, seen: str) -> None:
        """Assign with ``assign_speaker`` (it merges speakers), store the quote, read again."""
        self.flush()
        self._found, self._held = {}, {}
        assigned = assign_speaker(
            self._conn,
            speaker.name,
            kind=speaker.kind,
            role=speaker.role,
            org=speaker.org,
            seen=seen,
        )
        if assigned is not None:
            values[SPEAKER_AT], values[NAME_AT] = assigned
        self._quotes.append(values)
        self.flush()

    def _given(self, held: _Held) -> Counter[str]:
        """Spellings the speaker's quotes give, stored and queued, with their counts."""
        if held.given is None:
            rows = run(self._conn, GIVEN_SPELLINGS, {"id": held.id}).fetchall()
            held.given = Counter({str(spelling): int(count) for spelling, count in rows})
        return held.given + held.queued

    def _settle_spelling(self, held: _Held, given: str) -> None:
        """``_speakers._settle_spelling`` on the held speaker."""
        if given == held.name or held.is_pinned or normalise_name(given) != held.name_key:
            return
        if held.is_edit_pinned:
            return
        held.name = preferred_spelling(held.name, held.name_key, given, self._given(held).items())

    def _take_attributes(self, held: _Held, speaker: Speaker, seen: str) -> None:
        """``_speakers._update_attributes`` on the held speaker."""
        role = speaker.role.strip() if speaker.role else None
        org = speaker.org.strip() if speaker.org else None
        is_later = seen >= held.attrs_seen
        if held.kind == "unknown":
            held.kind = speaker.kind
        new_role = role if role is not None and (held.role is None or is_later) else held.role
        new_org = org if org is not None and (held.org is None or is_later) else held.org
        if (role is not None or org is not None) and seen > held.attrs_seen:
            held.attrs_seen = seen
        held.role, held.org = new_role, new_org


def quote_row(article_id: str, position: int, values: Mapping[str, Any]) -> list[Any]:
    """A quote's values in ``QUOTE_COLUMNS`` order (``values`` names all but the first two)."""
    return [article_id, position, *(values[key] for key, _ in QUOTE_COLUMNS[2:])]
