"""Adding articles: idempotence, per-article atomicity inside batches, lossless round trip."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.errors import ConfigError, NotFound
from onrecord.models import (
    Article,
    Block,
    BlockKind,
    ExtractedArticle,
    Quote,
    Removed,
    Speaker,
)
from onrecord.store import AddResult, Store

MakeItem = Callable[..., ExtractedArticle]


def _corpus(make_item: MakeItem, said: Any, count: int) -> list[ExtractedArticle]:
    return [
        make_item(
            f"Story {n}: Vera Lind said the bridge {n} will open.",
            [said(f"the bridge {n} will open", "Vera Lind")],
        )
        for n in range(count)
    ]


def test_re_adding_the_same_articles_skips_them(
    store: Store, make_item: MakeItem, said: Any
) -> None:
    items = _corpus(make_item, said, 5)
    first = store.add_articles(items)
    second = store.add_articles(items)
    assert (first.added, first.skipped_duplicates) == (5, 0)
    assert (second.added, second.skipped_duplicates) == (0, 5)
    assert store.stats()["articles"] == 5
    assert store.stats()["quotes"] == 5


def test_duplicates_inside_one_batch_are_counted(
    store: Store, make_item: MakeItem, said: Any
) -> None:
    items = _corpus(make_item, said, 2)
    result = store.add_articles([items[0], items[1], items[0]])
    assert (result.added, result.skipped_duplicates) == (2, 1)


def test_has_article(store: Store, make_item: MakeItem, said: Any) -> None:
    item = _corpus(make_item, said, 1)[0]
    assert not store.has_article(item.article.id)
    store.add_articles([item])
    assert store.has_article(item.article.id)


@pytest.mark.parametrize("batch_size", [1, 2, 3, 200])
def test_a_bad_article_leaves_nothing_and_the_rest_of_the_batch_is_kept(
    store: Store, make_item: MakeItem, said: Any, batch_size: int
) -> None:
    good = _corpus(make_item, said, 4)
    text = "Otto Brand said the dam is safe. Mira Holt said it is not."
    bad = make_item(text, [said("the dam is safe", "Otto Brand"), said("it is not", "Mira Holt")])
    broken = dataclasses.replace(bad.quotes[1], start=bad.quotes[1].start + 1)
    bad = dataclasses.replace(bad, quotes=(bad.quotes[0], broken))

    result = store.add_articles([good[0], good[1], bad, good[2], good[3]], batch_size=batch_size)

    assert (result.added, result.failed) == (4, 1)
    assert not store.has_article(bad.article.id)
    assert store.stats()["quotes"] == 4
    # The first quote of the bad article had already created its speaker: gone too.
    assert [s.name for s in store.speakers()] == ["Vera Lind"]
    assert store.search("dam") == []
    with pytest.raises(NotFound):
        store.speaker("Otto Brand")
    assert store.add_articles([bad]).failed == 1


def test_batch_size_must_be_positive(store: Store) -> None:
    with pytest.raises(ConfigError, match="batch_size"):
        store.add_articles([], batch_size=0)


def test_articles_come_back_in_the_order_added(
    store: Store, make_item: MakeItem, said: Any
) -> None:
    items = _corpus(make_item, said, 7)
    store.add_articles(items, batch_size=3)
    assert list(store.iter_articles()) == items
    assert [hit.article_id for hit in store.iter_quotes()] == [i.article.id for i in items]


def test_article_by_id_and_not_found(store: Store, make_item: MakeItem, said: Any) -> None:
    item = _corpus(make_item, said, 1)[0]
    store.add_articles([item])
    assert store.article(item.article.id) == item
    with pytest.raises(NotFound, match="no article with id 'nope'"):
        store.article("nope")


# Round trip: whatever a well-formed ExtractedArticle holds is stored without loss.

BLOCK_KINDS: list[BlockKind] = ["title", "paragraph", "subhead"]
names = st.one_of(st.none(), st.text(min_size=1, max_size=20))
optional_text = st.one_of(st.none(), st.text(max_size=20))
dates = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))


@st.composite
def extracted_articles(draw: st.DrawFn, article_id: str) -> ExtractedArticle:
    text = draw(st.text(min_size=1, max_size=200))
    quotes = []
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        mention_start = draw(st.one_of(st.none(), st.integers(0, len(text))))
        quotes.append(
            Quote(
                text=text[start:end],
                start=start,
                end=end,
                kind=draw(st.sampled_from(["direct", "indirect", "mixed"])),
                cue=draw(optional_text),
                confidence=draw(st.floats(0, 1)),
                speaker=Speaker(
                    name=draw(names),
                    mention=draw(optional_text),
                    mention_start=mention_start,
                    mention_end=None if mention_start is None else mention_start + 1,
                    role=draw(optional_text),
                    org=draw(optional_text),
                    kind=draw(st.sampled_from(["person", "organisation", "group", "unknown"])),
                ),
                via=tuple(draw(st.lists(st.text(max_size=10), max_size=3))),
                extractor=draw(st.sampled_from(["", "quotes.rules.v1"])),
            )
        )
    article = Article(
        id=article_id,
        source=draw(st.text(max_size=30)),
        text=text,
        title=draw(optional_text),
        published=draw(dates),
        published_inferred=draw(st.booleans()),
        updated=draw(dates),
        url=draw(optional_text),
        # Outlets are matched case-insensitively and trimmed, so draw canonical spellings.
        outlet=draw(st.sampled_from([None, "Daily Ledger", "Harbour News"])),
        authors=tuple(draw(st.lists(st.text(max_size=10), max_size=3))),
        language=draw(st.sampled_from([None, "en", "de"])),
        removed=tuple(
            Removed(text=t, reason=r)
            for t, r in draw(
                st.lists(st.tuples(st.text(max_size=10), st.text(max_size=10)), max_size=2)
            )
        ),
        blocks=tuple(
            Block(start=s, end=s + 1, kind=k)
            for s, k in draw(
                st.lists(
                    st.tuples(st.integers(0, 100), st.sampled_from(BLOCK_KINDS)),
                    max_size=3,
                )
            )
        ),
    )
    return ExtractedArticle(article=article, quotes=tuple(quotes))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 10**6), min_size=1, max_size=4, unique=True).flatmap(
        lambda ids: st.tuples(*(extracted_articles(f"id-{n}") for n in ids))
    )
)
def test_round_trip_is_lossless(items: tuple[ExtractedArticle, ...]) -> None:
    with Store.open(":memory:") as store:
        result = store.add_articles(items, batch_size=2)
        assert result.added == len(items)
        assert list(store.iter_articles()) == list(items)
        hits = list(store.iter_quotes())
        expected = [(i.article.id, q.text, q.start, q.end) for i in items for q in i.quotes]
        assert [(h.article_id, h.text, h.start, h.end) for h in hits] == expected


def test_two_writers_at_once_store_each_article_once(
    store_target: str, make_item: MakeItem, said: Any
) -> None:
    items = [
        make_item(
            f"Writer test {n}: Ana Kroll said the weir holds.",
            [said("the weir holds", "Ana Kroll")],
        )
        for n in range(24)
    ]
    Store.open(store_target).close()  # migrate once, before the race
    results: list[AddResult] = []

    def write(order: list[ExtractedArticle]) -> None:
        with Store.open(store_target) as store:
            results.append(store.add_articles(order, batch_size=4))

    threads = [
        threading.Thread(target=write, args=(items,)),
        threading.Thread(target=write, args=(items[::-1],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result.added for result in results) == len(items)
    assert sum(result.skipped_duplicates for result in results) == len(items)
    assert not any(result.failed for result in results)
    with Store.open(store_target) as store:
        assert store.stats()["articles"] == len(items)
        assert len(store.speakers()) == 1
