"""Compressed files and ZIP archives -> (name, bytes) of the articles inside.

Detection is by content, never only by name:

1. gzip (``1f 8b``), bzip2 (``BZh``) and xz (``fd 37 7a 58 5a``) streams are decompressed into
   one item, named after the file without its compression suffix (``page.html.gz`` ->
   ``page.html``), so the inner name still says what the content is;
2. a ZIP archive is read as a folder: its members in name order, folders, hidden members and
   ``__MACOSX`` skipped; an Office or ePub document (a ZIP with ``[Content_Types].xml`` or a
   ``mimetype`` member) is refused as a document, not an archive of articles.

Every limit applies to the decompressed bytes, read with a bound, so that a small file that
expands without end (a decompression bomb) costs at most the limit and becomes an error.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, BinaryIO, Final

from onrecord.errors import IngestError, UnsupportedInput

ZIP_MAGIC: Final = b"PK\x03\x04"
# An empty ZIP holds only the end-of-directory record.
EMPTY_ZIP_MAGIC: Final = b"PK\x05\x06"
STREAM_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
)
COMPRESSION_SUFFIXES: Final = (".gz", ".gzip", ".bz2", ".xz")
# One article page is well under this; more means a bomb or a file that is not an article.
MAX_DECOMPRESSED_BYTES: Final = 64 * 1024 * 1024
# All members of one ZIP archive together.
MAX_ARCHIVE_BYTES: Final = 1024 * 1024 * 1024
MAX_ARCHIVE_MEMBERS: Final = 100_000
READ_CHUNK_BYTES: Final = 1024 * 1024
DOCUMENT_MARKERS: Final = frozenset({"[Content_Types].xml", "mimetype"})
BROKEN_STREAM: Final = (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError)

# Each opener's stream is closed by ``decompress``'s ``with``.
OPENERS: Final[dict[str, Callable[[Path | BinaryIO], io.BufferedIOBase]]] = {
    "gzip": lambda source: gzip.open(source, "rb"),  # noqa: SIM115
    "bzip2": lambda source: bz2.open(source, "rb"),  # noqa: SIM115
    "xz": lambda source: lzma.open(source, "rb"),  # noqa: SIM115
}


def stream_kind(head: bytes) -> str | None:
    """Name the compression of a stream from its first bytes (``gzip``, ``bzip2``, ``xz``)."""
    for magic, kind in STREAM_MAGIC:
        if head.startswith(magic):
            return kind
    return None


def is_zip(head: bytes) -> bool:
    """Whether the first bytes start a ZIP archive (an empty one included)."""
    return head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC))


def inner_name(name: str) -> str:
    """The name of what a compressed file holds: ``page.html.gz`` -> ``page.html``."""
    lowered = name.lower()
    for suffix in COMPRESSION_SUFFIXES:
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    if lowered.endswith(".tgz"):
        return name[: -len(".tgz")] + ".tar"
    return name


def decompress(source: Path | bytes, name: str, kind: str) -> bytes | IngestError:
    """Decompress one gzip, bzip2 or xz stream, at most ``MAX_DECOMPRESSED_BYTES`` of it.

    Args:
        source: The compressed file, or its bytes (a member of an archive).
        name: The item's name for messages.
        kind: What ``stream_kind`` named it.

    Returns:
        The decompressed bytes, or an ``IngestError`` for a damaged stream or one that
        expands past the limit.
    """
    stream_source = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with OPENERS[kind](stream_source) as stream:
            data = _read_bounded(stream, MAX_DECOMPRESSED_BYTES)
    except BROKEN_STREAM as exc:
        return IngestError(
            name,
            f"the {kind} archive is damaged or cut short ({exc})",
            "Compress the file again, or give it uncompressed.",
        )
    if data is None:
        return _too_big(name, MAX_DECOMPRESSED_BYTES)
    return data


def zip_members(source: Path | BinaryIO, name: str) -> Iterator[tuple[str, bytes] | IngestError]:
    """Read a ZIP archive as a folder: each member's name and bytes, in name order.

    Args:
        source: The archive file, or a stream of its bytes.
        name: The archive's name, which sources and messages start with.

    Yields:
        ``(source, data)`` per member file, ``source`` being ``ARCHIVE/member/path``; an
        ``IngestError`` per member that is damaged or too big, and one for an archive that
        cannot be opened, is a document rather than articles, or passes the total limit.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield IngestError(name, f"the ZIP archive cannot be opened ({exc})", "Zip it again.")
        return
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if names & DOCUMENT_MARKERS:
            yield UnsupportedInput(
                name,
                "this is an office document or e-book (a ZIP with a document manifest)",
                "Save it as text or HTML first.",
            )
            return
        if len(infos) > MAX_ARCHIVE_MEMBERS:
            yield IngestError(
                name,
                f"the archive lists {len(infos):,} members, more than {MAX_ARCHIVE_MEMBERS:,}",
                "Split it into smaller archives.",
            )
            return
        budget = MAX_ARCHIVE_BYTES
        for info in sorted(infos, key=lambda item: item.filename):
            if info.is_dir() or _is_hidden(info.filename):
                continue
            member = f"{name}/{info.filename}"
            limit = min(budget, MAX_DECOMPRESSED_BYTES)
            data = _read_member(archive, info, member, limit)
            if data is None and limit < MAX_DECOMPRESSED_BYTES:
                yield _too_big(name, MAX_ARCHIVE_BYTES)
                return
            if data is None:
                yield _too_big(member, limit)
            elif isinstance(data, IngestError):
                yield data
            else:
                budget -= len(data)
                yield member, data


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, limit: int
) -> bytes | IngestError | None:
    try:
        with archive.open(info) as stream:
            data = _read_bounded(stream, limit)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, *BROKEN_STREAM) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method.
        return IngestError(source, f"the member cannot be read ({exc})", "Zip it again.")
    return data


def _read_bounded(stream: IO[bytes] | io.BufferedIOBase, limit: int) -> bytes | None:
    """Read a stream to its end, or return ``None`` as soon as it passes ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(READ_CHUNK_BYTES, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)


def _is_hidden(member: str) -> bool:
    parts = member.split("/")
    return parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts if part)


def _too_big(name: str, limit: int) -> IngestError:
    return IngestError(
        name,
        f"it decompresses to more than {limit:,} bytes (a decompression bomb, or not articles)",
        "Give the articles as separate, smaller files.",
    )
