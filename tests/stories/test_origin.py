"""Relay chains and dates -> the first outlet of a statement and who relayed it."""

from __future__ import annotations

from datetime import date

import pytest

from onrecord.stories import Occurrence, trace_origin


def occ(
    quote_id: int,
    outlet: str | None,
    published: date | None,
    via: tuple[str, ...] = (),
    order: int | None = None,
) -> Occurrence:
    return Occurrence(
        quote_id=quote_id,
        article_id=f"a{quote_id}",
        text="nobody gets to stand in it with a key",
        kind="direct",
        speaker="Ana Kroll",
        outlet=outlet,
        published=published,
        via=via,
        title=None,
        url=None,
        source=f"{quote_id}.txt",
        ingested_order=order if order is not None else quote_id,
    )


def test_demo_chain() -> None:
    origin = trace_origin(
        7,
        "Ana Kroll",
        [
            occ(4, "Channel Nine", date(2026, 7, 2), ("Corvel Courier",)),
            occ(3, "Morning Ledger", date(2026, 3, 14), ("Corvel Courier", "Tidewire")),
            occ(2, "Tidewire", date(2026, 3, 11), ("Corvel Courier",)),
            occ(1, "Corvel Courier", date(2026, 3, 10)),
        ],
    )
    assert origin.first.outlet == "Corvel Courier"
    assert origin.first.article_id == "a1"
    assert origin.first.is_stored
    assert [r.outlet for r in origin.relays] == ["Tidewire", "Morning Ledger", "Channel Nine"]
    assert [r.relayed_from for r in origin.relays] == [
        "Corvel Courier",
        "Tidewire",
        "Corvel Courier",
    ]
    edges = {(e.source, e.target): e for e in origin.edges}
    assert set(edges) == {
        ("Ana Kroll", "Corvel Courier"),
        ("Corvel Courier", "Tidewire"),
        ("Tidewire", "Morning Ledger"),
        ("Corvel Courier", "Channel Nine"),
    }
    assert edges["Corvel Courier", "Tidewire"].published == date(2026, 3, 11)
    assert not any(e.is_inferred for e in origin.edges)
    assert origin.to_dict()["first"]["published"] == "2026-03-10"


def test_first_outlet_named_by_relays_but_not_stored() -> None:
    origin = trace_origin(
        1,
        "Vera Lind",
        [
            occ(1, "Tidewire", date(2026, 2, 3), ("Radio Marren",)),
            occ(2, "Morning Ledger", date(2026, 2, 4), ("Radio Marren", "Tidewire")),
        ],
    )
    assert origin.first.outlet == "Radio Marren"
    assert not origin.first.is_stored
    assert origin.first.published is None
    assert [r.outlet for r in origin.relays] == ["Tidewire", "Morning Ledger"]


def test_without_chains_the_earliest_wins_and_edges_are_inferred() -> None:
    origin = trace_origin(
        1,
        None,
        [
            occ(1, "Late", date(2026, 5, 2)),
            occ(2, "Undated", None),
            occ(3, "Early B", date(2026, 5, 1), order=9),
            occ(4, "Early A", date(2026, 5, 1), order=5),
        ],
    )
    assert origin.first.outlet == "Early A"
    assert [r.outlet for r in origin.relays] == ["Early B", "Late", "Undated"]
    inferred = [(e.source, e.target) for e in origin.edges if e.is_inferred]
    assert inferred == [("Early A", "Early B"), ("Early A", "Late"), ("Early A", "Undated")]


def test_own_outlet_in_chain_is_not_its_source() -> None:
    origin = trace_origin(
        1, "Vera Lind", [occ(1, "Radio Marren", date(2026, 2, 18), ("Radio Marren",))]
    )
    assert origin.first.outlet == "Radio Marren"
    assert origin.relays == ()


def test_no_occurrences_is_an_error() -> None:
    with pytest.raises(ValueError, match="no origin"):
        trace_origin(1, None, [])


def test_outlet_names_and_domains_are_the_same_outlet() -> None:
    origin = trace_origin(
        1,
        "Ana Kroll",
        [
            occ(1, "corvelcourier.example", date(2026, 3, 10)),
            occ(2, "Tidewire", date(2026, 3, 11), ("The Corvel Courier",)),
        ],
    )
    assert origin.first.outlet == "corvelcourier.example"
    assert origin.first.is_stored
    assert [(e.source, e.target) for e in origin.edges] == [
        ("Ana Kroll", "corvelcourier.example"),
        ("The Corvel Courier", "Tidewire"),
    ]
