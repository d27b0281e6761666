"""read_inputs: files, folders, stdin, JSONL, encodings and bad items."""

from __future__ import annotations

import codecs
import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from onrecord.errors import IngestError, UnsupportedInput
from onrecord.ingest import decode_bytes, read_inputs
from onrecord.models import RawDocument

ARTICLE = "Minister resigns\nThe minister resigned on Monday, her office said.\n"


def read(*paths: str | Path, stdin: str | None = None) -> list[RawDocument | IngestError]:
    stream = io.StringIO(stdin) if stdin is not None else None
    return list(read_inputs([str(path) for path in paths], stdin=stream))


def only_document(items: list[RawDocument | IngestError]) -> RawDocument:
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, RawDocument), item
    return item


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("story.txt", "text"),
        ("story.md", "text"),
        ("story", "text"),
        ("page.html", "html"),
        ("page.HTM", "html"),
    ],
)
def test_file_media_type_follows_extension(tmp_path: Path, name: str, media_type: str) -> None:
    path = tmp_path / name
    path.write_text(ARTICLE, encoding="utf-8")
    document = only_document(read(path))
    assert document.media_type == media_type
    assert document.content == ARTICLE
    assert document.source == str(path)


def test_folder_is_walked_recursively_sorted_without_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Two\nSecond story body.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("One\nFirst story body.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Three\nThird story body.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden\nNot read.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hidden\nNot read either.", encoding="utf-8")
    items = read(tmp_path)
    names = [Path(item.source).name for item in items if isinstance(item, RawDocument)]
    assert names == ["a.txt", "two.txt", "c.txt"]
    assert len(items) == 3


def test_folder_order_is_sorted_within_each_folder(tmp_path: Path) -> None:
    for name in ["z.txt", "m.txt", "a.txt"]:
        (tmp_path / name).write_text(f"{name}\nBody of {name}.", encoding="utf-8")
    names = [Path(item.source).name for item in read(tmp_path) if isinstance(item, RawDocument)]
    assert names == ["a.txt", "m.txt", "z.txt"]


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert len(read(tmp_path)) == 1


def test_read_inputs_is_lazy(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    stream = read_inputs([str(tmp_path / "a.txt"), str(tmp_path / "missing.txt")])
    first = next(stream)
    assert isinstance(first, RawDocument)
    second = next(stream)
    assert isinstance(second, IngestError)
    assert "missing.txt" in str(second)


def test_missing_path_yields_error_and_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    items = read(tmp_path / "nope.txt", good)
    assert isinstance(items[0], IngestError)
    assert "no such file" in items[0].reason
    assert isinstance(items[1], RawDocument)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n  \t\n", "empty"),
        (b"Title\nBody with a \x00 NUL byte.", "NUL"),
    ],
)
def test_bad_text_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    items = read(path)
    assert len(items) == 1
    assert isinstance(items[0], IngestError)
    assert reason in items[0].reason


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("paper.pdf", b"%PDF-1.7\n...", "PDF"),
        ("paper.txt", b"%PDF-1.4 pretending", "PDF"),
        ("photo.png", b"\x89PNG\r\n\x1a\n", "PNG"),
    ],
)
def test_binary_formats_are_unsupported(
    tmp_path: Path, name: str, content: bytes, kind: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    items = read(path)
    assert len(items) == 1
    assert isinstance(items[0], UnsupportedInput)
    assert kind in items[0].reason
    assert "OR111" in str(items[0])


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("crawl.warc.gz", b"\x1f\x8b\x08\x00rest", "not a web archive"),
        ("crawl.warc", b"WARC/1.0\r\nWARC-Type: response\r\n", "record header is damaged"),
        ("feed.rss", b"a,b\n1,2\n", "not a readable RSS or Atom feed"),
    ],
)
def test_broken_archives_and_feeds_are_read_as_such(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    [item] = read(path)
    assert isinstance(item, IngestError)
    assert words in item.reason


@pytest.mark.parametrize(("name", "words"), [("table.csv", "unknown")])
def test_other_extensions_are_unsupported(tmp_path: Path, name: str, words: str) -> None:
    path = tmp_path / name
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    items = read(path)
    assert isinstance(items[0], UnsupportedInput)
    assert words in items[0].reason


# --- encodings --------------------------------------------------------------------------------

TYPOGRAPHIC = "Café owner’s “plan” costs €5 — naïve, she said.\n"


@pytest.mark.parametrize(
    ("prefix", "encoding"),
    [
        (b"", "utf-8"),
        (codecs.BOM_UTF8, "utf-8"),
        (b"", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (b"", "cp1252"),
        (b"", "utf-16-le"),
        (b"", "utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16-be-bom", "cp1252", "utf16-le", "utf16-be"],
)
def test_encodings_decode_to_the_same_text(tmp_path: Path, prefix: bytes, encoding: str) -> None:
    text = "Title\n" + TYPOGRAPHIC
    path = tmp_path / "story.txt"
    path.write_bytes(prefix + text.encode(encoding))
    assert only_document(read(path)).content == text


def test_invalid_utf8_never_crashes(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"Title\nGood text \xff\xfe\xc3 then more good text.\n")
    document = only_document(read(path))
    assert document.content.startswith("Title\nGood text ")
    assert document.content.rstrip().endswith("more good text.")


def test_cyrillic_legacy_page_is_not_read_as_latin() -> None:
    text = "Министр заявил, что переговоры продолжатся в понедельник."
    decoded = decode_bytes(text.encode("cp1251"))
    assert sum(1 for ch in decoded if "а" <= ch.lower() <= "я") > len(text) // 2


# --- JSONL ------------------------------------------------------------------------------------


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_good_lines_copy_fields(tmp_path: Path) -> None:
    record = {
        "text": "Title\nBody.",
        "title": "Title",
        "url": "https://example.com/a",
        "published": "2025-03-03",
        "updated": "2025-03-04",
        "outlet": "Example News",
        "authors": ["Ann Lee", "Bo Park"],
        "language": "en",
        "extra": {"ignored": True},
    }
    path = write_jsonl(tmp_path / "items.jsonl", [json.dumps(record)])
    document = only_document(read(path))
    assert document.source == f"{path}:1"
    assert document.media_type == "text"
    assert document.content == "Title\nBody."
    assert fields_besides_file_date(document, path) == {
        "title": "Title",
        "url": "https://example.com/a",
        "published": "2025-03-03",
        "updated": "2025-03-04",
        "outlet": "Example News",
        "authors": "Ann Lee; Bo Park",
        "language": "en",
    }


def test_jsonl_html_field_gives_html_document(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "items.ndjson", [json.dumps({"html": "<p>Hi</p>", "authors": "Ann Lee"})]
    )
    document = only_document(read(path))
    assert document.media_type == "html"
    assert fields_besides_file_date(document, path) == {"authors": "Ann Lee"}


def fields_besides_file_date(document: RawDocument, path: Path) -> dict[str, str]:
    """The item's fields, having checked that it carries the day its file was written."""
    written = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date().isoformat()
    assert document.fields["file_date"] == written
    return {key: value for key, value in document.fields.items() if key != "file_date"}


def test_an_archive_s_1980_file_stamp_is_no_bound(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_text("date 2025-03-03 https://example.com/a\nTitle\nBody.\n", encoding="utf-8")
    os.utime(path, (315_619_200, 315_619_200))  # 1980-01-02, the ZIP epoch
    assert "file_date" not in only_document(read(path)).fields


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "invalid JSON"),
        ('["a", "b"]', "expected a JSON object"),
        ('{"title": "No body"}', "no article body"),
        ('{"text": "   "}', "no article body"),
        ('{"text": 42}', "'text' should be a string"),
        ('{"text": "Body.", "title": 7}', "'title' should be a string"),
        ('{"text": "Body.", "authors": [1, 2]}', "'authors' should hold only strings"),
        ('{"text": "Body.", "authors": {"a": 1}}', "'authors' should be a list"),
    ],
)
def test_jsonl_bad_lines_yield_errors(tmp_path: Path, line: str, reason: str) -> None:
    good = json.dumps({"text": "Title\nA good body."})
    path = write_jsonl(tmp_path / "items.jsonl", [good, line, "", good])
    items = read(path)
    assert [type(item) for item in items] == [RawDocument, IngestError, RawDocument]
    error = items[1]
    assert isinstance(error, IngestError)
    assert error.item == f"{path}:2"
    assert reason in error.reason
    good_last = items[2]
    assert isinstance(good_last, RawDocument)
    assert good_last.source == f"{path}:4"


def test_jsonl_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    line = json.dumps({"text": "Café “news”."}, ensure_ascii=False) + "\n"
    path.write_bytes((line * 2).encode("utf-16"))
    items = read(path)
    assert [item.content for item in items if isinstance(item, RawDocument)] == ["Café “news”."] * 2


def test_empty_jsonl_file_is_an_error(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "items.jsonl", ["", "  "])
    items = read(path)
    assert len(items) == 1
    assert isinstance(items[0], IngestError)


def test_json_file_with_list(tmp_path: Path) -> None:
    path = tmp_path / "items.json"
    path.write_text(json.dumps([{"text": "A\nOne."}, {"nope": 1}]), encoding="utf-8")
    items = read(path)
    assert isinstance(items[0], RawDocument)
    assert items[0].source == f"{path}:1"
    assert isinstance(items[1], IngestError)


# --- stdin ------------------------------------------------------------------------------------


def test_stdin_plain_text_is_one_article() -> None:
    text = "\n\nTitle line\nFirst paragraph.\n\nSecond paragraph.\n"
    document = only_document(read("-", stdin=text))
    assert document.source == "<stdin>"
    assert document.media_type == "text"
    assert document.content == text


def test_stdin_jsonl_is_read_line_by_line() -> None:
    lines = [json.dumps({"text": f"Title {n}\nBody {n}."}) for n in range(3)]
    items = read("-", stdin="\n  " + "\n".join(lines) + "\n")
    assert [item.source for item in items if isinstance(item, RawDocument)] == [
        "<stdin>:2",
        "<stdin>:3",
        "<stdin>:4",
    ]


def test_empty_stdin_is_an_error() -> None:
    items = read("-", stdin="  \n")
    assert len(items) == 1
    assert isinstance(items[0], IngestError)
