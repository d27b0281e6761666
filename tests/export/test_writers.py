"""JSONL, CSV and Parquet writers, each read back with its own reader."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from onrecord.export import (
    QUOTE_FIELDS,
    article_to_contract,
    hit_to_dict,
    write_csv,
    write_jsonl,
    write_parquet,
)
from onrecord.models import ExtractedArticle
from onrecord.store import Store


def test_jsonl_of_stored_quotes_round_trips(store: Store) -> None:
    hits = list(store.iter_quotes())
    buffer = io.StringIO()
    assert write_jsonl(hits, buffer) == len(hits) == 4
    lines = buffer.getvalue().splitlines()
    assert len(lines) == len(hits)
    for line, hit in zip(lines, hits, strict=True):
        row = json.loads(line)
        assert list(row) == list(QUOTE_FIELDS)
        expected = hit_to_dict(hit)
        expected["published"] = hit.published.isoformat() if hit.published else None
        assert row == expected


def test_jsonl_of_contract_objects_round_trips(
    item: ExtractedArticle, undated_item: ExtractedArticle
) -> None:
    rows = [article_to_contract(item), article_to_contract(undated_item)]
    buffer = io.StringIO()
    write_jsonl(rows, buffer)
    assert [json.loads(line) for line in buffer.getvalue().splitlines()] == rows
    assert "said: “Taxes" in buffer.getvalue()


def test_csv_round_trips(store: Store) -> None:
    hits = list(store.iter_quotes())
    buffer = io.StringIO(newline="")
    assert write_csv(hits, buffer) == 4
    buffer.seek(0)
    rows = list(csv.DictReader(buffer))
    assert len(rows) == len(hits)
    for row, hit in zip(rows, hits, strict=True):
        assert list(row) == list(QUOTE_FIELDS)
        assert row["text"] == hit.text
        assert int(row["start"]) == hit.start
        assert int(row["end"]) == hit.end
        assert float(row["confidence"]) == hit.confidence
        assert row["speaker"] == (hit.speaker or "")
        assert row["published"] == (hit.published.isoformat() if hit.published else "")
        assert row["via"] == " > ".join(hit.via)
        assert row["title"] == (hit.title or "")
    assert rows[1]["via"] == "Reuters > Daily Ledger"


def test_parquet_round_trips(store: Store, tmp_path: Path) -> None:
    hits = list(store.iter_quotes())
    path = tmp_path / "quotes.parquet"
    assert write_parquet(hits, path) == 4
    table = pq.read_table(path)
    assert table.column_names == list(QUOTE_FIELDS)
    assert table.to_pylist() == [hit_to_dict(hit) for hit in hits]
    assert table.column("published").to_pylist()[0] == date(2024, 3, 5)
    assert table.column("via").to_pylist()[1] == ["Reuters", "Daily Ledger"]


def test_parquet_with_no_quotes_has_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    assert write_parquet([], path) == 0
    table = pq.read_table(path)
    assert table.num_rows == 0
    assert table.column_names == list(QUOTE_FIELDS)
