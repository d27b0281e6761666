"""Compressed files and ZIP archives: detected by content, read like the files they hold."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from onrecord.errors import IngestError, UnsupportedInput
from onrecord.ingest import _compressed, read_inputs
from onrecord.models import RawDocument

PAGE = (
    "<!DOCTYPE html><html><head><title>Harbour toll rises</title></head><body>"
    "<article><h1>Harbour toll rises</h1><p>The port board raised the toll on Tuesday, "
    "its chair said.</p></article></body></html>"
)
TEXT = "Harbour toll rises\nThe port board raised the toll on Tuesday, its chair said.\n"
COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "gz": gzip.compress,
    "bz2": bz2.compress,
    "xz": lzma.compress,
}


def read(*paths: Path) -> list[RawDocument | IngestError]:
    return list(read_inputs([str(path) for path in paths]))


def documents(items: list[RawDocument | IngestError]) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
@pytest.mark.parametrize(
    ("inner", "content", "media_type"),
    [("page.html", PAGE, "html"), ("story.txt", TEXT, "text"), ("story", TEXT, "text")],
)
def test_compressed_file_reads_as_its_inner_type(
    tmp_path: Path, kind: str, inner: str, content: str, media_type: str
) -> None:
    path = tmp_path / f"{inner}.{kind}"
    path.write_bytes(COMPRESSORS[kind](content.encode()))
    [item] = read(path)
    assert isinstance(item, RawDocument), item
    assert item.media_type == media_type
    assert item.content == content
    assert item.source == str(tmp_path / inner)


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_compression_is_found_by_content_not_name(tmp_path: Path, kind: str) -> None:
    # Saved under a plain name: the magic bytes decide; with no extension left, the start of
    # the content shows it is a page.
    path = tmp_path / "download"
    path.write_bytes(COMPRESSORS[kind](PAGE.encode()))
    [item] = read(path)
    assert isinstance(item, RawDocument), item
    assert (item.media_type, item.content) == ("html", PAGE)


def test_compressed_jsonl_gives_one_item_per_line(tmp_path: Path) -> None:
    lines = '{"text": "One\\nFirst body."}\n{"text": "Two\\nSecond body."}\n'
    path = tmp_path / "batch.jsonl.gz"
    path.write_bytes(gzip.compress(lines.encode()))
    items = read(path)
    assert [item.content for item in documents(items)] == ["One\nFirst body.", "Two\nSecond body."]
    assert [item.source for item in documents(items)] == [
        f"{tmp_path / 'batch.jsonl'}:1",
        f"{tmp_path / 'batch.jsonl'}:2",
    ]


def test_compressed_feed_is_read_as_a_feed(tmp_path: Path) -> None:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Tidewire</title>'
        "<item><title>Dam inspected</title><link>https://tidewire.example/a</link>"
        "<description>Engineers inspected the dam on Monday, officials said.</description>"
        "</item></channel></rss>"
    )
    path = tmp_path / "news.rss.xz"
    path.write_bytes(lzma.compress(feed.encode()))
    [item] = read(path)
    assert isinstance(item, RawDocument), item
    assert "Engineers inspected the dam" in item.content


def test_zip_is_read_as_a_folder(tmp_path: Path) -> None:
    path = tmp_path / "articles.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("b/two.txt", TEXT)
        archive.writestr("a.html", PAGE)
        archive.writestr("c.html.gz", gzip.compress(PAGE.encode()))
        archive.writestr("__MACOSX/._a.html", b"\x00\x05\x16\x07junk")
        archive.writestr(".hidden.txt", TEXT)
        archive.writestr("notes.csv", "a,b\n")
    items = read(path)
    assert [item.source for item in documents(items)] == [
        f"{path}/a.html",
        f"{path}/b/two.txt",
        f"{path}/c.html",
    ]
    assert [item.media_type for item in documents(items)] == ["html", "text", "html"]
    [bad] = [item for item in items if isinstance(item, IngestError)]
    assert isinstance(bad, UnsupportedInput)
    assert bad.item == f"{path}/notes.csv"


def test_office_document_is_not_read_as_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    [item] = read(path)
    assert isinstance(item, UnsupportedInput)
    assert "office document" in item.reason


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("backup.gz", b"\x1f\x8b\x08\x00rest", "gzip archive is damaged"),
        ("cut.html.bz2", bz2.compress(PAGE.encode())[:40], "bzip2 archive is damaged"),
        ("archive.zip", b"PK\x03\x04rest", "ZIP archive cannot be opened"),
    ],
)
def test_damaged_archives_are_errors(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    [item] = read(path)
    assert isinstance(item, IngestError)
    assert words in item.reason


def test_gzip_bomb_stops_at_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 64 MiB of zeros compress to about 64 KiB; the limit is lowered so the test stays quick,
    # and the stream must be cut off there rather than read to its end.
    monkeypatch.setattr(_compressed, "MAX_DECOMPRESSED_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.html.gz"
    path.write_bytes(gzip.compress(b"\x00" * (64 * 1024 * 1024), compresslevel=9))
    assert path.stat().st_size < 100_000
    read_sizes: list[int] = []
    original = _compressed._read_bounded

    def spy(stream: io.BufferedIOBase, limit: int) -> bytes | None:
        result = original(stream, limit)
        read_sizes.append(stream.tell())
        return result

    monkeypatch.setattr(_compressed, "_read_bounded", spy)
    [item] = read(path)
    assert isinstance(item, IngestError)
    assert "decompression bomb" in item.reason
    assert read_sizes
    assert read_sizes[0] <= 1024 * 1024 + 1


def test_zip_bomb_member_and_total_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_compressed, "MAX_DECOMPRESSED_BYTES", 300_000)
    monkeypatch.setattr(_compressed, "MAX_ARCHIVE_BYTES", 500_000)
    path = tmp_path / "bomb.zip"
    small = (TEXT * 3000).encode()[:200_000]
    assert len(small) == 200_000
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", b"x" * 10_000_000)  # one member past the per-item limit
        archive.writestr("b.txt", small)
        archive.writestr("c.txt", small)
        archive.writestr("d.txt", small)  # past the archive's total
        archive.writestr("e.txt", small)
    items = read(path)
    assert [type(item) for item in items] == [IngestError, RawDocument, RawDocument, IngestError]
    errors = [item for item in items if isinstance(item, IngestError)]
    assert [error.item for error in errors] == [f"{path}/a.txt", str(path)]
    assert all("decompression bomb" in error.reason for error in errors)


def test_nesting_is_limited(tmp_path: Path) -> None:
    path = tmp_path / "deep.txt.gz.gz.gz"
    path.write_bytes(gzip.compress(gzip.compress(gzip.compress(TEXT.encode()))))
    [item] = read(path)
    assert isinstance(item, UnsupportedInput)
    assert "nested" in item.reason


def test_inner_name_strips_one_compression_suffix() -> None:
    assert _compressed.inner_name("crawl/page.HTML.GZ") == "crawl/page.HTML"
    assert _compressed.inner_name("a.jsonl.xz") == "a.jsonl"
    assert _compressed.inner_name("download") == "download"
