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

Only regular files are read: a FIFO, a device, a socket, a link that points nowhere or into a
loop gets an error line, whether it is named as an argument or met inside a folder.

Nothing here reads more than one file or one line at a time into memory, and nothing more
than ``max_bytes`` of it: a bigger file, line or standard input is rejected while it is read.
Each item is read under one guard (``_guarded``): the time limit (``timeout_s``) covers the
reading, and any exception met while reading one path (a JSON value nested too deep for the
parser, a failing disk, a decoder bug) becomes that path's error line; the next path is read.
Names are made printable (``errors.printable``): a file name with bytes that are not UTF-8 or
with a newline is written with escapes wherever it appears.
"""

from __future__ import annotations

import errno
import io
import json
import logging
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from itertools import accumulate, chain
from pathlib import Path
from typing import IO, Any, AnyStr, TextIO

from onrecord._limits import ItemTimeout, time_limit
from onrecord.config import DEFAULT_MAX_BYTES
from onrecord.errors import IngestError, UnsupportedInput, printable
from onrecord.ingest._compressed import (
    decompress,
    inner_name,
    is_zip,
    stream_kind,
    zip_members,
)
from onrecord.ingest._decode import bom_encoding, decode_bytes, text_problem
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
FILE_DATE_MIN_YEAR = 1990
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

DRAIN_BYTES = 1 << 16
# Article records nest two or three levels; this is far past any real one and well inside
# what Python's parser can take.
MAX_JSON_DEPTH = 100
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
JSON_BRACKETS = re.compile(r"[\[\]{}]")
# What a path that is not a regular file is, by its mode.
SPECIAL_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
SPECIAL_FIX = "onrecord reads regular files only; copy the content into a file."

STRING_FIELDS = ("title", "url", "published", "updated", "outlet", "language")
BODY_FIELDS: tuple[tuple[str, MediaType], ...] = (("html", "html"), ("text", "text"))


def read_inputs(
    paths: Sequence[str],
    stdin: TextIO | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout_s: float = 0,
) -> Iterator[RawDocument | IngestError]:
    """Read articles from files, folders and standard input, one item at a time.

    Args:
        paths: File or folder paths; ``"-"`` stands for standard input.
        stdin: The stream ``"-"`` reads; ``sys.stdin`` when not given.
        max_bytes: Largest file, JSONL line or standard input read; bigger ones are rejected.
        timeout_s: Most seconds reading one item may take (0: no limit; main thread only).

    Yields:
        A ``RawDocument`` per article, or an ``IngestError`` (possibly ``UnsupportedInput``)
        for an item that cannot be read; the stream goes on after a bad item.
    """
    for name in paths:
        if name == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield from _guarded(STDIN_NAME, _read_stdin(stream, max_bytes), timeout_s)
            continue
        path = Path(name)
        problem = _not_regular(path, is_folder_ok=True)
        if problem is not None:
            yield problem
        elif path.is_dir():
            for entry in _walk(path):
                if isinstance(entry, IngestError):
                    yield entry
                else:
                    shown = printable(str(entry))
                    yield from _guarded(shown, _read_file(entry, max_bytes), timeout_s)
        else:
            yield from _guarded(printable(name), _read_file(path, max_bytes), timeout_s)


def _guarded(
    name: str, items: Iterator[RawDocument | IngestError], timeout_s: float
) -> Iterator[RawDocument | IngestError]:
    # Each item is pulled from its reader under the time limit; a reader that raises or runs
    # out of time costs the rest of its own path, with one error line, and nothing else.
    while True:
        try:
            with time_limit(timeout_s, "wall"):
                item = next(items)
        except StopIteration:
            return
        except ItemTimeout:
            log.warning("reading %s ran past %g s", name, timeout_s)
            yield IngestError(
                name,
                f"reading took longer than {timeout_s:g} s",
                "Check that it is a complete file on a working disk.",
            )
            return
        except RecursionError:
            yield IngestError(
                name, "the data is nested too deeply to read", "Flatten it or remove the item."
            )
            return
        except MemoryError:
            yield IngestError(
                name, "there is not enough memory to read it", "Split it or lower --jobs."
            )
            return
        except Exception as exc:  # a reader's bug must cost its own path only
            log.error("reading %s failed", name, exc_info=exc)
            yield IngestError(
                name,
                f"reading failed unexpectedly ({type(exc).__name__}: {exc})",
                "This is a bug in onrecord; please report it with the item.",
            )
            return
        yield item


def _not_regular(path: Path, *, is_folder_ok: bool) -> IngestError | None:
    """The error for a path that is not a regular file (or a folder, when allowed)."""
    name = printable(str(path))
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return IngestError(name, "the link loops back on itself", "Fix or remove the link.")
        if path.is_symlink():
            return IngestError(name, "the link points to nothing", "Fix or remove the link.")
        if exc.errno == errno.ENOENT:
            return IngestError(name, "no such file or folder", "Check the path and try again.")
        return _unreadable(name, exc)
    if stat.S_ISREG(mode) or (is_folder_ok and stat.S_ISDIR(mode)):
        return None
    kind = next((label for test, label in SPECIAL_KINDS if test(mode)), "not a regular file")
    return UnsupportedInput(name, f"this is {kind}, not a file", SPECIAL_FIX)


def _walk(folder: Path, seen: set[Path] | None = None) -> Iterator[Path | IngestError]:
    # Depth-first in name order, so that "a.txt", "b/x.txt", "c.txt" come in that order;
    # ``seen`` stops a symlink that points back up from walking forever.
    seen = set() if seen is None else seen
    try:
        real = folder.resolve()
    except (OSError, RuntimeError) as exc:
        yield IngestError(printable(str(folder)), f"cannot resolve the folder ({exc})", "Check it.")
        return
    if real in seen:
        return
    seen.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        log.warning("cannot list %s: %s", printable(str(folder)), exc)
        yield IngestError(
            printable(str(folder)),
            f"cannot list the folder ({exc.strerror or exc})",
            "Check its permissions.",
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        problem = _not_regular(entry, is_folder_ok=True)
        if problem is not None:
            yield problem
        elif entry.is_dir():
            yield from _walk(entry, seen)
        else:
            yield entry


def _read_stdin(stream: TextIO, max_bytes: int) -> Iterator[RawDocument | IngestError]:
    skipped: list[str] = []
    first = ""
    while line := stream.readline(max_bytes + 1):
        if line.strip():
            first = line
            break
        skipped.append(line)
    if not first:
        yield IngestError(STDIN_NAME, "standard input is empty", "Pipe an article or JSONL in.")
        return
    if first.lstrip().lstrip("\ufeff").startswith("{"):
        rest = _capped_lines(stream, max_bytes)
        lines = chain(skipped, [None if _is_cut(first, max_bytes) else first], rest)
        yield from _read_jsonl_lines(STDIN_NAME, lines, max_bytes)
        return
    head = "".join(skipped) + first
    content = head + stream.read(max_bytes + 1 - len(head))
    if len(content) > max_bytes:
        yield _too_big(STDIN_NAME, max_bytes, "standard input")
        return
    yield from _text_document(STDIN_NAME, content.lstrip("\ufeff"), "text")


def _is_cut(line: str | bytes, max_bytes: int) -> bool:
    return len(line) > max_bytes and line[-1:] not in ("\n", b"\n")


def _capped_lines(handle: IO[AnyStr], max_bytes: int) -> Iterator[AnyStr | None]:
    """The lines of ``handle``, each ``None`` in place of a line longer than ``max_bytes``."""
    while line := handle.readline(max_bytes + 1):
        if not _is_cut(line, max_bytes):
            yield line
            continue
        # The rest of an over-long line is read in small pieces and dropped.
        while rest := handle.readline(DRAIN_BYTES):
            if _is_cut(rest, 0):
                continue
            break
        yield None


def _too_big(name: str, max_bytes: int, what: str = "the file") -> IngestError:
    return IngestError(
        name,
        f"{what} has more than the limit of {max_bytes:,} bytes",
        "Split it into articles, or raise ONRECORD_MAX_BYTES.",
    )


def _read_capped(path: Path, max_bytes: int) -> bytes | None:
    """The bytes of ``path``, or ``None`` when it has more than ``max_bytes``."""
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def _read_file(path: Path, max_bytes: int) -> Iterator[RawDocument | IngestError]:
    """Every item of one file, each carrying the file's date as ``file_date``.

    The day a file was last written bounds when what it holds was published; cleaning flags a
    published date after it (``date_implausible``). Items that name their own crawl date keep
    it too.
    """
    day = _file_day(path)
    for item in _read_file_items(path, max_bytes):
        if isinstance(item, RawDocument) and day is not None and "file_date" not in item.fields:
            item = replace(item, fields={**item.fields, "file_date": day})
        yield item


def _file_day(path: Path) -> str | None:
    try:
        written = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()
    except (OSError, OverflowError, ValueError):
        return None
    # Archives and reproducible builds stamp files with 1970 or 1980: no bound at all.
    return written.isoformat() if written.year >= FILE_DATE_MIN_YEAR else None


def _read_file_items(path: Path, max_bytes: int) -> Iterator[RawDocument | IngestError]:
    name = printable(str(path))
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        yield _unreadable(name, exc)
        return
    if is_warc(path, head):
        yield from read_warc(path, max_bytes=max_bytes)
        return
    if is_feed(path, head):
        yield from read_feed(path)
        return
    compression = stream_kind(head)
    if compression is not None:
        yield from _read_packed(inner_name(name), decompress(path, name, compression), 1, max_bytes)
        return
    if is_zip(head):
        yield from _read_zip(path, name, 1, max_bytes)
        return
    unsupported = _unsupported(name, head, suffix)
    if unsupported is not None:
        yield unsupported
        return
    if suffix in JSONL_EXTENSIONS:
        yield from _read_jsonl_file(path, max_bytes)
        return
    try:
        data = _read_capped(path, max_bytes)
    except OSError as exc:
        yield _unreadable(name, exc)
        return
    if data is None:
        yield _too_big(name, max_bytes)
        return
    yield from _read_data(name, suffix, data, max_bytes)


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
            name,
            f"unknown file type '{printable(suffix)}'",
            f"onrecord reads {READABLE}; rename or convert.",
        )
    return None


def _read_data(
    name: str, suffix: str, data: bytes, max_bytes: int
) -> Iterator[RawDocument | IngestError]:
    if suffix in JSONL_EXTENSIONS:
        lines = (
            decode_bytes(line) if len(line) <= max_bytes else None for line in data.splitlines()
        )
        yield from _read_jsonl_lines(name, lines, max_bytes)
        return
    text = decode_bytes(data)
    if suffix in JSON_EXTENSIONS:
        yield from _read_json_text(name, text)
        return
    media: MediaType = "html" if suffix in HTML_EXTENSIONS else "text"
    yield from _text_document(name, text, media)


def _read_packed(
    name: str, data: bytes | IngestError, depth: int, max_bytes: int
) -> Iterator[RawDocument | IngestError]:
    """Read what a compressed file held, named ``name`` (the name without its compression).

    An archive may hold more than ``max_bytes`` in all; one article in it may not.
    """
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
        yield from _read_packed(
            inner_name(name), decompress(data, name, inner), depth + 1, max_bytes
        )
    elif is_zip(head):
        yield from _read_zip(io.BytesIO(data), name, depth + 1, max_bytes)
    elif is_feed(path, head):
        yield from read_feed_data(name, data)
    else:
        suffix = path.suffix.lower()
        if suffix == "" and head.lstrip().lower().startswith(HTML_STARTS):
            suffix = ".html"
        unsupported = _unsupported(name, head, suffix)
        if unsupported is not None:
            yield unsupported
        elif len(data) > max_bytes and suffix not in JSONL_EXTENSIONS:
            yield _too_big(name, max_bytes, "the decompressed file")
        else:
            yield from _read_data(name, suffix, data, max_bytes)


def _read_zip(
    source: Path | io.BytesIO, name: str, depth: int, max_bytes: int
) -> Iterator[RawDocument | IngestError]:
    for member in zip_members(source, name):
        if isinstance(member, IngestError):
            yield member
        else:
            yield from _read_packed(*member, depth, max_bytes)


def _magic_kind(head: bytes) -> str | None:
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    return None


def _text_document(source: str, text: str, media: MediaType) -> Iterator[RawDocument | IngestError]:
    problem = text_problem(source, text)
    if problem is not None:
        yield problem
    else:
        yield RawDocument(source=source, content=text, media_type=media)


def _read_jsonl_file(path: Path, max_bytes: int) -> Iterator[RawDocument | IngestError]:
    name = printable(str(path))
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield _unreadable(name, exc)
        return
    with handle:
        found = bom_encoding(handle.read(4))
        handle.seek(0)
        lines: Iterable[str | None]
        if found is not None and not found[0].startswith("utf-8"):
            # "utf-16"/"utf-32" read the mark themselves and pick the byte order from it.
            encoding = "utf-16" if found[0].startswith("utf-16") else "utf-32"
            wrapper = io.TextIOWrapper(handle, encoding=encoding, errors="replace")
            lines = _capped_lines(wrapper, max_bytes)
        else:
            lines = (
                None if raw is None else decode_bytes(raw)
                for raw in _capped_lines(handle, max_bytes)
            )
        yield from _read_jsonl_lines(name, lines, max_bytes)


def _read_jsonl_lines(
    name: str, lines: Iterable[str | None], max_bytes: int
) -> Iterator[RawDocument | IngestError]:
    count = 0
    for number, line in enumerate(lines, start=1):
        source = f"{name}:{number}"
        if line is None:
            count += 1
            yield _too_big(source, max_bytes, "the line")
            continue
        stripped = line.strip().lstrip("\ufeff")
        if not stripped:
            continue
        count += 1
        parsed = _parse_json(source, stripped, "Fix or remove the line.")
        if isinstance(parsed, IngestError):
            yield parsed
        else:
            yield _record_document(source, parsed.value)
    if count == 0:
        yield IngestError(name, "no JSON lines in the input", "Give one JSON object per line.")


class _Parsed:
    """A parsed JSON value (any shape; checked by ``_record_document``)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _parse_json(source: str, text: str, fix: str) -> _Parsed | IngestError:
    depth = _json_depth(text)
    if depth > MAX_JSON_DEPTH:
        # Python's parser recurses once per level, and how deep it may go depends on how
        # deep the caller already is: refused here, the same way every time.
        return IngestError(
            source, f"invalid JSON (nested {depth:,} levels deep, more than {MAX_JSON_DEPTH})", fix
        )
    try:
        return _Parsed(json.loads(text))
    except json.JSONDecodeError as exc:
        return IngestError(
            source, f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})", fix
        )
    except RecursionError:
        # "[[[[...]]]]" a thousand deep: Python's parser recurses once per level.
        return IngestError(source, "invalid JSON (nested too deeply to read)", fix)
    except ValueError as exc:
        # A number with more digits than Python converts, for example.
        return IngestError(source, f"invalid JSON ({exc})", fix)


def _json_depth(text: str) -> int:
    """How deeply brackets nest in ``text``, outside JSON strings."""
    brackets = JSON_BRACKETS.findall(JSON_STRING.sub("", text))
    steps = (1 if bracket in "[{" else -1 for bracket in brackets)
    return max(accumulate(steps), default=0)


def _read_json_text(name: str, text: str) -> Iterator[RawDocument | IngestError]:
    parsed = _parse_json(name, text, "Fix the file or use JSONL.")
    if isinstance(parsed, IngestError):
        yield parsed
        return
    data = parsed.value
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
        problem = text_problem(source, value, field=key)
        if problem is not None:
            return problem
        return RawDocument(source=source, content=value, media_type=media, fields=fields)
    return IngestError(
        source, "no article body: neither 'text' nor 'html' has content", 'Add a "text" field.'
    )


def _unreadable(name: str, exc: OSError) -> IngestError:
    return IngestError(name, f"cannot read the file ({exc.strerror or exc})", "Check permissions.")
