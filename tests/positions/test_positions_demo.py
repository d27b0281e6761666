"""Positions over stored statements: linking, stance and shifts on demo-world statements."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from onrecord.models import Article, ExtractedArticle, Quote, Speaker
from onrecord.positions import (
    PositionModels,
    Shift,
    actor_of,
    compute_positions,
    detect_shifts,
    discover_quote_issues,
    load_catalogue,
    positions_for,
    timeline,
)
from onrecord.store import QuoteHit, Store

DEMO_CATALOGUE = Path(__file__).parents[2] / "data" / "issues.toml"
BREK = {"role": "spokesman", "org": "Harbour Alliance"}


@pytest.fixture(scope="module")
def demo_hits(make_hit: Callable[..., QuoteHit]) -> list[QuoteHit]:
    """Statements of the Tamsa talks with the dates they were published."""
    said = [
        (
            "Ana Kroll",
            date(2026, 3, 10),
            {},
            "Foreign monitors on our riverbanks are unacceptable. "
            "Not this month, not after the talks, not under any flag.",
        ),
        ("Ana Kroll", date(2026, 3, 20), {}, "Foreign monitors remained out of the question."),
        (
            "Ana Kroll",
            date(2026, 5, 18),
            {},
            "Foreign monitors on Veldoran soil, armed or unarmed, remained unacceptable.",
        ),
        (
            "Ana Kroll",
            date(2026, 6, 11),
            {},
            "Veldora is ready to accept unarmed international "
            "observers at the Kessel Dam, but only if they report to the Lowland Concord and only "
            "for the first two years of an agreement.",
        ),
        (
            "Tomas Brek",
            date(2026, 3, 2),
            BREK,
            "Veldora controls the tap. Veldora gives the "
            "guarantees. The Alliance will not offer guarantees of its own, because we are not the "
            "ones holding back the water.",
        ),
        (
            "Tomas Brek",
            date(2026, 4, 22),
            BREK,
            "Veldora gives binding guarantees on the water. "
            "We do not give guarantees in return, because we hold nothing back from anyone.",
        ),
        (
            "Tomas Brek",
            date(2026, 6, 18),
            BREK,
            "The Harbour Alliance is ready to offer Veldora "
            "reciprocal guarantees on port access, but only on a reciprocal basis.",
        ),
        (
            "Petra Hallin",
            date(2026, 4, 8),
            {},
            "The dam is Veldoran infrastructure, built with "
            "Veldoran money, and its releases are not negotiable.",
        ),
        ("Petra Hallin", date(2026, 4, 28), {}, "Dam releases were not on the table."),
        (
            "Petra Hallin",
            date(2026, 5, 12),
            {},
            "Veldora is ready to discuss a seasonal schedule for water releases from the "
            "Kessel Dam, but only on a reciprocal basis.",
        ),
        (
            "Samuel Oduya",
            date(2026, 2, 5),
            {},
            "Marrenland will not discuss any form of shared "
            "administration of Port Sallow at the coming talks.",
        ),
        (
            "Samuel Oduya",
            date(2026, 7, 9),
            {},
            "The port was never on the table, and it is not in this text.",
        ),
        (
            "Vera Lind",
            date(2026, 2, 18),
            {},
            "I will keep this table open for as long as there are two chairs at it.",
        ),
        (
            "Vera Lind",
            date(2026, 7, 9),
            {},
            "My job has been to keep the table open, not to decide what goes on it.",
        ),
        ("Hanne Vos", date(2026, 4, 1), {}, "The weather on the lower Tamsa was mild in April."),
    ]
    return [make_hit(text, who, day, **extra) for who, day, extra, text in said]


def shift_of(shifts: list[Shift], actor: str) -> Shift:
    [found] = [s for s in shifts if s.actor == actor]
    return found


def test_actor_of_spokesperson_is_the_body(demo_hits: list[QuoteHit]) -> None:
    assert actor_of(demo_hits[4]) == "Harbour Alliance"
    assert actor_of(demo_hits[0]) == "Ana Kroll"


def test_demo_shifts_and_non_shifts(models: PositionModels, demo_hits: list[QuoteHit]) -> None:
    catalogue = load_catalogue(DEMO_CATALOGUE)
    positions = positions_for(demo_hits, catalogue, models)
    assert not [p for p in positions if p.speaker == "Hanne Vos"]
    shifts = detect_shifts(positions)
    # Vera Lind's two statements are a known misreading (see the next test).
    assert {(s.actor, s.issue_id) for s in shifts if s.actor != "Vera Lind"} == {
        ("Ana Kroll", "dam-monitors"),
        ("Harbour Alliance", "alliance-guarantees"),
        ("Petra Hallin", "release-schedule"),
    }
    kroll = shift_of(shifts, "Ana Kroll")
    assert (kroll.before.stance, kroll.after.stance) == ("opposes", "conditional")
    assert kroll.after.act == "acceptance"
    assert kroll.held_since.published == date(2026, 3, 10)
    assert kroll.after.condition is not None
    assert "only if" in kroll.after.condition
    brek = shift_of(shifts, "Harbour Alliance")
    assert (brek.held_since.act, brek.after.act) == ("refusal", "offer")
    assert brek.after.speaker == "Tomas Brek"
    hallin = shift_of(shifts, "Petra Hallin")
    assert (hallin.before.stance, hallin.after.stance) == ("opposes", "conditional")
    oduya = timeline(positions, "Samuel Oduya", issue="port-administration")
    assert [p.stance for p in oduya] == ["opposes", "opposes"]


@pytest.mark.xfail(
    strict=True,
    reason="stance.crossencoder.v2 reads 'for as long as there are two chairs' as conditional "
    "and 'to keep the table open, not to decide what goes on it' as opposing (docs/positions.md)",
)
def test_demo_mediator_keeps_supporting_open_talks(
    models: PositionModels, demo_hits: list[QuoteHit]
) -> None:
    positions = positions_for(demo_hits, load_catalogue(DEMO_CATALOGUE), models)
    lind = timeline(positions, "Vera Lind", issue="talks-open")
    assert [p.stance for p in lind] == ["supports", "supports"]
    assert not [s for s in detect_shifts(positions) if s.actor == "Vera Lind"]


def test_stance_cache_is_filled_and_reused(
    models: PositionModels, demo_hits: list[QuoteHit]
) -> None:
    catalogue = load_catalogue(DEMO_CATALOGUE)
    cache: dict[str, object] = {}
    first = positions_for(demo_hits[:4], catalogue, models, cache=cache)  # type: ignore[arg-type]
    assert len(cache) == len(first) > 0
    again = positions_for(demo_hits[:4], catalogue, models, cache=cache)  # type: ignore[arg-type]
    assert again == first


def test_discovery_without_catalogue(models: PositionModels, demo_hits: list[QuoteHit]) -> None:
    positions = positions_for(demo_hits, None, models)
    discovered = discover_quote_issues(demo_hits, models)
    assert discovered
    assert {p.issue_id for p in positions} <= {d.id for d in discovered}
    refusals = {demo_hits[i].quote_id for i in range(3)}
    monitors = [d for d in discovered if len(refusals & set(d.quote_ids)) >= 2]
    assert monitors, [d.key_phrases for d in discovered]


def test_compute_positions_reads_the_store(models: PositionModels) -> None:
    text = (
        "Kroll rules out monitors. \u201cForeign monitors on our riverbanks are "
        "unacceptable,\u201d Ana Kroll said."
    )
    quote_text = "Foreign monitors on our riverbanks are unacceptable,"
    start = text.index(quote_text)
    item = ExtractedArticle(
        article=Article(
            id="k1",
            source="k1.txt",
            text=text,
            published=date(2026, 3, 10),
            outlet="Corvel Courier",
        ),
        quotes=(
            Quote(
                text=quote_text,
                start=start,
                end=start + len(quote_text),
                kind="direct",
                cue="said",
                confidence=0.9,
                speaker=Speaker(
                    name="Ana Kroll",
                    mention="Ana Kroll",
                    mention_start=None,
                    mention_end=None,
                    kind="person",
                ),
            ),
        ),
    )
    with Store.open(":memory:") as store:
        store.add_articles([item])
        index = compute_positions(store, DEMO_CATALOGUE, models)
    assert [(p.actor, p.issue_id, p.stance) for p in index.positions] == [
        ("Ana Kroll", "dam-monitors", "opposes")
    ]
    assert index.positions[0].outlet == "Corvel Courier"
    assert index.shifts == ()
    assert index.to_dict()["positions"][0]["published"] == "2026-03-10"
