"""Outlet recognition and relay chains: through which outlets a statement reached the article.

An outlet is recognised by (1) a noun that introduces it ("the newspaper Morning Ledger",
"agency Tidewire"), (2) a built-in list of well-known news organisations, or (3) the shape of
its name ("Harbour Gazette", "Radio Corvel", "Channel 9"). A relay is an outlet in one of the
positions news prose uses for passing a statement on: "told X", "in an interview with X",
"was quoted by X", "as noted by X", "according to X", "a report in X", "X reported".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from onrecord.lang.en.calendar import MONTHS, WEEKDAYS
from onrecord.resolve._lexicon import (
    INSTITUTION_WORDS,
    KNOWN_OUTLETS,
    OUTLET_FIRST_WORDS,
    OUTLET_LAST_WORDS,
    OUTLET_NOUNS,
    OUTLET_SUFFIXES,
)

# A capitalised name of up to six words: "Channel 9", "Morning Ledger", "Voice of Veldora".
_WORD = r"(?:[A-Z][\w'’&.\-/]*|[0-9][\w.\-]*)"
_NAME = rf"{_WORD}(?:[ \t]+(?:{_WORD}|of|de|du|la|el|and|&)(?=[\s,.;:!?)\]]|$)){{0,5}}"
_NOUN = "|".join(re.escape(noun) for noun in OUTLET_NOUNS)
# Up to two descriptive words before the outlet noun: "the state broadcaster", "Veldoran daily".
_INTRO = rf"(?:(?:[\w\-]+[ \t]+){{0,2}}?(?:{_NOUN}),?[ \t]+)"
_OBJECT = rf"(?:[Tt]he[ \t]+)?(?P<intro>{_INTRO})?(?P<name>{_NAME})"

_INTRODUCED = re.compile(rf"\b(?:{_NOUN}),?[ \t]+(?:[Tt]he[ \t]+)?(?P<name>{_NAME})")

# Tier 0: the outlet heard the speaker directly. Tier 1: the outlet passed the statement on.
# What a pattern accepts as the outlet: "any" name that is not a known person or institution
# ("in an interview with Sputnik"); a "recipient", an outlet or a named organisation that is
# not an institution ("according to Corvel Media"); or only a news "outlet": whoever else was
# told is the audience, not a relay ("told Channel 9", not "told Tomas Brek" or "told WeWork").
_RELAY_PATTERNS: tuple[tuple[int, str, re.Pattern[str]], ...] = (
    (
        0,
        "outlet",
        re.compile(
            r"\b(?:told|tells|telling"
            r"|(?:said|saying|stating|stated|explained|explaining|speaking|spoke|talking|talked)"
            r"[ \t]+to"
            r"|(?:said|speaking|spoke|appearing|appeared|interviewed|writing|wrote)[ \t]+(?:on|in)"
            r"|(?:comments|remarks|statement|email|e-mail|message|letter)[ \t]+to)[ \t]+" + _OBJECT
        ),
    ),
    (
        0,
        "any",
        re.compile(r"\b(?:interview[ \t]+with|interviewed[ \t]+by|quoted[ \t]+by)[ \t]+" + _OBJECT),
    ),
    (
        1,
        "recipient",
        re.compile(
            r"\b(?:noted|reported|cited|carried|published|broadcast|aired|relayed|picked[ \t]+up)"
            r"[ \t]+by[ \t]+" + _OBJECT
        ),
    ),
    (1, "recipient", re.compile(r"\b[Aa]ccording[ \t]+to[ \t]+" + _OBJECT)),
    (
        1,
        "any",
        re.compile(
            r"\b(?:report|reports|reporting|article|story|broadcast|interview)[ \t]+"
            r"(?:in|by|from|on|published[ \t]+by|aired[ \t]+by)[ \t]+" + _OBJECT
        ),
    ),
)

# Days and months: capitalised like names, never an outlet.
_CALENDAR_WORDS = WEEKDAYS | MONTHS | {"today", "tonight", "yesterday"}

# Verbs whose subject relays what someone else said: "the Harbour Gazette reported".
RELAY_VERBS: frozenset[str] = frozenset(
    {"report", "quote", "cite", "carry", "publish", "broadcast", "say", "write", "air"}
)


def normalise_name(name: str) -> str:
    """Strip a leading article ("the", or "a"/"an" before a capital), a trailing possessive
    and trailing punctuation from a name."""
    name = name.strip().strip(",;:")
    if name[:4].lower() == "the ":
        name = name[4:]
    article, _, rest = name.partition(" ")
    if article.lower() in {"a", "an"} and rest[:1].isupper():
        # "an Associated Press-GfK poll": the entity the parse found may hold the article.
        name = rest
    for tail in ("'s", "’s"):
        if name.endswith(tail):
            name = name[: -len(tail)]
    name = name.rstrip(".,;:")
    words = name.split()
    while words and words[-1].lower() in {"of", "de", "du", "la", "el", "and", "&"}:
        words.pop()
    return " ".join(words)


def is_outlet_name(name: str) -> bool:
    """Say whether a name looks like a news organisation's.

    True for well-known outlets ("Reuters", "the BBC") and for names shaped like an outlet's
    ("Harbour Gazette", "Radio Corvel", "Channel 9", "Tidewire").

    Args:
        name: A name as written, with or without a leading "the".

    Returns:
        Whether the name is taken to be an outlet.
    """
    clean = normalise_name(name)
    if not clean:
        return False
    if not clean[0].isupper() and not clean[0].isdigit():
        return False
    lower = clean.lower()
    if lower in KNOWN_OUTLETS or f"the {lower}" in KNOWN_OUTLETS:
        return True
    words = lower.split()
    if len(words) > 1 and (words[-1] in OUTLET_LAST_WORDS or words[0] in OUTLET_FIRST_WORDS):
        return True
    return len(words) == 1 and len(lower) > 5 and lower.endswith(OUTLET_SUFFIXES)


def find_introduced_outlets(text: str) -> set[str]:
    """Names that the text introduces with an outlet noun ("the newspaper Morning Ledger").

    Args:
        text: The whole article text; scanned once.

    Returns:
        The lower-cased, normalised names.
    """
    found: set[str] = set()
    for match in _INTRODUCED.finditer(text):
        name = normalise_name(match.group("name"))
        if name and name.lower() not in INSTITUTION_WORDS:
            found.add(name.lower())
    return found


@dataclass(frozen=True, slots=True)
class Relay:
    """An outlet in a relay position: ``tier`` 0 heard the speaker, 1 passed it on."""

    name: str
    tier: int
    start: int


@dataclass(slots=True)
class OutletIndex:
    """What the resolver knows about outlets in one article."""

    introduced: set[str]
    person_names: set[str]
    org_entities: set[str]
    short_forms: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # "the Post" after "the Northgate Post": the last word of an outlet the article names.
        for name in (*self.introduced, *self.org_entities):
            words = name.split()
            if len(words) > 1 and (name in self.introduced or is_outlet_name(name.title())):
                self.short_forms.add(words[-1].lower())

    def is_outlet(self, name: str) -> bool:
        """Whether ``name`` is an outlet here: introduced as one, known, outlet-shaped, or the
        last word of an outlet named in the article."""
        clean = normalise_name(name).lower()
        if not clean or clean in self.person_names:
            return False
        return clean in self.introduced or is_outlet_name(name) or clean in self.short_forms

    def accepts_any(self, name: str) -> bool:
        """Whether ``name`` may be an outlet: not a known person, not an institution and not a
        day or month ("in a radio interview on Monday")."""
        clean = normalise_name(name).lower()
        if not clean or clean in self.person_names or clean.split()[0] in _CALENDAR_WORDS:
            return False
        return self.is_outlet(name) or clean.split()[-1] not in INSTITUTION_WORDS

    def accepts_recipient(self, name: str) -> bool:
        """Whether ``name`` after "told"/"interview with" is an outlet, not a person or body."""
        clean = normalise_name(name).lower()
        if not clean or clean in self.person_names:
            return False
        if self.is_outlet(name):
            return True
        last = clean.split()[-1]
        return clean in self.org_entities and last not in INSTITUTION_WORDS


def _relays_in_text(text: str, offset: int, index: OutletIndex) -> list[Relay]:
    relays: list[Relay] = []
    accepts_by_mode = {
        "any": index.accepts_any,
        "recipient": index.accepts_recipient,
        "outlet": index.is_outlet,
    }
    for tier, mode, pattern in _RELAY_PATTERNS:
        accepts = accepts_by_mode[mode]
        for match in pattern.finditer(text):
            raw = match.group("name")
            # "the BBC's evening programme" names the BBC.
            owner = re.split(r"['’]s\b", raw, maxsplit=1)[0]
            for name in dict.fromkeys((normalise_name(raw), normalise_name(owner))):
                if name and (match.group("intro") or accepts(name)):
                    relays.append(Relay(name, tier, offset + match.start("name")))
                    break
    return relays


def _subject_name(token: Token) -> tuple[str, int]:
    left = token
    while left.i > 0:
        prev = token.doc[left.i - 1]
        # "The New York Post": "New" hangs on "York", which hangs on "Post".
        if (
            left.i <= prev.head.i <= token.i
            and prev.dep_ in {"compound", "flat", "amod"}
            and (prev.pos_ == "PROPN" or prev.text[:1].isupper())
        ):
            left = prev
        else:
            break
    span = token.doc[left.i : token.i + 1]
    return span.text, span.start_char


_RELAY_ATTACHMENTS = frozenset({"ccomp", "parataxis", "advcl"})


def _governs(verb: Token, cue: Token) -> bool:
    """Whether a relay verb frames the cue: the cue itself, above it, or a clause hung on it."""
    if verb.i == cue.i or verb.is_ancestor(cue):
        return True
    return verb.head.i == cue.i and verb.dep_ in _RELAY_ATTACHMENTS


def find_relays(
    doc: Doc,
    text: str,
    regions: Iterable[tuple[int, int]],
    index: OutletIndex,
    skip: tuple[int, int],
    cue: Token | None = None,
) -> list[Relay]:
    """Relays named in ``regions`` of the text, outside the ``skip`` span (the quoted content).

    Args:
        doc: The parsed article.
        text: ``doc.text``, passed in because ``Doc.text`` is rebuilt on every access.
        regions: Character spans to read (the sentences of the source and the cue).
        index: The outlets known in this article.
        skip: A character span to ignore, usually the statement itself.
        cue: The attribution's reporting verb; when given, an "X reported" relay must govern
            it or be attached to it, so a second statement in the sentence keeps its own.

    Returns:
        Relays ordered from the speaker outward: direct hearers first, then by position.
    """
    relays: list[Relay] = []
    for start, end in regions:
        pieces = [(start, min(end, skip[0])), (max(start, skip[1]), end)]
        for piece_start, piece_end in pieces:
            if piece_end <= piece_start:
                continue
            relays.extend(_relays_in_text(text[piece_start:piece_end], piece_start, index))
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            if token.lemma_.lower() not in RELAY_VERBS or skip[0] <= token.idx < skip[1]:
                continue
            if cue is not None and not _governs(token, cue):
                continue
            for child in token.children:
                if child.dep_ != "nsubj" or skip[0] <= child.idx < skip[1]:
                    continue
                # "the state broadcaster VTN reported": the name is in apposition.
                named = [child, *(c for c in child.children if c.dep_ == "appos")]
                for subject in named:
                    name, name_start = _subject_name(subject)
                    if index.is_outlet(name):
                        relays.append(Relay(normalise_name(name), 1, name_start))
                        break
    relays.sort(key=lambda relay: (relay.tier, relay.start))
    seen: set[str] = set()
    ordered: list[Relay] = []
    for relay in relays:
        key = relay.name.lower()
        if key not in seen:
            seen.add(key)
            ordered.append(relay)
    return ordered
