"""Inserts that return ids: a new row, a conflict on its key, and no row at all, on both
backends."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from onrecord.models import ExtractedArticle
from onrecord.store import Store
from onrecord.store._connection import transaction
from onrecord.store._query import run
from onrecord.store._writes import insert_id, upsert_id

MakeItem = Callable[..., ExtractedArticle]


def _outlet(store: Store, name: str) -> int:
    with transaction(store._conn):
        return upsert_id(store._conn, "outlets", {"name": name}, key=("name",))


def test_upsert_returns_the_new_id_then_the_same_id_on_a_conflict(store: Store) -> None:
    first = _outlet(store, "Harbour Post")
    other = _outlet(store, "Valley Star")
    again = _outlet(store, "Harbour Post")
    assert first > 0
    assert other not in (0, first)
    assert again == first
    rows = run(store._conn, text("SELECT id, name FROM outlets ORDER BY id")).fetchall()
    assert [(int(row[0]), str(row[1])) for row in rows] == [
        (first, "Harbour Post"),
        (other, "Valley Star"),
    ]


def test_a_conflict_follows_the_key_collation(store: Store) -> None:
    # Outlet names compare without case on both backends (NOCASE / the nocase collation).
    first = _outlet(store, "Harbour Post")
    assert _outlet(store, "HARBOUR post") == first
    assert store.stats()["outlets"] == 1


def test_insert_returns_each_new_id(store: Store) -> None:
    with transaction(store._conn):
        ids = [insert_id(store._conn, "stories", {"size": size}) for size in (3, 1, 2)]
    assert len(set(ids)) == 3
    assert 0 not in ids
    rows = run(store._conn, text("SELECT id, size FROM stories ORDER BY id")).fetchall()
    assert sorted((int(row[0]), int(row[1])) for row in rows) == sorted(
        zip(ids, (3, 1, 2), strict=True)
    )


def test_articles_of_one_outlet_share_its_row(store: Store, make_item: MakeItem) -> None:
    items = [
        make_item("Oduya said the port stays open.", outlet="Daily Ledger"),
        make_item("Lind said the talks resume on Monday.", outlet="daily ledger"),
        make_item("Kroll said the monitors arrive in May.", outlet="Coast Daily"),
    ]
    store.add_articles(items)
    rows = run(
        store._conn,
        text(
            "SELECT o.name, COUNT(*) FROM articles a JOIN outlets o ON o.id = a.outlet_id "
            "GROUP BY o.name ORDER BY o.name"
        ),
    ).fetchall()
    assert [(str(row[0]), int(row[1])) for row in rows] == [("Coast Daily", 1), ("Daily Ledger", 2)]
