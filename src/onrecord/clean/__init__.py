"""Clean: RawDocument -> Article (text without page junk, plus metadata).

Entry point: ``clean_document(raw, is_cleaning=True)``. Pure: no files, network or clock.

Steps for plain text: normalise (``_normalize``), split off the ``date YYYY-MM-DD URL`` header
line (``_meta``), judge every line (``_junk``), then assemble the kept lines and read the
metadata. HTML first goes through trafilatura and htmldate (``_html``); its body then takes the
same line judgement, minus the trailing-headline pass that trafilatura already covers.

``Article.text`` holds one paragraph per line, title first. ``Article.removed`` gives each dropped
piece with its reason: ``header``, ``timestamp``, ``byline``, ``caption``, ``credit``,
``related-tail``, ``promo``, ``link``, ``share``, ``cookie``, ``advert``, ``nav``, ``footer``,
``duplicate``, ``boilerplate`` (outside the article by the learned line judgement, for a whole
scraped page given as plain text).

For HTML, trafilatura's body is the floor: when the line rules would drop more than
``MAX_RULE_LOSS`` of its words, its lines are all kept. ``Article.flags`` tells what looked
wrong: ``empty_body``/``tiny_body`` (a page with little or no text under the title),
``date_conflict`` and
``date_implausible`` (see ``_published``); the pipeline adds ``unsupported_language``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from onrecord.clean._dates import latest_date, parse_date, url_date
from onrecord.clean._html import extract_html
from onrecord.clean._junk import Draft, analyse
from onrecord.clean._lines import LineSettings, judge_lines, load_line_model
from onrecord.clean._meta import (
    Header,
    date_from_dateline,
    dates_from_stamps,
    detect_language,
    header_length,
    is_section_name,
    outlet_from_dateline,
    outlet_from_url,
    pinned_outlet,
    read_header,
    split_authors,
)
from onrecord.clean._normalize import normalize_text
from onrecord.clean._published import DateEvidence, choose_published
from onrecord.errors import IngestError
from onrecord.models import Article, Block, RawDocument, Removed

__all__ = ["clean_document", "name_outlet", "normalize_text"]

log = logging.getLogger(__name__)

ID_CHARS = 16
MAX_RULE_LOSS = 0.1
# Measured in letters and digits, so that Chinese or Japanese text (no spaces) counts fairly.
TINY_BODY_CHARS = 100
FLAG_EMPTY_BODY = "empty_body"
FLAG_TINY_BODY = "tiny_body"
PARAGRAPH_SEPARATOR = "\n"
HINT_REASONS = frozenset({"caption", "credit"})
JSON_STRING_FIELDS = ("title", "url", "published", "updated", "outlet", "language")


@dataclass(frozen=True, slots=True)
class _Found:
    """Metadata the page itself gave (HTML tags or the header line), before the text's own."""

    title: str | None = None
    url: str | None = None
    published: tuple[DateEvidence, ...] = ()
    updated: date | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None


def clean_document(raw: RawDocument, *, is_cleaning: bool = True) -> Article:
    """Turn one raw input item into an article: clean text plus metadata.

    Args:
        raw: The item as ingest read it.
        is_cleaning: Remove page junk. When false, ``text`` is the input exactly (trafilatura's
            extraction for HTML), so that offsets index the input; metadata is still read.

    Returns:
        The article; ``removed`` lists every piece of the input that cleaning dropped.

    Raises:
        IngestError: When no article text remains.
    """
    if raw.media_type == "json":
        raw = _from_json(raw)
    if raw.media_type == "html":
        return _clean_html(raw, is_cleaning=is_cleaning)
    return _clean_text(raw, is_cleaning=is_cleaning)


def name_outlet(article: Article, outlets: Mapping[str, str]) -> Article:
    """Give the article the outlet name a user pinned for its URL's host, if there is one.

    Args:
        article: A cleaned article.
        outlets: Host (``morningledger.example``) -> outlet name, from the config file.

    Returns:
        The article, renamed when its host (or a parent domain) is pinned.
    """
    name = pinned_outlet(article.url, outlets)
    return article if name is None or name == article.outlet else replace(article, outlet=name)


def _from_json(raw: RawDocument) -> RawDocument:
    try:
        record = json.loads(raw.content)
    except json.JSONDecodeError as exc:
        raise IngestError(raw.source, f"invalid JSON ({exc.msg})", "Fix the item.") from exc
    if not isinstance(record, dict):
        raise IngestError(raw.source, "expected a JSON object", 'Write {"text": ...}.')
    fields = dict(raw.fields)
    for key in JSON_STRING_FIELDS:
        value = record.get(key)
        if isinstance(value, str) and value.strip() and key not in fields:
            fields[key] = value.strip()
    html, text = record.get("html"), record.get("text")
    if isinstance(html, str) and html.strip():
        return RawDocument(raw.source, html, "html", fields)
    if isinstance(text, str) and text.strip():
        return RawDocument(raw.source, text, "text", fields)
    raise IngestError(raw.source, "no 'text' or 'html' field", 'Add a "text" field.')


def _clean_text(raw: RawDocument, *, is_cleaning: bool) -> Article:
    text = normalize_text(raw.content) if is_cleaning else raw.content
    header, body = read_header(text)
    offset = header_length(text) if header is not None else 0
    given_title = raw.fields.get("title")
    has_title = given_title is None or _starts_with(body, given_title)
    model, settings = load_line_model(), LineSettings()
    language = raw.fields.get("language") or detect_language(body)
    draft = analyse(
        body,
        is_scraped=True,
        has_title=has_title,
        is_title_first=header is not None and has_title,
        judge=(lambda lines: judge_lines(lines, model, settings)) if is_cleaning else None,
        language=language,
    )
    found = _Found(
        url=header.url if header else None,
        published=(DateEvidence("header", header.published),)
        if header is not None and header.published is not None
        else (),
    )
    if is_cleaning:
        lead = given_title if given_title and not has_title else None
        out, blocks = _assemble(draft, lead)
        removed = _header_removed(header) + tuple(draft.removed)
    else:
        out, blocks, removed = raw.content, _blocks_in_place(draft, offset), ()
    return _article(raw, out, blocks, removed, draft, found)


def _clean_html(raw: RawDocument, *, is_cleaning: bool) -> Article:
    parts = extract_html(raw.content, raw.fields.get("url"))
    title = raw.fields.get("title") or parts.title
    text = f"{title}\n{parts.body}" if title else parts.body
    if is_cleaning:
        text = normalize_text(text)
    language = raw.fields.get("language") or parts.language or detect_language(parts.body)
    draft = analyse(
        text,
        is_scraped=False,
        has_title=title is not None,
        language=language,
    )
    if is_cleaning:
        _keep_extractor_body(draft, parts.body, has_title=title is not None)
    found = _Found(
        title=title,
        url=parts.url,
        published=parts.published,
        updated=parts.updated,
        outlet=next(
            (
                name
                for name in (parts.publisher, parts.sitename)
                if name and not is_section_name(name)
            ),
            None,
        ),
        authors=split_authors(parts.authors) if parts.authors else (),
        language=language,
    )
    if is_cleaning:
        out, blocks = _assemble(draft, None)
        removed: tuple[Removed, ...] = tuple(draft.removed)
    else:
        out, blocks, removed = text, _blocks_in_place(draft, 0), ()
    return _article(raw, out, blocks, removed, draft, found)


def _keep_extractor_body(draft: Draft, body: str, *, has_title: bool) -> None:
    """Undo the line rules when they would cut more than a little of trafilatura's body.

    trafilatura has already cut the page to its article; a rule that drops a large share of
    that (a long second half read as a related-stories tail, a body read as navigation) is the
    rule's mistake, and trafilatura's own body is kept instead.
    """
    total = _size(body)
    lost = sum(
        _size(line.text)
        for line in draft.lines
        if line.reason is not None and line.reason != "duplicate" and line.kind != "title"
    )
    # A body of a few words is a menu or a stub: there the rules decide alone.
    if total < TINY_BODY_CHARS or lost <= MAX_RULE_LOSS * total:
        return
    log.debug("line rules would drop %d of %d characters; the body is kept", lost, total)
    for index, line in enumerate(draft.lines):
        if line.reason is not None and line.reason != "duplicate":
            line.reason = None
        # The page's title leads the text; a line the rules took for the title is body again.
        if index == 0 and has_title:
            line.kind = "title"
        elif line.kind == "title":
            line.kind = "paragraph"
    draft.removed = [
        item for item in draft.removed if item.reason == "duplicate" or item.text not in body
    ]


def _size(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _starts_with(body: str, title: str) -> bool:
    first = body.lstrip().split("\n", 1)[0]
    return " ".join(first.split()).casefold() == " ".join(title.split()).casefold()


def _header_removed(header: Header | None) -> tuple[Removed, ...]:
    return (Removed(header.line, "header"),) if header is not None else ()


def _assemble(draft: Draft, lead_title: str | None) -> tuple[str, tuple[Block, ...]]:
    pieces: list[str] = []
    blocks: list[Block] = []
    position = 0
    kept = [(line.text, line.kind) for line in draft.kept]
    if lead_title:
        kept.insert(0, (" ".join(lead_title.split()), "title"))
    for text, kind in kept:
        if pieces:
            position += len(PARAGRAPH_SEPARATOR)
        pieces.append(text)
        blocks.append(Block(position, position + len(text), kind))
        position += len(text)
    return PARAGRAPH_SEPARATOR.join(pieces), tuple(blocks)


def _blocks_in_place(draft: Draft, offset: int) -> tuple[Block, ...]:
    return tuple(Block(offset + line.start, offset + line.end, line.kind) for line in draft.kept)


def _article(
    raw: RawDocument,
    text: str,
    blocks: tuple[Block, ...],
    removed: tuple[Removed, ...],
    draft: Draft,
    found: _Found,
) -> Article:
    if not any(ch.isalpha() for ch in text):
        raise IngestError(
            raw.source,
            "no article text is left after cleaning",
            "Check that the item holds an article, or clean it with is_cleaning off.",
        )
    fields = raw.fields
    titles = [text[block.start : block.end] for block in blocks if block.kind == "title"]
    title = fields.get("title") or found.title or (titles[0] if titles else None)
    url = fields.get("url") or found.url
    body = "\n".join(text[b.start : b.end] for b in blocks if b.kind != "title") or text
    stamp_published, stamp_updated = dates_from_stamps(draft.stamps)
    evidence = [
        *_evidence("field", _field_date(fields, "published")),
        *found.published,
        *_evidence("timestamp", stamp_published),
        *_evidence("dateline", date_from_dateline(body)),
        *_evidence("url", url_date(url) if url else None),
    ]
    choice = choose_published(evidence, latest=_latest_day(fields))
    published, source, flags = choice.value, choice.source, list(choice.flags)
    updated = _field_date(fields, "updated") or found.updated or stamp_updated
    inferred = False
    if published is None and updated is not None:
        published, source, inferred = updated, "updated", True
    if published is None:
        # Captions often date the photo ("in Paris on March 15, 2025") when the body does not.
        hints = "\n".join(item.text for item in removed if item.reason in HINT_REASONS)
        published = latest_date(body) or latest_date(hints)
        inferred = published is not None
        source = "text" if inferred else None
    outlet = (
        fields.get("outlet")
        or found.outlet
        or outlet_from_url(url, body)
        or outlet_from_dateline(body)
    )
    # Only a page can lose its body on the way (to the extractor or the rules); a short text
    # given as text is what its author meant.
    body_size = sum(_size(text[b.start : b.end]) for b in blocks if b.kind != "title")
    if raw.media_type == "html" and body_size == 0:
        flags.append(FLAG_EMPTY_BODY)
    elif raw.media_type == "html" and body_size < TINY_BODY_CHARS:
        flags.append(FLAG_TINY_BODY)
    if fields.get("authors"):
        authors = split_authors(fields["authors"])
    else:
        authors = found.authors or tuple(draft.authors)
    language = fields.get("language") or found.language or detect_language(text)
    digest = hashlib.sha256(f"{text}\n{url or ''}".encode()).hexdigest()[:ID_CHARS]
    log.debug("cleaned %s: %d chars, %d removed", raw.source, len(text), len(removed))
    return Article(
        id=digest,
        source=raw.source,
        text=text,
        title=title,
        published=published,
        published_inferred=inferred,
        updated=updated,
        url=url,
        outlet=outlet,
        authors=authors,
        language=language,
        removed=removed,
        blocks=blocks,
        published_source=source,
        flags=tuple(flags),
    )


def _evidence(source: str, value: date | None) -> tuple[DateEvidence, ...]:
    return (DateEvidence(source, value),) if value is not None else ()


def _latest_day(fields: dict[str, str]) -> date | None:
    """The last day the article can have been published: crawled, or its file written.

    A file's day is a UTC day and the publisher's may run ahead of it, so it allows one more.
    """
    bounds = [_field_date(fields, "crawled")]
    written = _field_date(fields, "file_date")
    bounds.append(written + timedelta(days=1) if written is not None else None)
    known = [day for day in bounds if day is not None]
    return min(known) if known else None


def _field_date(fields: dict[str, str], key: str) -> date | None:
    value = fields.get(key)
    return parse_date(value) if value else None
