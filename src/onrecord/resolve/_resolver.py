"""The resolve driver: attributions in text order -> quotes, with outlet wrappers folded in.

See the package docstring for the order of the rules.
"""

from __future__ import annotations

import bisect
import itertools
import logging
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc

from onrecord.models import Article, Attribution, Quote, Span, Speaker
from onrecord.resolve._linker import LinkerModel, ranked
from onrecord.resolve._outlets import normalise_name
from onrecord.resolve._spans import repaired, subject_source
from onrecord.resolve._speakers import UNKNOWN_SPEAKER, ArticleResolver, Resolved
from onrecord.resolve._statements import overlaps, screen

log = logging.getLogger(__name__)

_MAX_OUTLET_WORDS = 5
_MIN_HOST_LETTERS = 4

# Parts of speech of a source that is only a fragment of function words ("the", "by").
_FUNCTION_POS = frozenset({"DET", "ADP", "CCONJ", "SCONJ", "PART", "PUNCT"})


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


def _outlet_name(mention: str, article_outlet: str | None) -> str:
    """The outlet's name, the article's own full name when the mention is a short form of it.

    "The Ledger" in an article of the "Morning Ledger" is that outlet.
    """
    name = normalise_name(mention)
    if article_outlet and name:
        words, full = name.lower().split(), article_outlet.lower().split()
        # "the Times" in a Harbour Times article, not "the Northgate Times".
        if full[-len(words) :] == words:
            return article_outlet
    return name


def _host_label(outlet: str) -> str | None:
    """The site's own label when the outlet is only known by its host ("sallowgazette")."""
    if " " in outlet or "." not in outlet:
        return None
    labels = [label for label in outlet.lower().split(".") if label not in {"www", "m", "news"}]
    return labels[0] if len(labels) >= 2 else None


def is_own_outlet(name: str, article_outlet: str | None) -> bool:
    """Whether ``name`` is the publishing outlet itself: its name, a short form ending with
    its last word ("the Lantern" in a Daily Lantern article), or, for an outlet known only by
    its host, words the host spells ("the Gazette" on sallowgazette.example)."""
    if not article_outlet:
        return False
    clean = normalise_name(name)
    if not clean:
        return False
    if _outlet_name(clean, article_outlet) == article_outlet:
        return True
    label = _host_label(article_outlet)
    words = ["".join(ch for ch in word if ch.isalnum()) for word in clean.lower().split()]
    if not label or len(words) > _MAX_OUTLET_WORDS:
        return False
    # The host spells the name, or some of its words with the last ("ellisstar" for the
    # "Ellis Evening Star").
    for kept in itertools.product((True, False), repeat=len(words) - 1):
        squashed = "".join(w for w, keep in zip(words, (*kept, True), strict=True) if keep)
        if len(squashed) >= _MIN_HOST_LETTERS and label.endswith(squashed):
            return True
    return False


def _as_own_outlet(speaker: Speaker, article_outlet: str | None) -> Speaker:
    """A speaker named only by (a short form of) the article's outlet is that outlet."""
    if not article_outlet or not speaker.mention:
        return speaker
    written = normalise_name(speaker.mention)
    if speaker.name and speaker.name.lower() != written.lower():
        return speaker  # resolution found a fuller name: a person, not the outlet
    if _outlet_name(written, article_outlet) != article_outlet:
        return speaker
    return replace(speaker, name=article_outlet, kind="organisation", role=None, org=None)


def _full_outlet(resolver: ArticleResolver, name: str) -> str:
    """A one-word outlet by the one longer name the article gives it ("Post" -> "Northgate
    Post")."""
    if " " in name:
        return name
    fuller = resolver.org_by_last_words(name)
    return fuller.pop() if len(fuller) == 1 else name


def _merge(*chains: Sequence[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    merged: list[str] = []
    for chain in chains:
        for name in chain:
            if name and name.lower() not in seen:
                seen.add(name.lower())
                merged.append(name)
    return tuple(merged)


def resolve(
    article: Article,
    doc: Doc,
    attributions: Sequence[Attribution],
    linker: LinkerModel | None = None,
) -> tuple[Quote, ...]:
    """Run the cascade over one article; see ``onrecord.resolve.resolve_quotes``."""
    attributions = screen(article, doc, repaired(article.text, doc, attributions))
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
        speaker_confidence: float | None = None
        ranking: list[tuple[Span | None, float]] = []
        source = attribution.source
        if source is not None and not any(c.isalnum() for c in text[source.start : source.end]):
            # A source the tagger cut to a comma or a quotation mark names no one: the
            # speaker is found as for a statement with no source.
            attribution = replace(attribution, source=None)
        if linker is not None and _is_linked(attribution):
            ranking = ranked(resolver, attribution, previous, linker)
            source, speaker_confidence = ranking[0]
            attribution = replace(attribution, source=source)
        moved = subject_source(doc, attribution)
        if moved.source != attribution.source and moved.source is not None:
            # The linker's own estimate for the subject, where it ranked a mention there.
            speaker_confidence = next(
                (p for span, p in ranking if span is not None and overlaps(span, moved.source)),
                speaker_confidence,
            )
            attribution = moved
        relays = resolver.relays(attribution)
        is_fragment = _is_fragment(resolver, attribution)
        via: tuple[str, ...]
        if attribution.source is None:
            continued = resolver.continuation(attribution, previous)
            speaker = continued or UNKNOWN_SPEAKER
            if continued is not None and previous is not None and not relays:
                relays = list(previous.via)
            via = _merge(relays, extra.get(i, []))
        elif resolver.is_outlet_source(attribution) and not is_fragment:
            source = attribution.source
            outlet = _outlet_name(text[source.start : source.end], article.outlet)
            inner = resolver.inner_speaker(attribution, previous)
            if inner is None:
                # "..., the Daily Lantern reported, citing two officials": the people cited.
                inner = resolver.cited_speaker(attribution, previous)
            if inner is not None:
                speaker = inner
                told = resolver.relays_inside(attribution, inner)
                via = _merge(told, relays, [outlet], extra.get(i, []))
            else:
                # Nobody inside the content: the outlet states its own reporting
                # ("The Ledger has learned ..."), so it is the speaker, not a relay.
                fuller = resolver.org_by_last_words(outlet)
                speaker = Speaker(
                    # "The Times has learned": by the full name the article gives the outlet.
                    name=fuller.pop() if len(fuller) == 1 else outlet,
                    mention=text[source.start : source.end],
                    mention_start=source.start,
                    mention_end=source.end,
                    kind="organisation",
                )
                via = _merge(relays, extra.get(i, []))
        else:
            speaker = resolver.speaker(attribution, previous)
            if is_fragment:
                # A source of function words names no one ("an" read as a body's name).
                speaker = replace(speaker, name=None, role=None, org=None, kind="unknown")
                named = _named_alternative(resolver, attribution, previous, ranking)
                if named is not None:
                    speaker, speaker_confidence = named
            via = _merge(relays, extra.get(i, []))
        if speaker.kind == "person" and speaker.name:
            speaker = replace(speaker, name=resolver.fuller_name(speaker.name))
        if speaker.org and _is_possessor(speaker, resolver):
            # "Marrow's deputy": the one whose deputy someone is, not an organisation.
            speaker = replace(speaker, org=None)
        if speaker_confidence is not None:
            speaker = replace(speaker, confidence=round(speaker_confidence, 4))
        speaker = _as_own_outlet(speaker, article.outlet)
        via = _merge(
            [_full_outlet(resolver, _outlet_name(name, article.outlet)) for name in via if name]
        )
        # Words told to the article's own outlet reached it first-hand.
        via = tuple(
            name
            for name in via
            if not _is_part_of(name, speaker.name) and not is_own_outlet(name, article.outlet)
        )
        # Nor is the article's own outlet an audience: "told the Lantern" is its interview.
        audience = tuple(
            name
            for name in resolver.audience(attribution)
            if not is_own_outlet(name, article.outlet)
        )
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
                cue_start=cue.start if cue is not None else None,
                cue_end=cue.end if cue is not None else None,
                audience=audience,
                inner_speaker=resolver.holder(attribution, speaker),
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


def _is_possessor(speaker: Speaker, resolver: ArticleResolver) -> bool:
    """Whether the speaker's organisation is a person of the article, by full name or by
    surname, that the mention gives in the possessive ("Marrow's deputy")."""
    org = speaker.org or ""
    if f"{org}'s" not in (speaker.mention or "").replace("’", "'"):
        return False
    lower = org.lower()
    return any(
        lower in (person.lower(), person.split()[-1].lower()) for person in resolver.people.persons
    )


def _is_fragment(resolver: ArticleResolver, attribution: Attribution) -> bool:
    """Whether the source is only function words ("the", "by", "an"). A noun phrase ("a new
    poll", "the man", "52 percent of voters") or a pronoun is what a reader too would give as
    the source, named or not."""
    if attribution.source is None:
        return False
    chosen = resolver.char_span(attribution.source)
    return chosen is not None and all(t.pos_ in _FUNCTION_POS for t in chosen)


def _named_alternative(
    resolver: ArticleResolver,
    attribution: Attribution,
    previous: Resolved | None,
    ranking: Sequence[tuple[Span | None, float]],
) -> tuple[Speaker, float] | None:
    """A named speaker among the linker's other candidates, for a chosen mention that is only
    a fragment of function words ("the", "by"; the tagger cut the source short): the
    best-ranked candidate that resolves to a person's or a body's name, when the linker ranks
    it above "no source"."""
    floor = next((p for span, p in ranking if span is None), 0.0)
    for span, probability in ranking[1:]:
        if span is None or probability <= floor:
            return None
        other = replace(attribution, source=span)
        if _is_fragment(resolver, other) or resolver.is_outlet_source(other):
            continue
        found = resolver.speaker(other, previous)
        if found.name is not None and found.kind in {"person", "organisation"}:
            return found, probability
    return None


def _is_linked(attribution: Attribution) -> bool:
    """Whether the linker chooses this statement's source: not for a refusal, and not for a
    line whose speaker the layout gives (a transcript label, a signature)."""
    if attribution.kind == "no_comment":
        return False
    return not (attribution.cue is None and attribution.source is not None)


def _is_part_of(relay: str, speaker: str | None) -> bool:
    """Whether a relay names the speaker itself, in full or by its last words ("York Post")."""
    if not speaker:
        return False
    relay_words, speaker_words = relay.lower().split(), speaker.lower().split()
    return bool(relay_words) and speaker_words[-len(relay_words) :] == relay_words
