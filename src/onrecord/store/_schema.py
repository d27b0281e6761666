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
ARTICLE_NOTES: Final = "article_notes"
OUTLETS: Final = "outlets"
SPEAKERS: Final = "speakers"
SPEAKER_ALIASES: Final = "speaker_aliases"
QUOTES: Final = "quotes"
QUOTES_FTS: Final = "quotes_fts"
MIGRATIONS_TABLE: Final = "_migrations"
QUOTATIONS: Final = "quotations"
QUOTE_VARIANTS: Final = "quote_variants"
QUOTE_QUOTATION: Final = "quote_quotation"
QUOTE_SHINGLES: Final = "quote_shingles"
STORIES: Final = "stories"
ARTICLE_STORY: Final = "article_story"
ARTICLE_BANDS: Final = "article_bands"
ARTICLE_LINKS: Final = "article_links"
ACTOR_EDITS: Final = "actor_edits"
ALIAS_PINS: Final = "alias_pins"
STANCES: Final = "stances"
REJECTS: Final = "rejects"
ISSUES: Final = "issues"
ISSUE_EDITS: Final = "issue_edits"
POSITIONS: Final = "positions"
SHIFTS: Final = "shifts"
POSITIONS_STATE: Final = "positions_state"
FIDELITY_KEYS: Final = "fidelity_keys"
FIDELITY_ALIGNMENTS: Final = "fidelity_alignments"
FIDELITY_FINDINGS: Final = "fidelity_findings"


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
    Migration(
        "0003_quotations_and_stories",
        (
            # IF NOT EXISTS throughout: a half-applied file (tables made, step not recorded)
            # migrates again cleanly.
            # Every stored quote belongs to exactly one quotation (most to a quotation of one);
            # size counts its quotes. speaker_id is the speaker at creation, for listing.
            f"""
            CREATE TABLE IF NOT EXISTS {QUOTATIONS} (
                id INTEGER PRIMARY KEY,
                speaker_id INTEGER REFERENCES {SPEAKERS}(id) ON DELETE SET NULL,
                size INTEGER NOT NULL DEFAULT 0
            )
            """,
            f"CREATE INDEX IF NOT EXISTS {QUOTATIONS}_size ON {QUOTATIONS}(size)",
            f"CREATE INDEX IF NOT EXISTS {QUOTATIONS}_speaker ON {QUOTATIONS}(speaker_id)",
            # One row per distinct wording (normalised text) of a quotation. text_key is a
            # hash of the normalised text for exact lookups; scope is the speaker's surname
            # that the shingle keys were made with.
            f"""
            CREATE TABLE IF NOT EXISTS {QUOTE_VARIANTS} (
                id INTEGER PRIMARY KEY,
                quotation_id INTEGER NOT NULL REFERENCES {QUOTATIONS}(id),
                text_key TEXT NOT NULL,
                scope TEXT NOT NULL,
                text TEXT NOT NULL,
                first_quote_id INTEGER NOT NULL,
                token_count INTEGER NOT NULL,
                shingle_count INTEGER NOT NULL
            )
            """,
            f"CREATE INDEX IF NOT EXISTS {QUOTE_VARIANTS}_text_key ON {QUOTE_VARIANTS}(text_key)",
            f"CREATE INDEX IF NOT EXISTS {QUOTE_VARIANTS}_quotation "
            f"ON {QUOTE_VARIANTS}(quotation_id)",
            f"""
            CREATE TABLE IF NOT EXISTS {QUOTE_QUOTATION} (
                quote_id INTEGER PRIMARY KEY REFERENCES {QUOTES}(id) ON DELETE CASCADE,
                quotation_id INTEGER NOT NULL REFERENCES {QUOTATIONS}(id),
                variant_id INTEGER NOT NULL REFERENCES {QUOTE_VARIANTS}(id)
            )
            """,
            f"CREATE INDEX IF NOT EXISTS {QUOTE_QUOTATION}_quotation "
            f"ON {QUOTE_QUOTATION}(quotation_id)",
            f"CREATE INDEX IF NOT EXISTS {QUOTE_QUOTATION}_variant "
            f"ON {QUOTE_QUOTATION}(variant_id)",
            # Word 3-gram keys of each variant, scoped by speaker surname: the inverted index
            # behind fuzzy and fragment matching.
            f"""
            CREATE TABLE IF NOT EXISTS {QUOTE_SHINGLES} (
                key INTEGER NOT NULL,
                variant_id INTEGER NOT NULL,
                PRIMARY KEY (key, variant_id)
            ) WITHOUT ROWID
            """,
            f"""
            CREATE TABLE IF NOT EXISTS {STORIES} (
                id INTEGER PRIMARY KEY,
                size INTEGER NOT NULL DEFAULT 0
            )
            """,
            f"CREATE INDEX IF NOT EXISTS {STORIES}_size ON {STORIES}(size)",
            # Articles are referred to by rowid: integers keep the band index small.
            f"""
            CREATE TABLE IF NOT EXISTS {ARTICLE_STORY} (
                article_rowid INTEGER PRIMARY KEY,
                story_id INTEGER NOT NULL REFERENCES {STORIES}(id),
                signature BLOB NOT NULL
            )
            """,
            f"CREATE INDEX IF NOT EXISTS {ARTICLE_STORY}_story ON {ARTICLE_STORY}(story_id)",
            f"""
            CREATE TABLE IF NOT EXISTS {ARTICLE_BANDS} (
                key INTEGER NOT NULL,
                article_rowid INTEGER NOT NULL,
                PRIMARY KEY (key, article_rowid)
            ) WITHOUT ROWID
            """,
            # One row per linked pair, low rowid first; kind is the strongest reason.
            f"""
            CREATE TABLE IF NOT EXISTS {ARTICLE_LINKS} (
                low INTEGER NOT NULL,
                high INTEGER NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('duplicate', 'related', 'quotation')),
                similarity REAL NOT NULL,
                PRIMARY KEY (low, high)
            ) WITHOUT ROWID
            """,
            f"CREATE INDEX IF NOT EXISTS {ARTICLE_LINKS}_high ON {ARTICLE_LINKS}(high)",
        ),
    ),
    Migration(
        "0004_actor_edits_and_stances",
        (
            # Hand edits of speaker identity (merge, split), oldest first; args, before and
            # after are JSON so that the history reads without the speakers that are gone.
            f"""
            CREATE TABLE IF NOT EXISTS {ACTOR_EDITS} (
                id INTEGER PRIMARY KEY,
                action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
                edited_at TEXT NOT NULL,
                args TEXT NOT NULL,
                before TEXT NOT NULL,
                after TEXT NOT NULL
            )
            """,
            # A spelling (normalised key) that an edit sent to one speaker: consulted before
            # any other identity rule, so that a re-ingested article keeps the edit.
            f"""
            CREATE TABLE IF NOT EXISTS {ALIAS_PINS} (
                alias TEXT PRIMARY KEY,
                speaker_id INTEGER NOT NULL REFERENCES {SPEAKERS}(id) ON DELETE CASCADE
            )
            """,
            # Stance results cached per quote and proposition (key from positions.cache_key,
            # which names the stance method); quote_id lets a deleted quote take its rows along.
            f"""
            CREATE TABLE IF NOT EXISTS {STANCES} (
                key TEXT PRIMARY KEY,
                quote_id INTEGER,
                result TEXT NOT NULL
            )
            """,
            f"CREATE INDEX IF NOT EXISTS {STANCES}_quote ON {STANCES}(quote_id)",
            f"""
            CREATE TRIGGER IF NOT EXISTS {STANCES}_quote_ad AFTER DELETE ON {QUOTES} BEGIN
                DELETE FROM {STANCES} WHERE quote_id = old.id;
            END
            """,
        ),
    ),
    Migration(
        "0005_rejects",
        (
            # One row per input item a run could not keep: the run it belongs to, when, the
            # item (path or path:line), the error code and the reason as reported.
            f"""
            CREATE TABLE IF NOT EXISTS {REJECTS} (
                id INTEGER PRIMARY KEY,
                run_id TEXT NOT NULL,
                rejected_at TEXT NOT NULL,
                item TEXT NOT NULL,
                code TEXT NOT NULL,
                reason TEXT NOT NULL
            )
            """,
            f"CREATE INDEX IF NOT EXISTS {REJECTS}_run ON {REJECTS}(run_id)",
            # 0002 created the quote index empty: quotes stored by a v1 file were never indexed
            # and so could not be searched. Rebuilding from the quotes table fixes such files
            # and changes nothing in the others.
            f"INSERT INTO {QUOTES_FTS}({QUOTES_FTS}) VALUES ('rebuild')",
        ),
    ),
    Migration(
        "0006_article_notes",
        (
            # Per article: where the published date came from ("json-ld", "url", ...) and what
            # looked wrong with it, a JSON list of flags ("date_conflict", "tiny_body",
            # "unsupported_language", ...). A table of its own rather than new columns, so that
            # the step can run again safely; articles stored before it have no row.
            f"""
            CREATE TABLE IF NOT EXISTS {ARTICLE_NOTES} (
                article_id TEXT PRIMARY KEY REFERENCES {ARTICLES}(id) ON DELETE CASCADE,
                published_source TEXT,
                flags TEXT NOT NULL DEFAULT '[]'
            )
            """,
        ),
    ),
    Migration(
        "0007_quote_fidelity",
        (
            # Sketch keys of each quote's words (fidelity.sketch_keys), not scoped by speaker:
            # the index that finds the same words under another speaker or kind of quote.
            f"""
            CREATE TABLE IF NOT EXISTS {FIDELITY_KEYS} (
                key INTEGER NOT NULL,
                quote_id INTEGER NOT NULL,
                PRIMARY KEY (key, quote_id)
            ) WITHOUT ROWID
            """,
            f"CREATE INDEX IF NOT EXISTS {FIDELITY_KEYS}_quote ON {FIDELITY_KEYS}(quote_id)",
            # One row per occurrence compared with the first report of its statement: the
            # word-level diff as JSON and the checker (a versioned name) that made it.
            f"""
            CREATE TABLE IF NOT EXISTS {FIDELITY_ALIGNMENTS} (
                quote_id INTEGER PRIMARY KEY REFERENCES {QUOTES}(id) ON DELETE CASCADE,
                origin_quote_id INTEGER NOT NULL,
                diff TEXT NOT NULL,
                checker TEXT NOT NULL
            )
            """,
            f"CREATE INDEX IF NOT EXISTS {FIDELITY_ALIGNMENTS}_origin "
            f"ON {FIDELITY_ALIGNMENTS}(origin_quote_id)",
            # One row per kind of difference found; rank orders severities (1 low .. 3 high).
            f"""
            CREATE TABLE IF NOT EXISTS {FIDELITY_FINDINGS} (
                id INTEGER PRIMARY KEY,
                quote_id INTEGER NOT NULL REFERENCES {QUOTES}(id) ON DELETE CASCADE,
                origin_quote_id INTEGER NOT NULL,
                kind TEXT NOT NULL,
                severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high')),
                rank INTEGER NOT NULL,
                origin_words TEXT NOT NULL,
                copy_words TEXT NOT NULL,
                detail TEXT NOT NULL
            )
            """,
            f"CREATE INDEX IF NOT EXISTS {FIDELITY_FINDINGS}_quote "
            f"ON {FIDELITY_FINDINGS}(quote_id)",
            f"CREATE INDEX IF NOT EXISTS {FIDELITY_FINDINGS}_origin "
            f"ON {FIDELITY_FINDINGS}(origin_quote_id)",
            f"CREATE INDEX IF NOT EXISTS {FIDELITY_FINDINGS}_rank ON {FIDELITY_FINDINGS}(rank)",
        ),
    ),
    Migration(
        "0008_positions",
        (
            # The issues positions are derived against: the catalogue's, or discovered ones.
            # Counts are kept per batch, so that listing issues reads no positions.
            f"""
            CREATE TABLE IF NOT EXISTS {ISSUES} (
                id TEXT PRIMARY KEY,
                label TEXT NOT NULL,
                proposition TEXT NOT NULL,
                keywords TEXT NOT NULL DEFAULT '[]',
                examples TEXT NOT NULL DEFAULT '[]',
                origin TEXT NOT NULL CHECK (origin IN ('catalogue', 'discovered')),
                sort_order INTEGER NOT NULL DEFAULT 0,
                position_count INTEGER NOT NULL DEFAULT 0,
                actor_count INTEGER NOT NULL DEFAULT 0
            )
            """,
            # A user's rename, merge or drop of a discovered issue, applied again whenever
            # issues are discovered anew.
            f"""
            CREATE TABLE IF NOT EXISTS {ISSUE_EDITS} (
                id INTEGER PRIMARY KEY,
                action TEXT NOT NULL CHECK (action IN ('rename', 'merge', 'drop')),
                issue_id TEXT NOT NULL,
                value TEXT,
                edited_at TEXT NOT NULL
            )
            """,
            # One row per statement and issue it concerns; published is the article's date,
            # copied so that timelines read in date order from the index alone.
            f"""
            CREATE TABLE IF NOT EXISTS {POSITIONS} (
                quote_id INTEGER NOT NULL REFERENCES {QUOTES}(id) ON DELETE CASCADE,
                issue_id TEXT NOT NULL,
                actor TEXT NOT NULL COLLATE NOCASE,
                stance TEXT NOT NULL,
                act TEXT NOT NULL,
                condition_text TEXT,
                link_score REAL NOT NULL,
                support_probability REAL NOT NULL,
                cues TEXT NOT NULL DEFAULT '[]',
                method TEXT NOT NULL,
                published TEXT,
                PRIMARY KEY (quote_id, issue_id)
            )
            """,
            f"CREATE INDEX IF NOT EXISTS {POSITIONS}_issue ON {POSITIONS}(issue_id, published)",
            f"CREATE INDEX IF NOT EXISTS {POSITIONS}_actor "
            f"ON {POSITIONS}(actor, issue_id, published)",
            # Shifts per actor and issue, as JSON, replaced whenever either's positions change.
            f"""
            CREATE TABLE IF NOT EXISTS {SHIFTS} (
                id INTEGER PRIMARY KEY,
                actor TEXT NOT NULL COLLATE NOCASE,
                issue_id TEXT NOT NULL,
                published TEXT,
                body TEXT NOT NULL
            )
            """,
            f"CREATE INDEX IF NOT EXISTS {SHIFTS}_actor ON {SHIFTS}(actor, issue_id)",
            f"CREATE INDEX IF NOT EXISTS {SHIFTS}_issue ON {SHIFTS}(issue_id, published)",
            f"CREATE INDEX IF NOT EXISTS {SHIFTS}_published ON {SHIFTS}(published)",
            # What the stored positions were derived with (catalogue digest, stance method).
            f"""
            CREATE TABLE IF NOT EXISTS {POSITIONS_STATE} (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )
            """,
        ),
    ),
)

SCHEMA_VERSION: Final = len(MIGRATIONS)
