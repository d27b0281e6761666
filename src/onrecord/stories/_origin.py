"""Occurrences of one quotation -> its origin: the first outlet, the relays and who passed it on.

Order of evidence:

1. ``via`` chains name outlets from the speaker outward; the outlet named first most often
   (ties: the one whose own stored article is earliest) is the first outlet.
2. When no chain names one, the earliest occurrence (published date, then ingest order) is
   the first report.
3. A relay's immediate source is the last outlet of its chain other than itself; a relay that
   names none is drawn from the first outlet, marked as inferred.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from itertools import pairwise

from onrecord.stories._records import Occurrence, Origin, OriginStep, RelayEdge

_NOT_ALNUM = re.compile(r"[\W_]+")
UNKNOWN_OUTLET = "(unknown outlet)"
UNKNOWN_SPEAKER = "(unnamed speaker)"


def chronological_key(published: date | None, ingested_order: int) -> tuple[bool, date, int]:
    """Sort key: earliest published first, undated last, ties by ingest order."""
    return (published is None, published or date.max, ingested_order)


def _fold(name: str | None) -> str:
    """Comparison key of an outlet name: "The Morning Ledger", "morningledger.example" and
    "www.morningledger.example" all give "morningledger"."""
    key = (name or "").strip().casefold()
    key = key.removeprefix("the ")
    if " " not in key and "." in key:
        key = key.removeprefix("www.").split(".")[0]
    return _NOT_ALNUM.sub("", key)


def outlet_key(name: str | None) -> str:
    """The comparison key of an outlet name (see ``_fold``); ``""`` for none."""
    return _fold(name)


def _relayed_from(occurrence: Occurrence) -> str | None:
    own = _fold(occurrence.outlet)
    for name in reversed(occurrence.via):
        if _fold(name) != own:
            return name
    return None


def _step(occurrence: Occurrence) -> OriginStep:
    return OriginStep(
        outlet=occurrence.outlet,
        published=occurrence.published,
        article_id=occurrence.article_id,
        quote_id=occurrence.quote_id,
        via=occurrence.via,
        relayed_from=_relayed_from(occurrence),
        is_stored=True,
    )


def _first_named(ordered: Sequence[Occurrence]) -> str | None:
    counts = Counter(_fold(o.via[0]) for o in ordered if o.via and o.via[0].strip())
    if not counts:
        return None
    best = max(counts.values())
    tied = {name for name, count in counts.items() if count == best}
    for occurrence in ordered:
        if _fold(occurrence.outlet) in tied:
            return _fold(occurrence.outlet)
    return min(tied)


def trace_origin(
    quotation_id: int, speaker: str | None, occurrences: Sequence[Occurrence]
) -> Origin:
    """Work out where a statement was first reported and how it travelled.

    Args:
        quotation_id: The quotation the occurrences belong to.
        speaker: Its speaker's canonical name, the start of the chain.
        occurrences: Every occurrence, in any order; at least one.

    Returns:
        The first step, the relays in date order and the edges between outlets.

    Raises:
        ValueError: ``occurrences`` is empty.
    """
    if not occurrences:
        raise ValueError("a quotation without occurrences has no origin")
    ordered = sorted(
        occurrences, key=lambda o: (*chronological_key(o.published, o.ingested_order), o.quote_id)
    )
    named = _first_named(ordered)
    first_occurrence: Occurrence | None = ordered[0]
    first: OriginStep
    if named is not None:
        first_occurrence = next((o for o in ordered if _fold(o.outlet) == named), None)
    if first_occurrence is not None:
        first = _step(first_occurrence)
        first = OriginStep(
            outlet=first.outlet,
            published=first.published,
            article_id=first.article_id,
            quote_id=first.quote_id,
            via=first.via,
            relayed_from=None,
            is_stored=True,
        )
    else:
        spelled = next(o.via[0] for o in ordered if o.via and _fold(o.via[0]) == named)
        first = OriginStep(
            outlet=spelled,
            published=None,
            article_id=None,
            quote_id=None,
            via=(),
            relayed_from=None,
            is_stored=False,
        )
    relays = tuple(_step(o) for o in ordered if o is not first_occurrence)
    return Origin(
        quotation_id=quotation_id,
        speaker=speaker,
        first=first,
        relays=relays,
        edges=_edges(speaker, first, ordered),
    )


def _edges(
    speaker: str | None, first: OriginStep, ordered: Sequence[Occurrence]
) -> tuple[RelayEdge, ...]:
    earliest: dict[str, Occurrence] = {}
    for occurrence in ordered:
        earliest.setdefault(_fold(occurrence.outlet), occurrence)
    edges: dict[tuple[str, str], RelayEdge] = {}

    def add(source: str, target: str, *, is_inferred: bool) -> None:
        key = (_fold(source), _fold(target))
        if key[0] == key[1] or key in edges:
            return
        carrier = earliest.get(key[1])
        edges[key] = RelayEdge(
            source=source,
            target=target,
            published=carrier.published if carrier else None,
            article_id=carrier.article_id if carrier else None,
            is_inferred=is_inferred,
        )

    first_outlet = first.outlet or UNKNOWN_OUTLET
    add(speaker or UNKNOWN_SPEAKER, first_outlet, is_inferred=False)
    for occurrence in ordered:
        chain = [name for name in occurrence.via if name.strip()]
        outlet = occurrence.outlet or UNKNOWN_OUTLET
        if chain and _fold(chain[-1]) != _fold(outlet):
            chain.append(outlet)
        for source, target in pairwise(chain):
            add(source, target, is_inferred=False)
    reached = {target for _, target in edges}
    for occurrence in ordered:
        outlet = occurrence.outlet or UNKNOWN_OUTLET
        if _fold(outlet) not in reached:
            add(first_outlet, outlet, is_inferred=True)
            reached.add(_fold(outlet))
    return tuple(edges.values())
