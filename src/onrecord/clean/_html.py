"""HTML page -> article body lines and page metadata.

Cascade per field, first match wins:

* body, title, authors: trafilatura (its own fallbacks included); authors fall back to the
  JSON-LD ``author`` names, then the ``author`` meta tag;
* outlet: JSON-LD ``publisher`` name > ``og:site_name`` (trafilatura's own site name is not
  used: it is often a section, "U.S." for a Reuters page);
* url: ``<link rel=canonical>`` > ``og:url`` > trafilatura's url;
* published: every source is collected as ``DateEvidence`` (JSON-LD ``datePublished``,
  ``article:published_time`` and similar meta tags, ``<time datetime>``, htmldate's original
  date) and ``_published`` chooses among them and the text's own;
* updated: JSON-LD ``dateModified`` > ``article:modified_time`` and similar meta tags >
  htmldate (latest date), when it differs from the published date.

htmldate gets a fixed upper bound instead of "today", so that the result never depends on the
clock.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import htmldate
import lxml.html
import trafilatura
from lxml.etree import ParserError

from onrecord.clean._dates import parse_date
from onrecord.clean._published import DateEvidence, is_utc_stamp

log = logging.getLogger(__name__)

MAX_DATE = "2100-12-31"
TIME_KEY = "<time>"
MAX_LD_DEPTH = 6
JSON_LD = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>",
    re.IGNORECASE | re.DOTALL,
)
ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle",
     "BackgroundNewsArticle", "BlogPosting", "LiveBlogPosting", "Report", "ScholarlyArticle"}
)  # fmt: skip
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
    published: tuple[DateEvidence, ...]
    updated: date | None
    language: str | None
    publisher: str | None = None


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
    title = authors = found_url = language = None
    if document is not None and not isinstance(document, dict):
        body = document.text or ""
        title = document.title or None
        authors = document.author or None
        found_url = document.url or None
        language = document.language or None
    linked = read_json_ld(html)
    published = _published_evidence(html, meta, linked)
    updated = (
        _first_date(linked, ("datemodified",))
        or _first_date(meta, UPDATED_META)
        or _htmldate(html, is_original=False)
    )
    first = published[0].value if published else None
    if updated is not None and first is not None and updated <= first:
        updated = None
    return HtmlParts(
        body=body,
        title=title or meta.get("og:title"),
        authors=authors or linked.get("author") or meta.get("author"),
        url=meta.get("canonical") or meta.get("og:url") or found_url or url,
        sitename=_site_name(meta.get("og:site_name")),
        published=tuple(published),
        updated=updated,
        language=language,
        publisher=_site_name(linked.get("publisher")),
    )


def _site_name(value: str | None) -> str | None:
    # A bare domain ("example.com") is no name: the outlet table or the host says it better.
    if not value or DOMAIN.fullmatch(value.strip()):
        return None
    return value.strip()


def _published_evidence(
    html: str, meta: dict[str, str], linked: dict[str, str]
) -> list[DateEvidence]:
    evidence: list[DateEvidence] = []
    for source, values in (
        ("json-ld", [linked.get("datepublished")]),
        ("meta", [meta.get(key) for key in PUBLISHED_META]),
        ("time", [meta.get(TIME_KEY)]),
    ):
        for value in values:
            found = parse_date(value) if value else None
            if value and found is not None:
                evidence.append(DateEvidence(source, found, is_utc_stamp(value)))
                break
    original = _htmldate(html, is_original=True)
    if original is not None:
        evidence.append(DateEvidence("htmldate", original))
    return evidence


def read_json_ld(html: str) -> dict[str, str]:
    """The article's JSON-LD facts, by lower-cased key: dates, publisher and author names.

    Every ``application/ld+json`` block is read; the first object whose ``@type`` is an
    article kind (or, failing that, any object with ``datePublished``) gives the values.
    """
    facts: dict[str, str] = {}
    for block in JSON_LD.finditer(html):
        try:
            data = json.loads(block.group(1).strip())
        except (json.JSONDecodeError, RecursionError):
            continue
        for item in _ld_objects(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            is_article = any(isinstance(kind, str) and kind in ARTICLE_TYPES for kind in kinds)
            if not (is_article or "datePublished" in item):
                continue
            for key in ("datePublished", "dateModified"):
                value = item.get(key)
                if isinstance(value, str) and value.strip():
                    facts.setdefault(key.lower(), value.strip())
            for key in ("publisher", "author"):
                names = _ld_names(item.get(key))
                if names:
                    facts.setdefault(key, "; ".join(names))
    return facts


# JSON-LD is outside data of any shape: objects, lists and strings are checked where used.
def _ld_objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > MAX_LD_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _ld_objects(graph, depth + 1)


def _ld_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and name.strip() not in names:
            names.append(name.strip())
    return names


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
    times = [element for element in tree.iter("time") if (element.get("datetime") or "").strip()]
    # A <time> marked as the publication time beats the first one on the page.
    marked = [
        element
        for element in times
        if element.get("pubdate") is not None
        or (element.get("itemprop") or "").lower() == "datepublished"
        or "publish" in (element.get("class") or "").lower()
    ]
    if marked or times:
        meta.setdefault(TIME_KEY, (marked or times)[0].get("datetime").strip())
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
