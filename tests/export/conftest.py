"""Hand-built extracted articles and a filled store for the export tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from onrecord.derive import standard_steps
from onrecord.models import Article, ExtractedArticle, Quote, Removed, Speaker
from onrecord.store import Store

TEXT = (
    "Ana Kroll said: “Taxes will rise, and that is final.” "
    "According to Reuters, the ministry said the bridge, long closed, will reopen. "
    "Someone said “no”."
)


def _quote(text: str, fragment: str, **fields: Any) -> Quote:
    start = text.index(fragment)
    return Quote(text=fragment, start=start, end=start + len(fragment), **fields)


@pytest.fixture(scope="session")
def item() -> ExtractedArticle:
    article = Article(
        id="c0ffee",
        source="articles/tax.html",
        text=TEXT,
        title='Tax, bridges; and "quotes"',
        published=date(2024, 3, 5),
        published_inferred=True,
        updated=date(2024, 3, 6),
        url="https://example.org/tax",
        outlet="Daily Ledger",
        authors=("Lena Ward", "Jo Quist"),
        language="en",
        removed=(Removed(text="Subscribe now!", reason="boilerplate"),),
    )
    mention = TEXT.index("Ana Kroll")
    quotes = (
        _quote(
            TEXT,
            "Taxes will rise, and that is final.",
            kind="direct",
            cue="said",
            confidence=0.93,
            speaker=Speaker(
                name="Ana Kroll",
                mention="Ana Kroll",
                mention_start=mention,
                mention_end=mention + len("Ana Kroll"),
                role="finance minister",
                org="Treasury",
                kind="person",
            ),
            extractor="quotes.rules.v1",
        ),
        _quote(
            TEXT,
            "the bridge, long closed, will reopen",
            kind="indirect",
            cue="said",
            confidence=0.61,
            speaker=Speaker(
                name="The Ministry",
                mention="the ministry",
                mention_start=TEXT.index("the ministry"),
                mention_end=TEXT.index("the ministry") + len("the ministry"),
                kind="organisation",
            ),
            via=("Reuters", "Daily Ledger"),
            extractor="quotes.rules.v1",
        ),
        _quote(
            TEXT,
            "no",
            kind="direct",
            cue=None,
            confidence=0.2,
            speaker=Speaker(name=None, mention=None, mention_start=None, mention_end=None),
        ),
    )
    return ExtractedArticle(article=article, quotes=quotes)


@pytest.fixture
def undated_item() -> ExtractedArticle:
    text = "Otto Brand said “the harbour, too” is ours."
    return ExtractedArticle(
        article=Article(id="beef", source="<stdin>", text=text),
        quotes=(
            _quote(
                text,
                "the harbour, too",
                kind="mixed",
                cue="said",
                confidence=0.5,
                speaker=Speaker(
                    name="Otto Brand", mention="Otto Brand", mention_start=0, mention_end=10
                ),
            ),
        ),
    )


@pytest.fixture
def store(
    tmp_path: Path, item: ExtractedArticle, undated_item: ExtractedArticle
) -> Iterator[Store]:
    with Store.open(tmp_path / "export.db") as opened:
        opened.add_articles([item, undated_item], steps=standard_steps())
        yield opened
