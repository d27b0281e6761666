"""Pydantic models of everything the API reads and writes, and the converters to them.

Input: store records (``QuoteHit``, ``SpeakerSummary``, ``ExtractedArticle``) and, when the
positions layer is present, its ``Position``/``Shift``/``Issue`` records. Output: validated
response models whose JSON shape is documented in ``docs/api.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from onrecord.models import ExtractedArticle, Quote
from onrecord.store import QuoteHit, SpeakerSummary
from onrecord.store._speakers import slugify

if TYPE_CHECKING:
    from onrecord.positions import Issue, Position, Shift


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ErrorOut(_Model):
    """The one error body: ``{"ok": false, "code": "OR404", "error": "..."}``."""

    ok: Literal[False] = False
    code: str = Field(description="onrecord error code, e.g. OR404")
    error: str = Field(description="what went wrong and what to do next")


class SpeakerOut(_Model):
    """Who made a statement: canonical name across the corpus and the article's own words."""

    name: str | None = Field(description="canonical name across the corpus")
    slug: str | None = Field(description="actor slug for /api/actors/{slug}")
    given: str | None = Field(description="name as this article gave it")
    mention: str | None
    mention_start: int | None
    mention_end: int | None
    role: str | None
    org: str | None
    kind: str


class ArticleRef(_Model):
    """The article a statement appeared in."""

    id: str
    title: str | None
    url: str | None
    outlet: str | None
    published: date | None


class QuoteOut(_Model):
    """One stored statement with its speaker and article."""

    id: int
    text: str
    snippet: str = Field(description="text with matched words wrapped in [ and ]")
    start: int
    end: int
    kind: str
    cue: str | None
    confidence: float
    via: list[str] = Field(description="relay chain, nearest first")
    extractor: str
    speaker: SpeakerOut
    article: ArticleRef


class SearchOut(_Model):
    """One page of search results."""

    total: int | None = Field(description="all matches; null when over the counting cap")
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page; null on the last")
    results: list[QuoteOut]


class OccurrenceOut(_Model):
    """One appearance of a quotation in an article."""

    quote_id: int
    article: ArticleRef
    via: list[str]


class QuoteDetailOut(QuoteOut):
    """A statement with every place it appeared and where it appeared first."""

    occurrences: list[OccurrenceOut]
    first_source: OccurrenceOut
    story_id: str | None = Field(default=None, description="story cluster, once stories exist")


class ActorOut(_Model):
    """A speaker across the corpus."""

    slug: str
    name: str
    kind: str
    role: str | None
    org: str | None
    quote_count: int
    aliases: list[str]
    first_date: date | None
    last_date: date | None


class ActorListOut(_Model):
    """Quoted speakers, most quoted first."""

    actors: list[ActorOut]


class ActorDetailOut(_Model):
    """Everything a speaker said, oldest first (undated last)."""

    actor: ActorOut
    quotes: list[QuoteOut]


class RemovedOut(_Model):
    """Input text cleaning dropped, with the rule that dropped it."""

    text: str
    reason: str


class BlockOut(_Model):
    """A span of the article text with its role."""

    start: int
    end: int
    kind: str


class StatementOut(_Model):
    """A statement found in an article, with its span in ``ArticleOut.text``."""

    quote_id: int | None
    text: str
    start: int
    end: int
    kind: str
    cue: str | None
    confidence: float
    via: list[str]
    speaker: SpeakerOut


class ArticleOut(_Model):
    """A stored article: text, metadata, statements with spans and removed junk."""

    id: str
    source: str
    title: str | None
    url: str | None
    outlet: str | None
    published: date | None
    published_inferred: bool
    updated: date | None
    authors: list[str]
    language: str | None
    text: str
    blocks: list[BlockOut]
    statements: list[StatementOut]
    removed: list[RemovedOut]


class StatsOut(_Model):
    """Row counts of the store."""

    articles: int
    quotes: int
    speakers: int
    speaker_aliases: int
    outlets: int
    positions_available: bool


class IssueOut(_Model):
    """An issue positions are tracked on."""

    id: str
    label: str
    proposition: str
    keywords: list[str]
    position_count: int


class IssueListOut(_Model):
    """Every issue, with whether positions could be computed at all."""

    available: bool
    issues: list[IssueOut]


class PositionOut(_Model):
    """One statement's stance on one issue, with its evidence."""

    actor: str
    speaker: str
    issue_id: str
    issue_label: str
    stance: str
    act: str
    condition: str | None
    quote: str
    quote_id: int
    article_id: str
    published: date | None
    outlet: str | None
    via: list[str]
    kind: str
    link_score: float
    support_probability: float


class PositionListOut(_Model):
    """Positions, oldest first."""

    available: bool
    positions: list[PositionOut]


class ShiftOut(_Model):
    """A change of stance (or of its conditions) between two dated statements."""

    actor: str
    issue_id: str
    issue_label: str
    kind: str
    summary: str
    held_since: PositionOut
    before: PositionOut
    after: PositionOut


class ShiftListOut(_Model):
    """Shifts ordered by the date of the later statement."""

    available: bool
    shifts: list[ShiftOut]


class ArticleIn(_Model):
    """A new article for ``POST /api/articles``: ``text`` or ``html`` plus optional metadata."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    published: date | None = None
    outlet: str | None = None
    authors: list[str] = Field(default_factory=list)


class ArticleCreatedOut(_Model):
    """What ``POST /api/articles`` did."""

    ok: Literal[True] = True
    created: bool = Field(description="false when the same article was already stored")
    id: str
    statements: int
    url: str = Field(description="API path of the stored article")


def _slug(name: str | None) -> str | None:
    if name is None:
        return None
    slug = slugify(name)
    return slug or None


def speaker_from_hit(hit: QuoteHit) -> SpeakerOut:
    """The speaker of a stored quote."""
    return SpeakerOut(
        name=hit.speaker,
        slug=_slug(hit.speaker),
        given=hit.speaker_given,
        mention=hit.speaker_mention,
        mention_start=hit.mention_start,
        mention_end=hit.mention_end,
        role=hit.role,
        org=hit.org,
        kind=hit.speaker_kind,
    )


def article_ref(hit: QuoteHit) -> ArticleRef:
    """The article of a stored quote."""
    return ArticleRef(
        id=hit.article_id,
        title=hit.title,
        url=hit.url,
        outlet=hit.outlet,
        published=hit.published,
    )


def quote_out(hit: QuoteHit) -> QuoteOut:
    """A stored quote as its response model."""
    return QuoteOut(
        id=hit.quote_id,
        text=hit.text,
        snippet=hit.snippet,
        start=hit.start,
        end=hit.end,
        kind=hit.kind,
        cue=hit.cue,
        confidence=hit.confidence,
        via=list(hit.via),
        extractor=hit.extractor,
        speaker=speaker_from_hit(hit),
        article=article_ref(hit),
    )


def occurrence_out(hit: QuoteHit) -> OccurrenceOut:
    """One appearance of a quotation."""
    return OccurrenceOut(quote_id=hit.quote_id, article=article_ref(hit), via=list(hit.via))


def quote_detail_out(hit: QuoteHit, occurrences: Sequence[QuoteHit]) -> QuoteDetailOut:
    """A quote with its occurrences; the first occurrence is the first source."""
    items = [occurrence_out(h) for h in occurrences] or [occurrence_out(hit)]
    return QuoteDetailOut(
        **quote_out(hit).model_dump(), occurrences=items, first_source=items[0], story_id=None
    )


def actor_out(summary: SpeakerSummary) -> ActorOut:
    """A speaker summary as its response model."""
    return ActorOut(
        slug=summary.slug,
        name=summary.name,
        kind=summary.kind,
        role=summary.role,
        org=summary.org,
        quote_count=summary.quote_count,
        aliases=list(summary.aliases),
        first_date=summary.first_date,
        last_date=summary.last_date,
    )


def statement_out(quote: Quote, quote_id: int | None, canonical: str | None) -> StatementOut:
    """A statement of an article with its span; ``canonical`` is the corpus-wide name."""
    speaker = quote.speaker
    name = canonical or speaker.name
    return StatementOut(
        quote_id=quote_id,
        text=quote.text,
        start=quote.start,
        end=quote.end,
        kind=quote.kind,
        cue=quote.cue,
        confidence=quote.confidence,
        via=list(quote.via),
        speaker=SpeakerOut(
            name=name,
            slug=_slug(name),
            given=speaker.name,
            mention=speaker.mention,
            mention_start=speaker.mention_start,
            mention_end=speaker.mention_end,
            role=speaker.role,
            org=speaker.org,
            kind=speaker.kind,
        ),
    )


def article_out(
    item: ExtractedArticle, hits_by_start: dict[tuple[int, int], QuoteHit]
) -> ArticleOut:
    """A stored article; ``hits_by_start`` maps (start, end) to the stored quote row."""
    article = item.article
    statements = []
    for quote in item.quotes:
        hit = hits_by_start.get((quote.start, quote.end))
        statements.append(
            statement_out(
                quote,
                hit.quote_id if hit is not None else None,
                hit.speaker if hit is not None else None,
            )
        )
    return ArticleOut(
        id=article.id,
        source=article.source,
        title=article.title,
        url=article.url,
        outlet=article.outlet,
        published=article.published,
        published_inferred=article.published_inferred,
        updated=article.updated,
        authors=list(article.authors),
        language=article.language,
        text=article.text,
        blocks=[BlockOut(start=b.start, end=b.end, kind=b.kind) for b in article.blocks],
        statements=statements,
        removed=[RemovedOut(text=r.text, reason=r.reason) for r in article.removed],
    )


def position_out(position: Position) -> PositionOut:
    """A position as its response model."""
    return PositionOut(
        actor=position.actor,
        speaker=position.speaker,
        issue_id=position.issue_id,
        issue_label=position.issue_label,
        stance=position.stance,
        act=position.act,
        condition=position.condition,
        quote=position.quote,
        quote_id=position.quote_id,
        article_id=position.article_id,
        published=position.published,
        outlet=position.outlet,
        via=list(position.via),
        kind=position.kind,
        link_score=position.link_score,
        support_probability=position.support_probability,
    )


def shift_out(shift: Shift) -> ShiftOut:
    """A shift as its response model."""
    return ShiftOut(
        actor=shift.actor,
        issue_id=shift.issue_id,
        issue_label=shift.issue_label,
        kind=shift.kind,
        summary=shift.summary,
        held_since=position_out(shift.held_since),
        before=position_out(shift.before),
        after=position_out(shift.after),
    )


def issue_out(issue: Issue, position_count: int) -> IssueOut:
    """An issue as its response model."""
    return IssueOut(
        id=issue.id,
        label=issue.label,
        proposition=issue.proposition,
        keywords=list(issue.keywords),
        position_count=position_count,
    )
