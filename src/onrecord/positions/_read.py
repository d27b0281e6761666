"""Reading stored positions: issues, an actor's positions and shifts, an issue's timelines,
and the per-issue summary an actor page opens with.

Input: an open ``Store`` whose positions were derived at ingest (``PositionsStep``) or by
``rebuild_positions``. Output: ``StoredIssue``, ``Position``, ``Shift`` and
``PositionSummary`` records. Every function runs indexed queries only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final

from onrecord.positions._derive import shift_from_json, to_position
from onrecord.positions._records import Position, Shift
from onrecord.positions._timeline import _day_position, _held_stance, is_committed

if TYPE_CHECKING:
    from onrecord.store import Store, StoredIssue

MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SHIFTS_LIMIT: Final = 100


@dataclass(frozen=True, slots=True)
class StatementRef:
    """Where a statement is: its article, its number there (``/articles/ID#s-N``), its id."""

    article_id: str
    number: int
    quote_id: int

    @property
    def anchor(self) -> str:
        """The link to the statement inside its article."""
        return f"/articles/{self.article_id}#s-{self.number}"


@dataclass(frozen=True, slots=True)
class SummaryStep:
    """One held stance in an actor's summary on an issue: since when, and its statements."""

    stance: str
    condition: str | None
    first: date
    last: date
    statements: tuple[StatementRef, ...]

    @property
    def when(self) -> str:
        """The month it was first stated, with the year when it is not the only one."""
        return f"{MONTHS[self.first.month - 1]} {self.first.year}"


@dataclass(frozen=True, slots=True)
class PositionSummary:
    """How an actor's stance on one issue went, as steps ("opposes (Mar) -> conditional (Jun)")."""

    issue_id: str
    issue_label: str
    steps: tuple[SummaryStep, ...]

    def text(self) -> str:
        """The summary as one line of text."""
        first, *rest = self.steps
        parts = [f"{first.stance} {self.issue_label} ({first.when})"]
        parts.extend(f"{step.stance} ({step.when})" for step in rest)
        return " -> ".join(parts)


def stored_issues_list(store: Store) -> list[StoredIssue]:
    """The stored issues with their position and actor counts."""
    return store.position_tables().issues()


def find_issue_id(store: Store, wanted: str | None) -> str | None:
    """The id of the stored issue with this id or label (any case); else ``wanted`` as is."""
    if wanted is None:
        return None
    for issue in store.position_tables().issues():
        if wanted.casefold() in (issue.id.casefold(), issue.label.casefold()):
            return issue.id
    return wanted


def has_positions(store: Store) -> bool:
    """Whether the store holds issues to show positions on."""
    return bool(store.position_tables().issues())


def actor_positions(
    store: Store, name: str | None, issue_id: str | None = None, limit: int | None = None
) -> list[Position]:
    """Positions held by an actor, or spoken by the speaker of that name, oldest first.

    Args:
        store: The open store.
        name: An actor or any spelling of a speaker; ``None`` for every actor.
        issue_id: Only this issue.
        limit: Most positions to return.
    """
    tables = store.position_tables()
    return [to_position(p) for p in tables.positions(actor=name, issue_id=issue_id, limit=limit)]


def actor_shifts(store: Store, name: str) -> list[Shift]:
    """Shifts of an actor, and of the bodies the speaker of that name speaks for."""
    tables = store.position_tables()
    found = [
        shift_from_json(body)
        for actor in tables.actor_names(name)
        for body in tables.shifts(actor=actor)
    ]
    return sorted(found, key=lambda s: (s.after.published or date.max, s.actor, s.issue_id))


def stored_shifts(
    store: Store,
    *,
    actor: str | None = None,
    issue_id: str | None = None,
    since: date | None = None,
    limit: int = SHIFTS_LIMIT,
    offset: int = 0,
) -> list[Shift]:
    """Stored shifts by the date of the later statement, one page of them."""
    tables = store.position_tables()
    bodies = tables.shifts(actor=actor, issue_id=issue_id, since=since, limit=limit, offset=offset)
    return [shift_from_json(body) for body in bodies]


def issue_positions(
    store: Store, issue_id: str, max_actors: int
) -> tuple[list[Position], list[Shift]]:
    """Positions on one issue of the actors with the most of them, and the issue's shifts."""
    tables = store.position_tables()
    positions = [
        to_position(p)
        for actor, _ in tables.top_actors(issue_id, max_actors)
        for p in tables.pair_positions(actor, issue_id)
    ]
    found = [shift_from_json(body) for body in tables.shifts(issue_id=issue_id)]
    return positions, found


def statement_numbers(store: Store, name: str) -> dict[int, int]:
    """Quote id -> the statement's number in its article, for an actor's positions."""
    return actor_record(store, name)[1]


def actor_record(store: Store, name: str) -> tuple[list[Position], dict[int, int]]:
    """An actor's positions, oldest first, and each statement's number in its article."""
    stored = store.position_tables().positions(actor=name)
    return [to_position(p) for p in stored], {p.quote_id: p.number for p in stored}


def summarise(positions: list[Position], numbers: dict[int, int]) -> list[PositionSummary]:
    """Per issue, the stances an actor held in turn, from their committed daily positions.

    Days are reduced as shifts are (one position per day, the committed ones only); runs of
    one held stance become one step, which links every statement of the run.
    """
    by_issue: dict[str, list[Position]] = {}
    for p in positions:
        if p.published is not None and p.stance != "neutral":
            by_issue.setdefault(p.issue_id, []).append(p)
    out: list[PositionSummary] = []
    for issue_id, items in by_issue.items():
        days: dict[date, list[Position]] = {}
        for p in items:
            days.setdefault(p.published or date.max, []).append(p)
        daily = [(d, _day_position(days[d])) for d in sorted(days)]
        committed = [(d, p) for d, p in daily if is_committed(p)] or daily
        steps: list[SummaryStep] = []
        for day, p in committed:
            stance = _held_stance(p)
            refs = tuple(
                StatementRef(e.article_id, numbers.get(e.quote_id, 0), e.quote_id)
                for e in sorted(days[day], key=lambda e: (-e.link_score, e.start))
            )
            if steps and steps[-1].stance == stance:
                last = steps[-1]
                steps[-1] = SummaryStep(
                    last.stance, last.condition, last.first, day, last.statements + refs
                )
                continue
            steps.append(SummaryStep(stance, p.condition, day, day, refs))
        out.append(PositionSummary(issue_id, items[0].issue_label, tuple(steps)))
    return sorted(out, key=lambda s: s.issue_label.casefold())
