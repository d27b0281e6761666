"""A mixed batch of good and hostile inputs: every good item kept whole, every bad one
rejected once with its reason, listed in the rejects table, and nothing crashes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType

import pytest

from onrecord.store import Store
from tests.reliability.conftest import run_cli


@pytest.mark.slow
def test_ten_thousand_items_lose_no_statement(hostile: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "hostile"
    batch = hostile.generate(out, items=10_000, good_share=0.1, big_mb=2)
    goods = sum(1 for entry in batch.items.values() if entry["good"])
    assert len(batch.items) >= 10_000
    assert goods >= 1_000
    verdict = hostile.run(out, tmp_path / "batch.db")
    assert verdict.good_lost == []
    assert verdict.bad_missed == []
    assert verdict.wrong_reason == []
    assert verdict.unexpected_errors == []
    assert verdict.duplicate_errors == []
    assert verdict.good_kept == goods
    assert verdict.bad_rejected == len(batch.items) - goods
    assert verdict.rejects_rows == verdict.bad_rejected


@pytest.mark.slow
def test_cli_gives_one_error_line_per_bad_item_and_lists_rejects(
    hostile: ModuleType, tmp_path: Path
) -> None:
    out = tmp_path / "hostile"
    batch = hostile.generate(out, items=120, good_share=0.25, big_mb=2)
    db = tmp_path / "cli.db"
    result = run_cli("ingest", str(out / "items"), *batch.arguments, "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    bad = {item for item, entry in batch.items.items() if not entry["good"]}
    good = {item for item, entry in batch.items.items() if entry["good"]}
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    # An error inside an archive names its record: "crawl.warc#record-1".
    named = [
        item
        for line in lines
        for item in batch.items
        if re.search(rf"\] {re.escape(item)}(#record-\d+)?: ", line)
    ]
    assert sorted(named) == sorted(bad)
    assert len(lines) == len(bad)
    assert result.stdout.startswith(
        f"{len(good)} ingested, 0 skipped (already stored), {len(bad)} failed"
    )

    listed = run_cli("rejects", "--db", str(db), "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert sorted(row["item"].split("#")[0] for row in rows) == sorted(bad)
    assert {row["run_id"] for row in rows} == {rows[0]["run_id"]}
    assert all(row["code"].startswith("OR1") and row["reason"] for row in rows)
    by_item = {row["item"].split("#")[0]: row for row in rows}
    for item in bad:
        assert batch.items[item]["reason"] in by_item[item]["reason"]

    with Store.open(db) as store:
        sources = {item.article.source for item in store.iter_articles()}
    assert sources == good

    again = run_cli("ingest", str(out / "items"), *batch.arguments, "--db", str(db), cwd=tmp_path)
    assert again.returncode == 1
    assert again.stdout.startswith(f"0 ingested, {len(good)} skipped (already stored)")
    table = run_cli("rejects", "--db", str(db), cwd=tmp_path)
    assert table.stdout.rstrip().endswith(f"{2 * len(bad)} rejected item(s)")


def test_a_clean_run_records_no_rejects(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    with Store.open(db) as store:
        assert store.record_rejects("run1", []) == 0
        assert store.rejects() == []
