"""Quote search: words, filters, ordering, snippets and the FTS escaper."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Final

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord.errors import BadQuery
from onrecord.models import ExtractedArticle
from onrecord.store import Store, escape_fts

MakeItem = Callable[..., ExtractedArticle]


@pytest.fixture
def filled(store: Store, make_item: MakeItem, said: Any) -> Store:
    store.add_articles(
        [
            make_item(
                "Ana Kroll said taxes will rise next spring. Critics disagreed.",
                [said("taxes will rise next spring", "Ana Kroll", via=("Reuters",))],
                outlet="Daily Ledger",
                published=date(2024, 1, 10),
                title="Tax plan",
            ),
            make_item(
                "Kroll told reporters the harbour tax is fair. Otto Brand said it is a scandal.",
                [
                    said("the harbour tax is fair", "Kroll", cue="told"),
                    said("it is a scandal", "Otto Brand", kind="indirect"),
                ],
                outlet="Harbour News",
                published=date(2024, 3, 5),
                title="Harbour row",
            ),
            make_item(
                "The ministry said the bridge will reopen in May.",
                [
                    said(
                        "the bridge will reopen in May", "The Ministry", speaker_kind="organisation"
                    )
                ],
                outlet="Daily Ledger",
                published=date(2024, 6, 1),
                title="Bridge",
            ),
            make_item(
                "Otto Brand said taxes on boats are unfair.",
                [said("taxes on boats are unfair", "Otto Brand", kind="mixed")],
                outlet="harbour news",
                published=None,
                title="Undated",
            ),
        ]
    )
    return store


def _texts(hits: list[Any]) -> list[str]:
    return [hit.text for hit in hits]


def test_text_search_matches_all_words(filled: Store) -> None:
    assert set(_texts(filled.search("boats"))) == {"taxes on boats are unfair"}
    assert _texts(filled.search("taxes spring")) == ["taxes will rise next spring"]
    assert filled.search("taxes volcano") == []


def test_text_search_uses_stemming_and_ignores_case(filled: Store) -> None:
    assert _texts(filled.search("REOPENING")) == ["the bridge will reopen in May"]
    assert set(_texts(filled.search("taxes"))) == {
        "taxes will rise next spring",
        "the harbour tax is fair",
        "taxes on boats are unfair",
    }


def test_text_search_finds_speaker_names(filled: Store) -> None:
    assert set(_texts(filled.search("brand"))) == {"it is a scandal", "taxes on boats are unfair"}


def test_snippet_marks_matched_words(filled: Store) -> None:
    [hit] = filled.search("bridge")
    assert hit.snippet == "the [bridge] will reopen in May"
    assert hit.rank is not None


def test_best_match_comes_first(store: Store, make_item: MakeItem, said: Any) -> None:
    store.add_articles(
        [
            make_item(
                "Ida Moss said rain, rain, rain is all we get.",
                [said("rain, rain, rain is all we get", "Ida Moss")],
                published=date(2020, 1, 1),
            ),
            make_item(
                "Ida Moss said a little rain and a lot of wind and snow arrived today.",
                [said("a little rain and a lot of wind and snow arrived today", "Ida Moss")],
                published=date(2024, 1, 1),
            ),
        ]
    )
    hits = store.search("rain")
    assert hits[0].text.startswith("rain, rain")
    assert hits[0].rank is not None
    assert hits[1].rank is not None
    assert hits[0].rank <= hits[1].rank


def test_filter_by_speaker_accepts_any_alias(filled: Store) -> None:
    expected = {"taxes will rise next spring", "the harbour tax is fair"}
    for name in ("Ana Kroll", "kroll", "  ANA   KRÖLL ", "Dr. Ana Kroll"):
        assert set(_texts(filled.search(speaker=name))) == expected
    assert _texts(filled.search("harbour", speaker="Kroll")) == ["the harbour tax is fair"]
    assert filled.search(speaker="Nobody Known") == []


def test_filter_by_outlet_ignores_case(filled: Store) -> None:
    assert set(_texts(filled.search(outlet="HARBOUR NEWS"))) == {
        "the harbour tax is fair",
        "it is a scandal",
        "taxes on boats are unfair",
    }
    assert _texts(filled.search("taxes", outlet="Daily Ledger")) == ["taxes will rise next spring"]


def test_filter_by_date_range_is_inclusive_and_drops_undated(filled: Store) -> None:
    hits = filled.search(since=date(2024, 3, 5), until=date(2024, 6, 1))
    assert set(_texts(hits)) == {
        "the harbour tax is fair",
        "it is a scandal",
        "the bridge will reopen in May",
    }
    assert _texts(filled.search(until=date(2024, 1, 10))) == ["taxes will rise next spring"]
    assert filled.search(since=date(2025, 1, 1)) == []


def test_filter_by_kind(filled: Store) -> None:
    assert _texts(filled.search(kind="indirect")) == ["it is a scandal"]
    assert _texts(filled.search("taxes", kind="mixed")) == ["taxes on boats are unfair"]
    with pytest.raises(BadQuery, match="unknown quote kind 'quoted'"):
        filled.search(kind="quoted")


def test_without_text_newest_first_and_undated_last(filled: Store) -> None:
    hits = filled.search()
    assert [hit.published for hit in hits] == [
        date(2024, 6, 1),
        date(2024, 3, 5),
        date(2024, 3, 5),
        date(2024, 1, 10),
        None,
    ]
    assert all(hit.snippet == hit.text and hit.rank is None for hit in hits)


def test_limit_and_offset_page_through_results(filled: Store) -> None:
    everything = filled.search()
    pages = [filled.search(limit=2, offset=n) for n in (0, 2, 4)]
    assert [hit for page in pages for hit in page] == everything
    with pytest.raises(BadQuery):
        filled.search(limit=-1)


def test_hit_carries_article_and_speaker_fields(filled: Store) -> None:
    [hit] = filled.search("spring")
    assert hit.speaker == "Ana Kroll"
    assert hit.speaker_given == "Ana Kroll"
    assert hit.title == "Tax plan"
    assert hit.outlet == "Daily Ledger"
    assert hit.published == date(2024, 1, 10)
    assert hit.via == ("Reuters",)
    assert hit.url == f"https://example.org/{hit.article_id}"
    assert (hit.kind, hit.cue, hit.extractor) == ("direct", "said", "quotes.test.v1")


@pytest.mark.parametrize(
    "query",
    ['"', "taxes AND", "NOT", "(boats", "tax*", "a:b", "-", "^", "NEAR(", "'", "“taxes”", "*"],
)
def test_operators_in_user_text_never_raise(filled: Store, query: str) -> None:
    filled.search(query)


def test_user_text_is_taken_literally(filled: Store) -> None:
    assert filled.search("taxes OR bridge") == []
    assert _texts(filled.search('"taxes" spring:')) == ["taxes will rise next spring"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("taxes", '"taxes"'),
        ('say "no"', '"say" """no"""'),
        ("a OR b", '"a" "OR" "b"'),
    ],
)
def test_escape_fts(text: str, expected: str) -> None:
    assert escape_fts(text) == expected


# Raw syntax is the backend's own: FTS5 on SQLite, tsquery on PostgreSQL.
RAW_OR: Final = {"sqlite": "spring OR bridge", "postgresql": "spring | bridge"}
RAW_PREFIX: Final = {"sqlite": "harb*", "postgresql": "harb:*"}
RAW_MALFORMED: Final = {
    "sqlite": ('"unbalanced', "taxes AND", "(boats", "NEAR("),
    "postgresql": ("taxes &", "(boats", "| tide", "spring !"),
}
SYNTAX_NAME: Final = {"sqlite": "FTS5", "postgresql": "tsquery"}


def test_raw_fts_allows_operators(filled: Store) -> None:
    assert set(_texts(filled.search(RAW_OR[filled.backend], raw_fts=True))) == {
        "taxes will rise next spring",
        "the bridge will reopen in May",
    }
    assert set(_texts(filled.search(RAW_PREFIX[filled.backend], raw_fts=True))) == {
        "the harbour tax is fair"
    }


@pytest.mark.parametrize("number", range(4))
def test_malformed_raw_fts_is_bad_query(filled: Store, number: int) -> None:
    query = RAW_MALFORMED[filled.backend][number]
    with pytest.raises(BadQuery, match=rf"OR204.*not valid {SYNTAX_NAME[filled.backend]} syntax"):
        filled.search(query, raw_fts=True)


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_escaped_search_never_raises(make_item: MakeItem, said: Any, text: str) -> None:
    with Store.open(":memory:") as store:
        store.add_articles(
            [make_item("Vera Lind said the tide is high.", [said("the tide is high", "Vera Lind")])]
        )
        hits = store.search(text)
        assert all(hit.text == "the tide is high" for hit in hits)
        if text.strip() == "tide":
            assert len(hits) == 1


def test_filter_by_surname_finds_the_one_person_of_that_name(
    store: Store, make_item: MakeItem, said: Any
) -> None:
    store.add_articles(
        [make_item("Vera Lind said talks resume.", [said("talks resume", "Vera Lind")])]
    )
    assert _texts(store.search(speaker="Lind")) == ["talks resume"]
    store.add_articles(
        [make_item("Omar Lind said ports reopen.", [said("ports reopen", "Omar Lind")])]
    )
    assert store.search(speaker="Lind") == []  # two people called Lind: ask for a full name


def test_a_very_common_word_comes_newest_first(
    store: Store, make_item: MakeItem, said: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import onrecord.store._fulltext as fulltext_module

    for day in range(1, 5):
        text = f"Ana Kroll said the harbour fee rises on day {day}."
        store.add_articles(
            [make_item(text, [said(f"the harbour fee rises on day {day}", "Ana Kroll")])]
        )
    ranked = _texts(store.search("harbour"))
    monkeypatch.setattr(fulltext_module, "RANKED_MATCHES_MAX", 3)
    newest = _texts(store.search("harbour"))
    assert sorted(newest) == sorted(ranked)
    assert newest == [f"the harbour fee rises on day {day}" for day in (4, 3, 2, 1)]
    assert _texts(store.search("harbour", limit=2, offset=1)) == newest[1:3]
