"""The query layer: statements compiled per dialect, and text with ``?``, ``%`` and ``:`` in
it, stored, read back and searched on both backends."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.store.conftest import Said

from onrecord.errors import IngestError
from onrecord.models import ExtractedArticle
from onrecord.store import Store
from onrecord.store._query import run

MakeItem = Callable[..., ExtractedArticle]

MARKS = ("?", "%", "%s", "%(name)s", ":name", "??", "50%?")
STORE = Path(__file__).resolve().parents[2] / "src" / "onrecord" / "store"
# The connections themselves: they hand the query layer's compiled text to their driver.
DRIVERS = {"_connection.py", "_postgres.py"}


def test_only_the_connections_call_the_driver_with_sql_text() -> None:
    callers = set()
    for path in STORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("execute", "executemany")
            ):
                callers.add(path.name)
    assert "_connection.py" in callers  # the scan sees calls at all
    assert callers <= DRIVERS, callers - DRIVERS


@pytest.mark.parametrize("value", MARKS)
def test_literals_and_parameters_with_placeholder_marks_come_back_unchanged(
    store: Store, value: str
) -> None:
    # A literal '?' or '%' in the SQL text is text, not a parameter, on either dialect.
    statement = text("SELECT '?' || :value || '%', '50%?'")
    row = run(store._conn, statement, {"value": value}).fetchone()
    assert tuple(row) == (f"?{value}%", "50%?")


def test_stored_text_with_placeholder_marks_reads_back_and_is_found(
    store: Store, make_item: MakeItem, said: type[Said]
) -> None:
    body = (
        'Renner said "Who pays 40% of the dam? Nobody asks :name or %(name)s." '
        "The council met on Monday."
    )
    quote = '"Who pays 40% of the dam? Nobody asks :name or %(name)s."'
    item = make_item(body, [said(quote, "Ilse Renner")], outlet="Tide % Wire?")
    store.add_articles([item])
    assert store.article(item.article.id) == item
    hits = store.search("dam?")
    assert [hit.text for hit in hits] == [quote]
    assert [hit.text for hit in store.search("40%")] == [quote]
    assert [hit.outlet for hit in store.search("pays", outlet="tide % wire?")] == ["Tide % Wire?"]


def test_rejects_with_placeholder_marks_read_back(store: Store) -> None:
    errors = [
        IngestError(item="feed?page=2&q=50%", reason="why? 100% broken"),
        IngestError(item="notes:name.txt", reason="%(reason)s"),
    ]
    assert store.record_rejects("run?%", errors) == 2
    found = store.rejects(run_id="run?%")
    assert [(reject.item, reject.reason) for reject in found] == [
        ("feed?page=2&q=50%", "why? 100% broken"),
        ("notes:name.txt", "%(reason)s"),
    ]
    assert store.rejects(run_id="run?") == []


def test_stance_rows_with_placeholder_marks(store: Store) -> None:
    rows = store.stance_rows()
    rows["rules:12:50%?"] = '{"stance": "?%"}'
    rows["rules:12:50%?"] = '{"stance": "%s"}'
    assert rows["rules:12:50%?"] == '{"stance": "%s"}'
    assert list(rows) == ["rules:12:50%?"]
    del rows["rules:12:50%?"]
    assert len(rows) == 0
