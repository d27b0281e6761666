"""The resolve driver: attributions in text order -> quotes, with outlet wrappers folded in.

See the package docstring for the order of the rules.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence

from spacy.tokens import Doc

from onrecord.models import Article, Attribution, Quote
from onrecord.resolve._outlets import normalise_name
from onrecord.resolve._speakers import UNKNOWN_SPEAKER, ArticleResolver, Resolved

log = logging.getLogger(__name__)


def _enclosing_outlets(
    resolver: ArticleResolver, ordered: Sequence[Attribution]
) -> tuple[set[int], dict[int, list[str]]]:
    """Outlet attributions that only wrap a person's attribution, and the outlets they add."""
    starts = [a.content.start for a in ordered]
    dropped: set[int] = set()
    extra: dict[int, list[str]] = {}
    is_outlet = [resolver.is_outlet_source(a) for a in ordered]
    for i, outer in enumerate(ordered):
        if not is_outlet[i] or outer.source is None:
            continue
        outlet = normalise_name(resolver.text[outer.source.start : outer.source.end])
        lo = bisect.bisect_left(starts, outer.content.start)
        hi = bisect.bisect_left(starts, outer.content.end)
        for j in range(lo, hi):
            inner = ordered[j]
            if j == i or is_outlet[j] or inner.content.end > outer.content.end:
                continue
            dropped.add(i)
            extra.setdefault(j, []).append(outlet)
    return dropped, extra


def _merge(*chains: Sequence[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    merged: list[str] = []
    for chain in chains:
        for name in chain:
            if name and name.lower() not in seen:
                seen.add(name.lower())
                merged.append(name)
    return tuple(merged)


def resolve(article: Article, doc: Doc, attributions: Sequence[Attribution]) -> tuple[Quote, ...]:
    """Run the cascade over one article; see ``onrecord.resolve.resolve_quotes``."""
    if not attributions:
        return ()
    ordered = sorted(attributions, key=lambda a: (a.content.start, -a.content.end))
    resolver = ArticleResolver(article, doc, ordered)
    dropped, extra = _enclosing_outlets(resolver, ordered)
    text = article.text
    quotes: list[Quote] = []
    previous: Resolved | None = None
    for i, attribution in enumerate(ordered):
        if i in dropped:
            continue
        relays = resolver.relays(attribution)
        via: tuple[str, ...]
        if attribution.source is None:
            continued = resolver.continuation(attribution, previous)
            speaker = continued or UNKNOWN_SPEAKER
            if continued is not None and previous is not None and not relays:
                relays = list(previous.via)
            via = _merge(relays, extra.get(i, []))
        elif resolver.is_outlet_source(attribution):
            source = attribution.source
            outlet = normalise_name(text[source.start : source.end])
            speaker = resolver.inner_speaker(attribution, previous) or UNKNOWN_SPEAKER
            via = _merge(relays, [outlet], extra.get(i, []))
        else:
            speaker = resolver.speaker(attribution, previous)
            via = _merge(relays, extra.get(i, []))
        content = attribution.content
        cue = attribution.cue
        quotes.append(
            Quote(
                text=text[content.start : content.end],
                start=content.start,
                end=content.end,
                kind=attribution.kind,
                cue=text[cue.start : cue.end] if cue is not None else None,
                confidence=attribution.confidence,
                speaker=speaker,
                via=via,
                extractor=attribution.extractor,
            )
        )
        at = speaker.mention_start if speaker.mention_start is not None else content.start
        previous = Resolved(speaker, via, content.end, at)
    log.debug(
        "resolved %d attributions into %d quotes (%d persons)",
        len(attributions),
        len(quotes),
        len(resolver.people.persons),
    )
    return tuple(quotes)
