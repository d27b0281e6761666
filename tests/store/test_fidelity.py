"""Quote fidelity kept by the store after each batch, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from tests.store.conftest import EmptyingStep, Said

from onrecord.derive import FidelityStep, QuotationsStep, reindex_stories, standard_steps
from onrecord.errors import BadQuery, NotFound
from onrecord.models import ExtractedArticle
from onrecord.store import Store

FIRST = '"We will not close the north dam before June, whatever the council decides."'
FIRST_TEXT = f"Mara Velin spoke on Monday. {FIRST} Velin told the Daily Ledger."
ALTERED = '"We will close the north dam before June, whatever the council decides."'
FAITHFUL = "“we won't close the North dam before June, whatever the council decides”"
SWAPPED = FIRST


def _first(make_item: Callable[..., ExtractedArticle], said: type[Said]) -> ExtractedArticle:
    return make_item(
        FIRST_TEXT, [said(FIRST, "Mara Velin")], outlet="Daily Ledger", published=date(2024, 5, 1)
    )


def _relay(
    make_item: Callable[..., ExtractedArticle],
    said: type[Said],
    quote: str,
    speaker: str,
    outlet: str,
    day: int,
) -> ExtractedArticle:
    text = f"{speaker} spoke again. {quote} {speaker.split()[-1]} said, the Daily Ledger reported."
    return make_item(
        text,
        [said(quote, speaker, via=("Daily Ledger",))],
        outlet=outlet,
        published=date(2024, 5, day),
    )


def test_findings_after_each_batch(
    store: Store, make_item: Callable[..., ExtractedArticle], said: type[Said]
) -> None:
    store.add_articles([_first(make_item, said)], steps=standard_steps())
    assert store.fidelity() == []
    store.add_articles(
        [_relay(make_item, said, ALTERED, "Mara Velin", "Harbour Post", 2)], steps=standard_steps()
    )
    store.add_articles(
        [_relay(make_item, said, FAITHFUL, "Mara Velin", "Tide Wire", 3)], steps=standard_steps()
    )
    store.add_articles(
        [_relay(make_item, said, SWAPPED, "Tomas Brek", "Radio Vell", 4)], steps=standard_steps()
    )
    found = store.fidelity()
    kinds = {(f.occurrence.outlet, f.kind) for f in found}
    assert kinds == {("Harbour Post", "negation_changed"), ("Radio Vell", "speaker_changed")}
    negation = next(f for f in found if f.kind == "negation_changed")
    assert negation.origin.outlet == "Daily Ledger"
    assert negation.origin.published == date(2024, 5, 1)
    assert negation.origin_words == "not"
    assert negation.copy_words == ""
    assert negation.severity == "high"
    swap = next(f for f in found if f.kind == "speaker_changed")
    assert (swap.origin_words, swap.copy_words) == ("Mara Velin", "Tomas Brek")
    assert swap.occurrence.quotation_id != swap.origin.quotation_id


def test_quotation_section_and_filters(
    store: Store, make_item: Callable[..., ExtractedArticle], said: type[Said]
) -> None:
    store.add_articles(
        [
            _first(make_item, said),
            _relay(make_item, said, ALTERED, "Mara Velin", "Harbour Post", 2),
            _relay(make_item, said, FAITHFUL, "Mara Velin", "Tide Wire", 3),
        ],
        steps=standard_steps(),
    )
    origin_hit = store.search("north dam", outlet="Daily Ledger")[0]
    items = store.quotation_fidelity(store.quotation_of_quote(origin_hit.quote_id))
    assert [item.occurrence.outlet for item in items] == ["Harbour Post", "Tide Wire"]
    assert items[0].classification == ("negation_changed",)
    assert items[1].classification == ("identical",)
    assert [op.op for op in items[0].diff] == ["equal", "delete", "equal"]
    assert items[0].diff[1].origin == "not"
    altered = store.search(is_altered=True)
    assert {hit.outlet for hit in altered} == {"Daily Ledger", "Harbour Post"}
    assert len(store.search()) == 3
    assert store.fidelity(severity="high", kind="negation_changed")
    assert store.fidelity(kind="trimmed") == []
    assert store.fidelity(speaker="Velin")
    assert store.fidelity(speaker="Nobody Known") == []
    assert store.fidelity(since=date(2024, 5, 3)) == []


def test_reindex_rebuilds_the_same_findings(
    store: Store, make_item: Callable[..., ExtractedArticle], said: type[Said]
) -> None:
    store.add_articles(
        [
            _first(make_item, said),
            _relay(make_item, said, ALTERED, "Mara Velin", "Harbour Post", 2),
        ],
        steps=standard_steps(),
    )

    def rows() -> list[tuple[object, ...]]:
        # Quotation ids are new after a rebuild; what was found, and where, is not.
        return [
            (f.kind, f.severity, f.origin_words, f.origin.quote_id, f.occurrence.quote_id)
            for f in store.fidelity()
        ]

    before = rows()
    reindex_stories(store)
    assert rows() == before
    assert before


def test_fidelity_can_be_left_off(
    store: Store, make_item: Callable[..., ExtractedArticle], said: type[Said]
) -> None:
    items = [_first(make_item, said), _relay(make_item, said, ALTERED, "Mara Velin", "Post", 2)]
    store.add_articles(items, steps=standard_steps(is_checking_fidelity=False))
    assert store.fidelity() == []


def test_steps_after_a_failing_one_wait_for_the_rebuild(
    store: Store,
    make_item: Callable[..., ExtractedArticle],
    said: type[Said],
    caplog: pytest.LogCaptureFixture,
) -> None:
    quotations, fidelity = QuotationsStep(), FidelityStep()
    items = [_first(make_item, said), _relay(make_item, said, ALTERED, "Mara Velin", "Post", 2)]
    result = store.add_articles(items, steps=(quotations, EmptyingStep(quotations), fidelity))
    assert result.added == 2
    assert "a failing step not updated for 2 articles" in caplog.text
    # Quotations were kept; fidelity, which reads them, did not run for the batch.
    assert [q.occurrence_count for q in store.quotations()] == [2]
    assert store.fidelity() == []
    assert store.rebuild_derived((quotations, fidelity)) == 2
    assert [f.occurrence.outlet for f in store.fidelity()] == ["Post"]


def test_bad_filters_say_what_to_use(store: Store) -> None:
    with pytest.raises(BadQuery, match=r"unknown severity 'severe'.*low, medium, high"):
        store.fidelity(severity="severe")
    with pytest.raises(BadQuery, match=r"unknown kind of finding 'typo'"):
        store.fidelity(kind="typo")
    with pytest.raises(NotFound):
        store.quotation_fidelity(999)
