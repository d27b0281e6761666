"""Whatever order quotes arrive in, every quote with words is in exactly one quotation."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from stories_support import Said, item, prose

from onrecord.derive import reindex_stories, standard_steps
from onrecord.store import Store

WORDS = ["river", "key", "door", "stand", "nobody", "ours", "gets", "to", "in", "it", "with", "a"]
SPEAKERS = ["Ana Kroll", "Samuel Oduya", None]

quotes = st.lists(
    st.tuples(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join),
        st.sampled_from(SPEAKERS),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(batches=st.lists(quotes, min_size=1, max_size=3))
def test_every_quote_is_in_one_quotation(batches: list[list[tuple[str, str | None]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "invariants.db"
        with Store.open(path) as store:
            seed = 0
            for batch in batches:
                items = []
                for text, speaker in batch:
                    seed += 1
                    items.append(
                        item(f"{prose(seed)} “{text}” {prose(seed + 1000)}", [Said(text, speaker)])
                    )
                store.add_articles(items, steps=standard_steps())
            assert reindex_stories(store) == store.stats()["articles"]
        with sqlite3.connect(path) as conn:
            quotes_total = conn.execute("SELECT COUNT(*) FROM quotes").fetchone()[0]
            attached = conn.execute("SELECT COUNT(*) FROM quote_quotation").fetchone()[0]
            sizes = conn.execute("SELECT COALESCE(SUM(size), 0) FROM quotations").fetchone()[0]
            empty = conn.execute(
                "SELECT COUNT(*) FROM quotations q WHERE NOT EXISTS "
                "(SELECT 1 FROM quote_quotation qq WHERE qq.quotation_id = q.id)"
            ).fetchone()[0]
            stray = conn.execute(
                "SELECT COUNT(*) FROM quote_variants v WHERE NOT EXISTS "
                "(SELECT 1 FROM quotations q WHERE q.id = v.quotation_id)"
            ).fetchone()[0]
            stories = conn.execute("SELECT COALESCE(SUM(size), 0) FROM stories").fetchone()[0]
            articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        assert attached == quotes_total == sizes
        assert empty == 0
        assert stray == 0
        assert stories == articles
