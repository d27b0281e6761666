"""Published-date sources, article flags and body warnings: stored, read back, listed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.store.conftest import make_item

from onrecord.models import ExtractedArticle
from onrecord.pipeline import store_outcomes
from onrecord.store import Store


def flagged(text: str, *flags: str, source: str = "page.html") -> ExtractedArticle:
    item = make_item(text)
    article = replace(item.article, source=source, published_source="json-ld", flags=flags)
    return ExtractedArticle(article, item.quotes)


def test_flags_and_date_source_round_trip(tmp_path: Path) -> None:
    item = flagged("A short page.", "tiny_body", "date_conflict")
    plain = make_item("An article without notes, as stored before they were kept.")
    with Store.open(tmp_path / "notes.db") as store:
        store.add_articles([item, plain])
        back = {stored.article.id: stored.article for stored in store.iter_articles()}
    assert back[item.article.id].flags == ("tiny_body", "date_conflict")
    assert back[item.article.id].published_source == "json-ld"
    assert (back[plain.article.id].flags, back[plain.article.id].published_source) == ((), None)


def test_body_warnings_are_listed_apart_from_rejects(tmp_path: Path) -> None:
    items = [flagged("Read it in the app.", "tiny_body"), flagged("Fine page body.")]
    with Store.open(tmp_path / "warn.db") as store:
        summary = store_outcomes(items, store, batch_size=8)
        assert (summary.ingested, summary.failed, summary.warned) == (2, 0, 1)
        assert store.rejects() == []
        [row] = store.rejects(is_warning_listed=True)
    assert (row.item, row.code) == ("page.html", "OR121")
    assert "tiny_body" in row.reason
