"""Hand edits of speaker identity: merge, split, their recorded history, and re-ingest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from onrecord.errors import BadQuery, NotFound
from onrecord.models import ExtractedArticle
from onrecord.store import Store

MakeItem = Callable[..., ExtractedArticle]
ALIASES = {"Ana Kroll": ["A. Kroll"]}


def _clock() -> datetime:
    return datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _article(make_item: MakeItem, said: Any, name: str, n: int, **fields: Any) -> ExtractedArticle:
    text = f"{name} said point number {n} stands."
    return make_item(text, [said(f"point number {n} stands", name, **fields)], **_dated(n))


def _dated(n: int) -> dict[str, date]:
    return {"published": date(2026, 1, 1 + n)}


def _quote_speakers(store: Store) -> dict[str, str | None]:
    return {hit.text: hit.speaker for hit in store.iter_quotes()}


@pytest.fixture
def pinned_store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "edits.db", aliases=ALIASES, now=_clock)
    return store


def test_merge_moves_quotes_and_aliases_and_records_the_edit(
    store: Store, make_item: MakeItem, said: Any
) -> None:
    store.add_articles(
        [
            _article(make_item, said, "Idris Talvik", 0),
            _article(make_item, said, "Harbourmaster Talvik", 1),
        ]
    )
    assert len(store.speakers()) == 2

    edit = store.merge_speakers("Idris Talvik", "Harbourmaster Talvik")

    (summary,) = store.speakers()
    assert summary.name == "Idris Talvik"
    assert summary.quote_count == 2
    assert "Harbourmaster Talvik" in summary.aliases
    assert set(_quote_speakers(store).values()) == {"Idris Talvik"}
    assert edit.action == "merge"
    assert [s["name"] for s in edit.before["speakers"]] == [  # type: ignore[attr-defined]
        "Idris Talvik",
        "Harbourmaster Talvik",
    ]
    assert edit.after["speaker"]["quote_count"] == 2  # type: ignore[index]
    assert [e.id for e in store.actor_edits()] == [edit.id]


def test_merge_into_the_second_keeps_its_name(store: Store, make_item: MakeItem, said: Any) -> None:
    store.add_articles(
        [_article(make_item, said, "Talvik", 0), _article(make_item, said, "Ida Marr", 1)]
    )
    store.merge_speakers("Talvik", "Ida Marr", into="Ida Marr")

    (summary,) = store.speakers()
    assert summary.name == "Ida Marr"
    assert store.speaker("Talvik").summary.name == "Ida Marr"


def test_merge_refuses_one_speaker_and_unknown_names(
    store: Store, make_item: MakeItem, said: Any
) -> None:
    store.add_articles([_article(make_item, said, "Ida Marr", 0)])
    with pytest.raises(BadQuery, match="already the same speaker"):
        store.merge_speakers("Ida Marr", "ida marr")
    with pytest.raises(NotFound, match="Nobody"):
        store.merge_speakers("Ida Marr", "Nobody")
    store.add_articles(
        [_article(make_item, said, "Ola Ferr", 1), _article(make_item, said, "Kai", 2)]
    )
    with pytest.raises(BadQuery, match="third speaker"):
        store.merge_speakers("Ida Marr", "Kai", into="Ola Ferr")
    assert store.actor_edits() == []


def test_split_moves_the_spelling_and_its_quotes(
    pinned_store: Store, make_item: MakeItem, said: Any
) -> None:
    pinned_store.add_articles(
        [
            _article(make_item, said, "Ana Kroll", 0),
            _article(make_item, said, "A. Kroll", 1),
        ]
    )
    assert set(_quote_speakers(pinned_store).values()) == {"Ana Kroll"}

    edit = pinned_store.split_speaker("Ana Kroll", "A. Kroll", new_name="Adam Kroll")

    assert _quote_speakers(pinned_store) == {
        "point number 0 stands": "Ana Kroll",
        "point number 1 stands": "Adam Kroll",
    }
    assert pinned_store.speaker("A. Kroll").summary.name == "Adam Kroll"
    assert edit.after["new"]["quote_count"] == 1  # type: ignore[index]
    assert edit.before["speaker"]["quote_count"] == 2  # type: ignore[index]
    assert edit.args == {"name": "Ana Kroll", "alias": "A. Kroll", "as": "Adam Kroll"}


def test_split_survives_reopening_with_the_alias_file_and_new_articles(
    pinned_store: Store, make_item: MakeItem, said: Any, tmp_path: Path
) -> None:
    pinned_store.add_articles(
        [_article(make_item, said, "Ana Kroll", 0), _article(make_item, said, "A. Kroll", 1)]
    )
    pinned_store.split_speaker("Ana Kroll", "A. Kroll")
    pinned_store.close()

    # The alias file still pins "A. Kroll" to Ana Kroll; the recorded edit wins.
    with Store.open(tmp_path / "edits.db", aliases=ALIASES) as store:
        store.add_articles(
            [
                _article(make_item, said, "A. Kroll", 2),
                _article(make_item, said, "Ana Kroll", 3),
            ]
        )
        speakers = _quote_speakers(store)
        assert speakers["point number 1 stands"] == "A. Kroll"
        assert speakers["point number 2 stands"] == "A. Kroll"
        assert speakers["point number 3 stands"] == "Ana Kroll"
        assert [e.action for e in store.actor_edits("A. Kroll")] == ["split"]


def test_split_refuses_the_canonical_name_and_foreign_spellings(
    pinned_store: Store, make_item: MakeItem, said: Any
) -> None:
    pinned_store.add_articles(
        [_article(make_item, said, "Ana Kroll", 0), _article(make_item, said, "Ida Marr", 1)]
    )
    with pytest.raises(BadQuery, match="canonical name"):
        pinned_store.split_speaker("Ana Kroll", "ana kroll")
    with pytest.raises(NotFound, match="not a spelling"):
        pinned_store.split_speaker("Ana Kroll", "Ida Marr")
    with pytest.raises(BadQuery, match="exists already"):
        pinned_store.split_speaker("Ana Kroll", "A. Kroll", new_name="Ida Marr")
    assert pinned_store.actor_edits() == []


def test_history_filters_by_name_and_reads_as_json(
    pinned_store: Store, make_item: MakeItem, said: Any
) -> None:
    pinned_store.add_articles(
        [
            _article(make_item, said, "Ana Kroll", 0),
            _article(make_item, said, "A. Kroll", 1),
            _article(make_item, said, "Ida Marr", 2),
            _article(make_item, said, "Marr", 3),
        ]
    )
    split = pinned_store.split_speaker("Ana Kroll", "A. Kroll")
    merge = pinned_store.merge_speakers("Ana Kroll", "A. Kroll")

    assert [e.id for e in pinned_store.actor_edits()] == [split.id, merge.id]
    assert pinned_store.actor_edits("Ida Marr") == []
    assert merge.to_dict()["edited_at"] == "2026-11-25T12:00:00+00:00"
    assert set(_quote_speakers(pinned_store).values()) == {"Ana Kroll", "Ida Marr"}


def test_roles_span_the_dates_they_were_quoted_in(
    store: Store, make_item: MakeItem, said: Any
) -> None:
    store.add_articles(
        [
            _article(make_item, said, "Ida Marr", 0, role="Minister", org="Veldora"),
            _article(make_item, said, "Ida Marr", 4, role="Minister", org="Veldora"),
            _article(make_item, said, "Ida Marr", 9, role="Ambassador", org="Veldora"),
        ]
    )
    roles = [
        (r.role, r.first_date, r.last_date, r.quote_count) for r in store.speaker_roles("ida marr")
    ]
    assert roles == [
        ("Minister", date(2026, 1, 1), date(2026, 1, 5), 2),
        ("Ambassador", date(2026, 1, 10), date(2026, 1, 10), 1),
    ]
    (actor,) = store.actors()
    assert [r.role for r in actor.roles] == ["Minister", "Ambassador"]
