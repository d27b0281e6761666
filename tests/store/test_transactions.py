"""The one transaction helper and its savepoints, on both backends."""

from __future__ import annotations

import threading
import time
from contextlib import AbstractContextManager

import pytest
from sqlalchemy import text

from onrecord.store import Store
from onrecord.store._connection import Connection, savepoint, transaction
from onrecord.store._query import run

ADD_OUTLET = text("INSERT INTO outlets (name) VALUES (:name)")


class Planned(Exception):
    """Raised on purpose inside a transaction."""


def _outlets(store: Store) -> list[str]:
    rows = run(store._conn, text("SELECT name FROM outlets ORDER BY name"))
    return [str(row[0]) for row in rows]


def _add_then_fail(store: Store, name: str, block: str) -> None:
    manager = transaction if block == "transaction" else _test_savepoint
    with manager(store._conn):
        run(store._conn, ADD_OUTLET, {"name": name})
        raise Planned


def _test_savepoint(conn: Connection) -> AbstractContextManager[None]:
    return savepoint(conn, "onrecord_test")


def test_a_transaction_commits_when_its_block_ends(store: Store) -> None:
    with transaction(store._conn):
        run(store._conn, ADD_OUTLET, {"name": "Harbour Post"})
    assert _outlets(store) == ["Harbour Post"]


def test_a_raise_undoes_the_whole_transaction(store: Store) -> None:
    with pytest.raises(Planned):
        _add_then_fail(store, "Harbour Post", "transaction")
    assert _outlets(store) == []
    with transaction(store._conn):
        run(store._conn, ADD_OUTLET, {"name": "Valley Star"})
    assert _outlets(store) == ["Valley Star"]


def test_a_savepoint_undoes_only_its_part(store: Store) -> None:
    with transaction(store._conn):
        run(store._conn, ADD_OUTLET, {"name": "Harbour Post"})
        with pytest.raises(Planned):
            _add_then_fail(store, "Valley Star", "savepoint")
        with savepoint(store._conn, "onrecord_test"):
            run(store._conn, ADD_OUTLET, {"name": "Coast Daily"})
    assert _outlets(store) == ["Coast Daily", "Harbour Post"]


def test_a_second_writer_waits_for_the_first(store_target: str) -> None:
    order: list[str] = []
    holding = threading.Event()

    def first() -> None:
        with Store.open(store_target) as store, transaction(store._conn):
            run(store._conn, ADD_OUTLET, {"name": "Harbour Post"})
            holding.set()
            time.sleep(0.5)
            order.append("first commits")

    with Store.open(store_target) as second:
        thread = threading.Thread(target=first)
        thread.start()
        assert holding.wait(30)
        with transaction(second._conn):
            order.append("second writes")
            run(second._conn, ADD_OUTLET, {"name": "Valley Star"})
        thread.join()
        assert order == ["first commits", "second writes"]
        assert _outlets(second) == ["Harbour Post", "Valley Star"]
