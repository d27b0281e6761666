"""Web archives (WARC, WARC.gz, ARC) -> a stream of RawDocument (or IngestError values).

Record by record, never the whole file in memory (warcio's ``ArchiveIterator``):

1. ``response`` records with an HTML payload (``text/html``, ``application/xhtml+xml``) and a
   2xx status, and ``resource`` records of an HTML type, become one ``RawDocument`` each
   (media type ``html``; source ``PATH#record-N``, N counting every record from 1; fields
   ``url`` = WARC-Target-URI and ``crawled`` = WARC-Date, a fallback only: the page's own
   date wins during cleaning);
2. other records (requests, metadata, revisits, redirects, images, scripts) are skipped
   silently but counted;
3. a record whose payload is cut short or cannot be decoded becomes an ``IngestError`` and
   the next record is tried;
4. a file that breaks off (truncated gzip member or record) ends with one ``IngestError``
   for the rest; the records before it are kept.

Counts go to ``WarcStats`` when the caller passes one, and to one INFO line per file.
"""

from __future__ import annotations

import codecs
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from onrecord.config import DEFAULT_MAX_BYTES
from onrecord.errors import IngestError, UnsupportedInput, printable
from onrecord.ingest._decode import decode_bytes
from onrecord.models import RawDocument

log = logging.getLogger(__name__)

WARC_SUFFIXES: Final = (".warc", ".warc.gz", ".arc", ".arc.gz")
WARC_MAGIC: Final = b"WARC/"
GZIP_MAGIC: Final = b"\x1f\x8b"
HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
ARTICLE_RECORDS: Final = frozenset({"response", "resource"})
SNIFF_BYTES: Final = 4096
DRAIN_BYTES: Final = 65536
# warcio raises these on damaged input; AttributeError comes from its header parser when a
# gzip member ends in the middle of a record header (warcio 1.8).
BROKEN_ARCHIVE: Final = (
    ArchiveLoadFailed,
    OSError,
    EOFError,
    zlib.error,
    ValueError,
    AttributeError,
)


@dataclass(slots=True)
class WarcStats:
    """What reading one or more archives found.

    Attributes:
        records: Records seen, of every type.
        articles: HTML records handed on as documents.
        skipped_non_html: Response or resource records that are not HTML pages.
        skipped_other: Records that are not responses or resources, and non-2xx responses.
        broken: Damaged records, plus one per archive that breaks off.
    """

    records: int = 0
    articles: int = 0
    skipped_non_html: int = 0
    skipped_other: int = 0
    broken: int = 0


def is_warc(path: Path, head: bytes) -> bool:
    """Whether a file is a web archive, by name or by its first bytes.

    Args:
        path: The file; ``.warc``, ``.warc.gz``, ``.arc`` and ``.arc.gz`` count by name.
        head: Its first bytes (at least 5); ``WARC/`` counts, and so does a gzip stream whose
            decompressed start is ``WARC/``.

    Returns:
        True for a WARC or ARC file.
    """
    if path.name.lower().endswith(WARC_SUFFIXES) or head.startswith(WARC_MAGIC):
        return True
    if head.startswith(GZIP_MAGIC):
        try:
            with path.open("rb") as handle:
                start = zlib.decompressobj(wbits=31).decompress(handle.read(SNIFF_BYTES), 8)
        except (OSError, zlib.error):
            return False
        return start.startswith(WARC_MAGIC)
    return False


def _media_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    parts = [part.strip() for part in value.split(";")]
    charset = None
    for part in parts[1:]:
        key, _, found = part.partition("=")
        if key.strip().lower() == "charset" and found.strip():
            charset = found.strip().strip("\"'")
    return parts[0].lower(), charset


def _decode(data: bytes, charset: str | None) -> str:
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = None
    if charset:
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            log.debug("declared charset %s does not decode; guessing", charset)
    return decode_bytes(data)


def _record(
    name: str, number: int, record: ArcWarcRecord, stats: WarcStats, max_bytes: int
) -> RawDocument | IngestError | None:
    source = f"{name}#record-{number}"
    if record.rec_type not in ARTICLE_RECORDS:
        stats.skipped_other += 1
        return None
    if record.rec_type == "response":
        if record.http_headers is None:
            stats.skipped_non_html += 1
            return None
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            stats.skipped_other += 1
            log.debug("%s: HTTP status %s skipped", source, status)
            return None
        content_type = record.http_headers.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    media, charset = _media_type(content_type)
    if media not in HTML_TYPES:
        stats.skipped_non_html += 1
        log.debug("%s: %s skipped", source, media or "no content type")
        return None
    try:
        # Read one byte past the cap: a payload that inflates (Content-Encoding) past it is
        # stopped here, at the cap, instead of being held whole.
        data = record.content_stream().read(max_bytes + 1)
    except BROKEN_ARCHIVE as exc:
        stats.broken += 1
        return IngestError(source, f"the record cannot be read ({exc})", "Skipped; check the file.")
    if len(data) > max_bytes:
        stats.broken += 1
        _is_cut_short(record)
        return IngestError(
            source,
            f"the page has more than the limit of {max_bytes:,} bytes once decoded",
            "Skipped; raise ONRECORD_MAX_BYTES to read it.",
        )
    if record.raw_stream.limit > 0:
        stats.broken += 1
        return IngestError(
            source,
            f"the record is cut short ({record.raw_stream.limit:,} bytes missing)",
            "Skipped; the archive is incomplete.",
        )
    text = _decode(data, charset)
    if not text.strip():
        stats.broken += 1
        return IngestError(source, "the record holds an empty page", "Skipped.")
    fields: dict[str, str] = {}
    url = record.rec_headers.get_header("WARC-Target-URI")
    if url:
        fields["url"] = url.strip().strip("<>")
    crawled = record.rec_headers.get_header("WARC-Date")
    if crawled:
        fields["crawled"] = crawled.strip()
    stats.articles += 1
    return RawDocument(source=source, content=text, media_type="html", fields=fields)


def _starts_as_archive(path: Path, head: bytes) -> bool:
    if path.name.lower().endswith((".arc", ".arc.gz")):
        return True
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, SNIFF_BYTES)
        except zlib.error:
            return False
    return head.startswith(WARC_MAGIC)


def _is_cut_short(record: ArcWarcRecord) -> bool:
    # A skipped record is drained here rather than by warcio, so that a payload that ends
    # before its Content-Length is noticed instead of silently shortened.
    try:
        while record.raw_stream.read(DRAIN_BYTES):
            pass
    except BROKEN_ARCHIVE:
        return True
    return bool(record.raw_stream.limit > 0)


def read_warc(
    path: Path, stats: WarcStats | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawDocument | IngestError]:
    """Read the HTML pages of a web archive, one record at a time.

    Args:
        path: A ``.warc``, ``.warc.gz`` or ARC file.
        stats: Counts to add to; a fresh one is used when ``None``.
        max_bytes: Largest page payload read, after its transfer encoding is undone; a bigger
            record becomes an ``IngestError`` and is skipped.

    Yields:
        A ``RawDocument`` per HTML page, and an ``IngestError`` per damaged record or for an
        archive that breaks off or cannot be opened.
    """
    counts = stats if stats is not None else WarcStats()
    name = printable(str(path))
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except OSError as exc:
        counts.broken += 1
        yield IngestError(name, f"cannot read the file ({exc.strerror or exc})", "Check it.")
        return
    number = 0
    with handle:
        if not _starts_as_archive(path, handle.read(SNIFF_BYTES)):
            counts.broken += 1
            yield UnsupportedInput(
                name,
                "this is not a web archive: it does not start with a 'WARC/' record",
                "Give onrecord a WARC file, or rename an ARC file to .arc or .arc.gz.",
            )
            return
        handle.seek(0)
        records = ArchiveIterator(handle, arc2warc=True)
        try:
            for record in records:
                number += 1
                counts.records += 1
                outcome = _record(name, number, record, counts, max_bytes)
                if outcome is None and _is_cut_short(record):
                    counts.broken += 1
                    outcome = IngestError(
                        f"{name}#record-{number}",
                        "the record is cut short",
                        "Skipped; the archive is incomplete.",
                    )
                if outcome is not None:
                    yield outcome
            is_complete = records.offset >= size
            reason = f"the archive breaks off after {records.offset:,} of {size:,} bytes"
        except BROKEN_ARCHIVE as exc:
            is_complete = False
            detail = (
                "a record header is damaged"
                if isinstance(exc, AttributeError)
                else f"{type(exc).__name__}: {exc}"
            )
            reason = f"the archive cannot be read from here on ({detail})"
    if not is_complete:
        counts.broken += 1
        yield IngestError(
            f"{name}#record-{number + 1}",
            reason,
            f"The {number} records before it were read; re-fetch or repair the archive.",
        )
    log.info(
        "%s: %d records, %d pages, %d non-HTML and %d other records skipped, %d broken",
        name,
        counts.records,
        counts.articles,
        counts.skipped_non_html,
        counts.skipped_other,
        counts.broken,
    )
