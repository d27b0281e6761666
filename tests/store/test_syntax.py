"""The search-box syntax: reading it, and running it on each backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.models import ExtractedArticle
from onrecord.store import QuoteFilter, Store, SyntaxProblem, read_query
from onrecord.store._syntax import SearchExpr, to_fts5, to_tsquery

MakeItem = Callable[..., ExtractedArticle]


@pytest.fixture
def filled(store: Store, make_item: MakeItem, said: Any) -> Store:
    store.add_articles(
        [
            make_item(
                "Ana Kroll said the dam monitors stay. Ana Kroll said guarantees are needed.",
                [
                    said("the dam monitors stay", "Ana Kroll"),
                    said("guarantees are needed", "Ana Kroll"),
                ],
            ),
            make_item(
                "Otto Brand said monitors at the dam are welcome. "
                "Otto Brand said a guarantee helps.",
                [
                    said("monitors at the dam are welcome", "Otto Brand"),
                    said("a guarantee helps", "Otto Brand"),
                ],
                outlet="Harbour Post",
            ),
        ]
    )
    return store


def _texts(store: Store, text: str) -> set[str]:
    return {h.text for h in store.search(text, syntax=True)}


def test_phrase_needs_the_words_in_order(filled: Store) -> None:
    assert _texts(filled, '"dam monitors"') == {"the dam monitors stay"}
    assert len(_texts(filled, "dam monitors")) == 2


def test_prefix_or_and_not(filled: Store) -> None:
    assert _texts(filled, "guarant*") == {"guarantees are needed", "a guarantee helps"}
    assert _texts(filled, "welcome OR stay") == {
        "the dam monitors stay",
        "monitors at the dam are welcome",
    }
    assert _texts(filled, "monitors -welcome") == {"the dam monitors stay"}
    assert _texts(filled, "monitors NOT stay") == {"monitors at the dam are welcome"}


def test_plain_words_stay_literal_without_syntax(filled: Store) -> None:
    assert filled.search("welcome OR stay") == []


def test_unreadable_syntax_searches_the_words(filled: Store) -> None:
    assert _texts(filled, '"dam monitors') == {
        "the dam monitors stay",
        "monitors at the dam are welcome",
    }


def test_count_and_facets_agree_with_the_list(filled: Store) -> None:
    spec = QuoteFilter(text="dam OR guarant*", syntax="query")
    hits = filled.find(spec, limit=50)
    assert filled.count(spec, cap=1000) == len(hits) == 4
    facets = filled.facets(spec, sample=1000)
    assert dict(facets.counts["speaker"]) == {"Ana Kroll": 2, "Otto Brand": 2}
    assert dict(facets.counts["outlet"]) == {"Daily Ledger": 2, "Harbour Post": 2}
    assert dict(facets.counts["month"]) == {"2024-05": 4}
    assert not facets.is_sample
    sampled = filled.facets(spec, sample=3)
    assert sampled.is_sample
    assert sampled.counted == 3
    assert filled.count(spec, cap=2) == 2


def test_sort_orders(store: Store, make_item: MakeItem, said: Any) -> None:
    for day in (3, 1, 2):
        text = f"Vera Lind said tide {day} rises."
        store.add_articles(
            [
                make_item(
                    text, [said(f"tide {day} rises", "Vera Lind")], published=date(2024, 1, day)
                )
            ]
        )
    oldest = [h.text for h in store.search("tide", sort="oldest")]
    newest = [h.text for h in store.search("tide", sort="newest")]
    assert oldest == ["tide 1 rises", "tide 2 rises", "tide 3 rises"]
    assert newest == oldest[::-1]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('"open', "never closed"),
        ("OR tide", "OR needs"),
        ("tide OR", "OR needs"),
        ("NOT", "NOT needs"),
        ("-tide", "at least one word"),
        ("*", "start of a word"),
        ('""', "empty pair"),
    ],
)
def test_unreadable_syntax_says_why(text: str, problem: str) -> None:
    found = read_query(text)
    assert isinstance(found, SyntaxProblem)
    assert problem in found.message


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('ab "*-()OR NOT:^\x00é')), max_size=30))
def test_any_text_in_syntax_mode_never_fails(make_item: MakeItem, said: Any, text: str) -> None:
    with Store.open(":memory:") as store:
        store.add_articles([make_item("Vera Lind said a b tide.", [said("a b tide", "Vera Lind")])])
        store.search(text, syntax=True)
        found = read_query(text) if text.strip() else None
        if isinstance(found, SearchExpr):
            assert to_fts5(found)
            assert to_tsquery(found)


@pytest.mark.parametrize(
    "spec",
    [
        QuoteFilter(),
        QuoteFilter(speaker="Ana Kroll"),
        QuoteFilter(outlet="harbour post"),
        QuoteFilter(since=date(2024, 5, 1), until=date(2024, 5, 1)),
        QuoteFilter(kind="direct", text="guarant*", syntax="query"),
        QuoteFilter(text="monitors", outlet="Daily Ledger", syntax="query"),
        QuoteFilter(text="monitors", since=date(2024, 6, 1), syntax="query"),
        QuoteFilter(text="monitors", speaker="Otto Brand"),
        QuoteFilter(text="nothing-like-this", syntax="query"),
    ],
)
def test_count_matches_the_list_for_every_filter(filled: Store, spec: QuoteFilter) -> None:
    hits = filled.find(spec, limit=100)
    assert filled.count(spec, cap=100) == len(hits)
    facets = filled.facets(spec, sample=100)
    assert sum(count for _, count in facets.counts["kind"]) == len(hits) == facets.counted


@pytest.mark.parametrize(
    "spec",
    [
        QuoteFilter(),
        QuoteFilter(sort="oldest"),
        QuoteFilter(text="monitors OR guarant*", syntax="query"),
        QuoteFilter(text="monitors", sort="newest", syntax="query"),
        QuoteFilter(text="nothing-like-this", syntax="query"),
        QuoteFilter(speaker="nobody at all"),
    ],
)
def test_streamed_matches_are_the_pages_joined(filled: Store, spec: QuoteFilter) -> None:
    pages = [
        h.quote_id for offset in range(0, 8, 2) for h in filled.find(spec, limit=2, offset=offset)
    ]
    assert [h.quote_id for h in filled.iter_find(spec)] == pages
