"""Speaker identity across the corpus: one canonical speaker per person, variants as aliases.

Rules, in the order they are tried for an incoming name (people and unknown kinds; bodies
such as organisations only ever match on the exact normalised name):

1. The normalised name (case, diacritics, punctuation, whitespace and leading honorifics such
   as "Mr" or "Dr" removed) is a known alias -> that speaker.
2. A surname alone ("Kroll") -> the one speaker with a longer name ending in that surname;
   none or several -> a speaker of its own.
3. Initials and surname ("A. Kroll") -> the one speaker with that surname whose first name
   starts with that initial; none or several -> a speaker of its own.
4. Otherwise a new speaker. When the new name is fuller than existing variants ("Ana Kroll"
   after "A. Kroll" or "Kroll") and no other speaker with that surname could claim them,
   those variants are merged into one speaker that takes the fuller name.

The canonical spelling of a speaker's name among spellings that differ only in case,
diacritics or punctuation ("Exit polls", "exit polls") does not depend on the order articles
arrive in: the spelling most quotes give wins, then the one with more words in proper case
("Exit", not "exit" or "EXIT"), then the first in code-point order.

Pinned identities from an alias file override all of this: their canonical name never
changes and their aliases always resolve to them. Hand edits (``Store.merge_speakers``,
``Store.split_speaker``) pin spellings harder still: a spelling in the alias pin table goes to
its speaker before any rule above is tried, and the alias file no longer moves it.
"""

from __future__ import annotations

import logging
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final

from sqlalchemy import text

from onrecord.errors import ConfigError
from onrecord.store._connection import Connection
from onrecord.store._query import run
from onrecord.store._schema import ALIAS_PINS, QUOTES, SPEAKER_ALIASES, SPEAKERS
from onrecord.store._writes import insert_id

log = logging.getLogger(__name__)

HONORIFICS: Final = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame",
        "rev", "revd", "reverend", "fr", "hon", "herr", "frau", "mme", "mlle",
    }
)  # fmt: skip
# Bodies have no surnames or initials; only their exact normalised name identifies them.
NAME_MATCHING_KINDS: Final = frozenset({"person", "unknown"})
MONONYM: Final = 0
INITIALS: Final = 1
FULL: Final = 2
KEEP_IN_NAMES: Final = frozenset("'-")
APOSTROPHES: Final = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})

# The same statement on both databases: a spelling the speaker has already is kept as it is.
ADD_ALIAS: Final = text(
    f"INSERT INTO {SPEAKER_ALIASES} (alias, name, speaker_id) "
    "VALUES (:alias, :name, :speaker_id) ON CONFLICT DO NOTHING"
)
IDS_FOR_ALIAS: Final = text(
    f"SELECT DISTINCT s.id, s.is_pinned FROM {SPEAKER_ALIASES} a "
    f"JOIN {SPEAKERS} s ON s.id = a.speaker_id "
    "WHERE a.alias = :alias ORDER BY s.is_pinned DESC, s.id"
)
NAME_KEYS_LIKE: Final = text(
    f"SELECT id, name_key FROM {SPEAKERS} WHERE name_key LIKE :pattern ESCAPE '\\' ORDER BY id"
)
SURNAME_CANDIDATES: Final = text(
    f"SELECT id, name_key, fullness FROM {SPEAKERS} "
    "WHERE surname = :surname AND kind IN ('person', 'unknown') ORDER BY id"
)
PINNED_SPEAKER: Final = text(f"SELECT speaker_id FROM {ALIAS_PINS} WHERE alias = :alias")
# A hand edit's pin first, then the spelling's own speaker (pinned ones first): one
# statement, as each is one round trip to a PostgreSQL server.
FIND: Final = text(
    f"SELECT (SELECT speaker_id FROM {ALIAS_PINS} WHERE alias = :key), "
    f"(SELECT s.id FROM {SPEAKER_ALIASES} a JOIN {SPEAKERS} s ON s.id = a.speaker_id "
    "WHERE a.alias = :key ORDER BY s.is_pinned DESC, s.id LIMIT 1)"
)
# The WHERE clause also keeps SQLite from reading ON CONFLICT as part of the SELECT.
MOVE_ALIASES: Final = text(
    f"INSERT INTO {SPEAKER_ALIASES} (alias, name, speaker_id) "
    f"SELECT alias, name, :keep FROM {SPEAKER_ALIASES} WHERE speaker_id = :drop "
    "ON CONFLICT DO NOTHING"
)
MOVE_QUOTES: Final = text(
    f"UPDATE {QUOTES} SET speaker_id = :keep, "
    f"speaker_name = (SELECT name FROM {SPEAKERS} WHERE id = :keep) WHERE speaker_id = :drop"
)
TAKE_ATTRIBUTES: Final = text(
    f"UPDATE {SPEAKERS} SET "
    f"role = COALESCE(role, (SELECT role FROM {SPEAKERS} d WHERE d.id = :drop)), "
    f"org = COALESCE(org, (SELECT org FROM {SPEAKERS} d WHERE d.id = :drop)), "
    "kind = CASE WHEN kind = 'unknown' "
    f"THEN (SELECT kind FROM {SPEAKERS} d WHERE d.id = :drop) ELSE kind END "
    "WHERE id = :keep"
)
DELETE_SPEAKER: Final = text(f"DELETE FROM {SPEAKERS} WHERE id = :id")
# name is NOT NULL and the new name a string, so <> is SQLite's IS NOT here.
RENAME: Final = text(
    f"UPDATE {SPEAKERS} SET name = :name, name_key = :key, surname = :surname, "
    "fullness = :fullness WHERE id = :id AND name <> :name"
)
IS_EDIT_PINNED: Final = text(f"SELECT 1 FROM {ALIAS_PINS} WHERE speaker_id = :id LIMIT 1")
KEY_OF: Final = text(f"SELECT name_key FROM {SPEAKERS} WHERE id = :id")
IS_PINNED: Final = text(f"SELECT is_pinned FROM {SPEAKERS} WHERE id = :id")
SPELLING_OF: Final = text(f"SELECT name, name_key, is_pinned FROM {SPEAKERS} WHERE id = :id")
GIVEN_SPELLINGS: Final = text(
    f"SELECT speaker_given, COUNT(*) FROM {QUOTES} WHERE speaker_id = :id "
    "AND speaker_given IS NOT NULL GROUP BY speaker_given"
)
# The casts type the parameters for PostgreSQL, which cannot tell what a NULL is.
UPDATE_ATTRIBUTES: Final = text(
    f"UPDATE {SPEAKERS} SET "
    "kind = CASE WHEN kind = 'unknown' THEN CAST(:kind AS TEXT) ELSE kind END, "
    "role = CASE WHEN CAST(:role AS TEXT) IS NOT NULL "
    "AND (role IS NULL OR CAST(:seen AS TEXT) >= attrs_seen) THEN :role ELSE role END, "
    "org = CASE WHEN CAST(:org AS TEXT) IS NOT NULL "
    "AND (org IS NULL OR CAST(:seen AS TEXT) >= attrs_seen) THEN :org ELSE org END, "
    "attrs_seen = CASE WHEN (CAST(:role AS TEXT) IS NOT NULL "
    "OR CAST(:org AS TEXT) IS NOT NULL) AND CAST(:seen AS TEXT) > attrs_seen "
    "THEN :seen ELSE attrs_seen END "
    "WHERE id = :id RETURNING name"
)
PIN_SPEAKER: Final = text(f"UPDATE {SPEAKERS} SET is_pinned = 1 WHERE id = :id")


def normalise_name(name: str) -> str:
    """Reduce a name to the key used to compare spellings.

    Args:
        name: A name as written, e.g. ``"Dr. Ana Króll"``.

    Returns:
        Lower-case words without diacritics, punctuation (apostrophes and hyphens kept) or
        leading honorifics, joined by single spaces, e.g. ``"ana kroll"``; ``""`` for a name
        with no letters or digits.
    """
    decomposed = unicodedata.normalize("NFKD", name.translate(APOSTROPHES))
    chars = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        if char.isalnum() or char in KEEP_IN_NAMES:
            chars.append(char)
        else:
            chars.append(" ")
    words = [word.strip("'-") for word in "".join(chars).casefold().split()]
    words = [word for word in words if word]
    while len(words) > 1 and words[0] in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def slugify(name: str) -> str:
    """The URL form of a name: its normalised words joined by hyphens ("ana-kroll")."""
    return "-".join(normalise_name(name).split())


def display_name(name: str) -> str:
    """The name as written minus leading honorifics and extra spaces: "Dr.  Ana" -> "Ana"."""
    words = name.split()
    while len(words) > 1 and words[0].strip(".").casefold() in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def _fullness(key: str) -> int:
    words = key.split()
    if len(words) == 1:
        return MONONYM
    if all(len(word) == 1 for word in words[:-1]):
        return INITIALS
    return FULL


def _surname(key: str) -> str:
    return key.split()[-1] if key else ""


def _is_partial_of(partial_key: str, fuller_key: str) -> bool:
    """Whether ``partial_key`` ("kroll", "a kroll") can be a shorter form of ``fuller_key``."""
    partial, fuller = partial_key.split(), fuller_key.split()
    if not partial or not fuller or partial[-1] != fuller[-1]:
        return False
    if _fullness(partial_key) >= _fullness(fuller_key):
        return False
    if len(partial) == 1:
        return True
    return len(fuller) >= 2 and partial[0][0] == fuller[0][0]


def load_aliases(path: str | Path) -> dict[str, list[str]]:
    """Read an alias file that pins identities.

    The file is TOML with one ``[aliases]`` table mapping each canonical name to its
    variants::

        [aliases]
        "Ana Kroll" = ["A. Kroll", "Anna Kroll"]

    Args:
        path: Path of the TOML file.

    Returns:
        Canonical name -> list of variant spellings.

    Raises:
        ConfigError: The file is missing, is not TOML, or does not have that shape.
    """
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"[{ConfigError.code}] cannot read alias file {file}: {exc.strerror}. "
            "Check the path passed as the alias file."
        ) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"[{ConfigError.code}] alias file {file} is not valid TOML: {exc}. "
            'Write it as [aliases] followed by lines like "Ana Kroll" = ["A. Kroll"].'
        ) from exc
    table = data.get("aliases")
    if not isinstance(table, dict):
        raise ConfigError(
            f"[{ConfigError.code}] alias file {file} has no [aliases] table. "
            'Write it as [aliases] followed by lines like "Ana Kroll" = ["A. Kroll"].'
        )
    aliases: dict[str, list[str]] = {}
    for canonical, variants in table.items():
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            raise ConfigError(
                f"[{ConfigError.code}] alias file {file}: the value for {canonical!r} must be "
                'a list of names, e.g. "Ana Kroll" = ["A. Kroll"].'
            )
        aliases[canonical] = list(variants)
    check_aliases(aliases)
    return aliases


def check_aliases(aliases: Mapping[str, Sequence[str]]) -> None:
    """Refuse pinned identities that contradict each other.

    Raises:
        ConfigError: A name has no letters, or one spelling is pinned to two people.
    """
    owner: dict[str, str] = {}
    for canonical, variants in aliases.items():
        for name in (canonical, *variants):
            key = normalise_name(name)
            if not key:
                raise ConfigError(
                    f"[{ConfigError.code}] alias {name!r} (for {canonical!r}) has no letters. "
                    "Remove it from the alias file."
                )
            if owner.setdefault(key, canonical) != canonical:
                raise ConfigError(
                    f"[{ConfigError.code}] alias {name!r} is pinned to both "
                    f"{owner[key]!r} and {canonical!r}. Keep it under one name only."
                )


def speaker_row(name: str, key: str, kind: str, *, pinned: bool) -> dict[str, object]:
    """The columns of a new speaker's row (all but its id)."""
    return {
        "name": name,
        "name_key": key,
        "surname": _surname(key),
        "fullness": _fullness(key),
        "kind": kind,
        "is_pinned": int(pinned),
    }


def _create(conn: Connection, name: str, key: str, kind: str, *, pinned: bool) -> int:
    return insert_id(conn, SPEAKERS, speaker_row(name, key, kind, pinned=pinned))


def create_pinned(conn: Connection, name: str, kind: str) -> int:
    """Create a pinned speaker called ``name`` (a hand edit's result); returns its id."""
    return _create(conn, name, normalise_name(name), kind, pinned=True)


def _add_alias(conn: Connection, speaker_id: int, key: str, name: str) -> None:
    run(conn, ADD_ALIAS, {"alias": key, "name": name, "speaker_id": speaker_id})


def ids_for_alias(conn: Connection, name: str) -> list[int]:
    """Speakers known by ``name`` in any spelling variant, pinned ones first."""
    key = normalise_name(name)
    if not key:
        return []
    rows = run(conn, IDS_FOR_ALIAS, {"alias": key}).fetchall()
    return [int(row[0]) for row in rows]


def ids_for_slug(conn: Connection, slug: str) -> list[int]:
    """Speakers whose canonical name has this slug (see ``slugify``)."""
    wanted = slug.strip().casefold()
    if not wanted:
        return []
    # In LIKE, "_" matches the space or hyphen that a slug's "-" stands for.
    pattern = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = run(conn, NAME_KEYS_LIKE, {"pattern": pattern.replace("-", "_")}).fetchall()
    return [int(row[0]) for row in rows if "-".join(str(row[1]).split()) == wanted]


def _surname_candidates(conn: Connection, key: str) -> list[tuple[int, str, int]]:
    """People sharing ``key``'s surname: ``(id, name_key, fullness)`` tuples."""
    rows = run(conn, SURNAME_CANDIDATES, {"surname": _surname(key)}).fetchall()
    return [(int(row[0]), str(row[1]), int(row[2])) for row in rows]


def pinned_speaker(conn: Connection, key: str) -> int | None:
    """The speaker a hand edit pinned the normalised spelling ``key`` to, if any."""
    row = run(conn, PINNED_SPEAKER, {"alias": key}).fetchone()
    return int(row[0]) if row is not None else None


def _find(conn: Connection, key: str, kind: str) -> int | None:
    row = run(conn, FIND, {"key": key}).fetchone()
    if row[0] is not None or row[1] is not None:
        return int(row[0] if row[0] is not None else row[1])
    if kind not in NAME_MATCHING_KINDS:
        return None
    fuller = ids_for_partial_name(conn, key)
    return fuller[0] if fuller else None


def ids_for_partial_name(conn: Connection, name: str) -> list[int]:
    """The one person whose fuller name ``name`` is part of ("Kroll", "A. Kroll"), if unique."""
    key = normalise_name(name)
    if not key or _fullness(key) == FULL:
        return []
    fuller = [
        speaker_id
        for speaker_id, other_key, _ in _surname_candidates(conn, key)
        if _is_partial_of(key, other_key)
    ]
    return fuller if len(fuller) == 1 else []


def merge_speakers(conn: Connection, keep: int, drop: int, name: str | None) -> None:
    """Fold speaker ``drop`` into ``keep``: aliases, quotes and missing attributes move over.

    Args:
        conn: Open connection, inside the caller's transaction.
        keep: Speaker that survives.
        drop: Speaker that is deleted.
        name: New canonical name for ``keep``, or ``None`` to leave it.
    """
    if keep == drop:
        return
    pair = {"keep": keep, "drop": drop}
    run(conn, MOVE_ALIASES, pair)
    run(conn, MOVE_QUOTES, pair)
    run(conn, TAKE_ATTRIBUTES, pair)
    run(conn, DELETE_SPEAKER, {"id": drop})
    if name is not None:
        _rename(conn, keep, name)
    log.debug("merged speaker %s into %s", drop, keep)


def _rename(conn: Connection, speaker_id: int, name: str) -> None:
    key = normalise_name(name)
    run(
        conn,
        RENAME,
        {
            "name": name,
            "key": key,
            "surname": _surname(key),
            "fullness": _fullness(key),
            "id": speaker_id,
        },
    )


def _absorb_partials(conn: Connection, speaker_id: int, name: str, key: str) -> int:
    """Merge shorter variants of ``key`` into one speaker named ``name``; returns its id."""
    candidates = _surname_candidates(conn, key)
    partials = [
        sid for sid, other, _ in candidates if sid != speaker_id and _is_partial_of(other, key)
    ]
    if not partials:
        return speaker_id
    # Another speaker the shorter variant could also stand for ("Kroll" when "B. Kroll"
    # exists too) makes it ambiguous, and it stays apart.
    rivals = [sid for sid, _, _ in candidates if sid != speaker_id and sid not in partials]
    # A speaker made by a hand edit keeps its spellings: it is never folded into another.
    mergeable = [
        sid
        for sid in partials
        if not any(_is_partial_of(_key_of(conn, sid), _key_of(conn, rival)) for rival in rivals)
        and not _is_edit_pinned(conn, sid)
    ]
    if not mergeable:
        return speaker_id
    pinned = _pinned(conn, [speaker_id, *mergeable])
    if len(pinned) > 1:
        return speaker_id
    keep = pinned[0] if pinned else min([speaker_id, *mergeable])
    for sid in sorted({speaker_id, *mergeable} - {keep}):
        merge_speakers(conn, keep, sid, None)
    if not pinned:
        _rename(conn, keep, name)
    return keep


def _is_edit_pinned(conn: Connection, speaker_id: int) -> bool:
    row = run(conn, IS_EDIT_PINNED, {"id": speaker_id}).fetchone()
    return row is not None


def _key_of(conn: Connection, speaker_id: int) -> str:
    row = run(conn, KEY_OF, {"id": speaker_id}).fetchone()
    return str(row[0]) if row else ""


def _pinned(conn: Connection, ids: Iterable[int]) -> list[int]:
    found = []
    for speaker_id in ids:
        row = run(conn, IS_PINNED, {"id": speaker_id}).fetchone()
        if row and row[0]:
            found.append(speaker_id)
    return found


def assign_speaker(
    conn: Connection,
    name: str | None,
    *,
    kind: str = "unknown",
    role: str | None = None,
    org: str | None = None,
    seen: str = "",
) -> tuple[int, str] | None:
    """Find or create the corpus speaker for a name found in one article.

    Args:
        conn: Open connection, inside the caller's transaction.
        name: The resolved speaker name, or ``None``.
        kind: Speaker kind from the article.
        role: Role given in the article, if any.
        org: Organisation given in the article, if any.
        seen: The article's ISO published date (``""`` if unknown); role and org are taken
            from the latest article that gives them.

    Returns:
        ``(speaker id, canonical name)``, or ``None`` when there is no usable name.
    """
    if name is None:
        return None
    key = normalise_name(name)
    if not key:
        return None
    speaker_id = _find(conn, key, kind)
    if speaker_id is None:
        speaker_id = _create(conn, display_name(name), key, kind, pinned=False)
        if kind in NAME_MATCHING_KINDS and _fullness(key) > MONONYM:
            speaker_id = _absorb_partials(conn, speaker_id, display_name(name), key)
    _add_alias(conn, speaker_id, key, name.strip())
    _settle_spelling(conn, speaker_id, display_name(name))
    return speaker_id, _update_attributes(
        conn, speaker_id, kind=kind, role=role, org=org, seen=seen
    )


def _settle_spelling(conn: Connection, speaker_id: int, given: str) -> None:
    row = run(conn, SPELLING_OF, {"id": speaker_id}).fetchone()
    current, key = str(row[0]), str(row[1])
    if given == current or bool(row[2]) or normalise_name(given) != key:
        return
    if _is_edit_pinned(conn, speaker_id):
        return
    rows = run(conn, GIVEN_SPELLINGS, {"id": speaker_id}).fetchall()
    best = preferred_spelling(current, key, given, ((str(s), int(n)) for s, n in rows))
    if best != current:
        _rename(conn, speaker_id, best)


def preferred_spelling(
    current: str, key: str, given: str, spellings: Iterable[tuple[str, int]]
) -> str:
    """The speaker's name as its quotes spell it most often (``given`` counted once more),
    proper case first on a tie; spellings of another name key do not count."""
    counts: Counter[str] = Counter({given: 1, current: 0})
    for spelling, count in spellings:
        shown = display_name(spelling)
        if normalise_name(shown) == key:
            counts[shown] += count
    return min(counts, key=lambda name: (-counts[name], -_proper_case_words(name), name))


def _proper_case_words(name: str) -> int:
    # "Exit" and "Kroll" count; "exit", "KROLL" and "kROLL" do not.
    return sum(1 for word in name.split() if word[:1].isupper() and word[1:] == word[1:].lower())


def _update_attributes(
    conn: Connection,
    speaker_id: int,
    *,
    kind: str,
    role: str | None,
    org: str | None,
    seen: str,
) -> str:
    """Take the kind, role and organisation an article gives; returns the canonical name."""
    role = role.strip() if role else None
    org = org.strip() if org else None
    parameters = {"kind": kind, "role": role, "org": org, "seen": seen, "id": speaker_id}
    row = run(conn, UPDATE_ATTRIBUTES, parameters).fetchone()
    return str(row[0])


def pin_aliases(conn: Connection, aliases: Mapping[str, Sequence[str]]) -> None:
    """Make each canonical name one pinned speaker owning all its variants.

    Speakers already stored under any of the variants are merged into it. Spellings pinned by
    a hand edit (see ``pinned_speaker``) are left where the edit put them, and a canonical name
    that an edit pinned leaves its whole entry to the edit.

    Args:
        conn: Open connection, inside the caller's transaction.
        aliases: Canonical name -> variant spellings, as from ``load_aliases``.

    Raises:
        ConfigError: The aliases contradict each other.
    """
    check_aliases(aliases)
    for canonical, variants in aliases.items():
        if pinned_speaker(conn, normalise_name(canonical)) is not None:
            continue
        names = [canonical.strip(), *(variant.strip() for variant in variants)]
        names = [name for name in names if pinned_speaker(conn, normalise_name(name)) is None]
        ids = sorted({sid for name in names for sid in ids_for_alias(conn, name)})
        if ids:
            keep = ids[0]
            for drop in ids[1:]:
                merge_speakers(conn, keep, drop, None)
            _rename(conn, keep, canonical.strip())
            run(conn, PIN_SPEAKER, {"id": keep})
        else:
            key = normalise_name(canonical)
            keep = _create(conn, canonical.strip(), key, "person", pinned=True)
        for name in names:
            _add_alias(conn, keep, normalise_name(name), name)
        log.debug("pinned speaker %r with %d variants", canonical, len(variants))
