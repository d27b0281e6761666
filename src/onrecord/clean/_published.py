"""The published date of an article, chosen by agreement among every source that gives one.

Input: ``DateEvidence`` values, each a date with the source it came from. Output: a
``PublishedChoice``: the date, the source it is credited to (``published_source``), whether it
was only inferred, and flags for what looked wrong.

Sources, strongest first (the weight each adds to the day it names):

* ``field`` (a container's ``published``) and ``header`` (the ``date`` line of a text file)
  are the user's word and win outright;
* ``json-ld`` (``datePublished``), ``meta`` (``article:published_time`` and kin) and ``url``
  (a date in the article's path): 3 each;
* ``time`` (a ``<time datetime>`` element), ``timestamp`` (a "Published 3 March 2025" line) and
  ``dateline`` ("LONDON, March 3, 2025 (Agency) -"): 2 each;
* ``htmldate`` (its own heuristics over the whole page): 1.

Each date is the day *as the publisher wrote it*: the offset given is kept and a time is never
moved into UTC. A time written in UTC (``Z``, ``+00:00``, ``GMT``) may fall on the day before or
after the publisher's own, so it gives half its weight to each neighbouring day too: a local
``datePublished`` of 3 March beats a UTC ``published_time`` of 4 March, 02:00.

Flags: ``date_implausible`` when a source gave a date before 1990 or after the latest possible
day (the crawl date, or the day after the input file was written, when known), which is then
not used; ``date_conflict`` when a source of weight 2 or more names a day more than one day away
from the chosen one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

EXPLICIT_SOURCES: Final = ("field", "header")
SOURCE_WEIGHTS: Final[dict[str, float]] = {
    "json-ld": 3.0,
    "meta": 3.0,
    "url": 3.0,
    "time": 2.0,
    "timestamp": 2.0,
    "dateline": 2.0,
    "htmldate": 1.0,
}
CONFLICT_WEIGHT: Final = 2.0
MIN_PLAUSIBLE: Final = date(1990, 1, 1)
UTC_SUFFIX: Final = re.compile(
    r"(?:\d(?:Z|[+-]00:?00)|\b(?:GMT|UTC)(?:[+-]0{1,2}(?::?00)?)?)\s*$", re.IGNORECASE
)
ONE_DAY: Final = timedelta(days=1)
FLAG_CONFLICT: Final = "date_conflict"
FLAG_IMPLAUSIBLE: Final = "date_implausible"


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """One source's word on a date."""

    source: str
    value: date
    is_utc: bool = False


@dataclass(frozen=True, slots=True)
class PublishedChoice:
    """The chosen published date, where it came from, and what looked wrong."""

    value: date | None
    source: str | None
    flags: tuple[str, ...] = ()


def is_utc_stamp(value: str) -> bool:
    """Whether a date-time value is written in UTC (``...Z``, ``+00:00``, ``GMT``)."""
    return bool(UTC_SUFFIX.search(value.strip()))


def choose_published(
    evidence: Sequence[DateEvidence], *, latest: date | None = None
) -> PublishedChoice:
    """Choose the published date that the sources agree on most.

    Args:
        evidence: Every date found, in any order.
        latest: The last day the article can have been published (the crawl date); ``None``
            when unknown.

    Returns:
        The choice; ``value`` is ``None`` when no source gave a plausible date.
    """
    plausible = [item for item in evidence if _is_plausible(item.value, latest)]
    flags: list[str] = [FLAG_IMPLAUSIBLE] if len(plausible) < len(evidence) else []
    explicit = [item for item in plausible if item.source in EXPLICIT_SOURCES]
    if explicit:
        chosen: DateEvidence | None = explicit[0]
    else:
        chosen = _by_agreement(plausible)
    if chosen is None:
        return PublishedChoice(None, None, tuple(flags))
    if any(
        SOURCE_WEIGHTS.get(item.source, 0.0) >= CONFLICT_WEIGHT
        and abs((item.value - chosen.value).days) > 1
        for item in plausible
    ):
        flags.append(FLAG_CONFLICT)
    return PublishedChoice(chosen.value, chosen.source, tuple(flags))


def _is_plausible(value: date, latest: date | None) -> bool:
    return value >= MIN_PLAUSIBLE and (latest is None or value <= latest)


def _by_agreement(evidence: Sequence[DateEvidence]) -> DateEvidence | None:
    scores: dict[date, float] = defaultdict(float)
    for item in evidence:
        weight = SOURCE_WEIGHTS.get(item.source, 0.0)
        scores[item.value] += weight
        if item.is_utc:
            scores[item.value - ONE_DAY] += weight / 2
            scores[item.value + ONE_DAY] += weight / 2
    order = list(SOURCE_WEIGHTS)
    best: tuple[float, int, DateEvidence] | None = None
    for item in evidence:
        # A day only a UTC neighbour supports is credited to no source: it needs its own.
        rank = (scores[item.value], -order.index(item.source) if item.source in order else -99)
        if best is None or rank > best[:2]:
            best = (rank[0], rank[1], item)
    return best[2] if best is not None else None
