"""SQLite and PostgreSQL store the same corpus the same way.

The demo corpus (its extracted articles, read back from the session's demo store) and a
synthetic corpus (``bench/synth_corpus.py``'s generator, its planted quotes stored as they are,
as ``bench/ingest_scale.py --mode store`` does) are added to a store on each backend. Both
must hold the same articles, quotes, speakers, quotations and stories, compared by what
identifies them (article ids, quote offsets, names), never by row ids.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import pytest
from sqlalchemy import text
from tests.store.synthetic import synthetic_articles

from onrecord.derive import standard_steps
from onrecord.models import ExtractedArticle
from onrecord.store import Store
from onrecord.store._query import run

# About 80 s for both backends on a quiet 2-core machine; ONRECORD_TEST_SYNTHETIC_ARTICLES
# sets another size.
SYNTHETIC_ARTICLES: Final = int(os.environ.get("ONRECORD_TEST_SYNTHETIC_ARTICLES", "5000"))
SEED: Final = 17
BATCH: Final = 250
# The same statements on both backends.
QUOTATION_MEMBERS: Final = text(
    "SELECT q.article_id, q.start, m.quotation_id FROM quotes q "
    "JOIN quote_quotation m ON m.quote_id = q.id"
)
STORY_MEMBERS: Final = text(
    "SELECT a.id, s.story_id FROM article_story s JOIN articles a ON a.rowid = s.article_rowid"
)


def _groups(rows: Sequence[Sequence[object]]) -> list[list[tuple[object, ...]]]:
    """Members grouped by the row id in each row's last column, the ids left out."""
    by_id: dict[object, list[tuple[object, ...]]] = defaultdict(list)
    for row in rows:
        by_id[row[-1]].append(tuple(row[:-1]))
    return sorted(sorted(members) for members in by_id.values())


def snapshot(store: Store) -> dict[str, object]:
    """What the store holds, by stable keys."""
    quotes = sorted(
        (h.article_id, h.start, h.end, h.speaker, h.speaker_given, h.role, h.org, h.speaker_kind)
        for h in store.iter_quotes()
    )
    speakers = sorted(
        (s.name, s.kind, s.role, s.org, s.quote_count, sorted(s.aliases), s.first_date)
        for s in store.speakers()
    )
    quotations = sorted(
        (q.speaker or "", q.text, q.occurrence_count, q.article_count, q.first_article_id or "")
        for q in store.quotations(min_occurrences=1, limit=1_000_000)
    )
    stories = sorted(
        (s.article_count, s.first_article_id, s.outlets)
        for s in store.stories(min_articles=1, limit=1_000_000)
    )
    conn = store._conn
    return {
        "articles": list(store.iter_articles()),
        "quotes": quotes,
        "speakers": speakers,
        "quotations": quotations,
        "quotation members": _groups(run(conn, QUOTATION_MEMBERS).fetchall()),
        "stories": stories,
        "story members": _groups(run(conn, STORY_MEMBERS).fetchall()),
        "duplicates": sorted(store.duplicate_pairs()),
    }


def _stored(target: str, items: Sequence[ExtractedArticle]) -> dict[str, object]:
    with Store.open(target) as store:
        steps = standard_steps(is_checking_fidelity=False)
        result = store.add_articles(items, batch_size=BATCH, steps=steps)
        assert result.added == len({item.article.id for item in items})
        assert result.failed == 0
        return snapshot(store)


def _assert_same(items: Sequence[ExtractedArticle], tmp_path: Path, postgres_url: str) -> None:
    on_sqlite = _stored(str(tmp_path / "onrecord.db"), items)
    on_postgres = _stored(postgres_url, items)
    for part, held in on_sqlite.items():
        assert on_postgres[part] == held, part


@pytest.mark.slow
def test_the_demo_corpus_is_stored_alike_on_both_backends(
    demo_store_path: Path, tmp_path: Path, postgres_url: str
) -> None:
    with Store.open(demo_store_path) as demo:
        items = list(demo.iter_articles())
        speakers = {summary.name for summary in demo.speakers()}
    assert len(items) >= 10
    assert {"Ana Kroll", "Vera Lind"} <= speakers
    _assert_same(items, tmp_path, postgres_url)


@pytest.mark.slow
def test_a_synthetic_corpus_is_stored_alike_on_both_backends(
    tmp_path: Path, postgres_url: str
) -> None:
    items = list(synthetic_articles(SYNTHETIC_ARTICLES, SEED))
    assert sum(len(item.quotes) for item in items) > 3 * SYNTHETIC_ARTICLES
    _assert_same(items, tmp_path, postgres_url)
