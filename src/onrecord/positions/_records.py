"""Records of the positions layer: issues, stances, positions, shifts.

All are frozen, slotted dataclasses with ``to_dict()`` giving JSON-ready values (dates as ISO
strings, tuples as lists).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, Literal, Protocol

StanceLabel = Literal["supports", "opposes", "conditional", "neutral"]
ActLabel = Literal["demand", "offer", "refusal", "warning", "acceptance", "prediction", "none"]
ShiftKind = Literal["stance", "condition"]

STANCES: tuple[StanceLabel, ...] = ("supports", "opposes", "conditional", "neutral")
ACTS: tuple[ActLabel, ...] = (
    "demand",
    "offer",
    "refusal",
    "warning",
    "acceptance",
    "prediction",
    "none",
)


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    return value


class _ToDict:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:  # Any: JSON values of mixed types
        """Field values as JSON-ready Python values."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Issue(_ToDict):
    """One question of a negotiation, phrased as a proposition one can support or oppose."""

    id: str
    label: str
    proposition: str
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Catalogue(_ToDict):
    """The issues a user cares about, read from a TOML (or YAML) file."""

    issues: tuple[Issue, ...]
    path: Path | None = None

    def get(self, issue_id: str) -> Issue | None:
        """The issue with this id, or ``None``."""
        return next((i for i in self.issues if i.id == issue_id), None)


@dataclass(frozen=True, slots=True)
class DiscoveredIssue(_ToDict):
    """A group of statements found to be about the same thing, labelled by key phrases."""

    id: str
    label: str
    key_phrases: tuple[str, ...]
    quote_ids: tuple[int, ...]
    examples: tuple[str, ...]
    cohesion: float

    def to_issue(self, issue_id: str | None = None, proposition: str | None = None) -> Issue:
        """An ``Issue`` seeded from this group (proposition defaults to the label)."""
        return Issue(
            id=issue_id or self.id,
            label=self.label,
            proposition=proposition or self.label,
            keywords=self.key_phrases,
            examples=self.examples[:3],
        )


@dataclass(frozen=True, slots=True)
class IssueLink(_ToDict):
    """A statement's relevance to one issue: combined score and its two parts."""

    issue_id: str
    score: float
    similarity: float
    keyword_hits: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StanceResult(_ToDict):
    """What one statement says about one proposition.

    ``support_probability`` is the learned model's P(support) (0.5 when no model was used);
    ``cues`` lists the rule cues that fired, for explanation and debugging.
    """

    stance: StanceLabel
    act: ActLabel
    condition: str | None
    support_probability: float
    cues: tuple[str, ...] = ()


class QuoteLike(Protocol):
    """The fields of ``onrecord.store.QuoteHit`` that positions read."""

    @property
    def quote_id(self) -> int: ...
    @property
    def article_id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def speaker(self) -> str | None: ...
    @property
    def speaker_kind(self) -> str: ...
    @property
    def role(self) -> str | None: ...
    @property
    def org(self) -> str | None: ...
    @property
    def via(self) -> tuple[str, ...]: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def published(self) -> date | None: ...


@dataclass(frozen=True, slots=True)
class Position(_ToDict):
    """One statement's position on one issue, with its evidence and provenance.

    ``actor`` is who holds the position: the speaker, or the body a spokesperson speaks for.
    ``method`` is the registry-style name of the stance method that produced it.
    """

    actor: str
    speaker: str
    issue_id: str
    issue_label: str
    stance: StanceLabel
    act: ActLabel
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
    start: int = 0
    cues: tuple[str, ...] = field(default=())
    method: str = ""


@dataclass(frozen=True, slots=True)
class Shift(_ToDict):
    """A change in an actor's stance (or its conditions) on an issue between two dates.

    ``before`` is the last position before the change, ``after`` the first one after it;
    ``held_since`` is the first statement of the stance that ended (often the better-known one);
    ``evidence`` holds every position of the actor on the issue on ``after``'s date, most
    relevant first (the day's stance may rest on more than one sentence).
    """

    actor: str
    issue_id: str
    issue_label: str
    kind: ShiftKind
    before: Position
    after: Position
    held_since: Position
    summary: str
    evidence: tuple[Position, ...] = ()


@dataclass(frozen=True, slots=True)
class PositionsIndex(_ToDict):
    """Every position computed over a store, with the issues they refer to."""

    issues: tuple[Issue, ...]
    positions: tuple[Position, ...]
    shifts: tuple[Shift, ...]
    discovered: tuple[DiscoveredIssue, ...] = ()

    def actors(self) -> list[str]:
        """Actors with at least one position, alphabetically."""
        return sorted({p.actor for p in self.positions})
