"""Pydantic models of everything the API reads and writes, and the converters to them.

Input: store records (``QuoteHit``, ``SpeakerSummary``, ``ExtractedArticle``, quotations and
stories, ``StoredIssue``) and the positions layer's ``Position``/``Shift``
records. Output: validated
response models whose JSON shape is documented in ``docs/api.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from onrecord.fidelity import FidelityFinding, OccurrenceFidelity, Side
from onrecord.models import ExtractedArticle, Quote
from onrecord.store import QuoteHit, SpeakerSummary, StoredIssue
from onrecord.store._speakers import slugify
from onrecord.stories import (
    Occurrence,
    Origin,
    OriginStep,
    Quotation,
    QuotationSummary,
    Story,
    StorySummary,
)

if TYPE_CHECKING:
    from onrecord.api._service import SearchPage
    from onrecord.positions import Position, Shift


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


class FacetValueOut(_Model):
    """One value of a facet and how many matches have it."""

    value: str
    count: int


class FacetsOut(_Model):
    """Counts of the matches by speaker, outlet, kind and month (``YYYY-MM``)."""

    counted: int = Field(description="matches the counts cover")
    is_sample: bool = Field(description="true when the counts cover only the first `counted`")
    speaker: list[FacetValueOut]
    outlet: list[FacetValueOut]
    kind: list[FacetValueOut]
    month: list[FacetValueOut]


class DroppedOut(_Model):
    """For a search with no match: what one filter left out."""

    parameter: str
    value: str
    total: int = Field(description="matches without this filter (counted up to 10,000)")


class SearchOut(_Model):
    """One page of search results."""

    total: int | None = Field(description="all matches; null when over 100,000")
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page; null on the last")
    results: list[QuoteOut]
    facets: FacetsOut | None = None
    notes: list[str] = Field(default=[], description="how the query was read, when not as typed")
    dropped: list[DroppedOut] = Field(
        default=[], description="with no match: the matches each filter's removal would give"
    )


class OccurrenceOut(_Model):
    """One appearance of a quotation in an article."""

    quote_id: int
    text: str
    kind: str
    speaker: str | None
    article: ArticleRef
    via: list[str]


class VariantOut(_Model):
    """One wording of a quotation and how often it ran."""

    text: str
    count: int


class OriginStepOut(_Model):
    """An outlet's part in carrying a statement."""

    outlet: str | None
    published: date | None
    article_id: str | None
    quote_id: int | None
    via: list[str]
    relayed_from: str | None = Field(description="outlet this article names as its source")
    is_stored: bool = Field(description="false for an outlet named by relays but not stored")


class RelayEdgeOut(_Model):
    """``source`` passed the statement to ``target`` (the speaker starts the chain)."""

    source: str
    target: str
    published: date | None
    article_id: str | None
    is_inferred: bool = Field(description="true when no article named this link")


class OriginOut(_Model):
    """Where a statement was first reported and how it travelled."""

    speaker: str | None
    first: OriginStepOut
    relays: list[OriginStepOut]
    edges: list[RelayEdgeOut]


class QuoteDetailOut(QuoteOut):
    """A statement with every place it appeared, where it appeared first and how it travelled.

    ``occurrences`` are the stored quotes of the same quotation, oldest first (the quote
    itself when it was carried once); ``first_source`` is the earliest of them.
    """

    quotation_id: int | None
    occurrences: list[OccurrenceOut]
    first_source: OccurrenceOut
    variants: list[VariantOut]
    origin: OriginOut | None
    story_id: int | None = Field(default=None, description="story of this quote's article")


class QuotationSummaryOut(_Model):
    """A statement as one record across every article that carried it."""

    id: int
    speaker: str | None
    text: str = Field(description="longest wording seen")
    occurrence_count: int
    article_count: int
    outlet_count: int
    first_published: date | None
    first_outlet: str | None
    first_article_id: str | None
    last_published: date | None


class QuotationListOut(_Model):
    """Quotations, most carried first."""

    quotations: list[QuotationSummaryOut]
    next_offset: int | None


class QuotationOut(_Model):
    """A quotation with every occurrence (oldest first), its wordings and its origin."""

    summary: QuotationSummaryOut
    occurrences: list[OccurrenceOut]
    variants: list[VariantOut]
    origin: OriginOut


class StorySummaryOut(_Model):
    """A cluster of articles about one event, with its first report."""

    id: int
    article_count: int
    first_article_id: str
    first_title: str | None
    first_outlet: str | None
    first_published: date | None
    last_published: date | None
    outlets: list[str]


class StoryListOut(_Model):
    """Stories, largest first."""

    stories: list[StorySummaryOut]
    next_offset: int | None


class StoryArticleOut(_Model):
    """An article in a story and how it joined it."""

    id: str
    title: str | None
    outlet: str | None
    published: date | None
    url: str | None
    relation: str = Field(description="first, duplicate, related or quotation")
    similarity: float | None


class StoryOut(_Model):
    """A story's articles, first report first, and the quotations they share."""

    summary: StorySummaryOut
    articles: list[StoryArticleOut]
    quotations: list[QuotationSummaryOut]


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
    """What a speaker said, oldest first (undated last), a page at a time."""

    actor: ActorOut
    quotes: list[QuoteOut]
    next_offset: int | None = None


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
    published_source: str | None = Field(
        default=None, description="where the published date came from: json-ld, url, meta, ..."
    )
    updated: date | None
    authors: list[str]
    language: str | None
    flags: list[str] = Field(
        default_factory=list,
        description="what looked wrong: date_conflict, date_implausible, empty_body, tiny_body, "
        "unsupported_language",
    )
    text: str
    blocks: list[BlockOut]
    statements: list[StatementOut]
    removed: list[RemovedOut]
    story_id: int | None = Field(default=None, description="story this article belongs to")


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
    actor_count: int = 0
    origin: str = "catalogue"


class IssueListOut(_Model):
    """Every issue, with whether the store holds positions at all.

    ``stale`` says why the stored positions do not match the server's catalogue (run
    ``onrecord positions rebuild``); ``null`` when they do.
    """

    available: bool
    issues: list[IssueOut]
    stale: str | None = None


class IssueEditIn(_Model):
    """An edit of a discovered issue: ``rename`` (value: the new label), ``merge`` (value:
    the issue to merge into) or ``promote`` (into the server's catalogue file)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: Literal["rename", "merge", "promote"]
    value: str | None = Field(default=None, max_length=200)


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


def search_out(page: SearchPage) -> SearchOut:
    """A page of search results as its response model."""
    facets = page.facets
    return SearchOut(
        total=page.total,
        limit=page.limit,
        offset=page.offset,
        next_offset=page.next_offset,
        results=[quote_out(hit) for hit in page.hits],
        facets=FacetsOut(
            counted=facets.counted,
            is_sample=facets.is_sample,
            **{
                name: [FacetValueOut(value=v, count=c) for v, c in values]
                for name, values in facets.counts.items()
            },
        ),
        notes=list(page.notes),
        dropped=[
            DroppedOut(parameter=d.parameter, value=d.value, total=d.total) for d in page.dropped
        ],
    )


def occurrence_from_hit(hit: QuoteHit) -> OccurrenceOut:
    """A stored quote as the single occurrence of its statement."""
    return OccurrenceOut(
        quote_id=hit.quote_id,
        text=hit.text,
        kind=hit.kind,
        speaker=hit.speaker,
        article=article_ref(hit),
        via=list(hit.via),
    )


def occurrence_out(occurrence: Occurrence) -> OccurrenceOut:
    """One appearance of a quotation."""
    return OccurrenceOut(
        quote_id=occurrence.quote_id,
        text=occurrence.text,
        kind=occurrence.kind,
        speaker=occurrence.speaker,
        article=ArticleRef(
            id=occurrence.article_id,
            title=occurrence.title,
            url=occurrence.url,
            outlet=occurrence.outlet,
            published=occurrence.published,
        ),
        via=list(occurrence.via),
    )


def _step_out(step: OriginStep) -> OriginStepOut:
    return OriginStepOut(
        outlet=step.outlet,
        published=step.published,
        article_id=step.article_id,
        quote_id=step.quote_id,
        via=list(step.via),
        relayed_from=step.relayed_from,
        is_stored=step.is_stored,
    )


def origin_out(origin: Origin) -> OriginOut:
    """Where a quotation started and how it travelled."""
    return OriginOut(
        speaker=origin.speaker,
        first=_step_out(origin.first),
        relays=[_step_out(r) for r in origin.relays],
        edges=[
            RelayEdgeOut(
                source=e.source,
                target=e.target,
                published=e.published,
                article_id=e.article_id,
                is_inferred=e.is_inferred,
            )
            for e in origin.edges
        ],
    )


def quotation_summary_out(summary: QuotationSummary) -> QuotationSummaryOut:
    """A quotation summary as its response model."""
    return QuotationSummaryOut(
        id=summary.id,
        speaker=summary.speaker,
        text=summary.text,
        occurrence_count=summary.occurrence_count,
        article_count=summary.article_count,
        outlet_count=summary.outlet_count,
        first_published=summary.first_published,
        first_outlet=summary.first_outlet,
        first_article_id=summary.first_article_id,
        last_published=summary.last_published,
    )


def quotation_out(quotation: Quotation) -> QuotationOut:
    """A quotation with its occurrences, wordings and origin."""
    return QuotationOut(
        summary=quotation_summary_out(quotation.summary),
        occurrences=[occurrence_out(o) for o in quotation.occurrences],
        variants=[VariantOut(text=v.text, count=v.count) for v in quotation.variants],
        origin=origin_out(quotation.origin),
    )


def quote_detail_out(
    hit: QuoteHit, quotation: Quotation | None, story_id: int | None
) -> QuoteDetailOut:
    """A quote with its quotation's occurrences (the quote alone when carried once)."""
    items = [occurrence_out(o) for o in quotation.occurrences] if quotation else []
    items = items or [occurrence_from_hit(hit)]
    return QuoteDetailOut(
        **quote_out(hit).model_dump(),
        quotation_id=quotation.summary.id if quotation else None,
        occurrences=items,
        first_source=items[0],
        variants=[VariantOut(text=v.text, count=v.count) for v in quotation.variants]
        if quotation
        else [],
        origin=origin_out(quotation.origin) if quotation else None,
        story_id=story_id,
    )


def story_summary_out(summary: StorySummary) -> StorySummaryOut:
    """A story summary as its response model."""
    return StorySummaryOut(
        id=summary.id,
        article_count=summary.article_count,
        first_article_id=summary.first_article_id,
        first_title=summary.first_title,
        first_outlet=summary.first_outlet,
        first_published=summary.first_published,
        last_published=summary.last_published,
        outlets=list(summary.outlets),
    )


def story_out(story: Story, quotations: Sequence[QuotationSummary]) -> StoryOut:
    """A story with its articles and the summaries of the quotations they share."""
    return StoryOut(
        summary=story_summary_out(story.summary),
        articles=[
            StoryArticleOut(
                id=a.article_id,
                title=a.title,
                outlet=a.outlet,
                published=a.published,
                url=a.url,
                relation=a.relation,
                similarity=a.similarity,
            )
            for a in story.articles
        ],
        quotations=[quotation_summary_out(q) for q in quotations],
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
    item: ExtractedArticle,
    hits_by_start: dict[tuple[int, int], QuoteHit],
    story_id: int | None = None,
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
        published_source=article.published_source,
        updated=article.updated,
        authors=list(article.authors),
        language=article.language,
        flags=list(article.flags),
        text=article.text,
        blocks=[BlockOut(start=b.start, end=b.end, kind=b.kind) for b in article.blocks],
        statements=statements,
        removed=[RemovedOut(text=r.text, reason=r.reason) for r in article.removed],
        story_id=story_id,
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


def stored_issue_out(issue: StoredIssue) -> IssueOut:
    """A stored issue, with its counts, as its response model."""
    return IssueOut(
        id=issue.id,
        label=issue.label,
        proposition=issue.proposition,
        keywords=list(issue.keywords),
        position_count=issue.position_count,
        actor_count=issue.actor_count,
        origin=issue.origin,
    )


# -- quote fidelity ------------------------------------------------------------------------


class FindingOut(_Model):
    """One kind of difference from the first report, with the words on each side."""

    kind: str = Field(description="trimmed, words_substituted, negation_changed, ...")
    severity: Literal["low", "medium", "high"]
    origin_words: str
    copy_words: str
    detail: str


class FidelityFindingOut(FindingOut):
    """A finding with its evidence: the first report and the later occurrence."""

    origin: Side = Field(
        description="the first report: quote, quotation, article, speaker, outlet, date"
    )
    occurrence: Side = Field(description="the later occurrence, the same fields")


class FidelityListOut(_Model):
    """Findings, most severe first."""

    findings: list[FidelityFindingOut]
    next_offset: int | None


class DiffOpOut(_Model):
    """A stretch of the word-level diff: equal, insert, delete or replace."""

    op: Literal["equal", "insert", "delete", "replace"]
    origin: str
    copy_: str = Field(alias="copy", serialization_alias="copy")
    gap: str


class OccurrenceFidelityOut(_Model):
    """One occurrence against its statement's first report."""

    origin: Side
    occurrence: Side
    classification: list[str] = Field(description='finding kinds, or ["identical"]')
    findings: list[FindingOut]
    diff: list[DiffOpOut]


class QuotationFidelityOut(_Model):
    """A quotation's occurrences compared with the first report, oldest first."""

    quotation_id: int
    occurrences: list[OccurrenceFidelityOut]


def fidelity_finding_out(finding: FidelityFinding) -> FidelityFindingOut:
    """A stored finding with both sides as its response model."""
    return FidelityFindingOut(
        kind=finding.kind,
        severity=finding.severity,
        origin_words=finding.origin_words,
        copy_words=finding.copy_words,
        detail=finding.detail,
        origin=finding.origin,
        occurrence=finding.occurrence,
    )


def quotation_fidelity_out(
    quotation_id: int, items: Sequence[OccurrenceFidelity]
) -> QuotationFidelityOut:
    """The fidelity section of a quotation as its response model."""
    return QuotationFidelityOut(
        quotation_id=quotation_id,
        occurrences=[
            OccurrenceFidelityOut(
                origin=item.origin,
                occurrence=item.occurrence,
                classification=list(item.classification),
                findings=[FindingOut(**f.to_dict()) for f in item.findings],
                diff=[DiffOpOut(**op.to_dict()) for op in item.diff],
            )
            for item in items
        ],
    )
