"""A store written by an older onrecord is upgraded in place and keeps its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from onrecord.store import SCHEMA_VERSION, Store
from onrecord.store._schema import MIGRATIONS

ARTICLE_ID = "a" * 64
QUOTE = "We will reopen the harbour before the winter"


def _old_store(path: Path, steps: int) -> None:
    """Apply only the first ``steps`` migrations, as that version did, and add one quote."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for version, migration in enumerate(MIGRATIONS[:steps], start=1):
        conn.execute("BEGIN")
        for statement in migration.statements:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO _migrations VALUES (?, ?)", (migration.name, "2025-01-01T00:00:00+00:00")
        )
        conn.execute(f"PRAGMA user_version = {version:d}")
        conn.execute("COMMIT")
    text = f'"{QUOTE}," Mara Velin told reporters.'
    conn.execute(
        "INSERT INTO articles (id, source, title, text, published, ingested_at) "
        "VALUES (?, 'old.txt', 'Harbour', ?, '2025-01-01', '2025-01-02T00:00:00+00:00')",
        (ARTICLE_ID, text),
    )
    conn.execute(
        "INSERT INTO speakers (name, name_key, surname, fullness, kind) "
        "VALUES ('Mara Velin', 'mara velin', 'velin', 2, 'person')"
    )
    conn.execute(
        'INSERT INTO quotes (article_id, position, start, "end", text, kind, confidence, '
        "speaker_id, speaker_name, speaker_given) "
        "VALUES (?, 0, 1, ?, ?, 'direct', 0.9, 1, 'Mara Velin', 'Mara Velin')",
        (ARTICLE_ID, 1 + len(QUOTE), QUOTE),
    )
    conn.close()


@pytest.mark.parametrize("steps", [1, 2, len(MIGRATIONS) - 1])
def test_older_store_is_upgraded_in_place(tmp_path: Path, steps: int) -> None:
    path = tmp_path / f"v{steps}.db"
    _old_store(path, steps)
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.migrations() == [m.name for m in MIGRATIONS]
        article = store.article(ARTICLE_ID)
        assert article.article.source == "old.txt"
        assert [q.text for q in article.quotes] == [QUOTE]
        hits = store.search("harbour")
        assert [hit.speaker for hit in hits] == ["Mara Velin"]
        assert store.rejects() == []
        store.record_rejects("r1", [])
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"rejects", "quotes_fts", "stances", "quotations"} <= tables
