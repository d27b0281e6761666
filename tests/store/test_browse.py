"""Browsing look-ups: one quote by id, an article's quotes, a speaker's spread sample."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from onrecord.errors import NotFound
from onrecord.models import ExtractedArticle
from onrecord.store import QuoteFilter, Store

MakeItem = Callable[..., ExtractedArticle]
# Five dated statements by one speaker, given out of date order, and one undated.
DATED: tuple[tuple[str, date | None], ...] = (
    ("the levy rose by 3% in March", date(2024, 3, 2)),
    ("the ferry runs at 6 o'clock?", date(2024, 1, 9)),
    ("the dock opens in May", date(2024, 5, 20)),
    ("the toll is 100% fair", date(2024, 2, 14)),
    ("the quay needs repair", date(2024, 4, 1)),
    ("the pier is closed", None),
)


@pytest.fixture
def filled(store: Store, make_item: MakeItem, said: Any) -> Store:
    store.add_articles(
        [
            make_item(
                f"Mara Quist said {words}. Later she left.",
                [said(words, "Mara Quist")],
                article_id=f"art-{index}",
                published=published,
            )
            for index, (words, published) in enumerate(DATED)
        ]
    )
    store.add_articles(
        [
            make_item(
                "Otto Brand said the port is busy. Mara Quist said it is quiet.",
                [said("it is quiet", "Mara Quist"), said("the port is busy", "Otto Brand")],
                article_id="pair",
            )
        ]
    )
    return store


def _speaker_id(store: Store, name: str) -> int:
    return store.speaker_summary(name).id


def test_quote_by_id_round_trips_every_quote(filled: Store) -> None:
    for hit in filled.iter_quotes():
        assert filled.quote(hit.quote_id) == hit


def test_unknown_quote_id_is_not_found(filled: Store) -> None:
    top = max(hit.quote_id for hit in filled.iter_quotes())
    with pytest.raises(NotFound):
        filled.quote(top + 1)


def test_article_quotes_come_in_text_order(filled: Store) -> None:
    texts = [hit.text for hit in filled.article_quotes("pair")]
    assert texts == ["the port is busy", "it is quiet"]
    assert filled.article_quotes("no-such-article") == []


def test_speaker_sample_spreads_dated_quotes_oldest_first(filled: Store) -> None:
    speaker_id = _speaker_id(filled, "Mara Quist")
    # Six dated quotes (five plus "it is quiet" of 1 May), at most three: every second.
    sample, total = filled.speaker_sample(speaker_id, 3)
    assert total == 6
    dates = [hit.published for hit in sample if hit.published is not None]
    assert len(dates) == len(sample)
    assert dates == sorted(dates)
    assert [hit.text for hit in sample] == [
        "the ferry runs at 6 o'clock?",
        "the levy rose by 3% in March",
        "it is quiet",
    ]
    everything, _ = filled.speaker_sample(speaker_id, 10)
    assert len(everything) == 6
    assert "the pier is closed" not in {hit.text for hit in everything}
    assert filled.speaker_sample(speaker_id, 0) == ([], 6)


def test_count_and_facets_agree_with_the_search(filled: Store) -> None:
    spec = QuoteFilter(speaker="Mara Quist")
    assert filled.count(spec, cap=100) == 7
    assert filled.count(spec, cap=4) == 4
    facets = filled.facets(spec, sample=100)
    assert facets.counts["speaker"] == [("Mara Quist", 7)]
    assert facets.counted == 7
    assert not facets.is_sample
    assert sum(count for _, count in facets.counts["month"]) == 6
