"""Table names, schema version and the append-only list of named migrations.

A migration is a name plus the SQL statements it runs; the store runs each one in its own
transaction and records its name in ``_migrations``. A step that has shipped is never edited:
a change to the schema is a new step appended to ``MIGRATIONS``. ``SCHEMA_VERSION`` (stored
as SQLite's ``user_version``) is the number of steps, so a file written by a newer onrecord
is recognised and refused instead of being misread.
"""

from __future__ import annotations

from typing import Final, NamedTuple

ARTICLES: Final = "articles"
OUTLETS: Final = "outlets"
SPEAKERS: Final = "speakers"
SPEAKER_ALIASES: Final = "speaker_aliases"
QUOTES: Final = "quotes"
QUOTES_FTS: Final = "quotes_fts"
MIGRATIONS_TABLE: Final = "_migrations"


class Migration(NamedTuple):
    """One named schema step: the statements run together in one transaction."""

    name: str
    statements: tuple[str, ...]


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(
        "0001_initial_tables",
        (
            f"""
            CREATE TABLE {OUTLETS} (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE
            )
            """,
            f"""
            CREATE TABLE {ARTICLES} (
                id TEXT PRIMARY KEY,
                source TEXT NOT NULL,
                url TEXT,
                title TEXT,
                text TEXT NOT NULL,
                published TEXT,
                published_inferred INTEGER NOT NULL DEFAULT 0
                    CHECK (published_inferred IN (0, 1)),
                updated TEXT,
                outlet_id INTEGER REFERENCES {OUTLETS}(id),
                authors TEXT NOT NULL DEFAULT '[]',
                language TEXT,
                removed TEXT NOT NULL DEFAULT '[]',
                blocks TEXT NOT NULL DEFAULT '[]',
                ingested_at TEXT NOT NULL
            )
            """,
            f"CREATE INDEX {ARTICLES}_published ON {ARTICLES}(published)",
            f"CREATE INDEX {ARTICLES}_outlet ON {ARTICLES}(outlet_id)",
            # name_key is the normalised canonical name; surname and fullness (0 mononym,
            # 1 initials + surname, 2 full name) drive the merging of name variants.
            f"""
            CREATE TABLE {SPEAKERS} (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                name_key TEXT NOT NULL,
                surname TEXT NOT NULL,
                fullness INTEGER NOT NULL,
                kind TEXT NOT NULL DEFAULT 'unknown',
                role TEXT,
                org TEXT,
                attrs_seen TEXT NOT NULL DEFAULT '',
                is_pinned INTEGER NOT NULL DEFAULT 0 CHECK (is_pinned IN (0, 1))
            )
            """,
            f"CREATE INDEX {SPEAKERS}_surname ON {SPEAKERS}(surname)",
            f"""
            CREATE TABLE {SPEAKER_ALIASES} (
                alias TEXT NOT NULL,
                name TEXT NOT NULL,
                speaker_id INTEGER NOT NULL REFERENCES {SPEAKERS}(id) ON DELETE CASCADE,
                UNIQUE (alias, speaker_id)
            )
            """,
            f"CREATE INDEX {SPEAKER_ALIASES}_speaker ON {SPEAKER_ALIASES}(speaker_id)",
            # speaker_name mirrors speakers.name so that the full-text index can cover it;
            # speaker_given keeps the name exactly as the article resolved it.
            f"""
            CREATE TABLE {QUOTES} (
                id INTEGER PRIMARY KEY,
                article_id TEXT NOT NULL REFERENCES {ARTICLES}(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                start INTEGER NOT NULL CHECK (start >= 0),
                "end" INTEGER NOT NULL CHECK ("end" >= start),
                text TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect', 'mixed')),
                cue TEXT,
                confidence REAL NOT NULL,
                speaker_id INTEGER REFERENCES {SPEAKERS}(id) ON DELETE SET NULL,
                speaker_name TEXT,
                speaker_given TEXT,
                speaker_mention TEXT,
                mention_start INTEGER,
                mention_end INTEGER,
                role TEXT,
                org TEXT,
                speaker_kind TEXT NOT NULL DEFAULT 'unknown',
                via TEXT NOT NULL DEFAULT '[]',
                extractor TEXT NOT NULL DEFAULT '',
                UNIQUE (article_id, position)
            )
            """,
            f"CREATE INDEX {QUOTES}_speaker ON {QUOTES}(speaker_id)",
            f"CREATE INDEX {QUOTES}_kind ON {QUOTES}(kind)",
        ),
    ),
    Migration(
        "0002_quotes_fts",
        (
            # External content: the index holds no copy of the text, quotes does.
            f"""
            CREATE VIRTUAL TABLE {QUOTES_FTS} USING fts5(
                text, speaker_name,
                content='{QUOTES}', content_rowid='id',
                tokenize='porter unicode61 remove_diacritics 2'
            )
            """,
            f"""
            CREATE TRIGGER {QUOTES_FTS}_ai AFTER INSERT ON {QUOTES} BEGIN
                INSERT INTO {QUOTES_FTS}(rowid, text, speaker_name)
                VALUES (new.id, new.text, new.speaker_name);
            END
            """,
            f"""
            CREATE TRIGGER {QUOTES_FTS}_ad AFTER DELETE ON {QUOTES} BEGIN
                INSERT INTO {QUOTES_FTS}({QUOTES_FTS}, rowid, text, speaker_name)
                VALUES ('delete', old.id, old.text, old.speaker_name);
            END
            """,
            f"""
            CREATE TRIGGER {QUOTES_FTS}_au AFTER UPDATE OF text, speaker_name ON {QUOTES} BEGIN
                INSERT INTO {QUOTES_FTS}({QUOTES_FTS}, rowid, text, speaker_name)
                VALUES ('delete', old.id, old.text, old.speaker_name);
                INSERT INTO {QUOTES_FTS}(rowid, text, speaker_name)
                VALUES (new.id, new.text, new.speaker_name);
            END
            """,
            # A renamed speaker (a fuller name arrived) renames every quote row, which in
            # turn re-indexes them through the trigger above.
            f"""
            CREATE TRIGGER {SPEAKERS}_name_au AFTER UPDATE OF name ON {SPEAKERS} BEGIN
                UPDATE {QUOTES} SET speaker_name = new.name WHERE speaker_id = new.id;
            END
            """,
        ),
    ),
)

SCHEMA_VERSION: Final = len(MIGRATIONS)
