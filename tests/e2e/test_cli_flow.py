"""The real command line over the demo corpus: ingest -> search -> speakers -> export."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from tests.e2e.conftest import DEMO, run_cli

pytestmark = pytest.mark.e2e


def _all_hits(db: Path) -> list[dict[str, object]]:
    hits: list[dict[str, object]] = json.loads(
        run_cli(["search", "--db", str(db), "--limit", "1000", "--json"]).stdout
    )
    return hits


def test_reingest_is_idempotent(demo_db: Path) -> None:
    before = _all_hits(demo_db)
    again = run_cli(["ingest", str(DEMO), "--db", str(demo_db)])
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("0 ingested")
    after = _all_hits(demo_db)
    assert len(after) == len(before) > 50


def test_search_by_text_and_speaker(demo_db: Path) -> None:
    result = run_cli(["search", "monitors", "--speaker", "Kroll", "--db", str(demo_db), "--json"])
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits
    assert {hit["speaker"] for hit in hits} == {"Ana Kroll"}
    assert all("monitor" in hit["text"].lower() for hit in hits)


def test_search_filters_by_date_and_kind(demo_db: Path) -> None:
    result = run_cli(
        ["search", "--since", "2026-06-01", "--kind", "direct", "--db", str(demo_db), "--json"]
    )
    hits = json.loads(result.stdout)
    assert hits
    assert all(hit["published"] >= "2026-06-01" and hit["kind"] == "direct" for hit in hits)


def test_speaker_page_lists_statements_by_date(demo_db: Path) -> None:
    result = run_cli(["speaker", "ana kroll", "--db", str(demo_db), "--json"])
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["speaker"]["name"] == "Ana Kroll"
    dates = [q["published"] for q in record["quotes"] if q["published"]]
    assert dates == sorted(dates)
    assert any(q["via"] for q in record["quotes"])


def test_unknown_speaker_is_a_clear_error(demo_db: Path) -> None:
    result = run_cli(["speaker", "Nobody Atall", "--db", str(demo_db)])
    assert result.returncode == 1
    assert "Nobody Atall" in result.stderr
    assert "Traceback" not in result.stderr


def test_speakers_lists_people_with_roles(demo_db: Path) -> None:
    speakers = json.loads(run_cli(["speakers", "--db", str(demo_db), "--json"]).stdout)
    names = {s["name"] for s in speakers}
    assert {"Ana Kroll", "Samuel Oduya", "Tomas Brek"} <= names
    kroll = next(s for s in speakers if s["name"] == "Ana Kroll")
    assert "Minister" in (kroll["role"] or "")


def test_export_formats_round_trip(demo_db: Path, tmp_path: Path) -> None:
    jsonl = run_cli(["export", "--format", "jsonl", "--db", str(demo_db)]).stdout.splitlines()
    rows = [json.loads(line) for line in jsonl]
    csv_out = run_cli(["export", "--format", "csv", "--db", str(demo_db)]).stdout
    csv_rows = list(csv.DictReader(io.StringIO(csv_out)))
    parquet = tmp_path / "quotes.parquet"
    result = run_cli(["export", "--format", "parquet", "--out", str(parquet), "--db", str(demo_db)])
    assert result.returncode == 0, result.stderr
    table = pq.read_table(parquet)
    assert len(rows) == len(csv_rows) == table.num_rows > 50
    assert [r["text"] for r in rows] == [r["text"] for r in csv_rows]
    assert table.column("text").to_pylist() == [r["text"] for r in rows]


def test_bad_items_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "date 2026-01-05 https://www.example.org/a\nPort talks resume\n\n"
        '"We are back at the table," said Ilse Marr, the port director.\n',
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "lines.jsonl").write_text('{"text": "ok"\nnot json\n', encoding="utf-8")
    db = tmp_path / "batch.db"
    result = run_cli(["ingest", str(folder), "--db", str(db)])
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4, result.stderr
    assert any("empty.txt" in e for e in errors)
    assert any("binary.txt" in e for e in errors)
    assert any("lines.jsonl:2" in e for e in errors)
    assert result.stdout.startswith("1 ingested, 0 skipped (already stored), 4 failed")
    hits = json.loads(run_cli(["search", "table", "--db", str(db), "--json"]).stdout)
    assert [h["speaker"] for h in hits] == ["Ilse Marr"]


def test_extract_reads_stdin() -> None:
    article = (
        "Harbour fees rise\n\n"
        "The harbour board will raise fees in May, its chair Rosa Velt told the Quay Post.\n"
    )
    result = run_cli(["extract", "-", "--format", "jsonl"], stdin=article)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == "Harbour fees rise"
    [quote] = record["quotes"]
    assert quote["speaker"]["name"] == "Rosa Velt"
    assert quote["via"] == ["Quay Post"]


def _source_name(source: str) -> str:
    return Path(source).name


def test_same_quote_in_several_outlets_is_one_quotation(
    demo_db: Path, expected: dict[str, Any]
) -> None:
    wanted = expected["same_quote"]
    listed = json.loads(run_cli(["quotations", "--db", str(demo_db), "--json"]).stdout)
    [summary] = [q for q in listed if wanted["contains"] in q["text"]]
    assert summary["speaker"] == wanted["speaker"]
    found = json.loads(
        run_cli(["quote", str(summary["id"]), "--db", str(demo_db), "--json"]).stdout
    )
    sources = [_source_name(o["source"]) for o in found["occurrences"]]
    assert set(wanted["occurrences"]) <= set(sources)
    dates = [o["published"] for o in found["occurrences"]]
    assert dates == sorted(dates)
    origin = json.loads(
        run_cli(["origin", str(summary["id"]), "--db", str(demo_db), "--json"]).stdout
    )
    first_article = origin["first"]["article_id"]
    assert first_article == found["occurrences"][0]["article_id"]
    assert _source_name(found["occurrences"][0]["source"]) == wanted["earliest"]
    text = run_cli(["origin", str(summary["id"]), "--db", str(demo_db)]).stdout
    assert text.startswith(f"{wanted['speaker']} -> first carried by Corvel Courier on 2026-03-10")


def test_reprints_share_a_story(demo_db: Path, expected: dict[str, Any]) -> None:
    listed = json.loads(run_cli(["stories", "--db", str(demo_db), "--json"]).stdout)
    members: list[set[str]] = []
    for summary in listed:
        story = json.loads(
            run_cli(["stories", "--id", str(summary["id"]), "--db", str(demo_db), "--json"]).stdout
        )
        members.append({_source_name(a["source"]) for a in story["articles"]})
    for pair in expected["near_duplicates"]:
        assert any(set(pair) <= group for group in members), pair


def test_web_archives_and_feeds_are_ingested(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    db = tmp_path / "archive.db"
    result = run_cli(
        [
            "ingest",
            str(fixtures / "warc" / "sample.warc.gz"),
            str(fixtures / "feeds" / "ledger.atom"),
            str(fixtures / "feeds" / "broken.rss"),
            "--db",
            str(db),
        ]
    )
    assert result.returncode == 1  # the damaged feed is reported, the rest is stored
    assert "broken.rss" in result.stderr
    hits = json.loads(run_cli(["search", "--db", str(db), "--json"]).stdout)
    assert {hit["outlet"] for hit in hits} >= {"Morning Ledger"}
    assert any(hit["speaker"] == "Ana Kroll" for hit in hits)
    rejects = json.loads(run_cli(["rejects", "--db", str(db), "--json"]).stdout)
    assert {Path(row["item"].split("#")[0]).name for row in rejects} == {"broken.rss"}
