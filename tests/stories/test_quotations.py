"""The same statement across articles becomes one quotation: exact, trimmed, lightly edited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from stories_support import Said, item, prose

from onrecord.derive import reindex_stories, standard_steps
from onrecord.errors import BadQuery, NotFound
from onrecord.store import Store

KEY = "The river is ours, and nobody gets to stand in it with a key"


@pytest.fixture
def store(store_target: str) -> Iterator[Store]:
    with Store.open(store_target) as opened:
        yield opened


def _quotation_ids(store: Store) -> dict[tuple[str, str | None], int]:
    return {
        (hit.text, hit.speaker): store.quotation_of_quote(hit.quote_id)
        for hit in store.iter_quotes()
    }


def test_exact_wording_across_outlets_is_one_quotation(store: Store) -> None:
    first = f"{prose(1)} Kroll said: “{KEY}.” {prose(2)}"
    second = f'{prose(3)} She added: "{KEY.upper()}". {prose(4)}'
    third = f"{prose(5)} '{KEY.replace(' ', '  ')}' {prose(6)}"
    store.add_articles(
        [
            item(
                second,
                [Said(KEY.upper(), "Ana Kroll")],
                outlet="Tidewire",
                published=date(2026, 3, 11),
            ),
            item(
                first,
                [Said(KEY, "Ana Kroll")],
                outlet="Corvel Courier",
                published=date(2026, 3, 10),
            ),
            item(
                third,
                [Said(KEY.replace(" ", "  "), "Ana Kroll")],
                outlet="Morning Ledger",
                published=date(2026, 3, 14),
            ),
        ],
        steps=standard_steps(),
    )
    [summary] = store.quotations()
    assert summary.occurrence_count == 3
    assert summary.outlet_count == 3
    assert summary.speaker == "Ana Kroll"
    assert summary.first_outlet == "Corvel Courier"
    assert summary.first_published == date(2026, 3, 10)
    assert summary.last_published == date(2026, 3, 14)
    quotation = store.quotation(summary.id)
    assert [o.outlet for o in quotation.occurrences] == [
        "Corvel Courier",
        "Tidewire",
        "Morning Ledger",
    ]
    assert len(quotation.variants) == 1
    json.dumps(quotation.to_dict())


def test_trimmed_fragment_and_light_edit_join_the_quotation(store: Store) -> None:
    fragment = "nobody gets to stand in it with a key"
    edited = "The river is ours, and nobody will stand in it with a key"
    store.add_articles(
        [
            item(f"{prose(1)} “{KEY}.” {prose(2)}", [Said(KEY, "Ana Kroll")]),
            item(f"{prose(3)} said “{fragment}”. {prose(4)}", [Said(fragment, "Ana Kroll")]),
            item(f"{prose(5)} “{edited}”. {prose(6)}", [Said(edited, "Ana Kroll")]),
        ],
        steps=standard_steps(),
    )
    [summary] = store.quotations()
    assert summary.occurrence_count == 3
    assert summary.text == KEY
    texts = {v.text for v in store.quotation(summary.id).variants}
    assert texts == {KEY, fragment, edited}


@pytest.mark.parametrize(
    ("other_text", "other_speaker"),
    [
        ("Foreign monitors on our riverbanks are unacceptable to this government", "Ana Kroll"),
        (KEY, "Samuel Oduya"),
        ("stand in it", "Ana Kroll"),
    ],
    ids=["different-quote-same-speaker", "same-words-different-speaker", "short-fragment"],
)
def test_near_misses_stay_apart(store: Store, other_text: str, other_speaker: str) -> None:
    store.add_articles(
        [
            item(f"{prose(1)} “{KEY}.” {prose(2)}", [Said(KEY, "Ana Kroll")]),
            item(f"{prose(3)} “{other_text}.” {prose(4)}", [Said(other_text, other_speaker)]),
        ],
        steps=standard_steps(),
    )
    ids = _quotation_ids(store)
    assert ids[KEY, "Ana Kroll"] != ids[other_text, other_speaker]
    assert store.quotations() == []


def test_unnamed_speaker_joins_only_on_long_exact_wording(store: Store) -> None:
    short = "not negotiable"
    store.add_articles(
        [
            item(
                f"{prose(1)} “{KEY}.” “{short}”. {prose(2)}",
                [Said(KEY, "Ana Kroll"), Said(short, "Ana Kroll")],
            ),
            item(f"{prose(3)} “{KEY}.” “{short}” {prose(4)}", [Said(KEY, None), Said(short, None)]),
        ],
        steps=standard_steps(),
    )
    [summary] = store.quotations()
    assert summary.occurrence_count == 2
    assert summary.speaker == "Ana Kroll"


def test_later_batches_attach_to_existing_quotations(store: Store) -> None:
    store.add_articles(
        [item(f"{prose(1)} “{KEY}.” {prose(2)}", [Said(KEY, "Ana Kroll")])], steps=standard_steps()
    )
    [only] = store.quotations(min_occurrences=1)
    store.add_articles(
        [item(f"{prose(3)} “{KEY}.” {prose(4)}", [Said(KEY, "Ana Kroll")])], steps=standard_steps()
    )
    [summary] = store.quotations()
    assert summary.id == only.id
    assert summary.occurrence_count == 2


def test_a_quote_bridging_two_quotations_merges_them(store: Store) -> None:
    head = "The river is ours and we will defend every metre of the bank"
    tail = "nobody gets to stand in it with a key or a gun in hand"
    whole = f"{head}, and {tail}"
    store.add_articles(
        [
            item(f"{prose(1)} “{head}.” {prose(2)}", [Said(head, "Ana Kroll")]),
            item(f"{prose(3)} “{tail}.” {prose(4)}", [Said(tail, "Ana Kroll")]),
        ],
        steps=standard_steps(),
    )
    assert len(set(_quotation_ids(store).values())) == 2
    store.add_articles(
        [item(f"{prose(5)} “{whole}.” {prose(6)}", [Said(whole, "Ana Kroll")])],
        steps=standard_steps(),
    )
    assert len(set(_quotation_ids(store).values())) == 1
    [summary] = store.quotations()
    assert summary.occurrence_count == 3
    assert summary.text == whole


def test_reindex_rebuilds_the_same_groups(store: Store) -> None:
    fragment = "nobody gets to stand in it with a key"
    store.add_articles(
        [
            item(f"{prose(1)} “{KEY}.” {prose(2)}", [Said(KEY, "Ana Kroll")]),
            item(f"{prose(3)} “{fragment}”. {prose(4)}", [Said(fragment, "Ana Kroll")]),
            item(f"{prose(5)} “{KEY}.” {prose(6)}", [Said(KEY, "Samuel Oduya")]),
        ],
        steps=standard_steps(),
    )
    before = sorted(
        sorted(q.text for q in [store.quotation(s.id).summary])
        for s in store.quotations(min_occurrences=1)
    )
    assert reindex_stories(store) == 3
    after = sorted(
        sorted(q.text for q in [store.quotation(s.id).summary])
        for s in store.quotations(min_occurrences=1)
    )
    assert before == after
    assert [s.occurrence_count for s in store.quotations()] == [2]


def test_listing_filters_and_errors(store: Store) -> None:
    store.add_articles(
        [
            item(f"{prose(1)} “{KEY}.” {prose(2)}", [Said(KEY, "Ana Kroll")]),
            item(f"{prose(3)} “{KEY}.” {prose(4)}", [Said(KEY, "Ana Kroll")]),
        ],
        steps=standard_steps(),
    )
    assert len(store.quotations(speaker="ana kroll")) == 1
    assert store.quotations(speaker="Vera Lind") == []
    assert store.quotations(min_occurrences=3) == []
    with pytest.raises(BadQuery):
        store.quotations(limit=-1)
    with pytest.raises(NotFound, match="OR404"):
        store.quotation(999)
    with pytest.raises(NotFound):
        store.origin(999)
    with pytest.raises(NotFound):
        store.quotation_of_quote(999)


def test_a_fragment_found_in_two_statements_joins_one_and_merges_nothing(store: Store) -> None:
    tail = "and we will say so at every meeting until it changes"
    first = f"We will not accept a levy that leaves Orvik paying for the ferry, {tail}"
    second = f"Nobody in Orvik voted for a toll that puts the bridge before families, {tail}"
    fragment = f"paying for the ferry, {tail}"
    store.add_articles(
        [
            item(f"{prose(1)} “{first}.” {prose(2)}", [Said(first, "Ana Kroll")]),
            item(f"{prose(3)} “{second}.” {prose(4)}", [Said(second, "Ana Kroll")]),
        ],
        steps=standard_steps(),
    )
    store.add_articles(
        [item(f"{prose(5)} “{fragment}.” {prose(6)}", [Said(fragment, "Ana Kroll")])],
        steps=standard_steps(),
    )
    ids = _quotation_ids(store)
    assert ids[first, "Ana Kroll"] != ids[second, "Ana Kroll"]
    assert ids[fragment, "Ana Kroll"] == ids[first, "Ana Kroll"]


def test_a_chain_of_small_edits_does_not_join_different_statements(store: Store) -> None:
    first = "the joint budget ignored the concerns of people living near the ferry terminal"
    edited = "the joint budget ignored the worries of people living near the ferry terminal"
    other = "the joint budget ignored the worries of people living near the old rail depot"
    store.add_articles(
        [
            item(f"{prose(1)} “{first}.” {prose(2)}", [Said(first, "Ana Kroll")]),
            item(f"{prose(3)} “{edited}.” {prose(4)}", [Said(edited, "Ana Kroll")]),
            item(f"{prose(5)} “{other}.” {prose(6)}", [Said(other, "Ana Kroll")]),
        ],
        steps=standard_steps(),
    )
    ids = _quotation_ids(store)
    assert ids[first, "Ana Kroll"] == ids[edited, "Ana Kroll"]
    assert ids[other, "Ana Kroll"] != ids[first, "Ana Kroll"]


def test_quotation_and_story_counts_match_their_lists(store: Store) -> None:
    first = f"{prose(1)} Kroll said: “{KEY}.” {prose(2)}"
    second = f"{prose(3)} She added: “{KEY}.” {prose(4)}"
    store.add_articles(
        [
            item(first, [Said(KEY, "Ana Kroll")], outlet="Corvel Courier"),
            item(second, [Said(KEY, "Ana Kroll")], outlet="Tidewire"),
        ],
        steps=standard_steps(),
    )
    assert store.quotation_count() == len(store.quotations()) == 1
    assert store.quotation_count(speaker="Ana Kroll") == 1
    assert store.quotation_count(speaker="nobody by this name") == 0
    assert store.quotation_count(min_occurrences=3) == len(store.quotations(min_occurrences=3))
    assert store.story_count() == len(store.stories())
    assert store.story_count(min_articles=1) == len(store.stories(min_articles=1, limit=100))
