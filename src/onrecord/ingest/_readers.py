"""Paths, folders and stdin -> a stream of RawDocument (or IngestError values).

Order of decisions for one path:

1. ``-`` is standard input: JSONL when the first non-space character is ``{``, else one article;
2. a folder is walked recursively in sorted order, hidden files and folders skipped;
3. a web archive (``.warc``/``.warc.gz``/``.arc``, or ``WARC/`` bytes, gzipped or not) gives one
   item per HTML response record; an RSS/Atom feed (``.rss``/``.atom``, or an ``.xml`` whose
   start shows a feed element) one item per entry;
4. a gzip, bzip2 or xz file (by its magic bytes, whatever its name) is decompressed and its
   content read by these same rules under the name without the compression suffix; a ZIP
   archive is read as a folder (``_compressed``; limits apply to the decompressed bytes);
5. other files are sorted by their magic bytes (PDF, images -> UnsupportedInput),
   then by extension: ``.txt``/``.md``/none -> text, ``.html``/``.htm`` -> html,
   ``.jsonl``/``.ndjson`` -> one item per line, ``.json`` -> one object or a list of objects.
   A decompressed item without an extension is HTML when it starts like an HTML page.

Nothing here reads more than one file or one line at a time into memory.
"""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path
from typing import Any, TextIO

from onrecord.errors import IngestError, UnsupportedInput
from onrecord.ingest._compressed import (
    decompress,
    inner_name,
    is_zip,
    stream_kind,
    zip_members,
)
from onrecord.ingest._decode import bom_encoding, decode_bytes, has_nul
from onrecord.ingest._feeds import is_feed, read_feed, read_feed_data
from onrecord.ingest._warc import is_warc, read_warc
from onrecord.models import MediaType, RawDocument

log = logging.getLogger(__name__)

STDIN_NAME = "<stdin>"
TEXT_EXTENSIONS = frozenset({"", ".txt", ".md", ".text"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
JSON_EXTENSIONS = frozenset({".json"})
READABLE = (
    ".txt, .md, .html, .htm, .jsonl, .ndjson, .json, .warc(.gz), .rss, .atom or no extension, "
    "each also gzip/bzip2/xz-compressed, and .zip archives of them"
)
SNIFF_BYTES = 4096
# A compressed file inside a ZIP inside ... : two levels are real crawls, more is a trap.
MAX_NESTING = 2
HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml")

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"RIFF", "RIFF media file"),
    (b"\x7fELF", "executable"),
    (b"WARC/", "WARC archive"),
)

STRING_FIELDS = ("title", "url", "published", "updated", "outlet", "language")
BODY_FIELDS: tuple[tuple[str, MediaType], ...] = (("html", "html"), ("text", "text"))


def read_inputs(
    paths: Sequence[str], stdin: TextIO | None = None
) -> Iterator[RawDocument | IngestError]:
    """Read articles from files, folders and standard input, one item at a time.

    Args:
        paths: File or folder paths; ``"-"`` stands for standard input.
        stdin: The stream ``"-"`` reads; ``sys.stdin`` when not given.

    Yields:
        A ``RawDocument`` per article, or an ``IngestError`` (possibly ``UnsupportedInput``)
        for an item that cannot be read; the stream goes on after a bad item.
    """
    for name in paths:
        if name == "-":
            yield from _read_stdin(stdin if stdin is not None else sys.stdin)
            continue
        path = Path(name)
        if path.is_dir():
            for file in _walk(path):
                yield from _read_file(file)
        elif path.exists():
            yield from _read_file(path)
        else:
            yield IngestError(name, "no such file or folder", "Check the path and try again.")


def _walk(folder: Path, seen: set[Path] | None = None) -> Iterator[Path]:
    # Depth-first in name order, so that "a.txt", "b/x.txt", "c.txt" come in that order;
    # ``seen`` stops a symlink that points back up from walking forever.
    seen = set() if seen is None else seen
    real = folder.resolve()
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        log.warning("cannot list %s: %s", folder, exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, seen)
        elif entry.is_file():
            yield entry


def _read_stdin(stream: TextIO) -> Iterator[RawDocument | IngestError]:
    skipped: list[str] = []
    first = ""
    for line in stream:
        if line.strip():
            first = line
            break
        skipped.append(line)
    if not first:
        yield IngestError(STDIN_NAME, "standard input is empty", "Pipe an article or JSONL in.")
        return
    if first.lstrip().lstrip("\ufeff").startswith("{"):
        lines = chain(skipped, [first], stream)
        yield from _read_jsonl_lines(STDIN_NAME, lines)
        return
    content = "".join(skipped) + first + stream.read()
    yield from _text_document(STDIN_NAME, content.lstrip("\ufeff"), "text")


def _read_file(path: Path) -> Iterator[RawDocument | IngestError]:
    name = str(path)
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        yield _unreadable(name, exc)
        return
    if is_warc(path, head):
        yield from read_warc(path)
        return
    if is_feed(path, head):
        yield from read_feed(path)
        return
    compression = stream_kind(head)
    if compression is not None:
        yield from _read_packed(inner_name(name), decompress(path, name, compression), 1)
        return
    if is_zip(head):
        yield from _read_zip(path, name, 1)
        return
    unsupported = _unsupported(name, head, suffix)
    if unsupported is not None:
        yield unsupported
        return
    if suffix in JSONL_EXTENSIONS:
        yield from _read_jsonl_file(path)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield _unreadable(name, exc)
        return
    yield from _read_data(name, suffix, data)


def _unsupported(name: str, head: bytes, suffix: str) -> UnsupportedInput | None:
    kind = _magic_kind(head)
    if kind is not None:
        return UnsupportedInput(
            name,
            f"this is a {kind}, which onrecord does not read",
            f"Convert it to text or HTML first; onrecord reads {READABLE}.",
        )
    if suffix not in TEXT_EXTENSIONS | HTML_EXTENSIONS | JSON_EXTENSIONS | JSONL_EXTENSIONS:
        return UnsupportedInput(
            name, f"unknown file type '{suffix}'", f"onrecord reads {READABLE}; rename or convert."
        )
    return None


def _read_data(name: str, suffix: str, data: bytes) -> Iterator[RawDocument | IngestError]:
    if suffix in JSONL_EXTENSIONS:
        yield from _read_jsonl_lines(name, (decode_bytes(line) for line in data.splitlines()))
        return
    text = decode_bytes(data)
    if suffix in JSON_EXTENSIONS:
        yield from _read_json_text(name, text)
        return
    media: MediaType = "html" if suffix in HTML_EXTENSIONS else "text"
    yield from _text_document(name, text, media)


def _read_packed(
    name: str, data: bytes | IngestError, depth: int
) -> Iterator[RawDocument | IngestError]:
    """Read what a compressed file held, named ``name`` (the name without its compression)."""
    if isinstance(data, IngestError):
        yield data
        return
    head = data[:SNIFF_BYTES]
    path = Path(name)
    inner = stream_kind(head)
    if (inner is not None or is_zip(head)) and depth >= MAX_NESTING:
        yield UnsupportedInput(
            name,
            f"archives are nested more than {MAX_NESTING} deep",
            "Unpack the outer archives first.",
        )
    elif inner is not None:
        yield from _read_packed(inner_name(name), decompress(data, name, inner), depth + 1)
    elif is_zip(head):
        yield from _read_zip(io.BytesIO(data), name, depth + 1)
    elif is_feed(path, head):
        yield from read_feed_data(name, data)
    else:
        suffix = path.suffix.lower()
        if suffix == "" and head.lstrip().lower().startswith(HTML_STARTS):
            suffix = ".html"
        unsupported = _unsupported(name, head, suffix)
        if unsupported is not None:
            yield unsupported
        else:
            yield from _read_data(name, suffix, data)


def _read_zip(
    source: Path | io.BytesIO, name: str, depth: int
) -> Iterator[RawDocument | IngestError]:
    for member in zip_members(source, name):
        if isinstance(member, IngestError):
            yield member
        else:
            yield from _read_packed(*member, depth)


def _magic_kind(head: bytes) -> str | None:
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return None


def _text_document(source: str, text: str, media: MediaType) -> Iterator[RawDocument | IngestError]:
    if has_nul(text):
        yield IngestError(
            source, "the file holds NUL bytes, so it is binary", "Give onrecord a text file."
        )
    elif not text.strip():
        yield IngestError(source, "the file is empty", "Remove it or fill it with an article.")
    else:
        yield RawDocument(source=source, content=text, media_type=media)


def _read_jsonl_file(path: Path) -> Iterator[RawDocument | IngestError]:
    name = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield _unreadable(name, exc)
        return
    with handle:
        found = bom_encoding(handle.read(4))
        handle.seek(0)
        lines: Iterable[str]
        if found is not None and not found[0].startswith("utf-8"):
            # "utf-16"/"utf-32" read the mark themselves and pick the byte order from it.
            encoding = "utf-16" if found[0].startswith("utf-16") else "utf-32"
            lines = io.TextIOWrapper(handle, encoding=encoding, errors="replace")
        else:
            lines = (decode_bytes(raw) for raw in handle)
        yield from _read_jsonl_lines(name, lines)


def _read_jsonl_lines(name: str, lines: Iterable[str]) -> Iterator[RawDocument | IngestError]:
    count = 0
    for number, line in enumerate(lines, start=1):
        stripped = line.strip().lstrip("\ufeff")
        if not stripped:
            continue
        count += 1
        source = f"{name}:{number}"
        try:
            record = json.loads(stripped)
        except json.JSONDecodeError as exc:
            yield IngestError(
                source, f"invalid JSON ({exc.msg} at column {exc.colno})", "Fix or remove the line."
            )
            continue
        yield _record_document(source, record)
    if count == 0:
        yield IngestError(name, "no JSON lines in the input", "Give one JSON object per line.")


def _read_json_text(name: str, text: str) -> Iterator[RawDocument | IngestError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield IngestError(
            name, f"invalid JSON ({exc.msg} at line {exc.lineno})", "Fix the file or use JSONL."
        )
        return
    if isinstance(data, list):
        for index, record in enumerate(data, start=1):
            yield _record_document(f"{name}:{index}", record)
    else:
        yield _record_document(name, data)


# The record is outside data of any JSON shape, checked field by field below.
def _not_a_string(source: str, key: str, value: object) -> IngestError:
    return IngestError(
        source,
        f"field '{key}' should be a string, found {type(value).__name__}",
        f'Write "{key}" as a JSON string.',
    )


def _record_document(source: str, record: Any) -> RawDocument | IngestError:
    if not isinstance(record, dict):
        return IngestError(
            source,
            f"expected a JSON object, found {type(record).__name__}",
            'Write each item as {"text": ...}.',
        )
    fields: dict[str, str] = {}
    for key in STRING_FIELDS:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return _not_a_string(source, key, value)
        if value.strip():
            fields[key] = value.strip()
    authors = record.get("authors")
    if isinstance(authors, str):
        if authors.strip():
            fields["authors"] = authors.strip()
    elif isinstance(authors, list):
        if not all(isinstance(item, str) for item in authors):
            return IngestError(
                source, "field 'authors' should hold only strings", 'Write ["Name", "Name"].'
            )
        names = [item.strip() for item in authors if item.strip()]
        if names:
            fields["authors"] = "; ".join(names)
    elif authors is not None:
        return IngestError(
            source,
            f"field 'authors' should be a list of strings, found {type(authors).__name__}",
            'Write ["Name", "Name"] or "Name".',
        )
    for key, media in BODY_FIELDS:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return _not_a_string(source, key, value)
        if not value.strip():
            continue
        if has_nul(value):
            return IngestError(source, f"field '{key}' holds NUL characters", "Remove them.")
        return RawDocument(source=source, content=value, media_type=media, fields=fields)
    return IngestError(
        source, "no article body: neither 'text' nor 'html' has content", 'Add a "text" field.'
    )


def _unreadable(name: str, exc: OSError) -> IngestError:
    return IngestError(name, f"cannot read the file ({exc.strerror or exc})", "Check permissions.")
