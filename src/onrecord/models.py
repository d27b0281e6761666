"""Typed records that flow between the pipeline stages.

    ingest  ->  RawDocument
    clean   ->  Article            (text, metadata, removed junk)
    extract ->  Attribution        (content/cue/source spans found in Article.text)
    resolve ->  Quote + Speaker    (speaker identity, role, organisation, relay chain)
    store   <-  ExtractedArticle   (an Article with its Quotes)

Every record is a frozen, slotted dataclass; character offsets always index ``Article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

QuoteKind = Literal["direct", "indirect", "mixed"]
# A statement is a quote of one of those kinds, or a refusal to comment ("declined to comment"),
# which names who was asked and has no words of theirs.
StatementKind = Literal["direct", "indirect", "mixed", "no_comment"]
MediaType = Literal["text", "html", "json"]
SpeakerKind = Literal["person", "organisation", "group", "unknown"]
BlockKind = Literal["title", "paragraph", "subhead"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input item as read, before any cleaning.

    ``source`` names the item for messages and for the ``source`` field of the output
    (a path, ``path:line`` for JSONL, ``<stdin>``). ``fields`` carries metadata that the
    container already gave (JSONL keys such as ``title``, ``url``, ``published``).
    """

    source: str
    content: str
    media_type: MediaType
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Removed:
    """A piece of the input that cleaning dropped, with the rule that dropped it."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Block:
    """A span of ``Article.text`` with its role; subheads are kept but are not statements."""

    start: int
    end: int
    kind: BlockKind


# What each ``Article.flags`` entry means, for people (CLI and web show these notes).
ARTICLE_FLAGS: dict[str, str] = {
    "unsupported_language": "not in a supported language: stored, but no statements are found",
    "empty_body": "no article text under the title: the page may hold no article",
    "tiny_body": "very little article text: part of the body may be missing",
    "date_conflict": "the page's sources disagree on the published date",
    "date_implausible": "a source gave an impossible published date (before 1990 or after the "
    "crawl), which was set aside",
}


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: text plus metadata. ``id`` is a hash of the cleaned content."""

    id: str
    source: str
    text: str
    title: str | None = None
    published: date | None = None
    published_inferred: bool = False
    updated: date | None = None
    url: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    removed: tuple[Removed, ...] = ()
    blocks: tuple[Block, ...] = ()
    published_source: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character span ``[start, end)`` of ``Article.text``."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Attribution:
    """What extraction finds: who (as written) said what (content span) with which cue.

    ``source`` is the mention as written ("he", "the minister", "Vera Lind"), possibly in another
    sentence than the content; ``None`` when the text names no source.
    """

    content: Span
    kind: StatementKind
    cue: Span | None
    source: Span | None
    confidence: float
    extractor: str


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved speaker: the fullest name the article gives, and the mention as written."""

    name: str | None
    mention: str | None
    mention_start: int | None
    mention_end: int | None
    role: str | None = None
    org: str | None = None
    kind: SpeakerKind = "unknown"
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A statement with its speaker and relay chain; ``text == article.text[start:end]``.

    ``via`` holds the news media the words reached the article through; ``audience`` the
    listeners who are not news media ("told lawmakers"). ``inner_speaker`` names the party whose
    view a statement reports ("Russia believes ..., Grushko said": speaker Grushko, inner
    speaker Russia). A ``no_comment`` statement's text is the refusal as written.
    """

    text: str
    start: int
    end: int
    kind: StatementKind
    cue: str | None
    confidence: float
    speaker: Speaker
    via: tuple[str, ...] = ()
    extractor: str = ""
    cue_start: int | None = None
    cue_end: int | None = None
    audience: tuple[str, ...] = ()
    inner_speaker: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """An article with every statement found in it."""

    article: Article
    quotes: tuple[Quote, ...] = ()
