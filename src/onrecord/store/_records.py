"""Typed results the store hands back; callers never see raw rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from onrecord.models import QuoteKind, SpeakerKind
from onrecord.store._speakers import slugify


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one ``Store.add_articles`` call did.

    ``failed`` counts articles that could not be written (logged with their id); nothing of
    such an article is left in the store. ``failures`` names each of them, as (source,
    reason), and ``quotes`` counts the statements of the articles added, no others.
    ``added_ids`` names the articles added, for the steps that derive data from them.
    """

    added: int
    skipped_duplicates: int
    failed: int = 0
    quotes: int = 0
    failures: tuple[tuple[str, str], ...] = ()
    added_ids: tuple[str, ...] = ()


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


@dataclass(frozen=True, slots=True)
class SpeakerRole:
    """A role (and organisation) a speaker was quoted in, with the dates it was seen.

    Derived from the quotes at query time: one row per distinct ``(role, org)`` pair that an
    article gave the speaker; the dates span those articles' published dates.
    """

    speaker_id: int
    role: str | None
    org: str | None
    first_date: date | None
    last_date: date | None
    quote_count: int


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical speaker with every spelling seen and the roles held over time."""

    summary: SpeakerSummary
    roles: tuple[SpeakerRole, ...]


@dataclass(frozen=True, slots=True)
class ActorEdit:
    """One recorded hand edit of speaker identity.

    ``action`` is ``"merge"`` or ``"split"``; ``args`` holds the arguments as given, ``before``
    and ``after`` snapshots of the speakers involved (id, name, kind, role, org, aliases,
    quote_count), so the history reads even after the speakers changed again.
    """

    id: int
    action: str
    edited_at: datetime
    args: Mapping[str, object]
    before: Mapping[str, object]
    after: Mapping[str, object]

    def to_dict(self) -> dict[str, object]:
        """The edit as JSON-ready values."""
        return {
            "id": self.id,
            "action": self.action,
            "edited_at": self.edited_at.isoformat(),
            "args": dict(self.args),
            "before": dict(self.before),
            "after": dict(self.after),
        }


@dataclass(frozen=True, slots=True)
class StoredIssue:
    """An issue positions are derived against, with how many positions and actors it has.

    ``origin`` is ``catalogue`` (the user's file) or ``discovered``.
    """

    id: str
    label: str
    proposition: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    origin: str
    position_count: int
    actor_count: int


@dataclass(frozen=True, slots=True)
class StoredPosition:
    """A stored position with its statement: the fields of ``onrecord.positions.Position``,
    and ``number``, the statement's place in its article (0 first)."""

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
    via: tuple[str, ...]
    kind: str
    link_score: float
    support_probability: float
    start: int
    cues: tuple[str, ...]
    method: str
    number: int = 0


@dataclass(frozen=True, slots=True)
class IssueEdit:
    """A user's rename, merge or drop of a discovered issue (``value``: new label or target)."""

    id: int
    action: str
    issue_id: str
    value: str | None
    edited_at: str
