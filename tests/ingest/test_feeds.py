"""RSS and Atom feeds: one document per entry, with its metadata; damaged feeds say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.clean import clean_document
from onrecord.errors import IngestError, UnsupportedInput
from onrecord.ingest._feeds import is_feed, read_feed
from onrecord.models import RawDocument

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def test_rss_entries_with_content_or_summary() -> None:
    items = list(read_feed(FEEDS / "tidewire.rss"))
    first, second, third = items
    assert isinstance(first, RawDocument)
    assert isinstance(second, RawDocument)
    assert first.source == f"{FEEDS / 'tidewire.rss'}#entry-1"
    assert first.media_type == "html"
    assert first.fields == {
        "title": "Veldora rejects foreign monitors ahead of second round",
        "url": "https://www.tidewire.example/wire/2026/03/11/veldora-kroll-monitors",
        "published": "2026-03-11",
        "authors": "L. Sorvin",
        "outlet": "Tidewire",
    }
    assert "nobody gets to stand in it with a key" in first.content
    assert "Short teaser" not in first.content
    assert second.fields["title"] == "Mediator Lind & the second round"
    assert "technical working group" in second.content
    assert isinstance(third, IngestError)
    assert third.item.endswith("#entry-3")


def test_atom_entries_clean_into_articles() -> None:
    items = list(read_feed(FEEDS / "ledger.atom"))
    assert all(isinstance(item, RawDocument) for item in items)
    docs = [item for item in items if isinstance(item, RawDocument)]
    assert docs[0].fields["authors"] == "Lena Ward; Tom Arvo"
    assert docs[0].fields["updated"] == "2026-06-14"
    article = clean_document(docs[0])
    assert article.title == "Drun cautious over Veldora's observers offer"
    assert article.outlet == "Morning Ledger"
    assert str(article.published) == "2026-06-13"
    assert "changed its position" in article.text
    plain = clean_document(docs[1])
    assert "First paragraph of plain text & more." in plain.text
    assert "Second paragraph." in plain.text


def test_malformed_feed_ends_with_a_clear_error() -> None:
    items = list(read_feed(FEEDS / "broken.rss"))
    last = items[-1]
    assert isinstance(last, IngestError)
    assert last.item == str(FEEDS / "broken.rss")
    assert "malformed" in last.reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<rss><channel><item>", "malformed"),
        (b"\x00\x01\x02 binary", "not a readable"),
        (b"", "no RSS or Atom feed"),
    ],
)
def test_unreadable_feeds(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "feed.rss"
    path.write_bytes(content)
    error = list(read_feed(path))[-1]
    assert isinstance(error, IngestError)
    assert reason in error.reason


def test_an_html_page_is_not_a_feed() -> None:
    [error] = list(read_feed(FEEDS / "page.xml"))
    assert isinstance(error, UnsupportedInput)
    assert "no RSS or Atom feed" in error.reason


def test_missing_file(tmp_path: Path) -> None:
    [error] = list(read_feed(tmp_path / "gone.rss"))
    assert isinstance(error, IngestError)


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("news.rss", b"", True),
        ("news.atom", b"", True),
        ("news.xml", b'<?xml version="1.0"?>\n<rss version="2.0">', True),
        ("news.xml", b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', True),
        ("sitemap.xml", b'<?xml version="1.0"?>\n<urlset>', False),
        ("page.html", b"<html>", False),
    ],
)
def test_sniffing(name: str, head: bytes, expected: bool) -> None:
    assert is_feed(Path(name), head) is expected
