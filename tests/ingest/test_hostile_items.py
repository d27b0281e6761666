"""read_inputs on single hostile items: each gets one error, the items around it are read."""

from __future__ import annotations

import io
import json
import os
import random
import threading
from pathlib import Path

import pytest

from onrecord.errors import IngestError, UnsupportedInput, printable
from onrecord.ingest import decode_bytes, read_inputs
from onrecord.ingest._decode import text_problem
from onrecord.models import RawDocument

ARTICLE = "Harbour reopens\nThe harbour will reopen in May, the port authority said.\n"
NESTED = "[" * 1000 + "]" * 1000


def read(
    *paths: str | Path, stdin: io.TextIOBase | None = None, **limits: float
) -> list[RawDocument | IngestError]:
    return list(read_inputs([str(p) for p in paths], stdin=stdin, **limits))  # type: ignore[arg-type]


def errors_of(items: list[RawDocument | IngestError]) -> dict[str, str]:
    return {item.item: item.reason for item in items if isinstance(item, IngestError)}


def sources_of(items: list[RawDocument | IngestError]) -> list[str]:
    return [item.source for item in items if isinstance(item, RawDocument)]


def test_a_deeply_nested_jsonl_line_costs_that_line_only(tmp_path: Path) -> None:
    good = json.dumps({"text": ARTICLE})
    (tmp_path / "a.jsonl").write_text(f"{good}\n{NESTED}\n{good}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    items = read(tmp_path)
    assert sources_of(items) == [
        f"{tmp_path}/a.jsonl:1",
        f"{tmp_path}/a.jsonl:3",
        f"{tmp_path}/b.txt",
    ]
    assert list(errors_of(items)) == [f"{tmp_path}/a.jsonl:2"]
    assert "nested 1,000 levels deep" in errors_of(items)[f"{tmp_path}/a.jsonl:2"]


def test_a_deeply_nested_json_file_and_stdin_get_one_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"text": ' + NESTED + "}", encoding="utf-8")
    assert list(errors_of(read(path))) == [str(path)]
    items = read("-", stdin=io.StringIO('{"text": ' + NESTED + "}\n"))
    assert list(errors_of(items)) == ["<stdin>:1"]


def test_a_name_that_is_not_utf8_is_read_under_a_printable_name(tmp_path: Path) -> None:
    (tmp_path / os.fsdecode(b"zz\xff.txt")).write_bytes(ARTICLE.encode())
    (tmp_path / "empty\nerror: [OR110] forged.txt").write_text("")
    items = read(tmp_path)
    assert sources_of(items) == [f"{tmp_path}/zz\\xff.txt"]
    (error,) = [item for item in items if isinstance(item, IngestError)]
    assert "\n" not in str(error)
    assert error.item == f"{tmp_path}/empty\\nerror: [OR110] forged.txt"
    str(error).encode("utf-8")  # printable: no lone surrogates


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain name.txt", "plain name.txt"),
        ("a\nb\r\tc", "a\\nb\\r\\tc"),
        ("zz\udcff.txt", "zz\\xff.txt"),
        ("bidi\u202eevil", "bidi\\u202eevil"),
        ("Müller – «Reuters»", "Müller – «Reuters»"),
    ],
)
def test_printable_escapes_what_cannot_be_printed_on_one_line(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_a_fifo_argument_gets_an_error_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    items = read(fifo, tmp_path)
    errors = [item for item in items if isinstance(item, IngestError)]
    assert [e.item for e in errors] == [str(fifo), str(fifo)]
    assert all(isinstance(e, UnsupportedInput) and "FIFO" in e.reason for e in errors)
    assert sources_of(items) == [str(tmp_path / "good.txt")]


def test_a_character_device_is_not_read() -> None:
    (error,) = read("/dev/zero")
    assert isinstance(error, UnsupportedInput)
    assert "character device" in error.reason


def test_dangling_and_looping_links_in_a_folder_get_error_lines(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere")
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    items = read(tmp_path)
    errors = errors_of(items)
    assert errors[str(tmp_path / "dangling.txt")] == "the link points to nothing"
    assert errors[str(tmp_path / "loop1")] == "the link loops back on itself"
    assert errors[str(tmp_path / "loop2")] == "the link loops back on itself"
    assert sources_of(items) == [str(tmp_path / "good.txt")]


def test_files_lines_and_stdin_over_the_size_cap_are_rejected_while_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 400, encoding="utf-8")
    good = json.dumps({"text": ARTICLE})
    lines = tmp_path / "lines.jsonl"
    lines.write_text(f"{good}\n" + json.dumps({"text": "word " * 400}) + f"\n{good}\n")
    items = read(big, lines, max_bytes=1000)
    errors = errors_of(items)
    assert "more than the limit of 1,000 bytes" in errors[str(big)]
    assert "more than the limit of 1,000 bytes" in errors[f"{lines}:2"]
    assert sources_of(items) == [f"{lines}:1", f"{lines}:3"]
    (error,) = read("-", stdin=io.StringIO("Title\n" + "word " * 400), max_bytes=1000)
    assert isinstance(error, IngestError)
    assert error.item == "<stdin>"


def test_reading_that_blocks_runs_out_of_time_and_the_next_path_is_read(tmp_path: Path) -> None:
    # A pipe whose writer never writes nor closes: reading it would wait forever.
    read_end, write_end = os.pipe()
    stdin = os.fdopen(read_end, "r")
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    try:
        items = read("-", tmp_path, stdin=stdin, timeout_s=0.5)
    finally:
        stdin.close()
        os.close(write_end)
    assert errors_of(items) == {"<stdin>": "reading took longer than 0.5 s"}
    assert sources_of(items) == [str(tmp_path / "good.txt")]
    assert threading.current_thread() is threading.main_thread()


def test_text_mixing_utf8_and_latin1_keeps_both_parts() -> None:
    data = "Caf\u00e9 na\u00efve \u2014 Z\u00fcrich\n".encode() + "Jos\u00e9 \u00c1lvarez\n".encode(
        "latin-1"
    )
    assert decode_bytes(data) == "Caf\u00e9 na\u00efve \u2014 Z\u00fcrich\nJos\u00e9 \u00c1lvarez\n"


def test_utf16le_without_a_mark_in_cyrillic_is_read_as_text() -> None:
    text = "\u041c\u0438\u043d\u0438\u0441\u0442\u0440 \u0441\u043a\u0430\u0437\u0430\u043b, "
    text = (
        text
        + "\u0447\u0442\u043e \u043f\u043e\u0440\u0442 "
        + "\u043e\u0442\u043a\u0440\u043e\u0435\u0442\u0441\u044f.\n"
    ) * 5
    assert decode_bytes(text.encode("utf-16-le")) == text
    assert decode_bytes(text.encode("utf-16-be")) == text


@pytest.mark.parametrize("seed", range(4))
def test_random_binary_without_nul_bytes_is_rejected(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 -- test data, not secrets
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(3000)))
    (error,) = read(path)
    assert isinstance(error, IngestError)
    assert "looks binary" in error.reason


def test_garbage_after_a_utf16_mark_is_rejected(tmp_path: Path) -> None:
    rng = random.Random(5)  # noqa: S311 -- test data, not secrets
    path = tmp_path / "marked.txt"
    path.write_bytes(b"\xff\xfe" + bytes(rng.randrange(1, 256) for _ in range(3000)))
    (error,) = read(path)
    assert isinstance(error, IngestError)
    assert "looks binary" in error.reason


@pytest.mark.parametrize(
    "text",
    [
        ARTICLE,
        "Caf\u00e9 \ufffd na\u00efve\n" + "A normal paragraph of text follows here. " * 3,
        "\u0391\u03b8\u03ae\u03bd\u03b1 \u2014 \u03c4\u03bf "
        "\u03bb\u03b9\u03bc\u03ac\u03bd\u03b9.\n",
    ],
)
def test_real_text_is_not_taken_for_binary(text: str) -> None:
    assert text_problem("x", text) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "page.html",
            "<html><body><channel-list><p>Ana Kroll said so.</p></channel-list></body></html>",
        ),
        ("note.txt", "Feeds explained\n\nA file that starts with <rss> or <feed is a feed.\n"),
    ],
)
def test_a_page_mentioning_feed_elements_is_not_read_as_a_feed(
    tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (item,) = read(path)
    assert isinstance(item, RawDocument), item
    assert item.source == str(path)
