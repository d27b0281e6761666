"""HTML page -> article body lines and page metadata.

Cascade per field, first match wins:

* body, title, authors, sitename: trafilatura (its own fallbacks included);
* url: ``<link rel=canonical>`` > ``og:url`` > trafilatura's url;
* published: ``article:published_time`` and similar meta tags > htmldate (original date);
* updated: ``article:modified_time`` and similar meta tags > htmldate (latest date), when it
  differs from the published date.

htmldate gets a fixed upper bound instead of "today", so that the result never depends on the
clock.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

import htmldate
import lxml.html
import trafilatura
from lxml.etree import ParserError

from onrecord.clean._dates import parse_date

log = logging.getLogger(__name__)

MAX_DATE = "2100-12-31"
DOMAIN = re.compile(r"[\w-]+(\.[\w-]+)+")
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "pubdate",
    "publishdate",
    "publish-date",
    "sailthru.date",
    "parsely-pub-date",
)
UPDATED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dc.date.modified",
)


@dataclass(frozen=True, slots=True)
class HtmlParts:
    """What an HTML page gives: body lines (title not included) and metadata."""

    body: str
    title: str | None
    authors: str | None
    url: str | None
    sitename: str | None
    published: date | None
    updated: date | None
    language: str | None


def extract_html(html: str, url: str | None = None) -> HtmlParts:
    """Extract the article body and metadata from an HTML page.

    Args:
        html: The page source.
        url: The page's address when the container gave one; it helps trafilatura.

    Returns:
        The parts found; ``body`` is empty when the page holds no article text.
    """
    meta = _read_meta(html)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        date_extraction_params={
            "original_date": True,
            "extensive_search": True,
            "max_date": MAX_DATE,
        },
    )
    body = ""
    title = authors = found_url = sitename = language = None
    if document is not None and not isinstance(document, dict):
        body = document.text or ""
        title = document.title or None
        authors = document.author or None
        found_url = document.url or None
        # trafilatura falls back to the host name; a bare domain is left to the outlet table.
        if document.sitename and not DOMAIN.fullmatch(document.sitename):
            sitename = document.sitename
        language = document.language or None
    published = _first_date(meta, PUBLISHED_META) or _htmldate(html, is_original=True)
    updated = _first_date(meta, UPDATED_META) or _htmldate(html, is_original=False)
    if updated is not None and published is not None and updated <= published:
        updated = None
    return HtmlParts(
        body=body,
        title=title or meta.get("og:title"),
        authors=authors or meta.get("author"),
        url=meta.get("canonical") or meta.get("og:url") or found_url or url,
        sitename=meta.get("og:site_name") or sitename,
        published=published,
        updated=updated,
        language=language,
    )


def _read_meta(html: str) -> dict[str, str]:
    """Collect ``<meta>`` values by lower-cased name/property, and the canonical link."""
    meta: dict[str, str] = {}
    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError) as exc:
        log.debug("HTML could not be parsed for meta tags: %s", exc)
        return meta
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        value = element.get("content")
        if key and value and value.strip():
            meta.setdefault(key.strip().lower(), value.strip())
    for element in tree.iter("link"):
        if (element.get("rel") or "").strip().lower() == "canonical" and element.get("href"):
            meta.setdefault("canonical", element.get("href").strip())
    for element in tree.iter("time"):
        value = element.get("datetime")
        if value and value.strip():
            meta.setdefault("date", value.strip())
    return meta


def _first_date(meta: dict[str, str], keys: tuple[str, ...]) -> date | None:
    for key in keys:
        value = meta.get(key)
        if value:
            found = parse_date(value)
            if found is not None:
                return found
    return None


def _htmldate(html: str, *, is_original: bool) -> date | None:
    try:
        value = htmldate.find_date(
            html, original_date=is_original, extensive_search=False, max_date=MAX_DATE
        )
    except (ValueError, TypeError) as exc:
        log.debug("htmldate failed: %s", exc)
        return None
    return parse_date(value) if value else None
