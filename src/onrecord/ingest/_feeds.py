"""RSS and Atom feeds -> one RawDocument per entry (or IngestError values).

For each entry, in feed order:

1. the body is the longest HTML or text ``content`` item, else the ``summary``; an entry with
   neither becomes an ``IngestError``;
2. the body is wrapped into a small HTML page whose ``<title>`` is the entry title, so the
   HTML cleaner sees a whole document (media type ``html``);
3. fields: ``title``, ``url`` (the entry link), ``published`` and ``updated`` (ISO dates from
   the entry's parsed times, UTC), ``authors`` ("; "-joined), and ``outlet`` from the feed's
   own title up to the first separator ("Tidewire | World" -> "Tidewire").

A file that is not a readable feed (malformed XML with no entries, an HTML page) becomes one
``IngestError``; a feed with recoverable damage still yields its entries, with a warning.
The source of an entry is ``PATH#entry-N`` (N from 1).
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import feedparser

from onrecord.errors import IngestError, UnsupportedInput
from onrecord.models import RawDocument

log = logging.getLogger(__name__)

FEED_SUFFIXES: Final = frozenset({".rss", ".atom", ".rdf", ".xml"})
FEED_ROOTS: Final = frozenset({"rss", "feed", "rdf:rdf"})
SNIFF_BYTES: Final = 2048
# The first element of the document, after an XML declaration, comments, processing
# instructions, a doctype and whitespace: only a feed element there makes a feed, so that a
# page with a <channel-list> element, or a text that mentions <rss>, stays what it is.
FIRST_ELEMENT: Final = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*<([A-Za-z][\w:.-]*)[\s/>]",
    re.DOTALL | re.IGNORECASE,
)
HTML_CONTENT: Final = frozenset({"text/html", "application/xhtml+xml"})
OUTLET_SEPARATORS: Final = re.compile(r"\s+[|:\u2013\u2014-]\s+")
MAX_FEED_BYTES: Final = 50_000_000


def is_feed(path: Path, head: bytes) -> bool:
    """Whether a file looks like an RSS or Atom feed.

    Args:
        path: The file; ``.rss``, ``.atom`` and ``.rdf`` count by name, any other only when
            its first element is ``<rss>``, ``<feed>`` or ``<rdf:RDF>``.
        head: Its first bytes (``SNIFF_BYTES`` is enough).

    Returns:
        True for a feed.
    """
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES - {".xml"}:
        return True
    found = FIRST_ELEMENT.match(head[:SNIFF_BYTES])
    return found is not None and found.group(1).decode("ascii").lower() in FEED_ROOTS


# feedparser hands back FeedParserDict values of loose shape; each is checked where used.
def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _iso_date(parsed: Any) -> str | None:
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC).date().isoformat()
    except ValueError:
        return None


def _body(entry: Any) -> tuple[str, bool]:
    best = ""
    is_html = True
    for item in entry.get("content") or []:
        value = _text(item.get("value"))
        if len(value) > len(best):
            best = value
            is_html = item.get("type", "text/html") in HTML_CONTENT or "<" in value
    if not best:
        best = _text(entry.get("summary"))
        detail = entry.get("summary_detail") or {}
        is_html = detail.get("type", "text/html") in HTML_CONTENT or "<" in best
    return best, is_html


def _outlet(feed: Any) -> str | None:
    title = _text(feed.get("title"))
    if not title:
        return None
    return OUTLET_SEPARATORS.split(title, maxsplit=1)[0].strip() or None


def _page(title: str, body: str, is_html: bool) -> str:
    content = (
        body
        if is_html
        else "".join(
            f"<p>{html.escape(part.strip())}</p>" for part in body.split("\n\n") if part.strip()
        )
    )
    heading = f"<h1>{html.escape(title)}</h1>" if title else ""
    return (
        f"<html><head><title>{html.escape(title)}</title></head>"
        f"<body><article>{heading}{content}</article></body></html>"
    )


def _entry(source: str, entry: Any, outlet: str | None) -> RawDocument | IngestError:
    body, is_html = _body(entry)
    if not body:
        return IngestError(
            source, "the entry has neither content nor a summary", "Nothing to read; skipped."
        )
    title = html.unescape(_text(entry.get("title")))
    fields: dict[str, str] = {}
    if title:
        fields["title"] = title
    link = _text(entry.get("link"))
    if link:
        fields["url"] = link
    for key in ("published", "updated"):
        found = _iso_date(entry.get(f"{key}_parsed"))
        # RSS has one date, which feedparser reports as both.
        if found and found != fields.get("published"):
            fields[key] = found
    names = [_text(a.get("name")) for a in entry.get("authors") or [] if isinstance(a, dict)]
    names = [name for name in names if name] or [_text(entry.get("author"))]
    names = [name for name in names if name]
    if names:
        fields["authors"] = "; ".join(names)
    if outlet:
        fields["outlet"] = outlet
    return RawDocument(
        source=source, content=_page(title, body, is_html), media_type="html", fields=fields
    )


def read_feed(path: Path) -> Iterator[RawDocument | IngestError]:
    """Read the entries of an RSS or Atom feed file.

    Args:
        path: The feed file.

    Yields:
        A ``RawDocument`` per entry with a body, an ``IngestError`` per entry without one, or
        a single ``IngestError`` when the file is not a readable feed.
    """
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FEED_BYTES:
            yield IngestError(
                name,
                f"the feed has {size:,} bytes, more than the limit of {MAX_FEED_BYTES:,}",
                "Split it, or read the linked articles instead.",
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield IngestError(name, f"cannot read the file ({exc.strerror or exc})", "Check it.")
        return
    yield from read_feed_data(name, data)


def read_feed_data(name: str, data: bytes) -> Iterator[RawDocument | IngestError]:
    """Read the entries of an RSS or Atom feed already in memory (a decompressed file).

    Args:
        name: The item's name for sources and messages.
        data: The feed's bytes.

    Yields:
        What ``read_feed`` yields for a file.
    """
    # Bytes, not a path or URL string: feedparser would otherwise try to fetch the name.
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception")
    if not entries:
        if parsed.get("bozo"):
            reason = f"not a readable RSS or Atom feed ({problem})"
            yield IngestError(name, reason, "Check that the file is a complete feed.")
        elif not parsed.get("version"):
            yield UnsupportedInput(
                name, "no RSS or Atom feed found in the file", "Give onrecord a feed file."
            )
        else:
            log.warning("%s: the feed has no entries", name)
        return
    outlet = _outlet(parsed.get("feed") or {})
    for number, entry in enumerate(entries, start=1):
        yield _entry(f"{name}#entry-{number}", entry, outlet)
    log.info("%s: %d feed entries", name, len(entries))
    if parsed.get("bozo"):
        if isinstance(problem, feedparser.ThingsNobodyCaresAboutButMe):
            log.warning("%s: %s", name, problem)
        else:
            yield IngestError(
                name,
                f"the feed is malformed ({problem}); the {len(entries)} entries before the "
                "damage were read",
                "Re-fetch the feed to get the rest.",
            )
