"""Positions, timelines and shifts over stored statements.

Input: ``QuoteHit``-like records (``store.iter_quotes()``) and an optional ``Catalogue``.
Output: ``Position`` per (statement, issue), per-actor timelines, ``Shift`` records.

``positions_for`` runs: issues (catalogue, else discovery) -> links -> stance per link.
``detect_shifts`` then works per actor and issue: dated, non-neutral positions are grouped by
published date; each day is reduced to one position (a conditional one if the day states a
condition on the issue, else the stance with the most link weight); days whose position is not
committed (an act among demand, offer, refusal, warning, acceptance, and a link score of at
least ``SHIFT_MIN_LINK``) are dropped; consecutive days are compared.
A different stance is a ``stance`` shift (a refusal "unless X" holds opposition: it is no
shift from or to opposing); two conditional stances whose conditions share less than half
their content words are a ``condition`` shift; repeats are not shifts.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from onrecord.positions._catalogue import load_catalogue
from onrecord.positions._discover import DISCOVERY_THRESHOLD, discover_issues
from onrecord.positions._encoder import OnnxSentenceEncoder, TextEncoder
from onrecord.positions._link import LINK_THRESHOLD, IssueLinker
from onrecord.positions._records import (
    Catalogue,
    DiscoveredIssue,
    Issue,
    Position,
    PositionsIndex,
    QuoteLike,
    Shift,
    StanceResult,
)
from onrecord.positions._rules import content_words
from onrecord.positions._stance import StanceClassifier, cache_key

if TYPE_CHECKING:
    from onrecord.store import Store

log = logging.getLogger(__name__)

_SPOKESPERSON = re.compile(r"\b(?:spokes(?:man|woman|person)|press (?:secretary|officer))\b", re.I)
CONDITION_OVERLAP = 0.5
_VAGUE = frozenset({"stric", "condi", "term", "terms", "certa", "clear", "some", "basi", "basis"})
# Shifts compare commitments: a demand, offer, refusal, warning or acceptance clearly about the
# issue. Passing remarks and predictions stay in timelines but cannot make a shift.
SHIFT_MIN_LINK = 0.6
COMMITTED_ACTS = frozenset({"demand", "offer", "refusal", "warning", "acceptance"})


@dataclass(frozen=True, slots=True)
class PositionModels:
    """The loaded models positions need: sentence encoder and stance classifier."""

    encoder: TextEncoder
    classifier: StanceClassifier

    @classmethod
    def load(cls, use_stance_model: bool = True) -> PositionModels:
        """Load the shipped int8 sentence encoder and stance weights (about 0.2 s of CPU).

        Raises:
            ExtractError: a shipped model file is missing or onnxruntime is not installed.
        """
        encoder = OnnxSentenceEncoder()
        return cls(encoder, StanceClassifier(encoder, use_model=use_stance_model))


def actor_of(hit: QuoteLike, spokespeople: Mapping[str, str] | None = None) -> str | None:
    """Who holds the position: the organisation for its spokesperson, else the speaker.

    Args:
        hit: a stored statement.
        spokespeople: speaker -> organisation seen elsewhere in the corpus (``spokespeople_of``),
            for statements whose own article named the spokesperson without the body.
    """
    if hit.speaker is None:
        return None
    if hit.org and hit.role and _SPOKESPERSON.search(hit.role):
        return hit.org
    if spokespeople and hit.speaker in spokespeople:
        return spokespeople[hit.speaker]
    return hit.speaker


def spokespeople_of(hits: Iterable[QuoteLike]) -> dict[str, str]:
    """Speaker -> the organisation they most often speak for as its spokesperson."""
    seen: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for hit in hits:
        if hit.speaker and hit.org and hit.role and _SPOKESPERSON.search(hit.role):
            seen[hit.speaker][hit.org] += 1
    return {speaker: orgs.most_common(1)[0][0] for speaker, orgs in seen.items()}


def _sort_key(p: Position) -> tuple[int, date, str, int]:
    return (p.published is None, p.published or date.max, p.article_id, p.start)


def positions_for(
    hits: Iterable[QuoteLike],
    catalogue: Catalogue | None,
    models: PositionModels,
    *,
    link_threshold: float = LINK_THRESHOLD,
    discovery_threshold: float = DISCOVERY_THRESHOLD,
    cache: MutableMapping[str, StanceResult] | None = None,
) -> list[Position]:
    """Positions of every attributed statement on every issue it concerns.

    Args:
        hits: stored statements (``QuoteHit`` or anything with the same fields).
        catalogue: the user's issues; ``None`` discovers issues from the statements, each with
            its most central statement as the proposition.
        models: loaded models (``PositionModels.load()``).
        link_threshold: minimum link score for a statement to count for an issue.
        discovery_threshold: minimum average similarity within a discovered group.
        cache: optional stance cache keyed by ``cache_key(quote_id, proposition)``.

    Returns:
        Positions ordered by published date (undated last).
    """
    positions, _ = _positions_and_issues(
        hits,
        catalogue,
        models,
        link_threshold=link_threshold,
        discovery_threshold=discovery_threshold,
        cache=cache,
    )
    return positions


def discover_quote_issues(
    hits: Iterable[QuoteLike],
    models: PositionModels,
    threshold: float = DISCOVERY_THRESHOLD,
) -> list[DiscoveredIssue]:
    """Issues found among attributed statements, largest group first.

    The same groups ``positions_for`` uses without a catalogue; ``promote_issue`` adds one to a
    catalogue file.
    """
    items = [h for h in hits if h.speaker is not None and h.text.strip()]
    texts = [h.text for h in items]
    return discover_issues(
        [h.quote_id for h in items], texts, models.encoder.encode(texts), threshold=threshold
    )


def make_position(
    hit: QuoteLike,
    actor: str,
    issue: Issue,
    score: float,
    result: StanceResult,
    models: PositionModels,
) -> Position:
    """The position of one statement on one issue, from its link score and stance."""
    return Position(
        actor=actor,
        speaker=hit.speaker or "",
        issue_id=issue.id,
        issue_label=issue.label,
        stance=result.stance,
        act=result.act,
        condition=result.condition,
        quote=hit.text,
        quote_id=hit.quote_id,
        article_id=hit.article_id,
        published=hit.published,
        outlet=hit.outlet,
        via=tuple(hit.via),
        kind=hit.kind,
        link_score=score,
        support_probability=result.support_probability,
        start=hit.start,
        cues=result.cues,
        method=models.classifier.name,
    )


def _positions_and_issues(
    hits: Iterable[QuoteLike],
    catalogue: Catalogue | None,
    models: PositionModels,
    *,
    link_threshold: float = LINK_THRESHOLD,
    discovery_threshold: float = DISCOVERY_THRESHOLD,
    cache: MutableMapping[str, StanceResult] | None = None,
) -> tuple[list[Position], list[DiscoveredIssue]]:
    """Positions, and the discovered issues (empty with a catalogue)."""
    hits = list(hits)
    spokespeople = spokespeople_of(hits)
    items = [h for h in hits if actor_of(h) is not None and h.text.strip()]
    texts = [h.text for h in items]
    vectors = models.encoder.encode(texts)
    discovered: list[DiscoveredIssue] = []
    pairs: list[tuple[QuoteLike, Issue, float]] = []
    if catalogue is None:
        discovered = discover_issues(
            [h.quote_id for h in items], texts, vectors, threshold=discovery_threshold
        )
        by_id = {h.quote_id: (n, h) for n, h in enumerate(items)}
        for group in discovered:
            issue = group.to_issue(proposition=group.examples[0])
            centre = models.encoder.encode([issue.proposition])[0]
            for quote_id in group.quote_ids:
                row, hit = by_id[quote_id]
                pairs.append((hit, issue, round(float(vectors[row] @ centre), 4)))
        issues = {d.id: d.to_issue(proposition=d.examples[0]) for d in discovered}
    else:
        linker = IssueLinker(catalogue, models.encoder, threshold=link_threshold)
        issues = {i.id: i for i in catalogue.issues}
        for hit, links in zip(items, linker.link(texts, vectors), strict=True):
            pairs.extend((hit, issues[link.issue_id], link.score) for link in links)
    results = models.classifier.classify_many(
        [hit.text for hit, _, _ in pairs],
        [issue.proposition for _, issue, _ in pairs],
        keys=[cache_key(hit.quote_id, issue.proposition) for hit, issue, _ in pairs],
        cache=cache,
    )
    positions = [
        make_position(hit, actor_of(hit, spokespeople) or "", issue, score, result, models)
        for (hit, issue, score), result in zip(pairs, results, strict=True)
    ]
    log.info(
        "positions: %d statements, %d issues, %d positions", len(items), len(issues), len(positions)
    )
    return sorted(positions, key=_sort_key), discovered


def _matches(value: str, wanted: str) -> bool:
    return value.casefold() == wanted.casefold()


def timeline(positions: Sequence[Position], actor: str, issue: str | None = None) -> list[Position]:
    """An actor's positions (matching actor or speaker name) oldest first, undated last.

    Args:
        positions: from ``positions_for``.
        actor: actor or speaker name, case-insensitive.
        issue: an issue id or label to keep only that issue.
    """
    return sorted(
        (
            p
            for p in positions
            if (_matches(p.actor, actor) or _matches(p.speaker, actor))
            and (issue is None or _matches(p.issue_id, issue) or _matches(p.issue_label, issue))
        ),
        key=_sort_key,
    )


def _day_position(day: list[Position]) -> Position:
    # A condition stated that day qualifies the rest ("ready to accept observers" + "only if
    # they report to the Concord"); otherwise the stance with the most link weight speaks,
    # so one side remark does not outvote two statements on the issue itself.
    # A refusal "unless ..." holds opposition and qualifies nothing.
    top = max(p.link_score for p in day)
    conditional = [
        p
        for p in day
        if p.stance == "conditional" and p.act != "refusal" and p.link_score >= 0.5 * top
    ]
    if conditional:
        return max(conditional, key=lambda p: (p.link_score, -p.start))
    weight: defaultdict[str, float] = defaultdict(float)
    for p in day:
        weight[_held_stance(p)] += p.link_score
    stance = max(weight, key=lambda s: (weight[s], s))
    return max(
        (p for p in day if _held_stance(p) == stance),
        key=lambda p: (p.stance == stance, p.link_score, -p.start),
    )


def is_committed(position: Position, min_link: float = SHIFT_MIN_LINK) -> bool:
    """Whether a position can take part in a shift: clearly on the issue, with an act."""
    return (
        position.stance != "neutral"
        and position.act in COMMITTED_ACTS
        and position.link_score >= min_link
        and position.published is not None
    )


def _held_stance(position: Position) -> str:
    """The stance a position holds: a refusal "unless X" still opposes until X happens, so
    "will not sign unless ..." followed by "will not sign" is no shift."""
    if position.stance == "conditional" and position.act == "refusal":
        return "opposes"
    return position.stance


def _conditions_differ(a: str | None, b: str | None) -> bool:
    # Vague terms ("under strict conditions", "on those terms") name no condition to compare;
    # otherwise two wordings of one condition share most of the shorter one's content words.
    wa, wb = content_words(a or "") - _VAGUE, content_words(b or "") - _VAGUE
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) < CONDITION_OVERLAP


def _describe(p: Position) -> str:
    when = p.published.isoformat() if p.published else "undated"
    tail = f", {p.condition}" if p.condition else ""
    return f"{p.stance} ({p.act}{tail}) on {when}"


def detect_shifts(
    positions: Sequence[Position], since: date | None = None, issue: str | None = None
) -> list[Shift]:
    """Changes of stance, or of its conditions, between consecutive dated positions.

    Args:
        positions: from ``positions_for``.
        since: keep shifts whose later statement is on or after this date.
        issue: an issue id or label to keep only that issue.

    Returns:
        Shifts ordered by the date of the later statement.
    """
    by_key: defaultdict[tuple[str, str], list[Position]] = defaultdict(list)
    for p in positions:
        if p.stance == "neutral" or p.published is None:
            continue
        if issue is None or _matches(p.issue_id, issue) or _matches(p.issue_label, issue):
            by_key[(p.actor, p.issue_id)].append(p)
    shifts: list[Shift] = []
    for (actor, issue_id), items in by_key.items():
        days: defaultdict[date, list[Position]] = defaultdict(list)
        for p in items:
            days[p.published or date.max].append(p)
        # Every stated position votes for its day; only a committed one can speak for it.
        daily = [p for p in (_day_position(days[d]) for d in sorted(days)) if is_committed(p)]
        held_since = daily[0] if daily else None
        for before, after in pairwise(daily):
            kind = None
            if _held_stance(before) != _held_stance(after):
                kind = "stance"
            elif before.stance == "conditional" and _conditions_differ(
                before.condition, after.condition
            ):
                kind = "condition"
            if kind is None or held_since is None:
                continue
            if since is None or (after.published is not None and after.published >= since):
                shifts.append(
                    Shift(
                        actor=actor,
                        issue_id=issue_id,
                        issue_label=after.issue_label,
                        kind=kind,  # type: ignore[arg-type]
                        before=before,
                        after=after,
                        held_since=held_since,
                        summary=f"{actor} on {after.issue_label}: "
                        f"{_describe(held_since)} -> {_describe(after)}",
                        evidence=tuple(
                            sorted(
                                days[after.published or date.max],
                                key=lambda p: (-p.link_score, p.start),
                            )
                        ),
                    )
                )
            held_since = after
    return sorted(shifts, key=lambda s: (s.after.published or date.max, s.actor, s.issue_id))


def compute_positions(
    store: Store,
    catalogue_path: Path | None,
    models: PositionModels | None = None,
    cache: MutableMapping[str, StanceResult] | None = None,
) -> PositionsIndex:
    """Positions and shifts for everything in a store, in one call.

    Args:
        store: an open ``Store``; reads ``store.iter_quotes()``.
        catalogue_path: issue catalogue (TOML/YAML); ``None`` discovers issues.
        models: loaded models; loaded here when ``None``.
        cache: optional stance cache (see ``positions_for``).

    Raises:
        ConfigError: the catalogue cannot be used.
        ExtractError: a model is missing.
    """
    catalogue = load_catalogue(catalogue_path) if catalogue_path is not None else None
    loaded = models or PositionModels.load()
    positions, discovered = _positions_and_issues(
        store.iter_quotes(), catalogue, loaded, cache=cache
    )
    if catalogue is not None:
        issues = catalogue.issues
    else:
        issues = tuple(d.to_issue(proposition=d.examples[0]) for d in discovered)
    return PositionsIndex(
        issues=tuple(issues),
        positions=tuple(positions),
        shifts=tuple(detect_shifts(positions)),
        discovered=tuple(discovered),
    )
