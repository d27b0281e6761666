"""A folder of mixed inputs read and cleaned end to end."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from onrecord.clean import clean_document
from onrecord.errors import IngestError
from onrecord.ingest import read_inputs
from onrecord.models import Article, RawDocument

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_mixed_folder_reads_and_cleans(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "scraped" / "wire_dateline.txt", tmp_path / "a_wire.txt")
    shutil.copy(FIXTURES / "html" / "harbour_strike.html", tmp_path / "b_page.html")
    record = {
        "text": "Council approves flood plan\nThe council approved the plan on Monday.",
        "url": "https://www.bbc.co.uk/news/uk-1",
        "published": "2025-01-31",
        "authors": ["Ann Lee"],
    }
    lines = [json.dumps(record), "{broken", json.dumps({"title": "no body"})]
    (tmp_path / "c_items.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "d_scan.pdf").write_bytes(b"%PDF-1.7 binary")

    articles: list[Article] = []
    errors: list[IngestError] = []
    for item in read_inputs([str(tmp_path)]):
        if isinstance(item, RawDocument):
            articles.append(clean_document(item))
        else:
            errors.append(item)

    assert [a.title for a in articles] == [
        "Grain Corridor Talks to Resume Next Week - Trade Ministry",
        "Dock workers vote to extend strike as talks stall",
        "Council approves flood plan",
    ]
    wire, page, council = articles
    assert wire.published == date(2025, 6, 4)
    assert wire.updated == date(2025, 6, 4)
    assert wire.outlet == "Wire North"  # the article spells out its host
    assert page.authors == ("Mara Velin", "Tomas Orrin")
    assert council.source.endswith("c_items.jsonl:1")
    assert council.outlet == "BBC"
    assert council.authors == ("Ann Lee",)
    assert council.published == date(2025, 1, 31)
    names = [Path(error.item).name for error in errors]
    assert names == ["c_items.jsonl:2", "c_items.jsonl:3", "d_scan.pdf"]
