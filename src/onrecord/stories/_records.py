"""Typed results about quotations, stories and relay chains; each has ``to_dict()`` for JSON."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from typing import Any, Literal

from onrecord.models import QuoteKind

StoryRelation = Literal["first", "duplicate", "related", "quotation"]


def _plain(value: object) -> Any:  # Any: JSON-shaped values of any nesting
    if is_dataclass(value) and not isinstance(value, type):
        return {item.name: _plain(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


class _ToDict:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:  # Any: JSON-shaped values
        """A JSON-ready dict: dates as ISO strings, tuples as lists, nested records as dicts."""
        result: dict[str, Any] = _plain(self)
        return result


@dataclass(frozen=True, slots=True)
class Occurrence(_ToDict):
    """One appearance of a quotation: the stored quote and the article that carried it.

    ``ingested_order`` is the article's position in the store (earlier ingested = smaller);
    it breaks ties between articles published the same day or undated.
    """

    quote_id: int
    article_id: str
    text: str
    kind: QuoteKind
    speaker: str | None
    outlet: str | None
    published: date | None
    via: tuple[str, ...]
    title: str | None
    url: str | None
    source: str
    ingested_order: int


@dataclass(frozen=True, slots=True)
class Variant(_ToDict):
    """One wording of a quotation (quote marks, case and spacing ignored) and how often it ran."""

    text: str
    count: int


@dataclass(frozen=True, slots=True)
class QuotationSummary(_ToDict):
    """A statement as one record across every article that carried it.

    ``text`` is the longest wording seen; ``first_*`` describe the earliest occurrence
    (earliest published, ties to the earliest ingested).
    """

    id: int
    speaker: str | None
    text: str
    occurrence_count: int
    article_count: int
    outlet_count: int
    first_published: date | None
    first_outlet: str | None
    first_article_id: str | None
    last_published: date | None


@dataclass(frozen=True, slots=True)
class OriginStep(_ToDict):
    """An outlet's part in carrying a statement.

    ``relayed_from`` is the outlet this article names as its immediate source (the last outlet
    of its ``via`` chain other than itself), ``None`` when it names none. ``is_stored`` is false
    for an outlet that relays name but whose article is not in the store; then ``article_id``,
    ``quote_id`` and ``published`` are ``None``.
    """

    outlet: str | None
    published: date | None
    article_id: str | None
    quote_id: int | None
    via: tuple[str, ...]
    relayed_from: str | None
    is_stored: bool


@dataclass(frozen=True, slots=True)
class RelayEdge(_ToDict):
    """``source`` passed the statement to ``target`` (an outlet, or the speaker at the start).

    ``published`` and ``article_id`` are those of the earliest stored article of ``target``
    that carries it. ``is_inferred`` marks an edge no article stated: a relay that names no
    source is drawn from the first outlet.
    """

    source: str
    target: str
    published: date | None
    article_id: str | None
    is_inferred: bool


@dataclass(frozen=True, slots=True)
class Origin(_ToDict):
    """Where a statement was first reported and how it travelled: speaker -> first -> relays."""

    quotation_id: int
    speaker: str | None
    first: OriginStep
    relays: tuple[OriginStep, ...]
    edges: tuple[RelayEdge, ...]


@dataclass(frozen=True, slots=True)
class Quotation(_ToDict):
    """A quotation with every occurrence (oldest first), its wordings and its origin."""

    summary: QuotationSummary
    occurrences: tuple[Occurrence, ...]
    variants: tuple[Variant, ...]
    origin: Origin


@dataclass(frozen=True, slots=True)
class StoryArticle(_ToDict):
    """An article in a story and how it joined: the first report, a duplicate or rewrite of
    another member, related by similar wording, or carrying a shared quotation.

    ``similarity`` is the estimated Jaccard similarity behind its strongest link.
    """

    article_id: str
    title: str | None
    outlet: str | None
    published: date | None
    url: str | None
    source: str
    relation: StoryRelation
    similarity: float | None
    ingested_order: int


@dataclass(frozen=True, slots=True)
class StorySummary(_ToDict):
    """A cluster of articles about one event, with the article that reported it first."""

    id: int
    article_count: int
    first_article_id: str
    first_title: str | None
    first_outlet: str | None
    first_published: date | None
    last_published: date | None
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Story(_ToDict):
    """A story's articles, first report first, and the quotations its articles share."""

    summary: StorySummary
    articles: tuple[StoryArticle, ...]
    quotation_ids: tuple[int, ...]
