"""One bad item never costs the run: the guard around every step, the store's own failures,
counts that match what was stored, and long articles parsed in pieces."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from onrecord import pipeline
from onrecord.config import Settings
from onrecord.errors import IngestError, StoreFull
from onrecord.extract import Extractor
from onrecord.models import ExtractedArticle, RawDocument
from onrecord.pipeline import extract_paths, store_outcomes, text_pieces
from onrecord.store import Store
from onrecord.store._query import run


def article(number: int) -> str:
    return (
        f"Council item {number}\n\nLINDHAVEN (Tidewire) - Mara Velin arrived on Monday.\n\n"
        f'"We will reopen the bridge number {number} before winter," Mara Velin told reporters.\n'
    )


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "items"
    folder.mkdir()
    for number in range(3):
        (folder / f"good_{number}.txt").write_text(article(number), encoding="utf-8")
    (folder / "deep.jsonl").write_text(
        json.dumps({"text": article(10)}) + "\n" + "[" * 1000 + "]" * 1000 + "\n"
    )
    (folder / os.fsdecode(b"named\xff.txt")).write_bytes(article(20).encode())
    (folder / "empty.txt").write_text("")
    return folder


def test_a_run_keeps_every_good_article_and_counts_what_it_stored(
    tmp_path: Path, extractor: Extractor
) -> None:
    folder = _folder(tmp_path)
    seen: list[str] = []
    settings = Settings(batch_size=2)
    with Store.open(tmp_path / "a.db") as store:
        summary = store_outcomes(
            extract_paths([str(folder)], extractor, settings),
            store,
            settings.batch_size,
            on_error=lambda error: seen.append(error.item),
        )
        stored = list(store.iter_articles())
        rejects = store.rejects(run_id=summary.run_id)
        again = store_outcomes(
            extract_paths([str(folder)], extractor, settings), store, settings.batch_size
        )
    assert summary.ingested == 5
    assert {item.article.source for item in stored} == {
        *(str(folder / f"good_{n}.txt") for n in range(3)),
        f"{folder}/deep.jsonl:1",
        f"{folder}/named\\xff.txt",
    }
    assert summary.quotes == sum(len(item.quotes) for item in stored) > 0
    assert sorted(seen) == sorted(error.item for error in summary.errors)
    assert sorted(seen) == sorted([f"{folder}/deep.jsonl:2", str(folder / "empty.txt")])
    assert sorted(row.item for row in rejects) == sorted(seen)
    assert (again.ingested, again.skipped, again.quotes) == (0, 5, 0)


def test_an_error_line_is_handed_on_before_the_run_reads_further(
    tmp_path: Path, extractor: Extractor
) -> None:
    events: list[str] = []

    def outcomes() -> Iterator[ExtractedArticle | IngestError]:
        events.append("yield error")
        yield IngestError("bad.txt", "the file is empty")
        events.append("read on")

    with Store.open(tmp_path / "a.db") as store:
        store_outcomes(outcomes(), store, 4, on_error=lambda e: events.append(f"report {e.item}"))
    assert events == ["yield error", "report bad.txt", "read on"]


def test_a_run_that_breaks_off_stores_what_it_read_before(
    tmp_path: Path, extractor: Extractor
) -> None:
    docs = [RawDocument(f"item{n}", article(n), "text") for n in range(3)]

    def outcomes() -> Iterator[ExtractedArticle | IngestError]:
        yield from pipeline.extract_articles(docs, extractor, Settings())
        yield IngestError("bad.txt", "the file is empty")
        raise KeyboardInterrupt

    with Store.open(tmp_path / "a.db") as store:
        with pytest.raises(KeyboardInterrupt):
            store_outcomes(outcomes(), store, 64)
        assert len(list(store.iter_articles())) == 3
        assert [row.item for row in store.rejects()] == ["bad.txt"]


def test_an_exception_in_one_article_costs_that_article_only(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.resolve_quotes  # type: ignore[attr-defined]

    def fragile(article, doc, attributions):  # type: ignore[no-untyped-def]
        if article.source == "item1":
            raise RecursionError("maximum recursion depth exceeded")
        return real(article, doc, attributions)

    monkeypatch.setattr(pipeline, "resolve_quotes", fragile)
    docs = [RawDocument(f"item{n}", article(n), "text") for n in range(3)]
    outcomes = list(pipeline.extract_articles(docs, extractor, Settings()))
    errors = [o for o in outcomes if isinstance(o, IngestError)]
    assert [e.item for e in errors] == ["item1"]
    assert "nested too deeply" in errors[0].reason
    kept = [o.article.source for o in outcomes if isinstance(o, ExtractedArticle)]
    assert kept == ["item0", "item2"]


def test_a_full_disk_is_one_store_error_and_keeps_what_was_committed(
    tmp_path: Path, extractor: Extractor
) -> None:
    docs = [RawDocument(f"item{n}", article(n) * 40, "text") for n in range(40)]
    outcomes = pipeline.extract_articles(docs, extractor, Settings())
    items = [o for o in outcomes if isinstance(o, ExtractedArticle)]
    with Store.open(tmp_path / "a.db") as store:
        store.add_articles(items[:2])
        # SQLite's own size limit fails a write exactly as a full disk does (SQLITE_FULL).
        pages = run(store._conn, text("PRAGMA page_count")).fetchone()[0]
        store._conn.execute_verbatim(f"PRAGMA max_page_count = {pages + 8}")
        with pytest.raises(StoreFull) as caught:
            store_outcomes(iter(items[2:]), store, 8)
        assert caught.value.__cause__ is None
        assert caught.value.__suppress_context__
        assert "[OR205]" in str(caught.value)
        assert "\n" not in str(caught.value)
        assert len(list(store.iter_articles())) == 2


@pytest.mark.parametrize("size", [50, 200, 1000])
def test_text_pieces_join_back_into_the_text(size: int) -> None:
    text = "First paragraph here.\n\n" + "a long line of words " * 60 + "x" * 700 + "\nend"
    pieces = text_pieces(text, size)
    assert "".join(pieces) == text
    assert all(0 < len(piece) <= size for piece in pieces)


def test_a_long_article_is_parsed_in_pieces_with_its_exact_text(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "PARSE_PIECE_CHARS", 600)
    long = "\n".join(article(n) for n in range(6))
    docs = [RawDocument("long", long, "text"), RawDocument("short", article(9), "text")]
    outcomes = list(pipeline.extract_articles(docs, extractor, Settings()))
    by_source = {o.article.source: o for o in outcomes if isinstance(o, ExtractedArticle)}
    assert set(by_source) == {"long", "short"}
    quotes = by_source["long"].quotes
    for quote in quotes:
        assert by_source["long"].article.text[quote.start : quote.end] == quote.text
    found = {n for n in range(6) for q in quotes if f"bridge number {n} " in q.text}
    assert found == set(range(6))
