"""Typed results the store hands back; callers never see raw rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from onrecord.models import QuoteKind, SpeakerKind
from onrecord.store._speakers import slugify


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one ``Store.add_articles`` call did.

    ``failed`` counts articles that could not be written (logged with their id); nothing of
    such an article is left in the store.
    """

    added: int
    skipped_duplicates: int
    failed: int = 0


@dataclass(frozen=True, slots=True)
class QuoteHit:
    """A stored quote with its speaker and the article it appeared in.

    ``speaker`` is the canonical name across the corpus (``None`` when the article named no
    one); ``speaker_given`` is the name as the article resolved it. ``snippet`` is the quote
    text with matched terms wrapped in ``[`` and ``]`` for a text search, else the quote text.
    ``rank`` is the bm25 score (lower is better) for a text search, else ``None``.
    """

    quote_id: int
    article_id: str
    text: str
    start: int
    end: int
    kind: QuoteKind
    cue: str | None
    confidence: float
    speaker: str | None
    speaker_id: int | None
    speaker_given: str | None
    speaker_mention: str | None
    mention_start: int | None
    mention_end: int | None
    role: str | None
    org: str | None
    speaker_kind: SpeakerKind
    via: tuple[str, ...]
    extractor: str
    title: str | None
    url: str | None
    outlet: str | None
    published: date | None
    snippet: str
    rank: float | None = None


@dataclass(frozen=True, slots=True)
class SpeakerSummary:
    """One person or body across the corpus, with how much and when they were quoted.

    ``aliases`` are the other spellings seen (one per normalised form, the canonical excluded);
    ``first_date``/``last_date`` span the published dates of their quotes' articles.
    """

    id: int
    name: str
    kind: SpeakerKind
    role: str | None
    org: str | None
    quote_count: int
    aliases: tuple[str, ...]
    first_date: date | None
    last_date: date | None

    @property
    def slug(self) -> str:
        """A URL-friendly form of the name ("ana-kroll"), accepted by ``Store.speaker``."""
        return slugify(self.name)


@dataclass(frozen=True, slots=True)
class SpeakerRecord:
    """Everything one speaker said, oldest first (undated articles last)."""

    summary: SpeakerSummary
    quotes: tuple[QuoteHit, ...]
