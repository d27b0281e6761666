"""Per-article indexes the speaker rules share: tokens, entities, paragraphs, organisations,
people and the article's writer.

Input: an ``Article``, its ``Doc`` and its attributions. Output: ``ArticleIndex``, the base of
the rule classes (``_organisations``, ``_roles``, ``_pronouns``, ``_mentions``, ``_speakers``),
which each add one concern on top of the one before.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from onrecord.models import Article, Attribution, Span, Speaker
from onrecord.resolve._lexicon import (
    ORG_HEADS,
    ROLE_GENDER,
    ROLE_HEADS,
    Gender,
    is_first_name,
)
from onrecord.resolve._outlets import (
    OutletIndex,
    find_introduced_outlets,
    normalise_name,
)
from onrecord.resolve._people import (
    PersonIndex,
    build_person_index,
)
from onrecord.resolve._statements import leaves_quotation_open
from onrecord.resolve._titles import (
    names_the_body,
)

ORG_ENTS = frozenset({"ORG", "GPE", "NORP", "FAC"})


def _names_a_thing(entity: DocSpan) -> bool:
    """Whether a one-word organisation entity only modifies a thing ("the Sallow district",
    "the Tamsa bridges"): a place's name, not a body that speaks."""
    root = entity.root
    head = root.head
    return (
        len(entity) == 1
        and root.dep_ == "compound"
        and head.pos_ == "NOUN"
        and head.lemma_.lower() not in ORG_HEADS
        and head.lemma_.lower() not in ROLE_HEADS
        and head.lower_ not in ROLE_HEADS
    )


# Entity labels under which the parse may file an organisation's full name.
_LONGER_ORG_LABELS = frozenset({"WORK_OF_ART", "PRODUCT", "FAC", "PERSON", "LAW", "EVENT"})

# How far back a pronoun or a source-less paragraph may reach for its person, and how many
# recent name mentions it weighs.
PRONOUN_PARAGRAPHS = 3
PRONOUN_CANDIDATES = 40

UNKNOWN_SPEAKER = Speaker(name=None, mention=None, mention_start=None, mention_end=None)


class _Paragraphs:
    """Paragraph numbers for character offsets; a paragraph ends at a newline."""

    def __init__(self, text: str) -> None:
        self._breaks = [m.start() for m in re.finditer(r"\n\s*", text)]
        self._length = len(text)

    def index(self, offset: int) -> int:
        return bisect.bisect_right(self._breaks, offset)

    def start(self, index: int) -> int:
        return 0 if index <= 0 else self._breaks[min(index, len(self._breaks)) - 1] + 1

    def bounds(self, offset: int) -> tuple[int, int]:
        """The ``[start, end)`` of the paragraph holding ``offset``."""
        index = self.index(offset)
        end = self._breaks[index] if index < len(self._breaks) else self._length
        return self.start(index), end


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved attribution, kept for the rules that look back."""

    speaker: Speaker
    via: tuple[str, ...]
    end: int
    at: int


# The writer of a column or an excerpt, for the first person of its narrative: a headline
# that opens with the writer's name ("Vera Lind: The Harbour Is Ours"), an editor's note on
# "excerpts from Vera Lind's new book", a byline paragraph ("By Vera Lind").
_NAME_RE = r"[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){1,2}"

_COLUMN_HEADLINE = re.compile(rf"^\s*(?P<name>{_NAME_RE}):\s")

_EXCERPT_NOTE = re.compile(
    rf"\bexcerpts?\b[^.\n]{{0,80}}?\bfrom\b[^.\n]{{0,60}}?\b(?P<name>{_NAME_RE})[’']s\b"
)

_BYLINE = re.compile(rf"^\s*By (?P<name>{_NAME_RE})\s*$", re.MULTILINE)

# An author note closing an opinion piece: "Vera Lind is a lecturer in ... at ...".
_AUTHOR_NOTE = re.compile(
    rf"^\W*(?P<name>{_NAME_RE}|[A-Z][\w’'-]+) is (?:a|an|the|[A-Z])(?P<rest>[^\n]*)", re.MULTILINE
)

_WRITER_WORDS = re.compile(
    r"\b(?:reporter|columnist|writer|editor|contributor|correspondent|author|professor|fellow"
    r"|lecturer|economist)",
    re.IGNORECASE,
)

_NOTE_PARAGRAPHS = 3

_WRITER_PARAGRAPHS = 3


class ArticleIndex:
    """Per-article state: tokens, entities, paragraphs, organisations and people, built once."""

    def __init__(self, article: Article, doc: Doc, attributions: Sequence[Attribution]) -> None:
        self.text = article.text
        self.doc = doc
        self.token_starts = [token.idx for token in doc]
        # Without a parser (or sentencizer) the paragraph is the unit for relays.
        self.has_sentences = doc.has_annotation("SENT_START")
        # Each token's sentence [start, end), read once (``token.sent`` walks the sentence).
        self._sentence_bounds: list[tuple[int, int]] = []
        self.proper_words = {token.text for token in doc if token.text[:1].isupper()}
        self.entities = list(doc.ents)
        self.entity_starts = [entity.start for entity in self.entities]
        org_entities = {normalise_name(ent.text).lower() for ent in doc.ents if ent.label_ == "ORG"}
        # Named organisations by their last word, for "the alliance" -> "Harbour Alliance".
        self.orgs_by_word: dict[str, tuple[list[int], list[str]]] = {}
        # Every named organisation in order, for "the company" -> the last one named.
        self.org_starts: list[int] = []
        self.org_names: list[str] = []
        # Full names of organisations by their initials ("FDL", "VCSA") and first word.
        self.org_by_initials: dict[str, set[str]] = {}
        self.org_by_first_word: dict[str, set[str]] = {}
        self.org_first_seen: dict[str, int] = {}
        # "Brecht Early" and the like, by their last word, for a surname read as a common word.
        self._two_word_names: dict[str, list[tuple[int, str]]] = {}
        # One-word organisations ("Kettlewood") name longer ones that start with them, whatever
        # the parse took those for ("Kettlewood Appliances" read as a work of art).
        one_word_orgs = {
            ent.text.lower() for ent in doc.ents if ent.label_ == "ORG" and len(ent) == 1
        }
        for ent in doc.ents:
            name = normalise_name(ent.text)
            is_longer_name = (
                ent.label_ in _LONGER_ORG_LABELS
                and len(name.split()) > 1
                and name.split()[0].lower() in one_word_orgs
                and all(t.text[:1].isupper() for t in ent)
            )
            # "Saltmarsh Rovers, Ellis Athletic" read as one entity is a list, not a name.
            if (ent.label_ != "ORG" and not is_longer_name) or not name or "," in name:
                continue
            if _names_a_thing(ent):
                continue
            self.org_first_seen.setdefault(name, ent.start_char)
            self.org_starts.append(ent.start_char)
            self.org_names.append(name)
            words = name.split()
            if len(words) > 1:
                initials = "".join(w[0] for w in words if w[:1].isupper())
                self.org_by_initials.setdefault(initials, set()).add(name)
                self.org_by_first_word.setdefault(words[0].lower(), set()).add(name)
            if " " in name:
                entry = self.orgs_by_word.setdefault(name.split()[-1].lower(), ([], []))
                entry[0].append(ent.start_char)
                entry[1].append(name)
        self.outlets = OutletIndex(find_introduced_outlets(self.text), set(), org_entities)
        source_heads: set[int] = set()
        mention_starts: dict[int, int] = {}
        for attribution in attributions:
            span = self._span(attribution.source)
            if span is not None:
                source_heads.update(t.i for t in self._name_tokens(span)[:1])
                for token in self._name_tokens(span):
                    mention_starts[token.i] = span.start
        # Names in a headline ride on its capitals ("Lind Speech"); the body names people.
        title_end = max((b.end for b in article.blocks if b.kind == "title"), default=0)
        if title_end >= len(self.text.rstrip()):
            title_end = 0
        self.people: PersonIndex = build_person_index(
            doc, source_heads, self.outlets, self.proper_words, mention_starts, title_end
        )
        # A bare one-word PERSON entity ("MOSCOW (Sputnik) -") is too weak to stop that word
        # from being read as an outlet; names with a title, two words or a quote are not.
        names = {
            " ".join(m.words).lower()
            for m in self.people.mentions
            if len(m.words) > 1 or m.title.role or m.title.has_honorific or m.head in source_heads
        }
        full_names = {n.lower() for n in self.people.persons if " " in n}
        surnames = {n.split()[-1] for n in full_names}
        self.outlets.person_names = names | full_names | surnames
        self.paragraphs = _Paragraphs(self.text)
        # The first-person writer, looked up once on first use.
        self._writer: str | None = None
        self._has_writer_lookup = False
        # Outlets seen in relay positions so far; never a pronoun's antecedent.
        self.relayed: set[str] = set()
        # The last "<name> campaign" resolved, for a later bare "the campaign".
        self.last_campaign: str | None = None
        # Surnames of persons named in full, for a surname the tagger did not read as a name.
        self.by_surname: dict[str, str] = {}
        for name in self.people.persons:
            words = name.split()
            if len(words) > 1:
                self.by_surname.setdefault(words[-1].lower(), name)

    def _span(self, span: Span | None) -> DocSpan | None:
        if span is None or span.end <= span.start:
            return None
        found = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        return found if found is not None and len(found) > 0 else None

    @staticmethod
    def _name_tokens(span: DocSpan) -> list[Token]:
        """Tokens of a source mention that may end a person's name: the root, a name in
        apposition to a role noun ("the trade minister, Vera Lind"), or the last word."""
        root = span.root
        names = [root]
        names.extend(
            child
            for child in root.children
            if child.dep_ == "appos"
            and child.pos_ == "PROPN"
            and child.i < span.end
            and not names_the_body(root, child.left_edge)
        )
        last = span[-1]
        root_is_title = root.pos_ != "PROPN" or root.lower_ in ROLE_HEADS
        if last.i != root.i and last.pos_ == "PROPN" and root_is_title:
            # A parse that hangs the name under its title: "Minister of ... Vera Lind".
            names.append(last)
        return names

    def _token_at(self, offset: int) -> Token | None:
        i = bisect.bisect_right(self.token_starts, offset) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def _regions(self, attribution: Attribution) -> list[tuple[int, int]]:
        anchors = [s.start for s in (attribution.source, attribution.cue) if s is not None]
        if not anchors:
            anchors = [attribution.content.start, max(attribution.content.end - 1, 0)]
        regions: set[tuple[int, int]] = set()
        for anchor in anchors:
            token = self._token_at(anchor)
            if token is None:
                continue
            # The parser may run a sentence across a paragraph break; relays never do.
            start, end = self.paragraphs.bounds(anchor)
            if self.has_sentences:
                start, end = max(token.sent.start_char, start), min(token.sent.end_char, end)
            regions.add((start, end))
        return sorted(regions)

    def sentence_of(self, token: Token) -> tuple[int, int]:
        """The token range ``[start, end)`` of a token's sentence; its paragraph's without a
        parse."""
        if self.has_sentences:
            if not self._sentence_bounds:
                for sent in self.doc.sents:
                    self._sentence_bounds += [(sent.start, sent.end)] * len(sent)
            return self._sentence_bounds[token.i]
        start, end = self.paragraphs.bounds(token.idx)
        first = bisect.bisect_left(self.token_starts, start)
        return first, bisect.bisect_left(self.token_starts, end)

    def entities_between(self, start: int, end: int) -> list[DocSpan]:
        """Named entities starting at a token in ``[start, end)``."""
        lo = bisect.bisect_left(self.entity_starts, start)
        hi = bisect.bisect_left(self.entity_starts, end)
        return self.entities[lo:hi]

    def char_span(self, span: Span) -> DocSpan | None:
        """The tokens of a character span (widened to whole tokens), if any."""
        return self._span(span)

    def cue_token(self, attribution: Attribution) -> Token | None:
        """The first token of the statement's cue."""
        return None if attribution.cue is None else self._token_at(attribution.cue.start)

    def paragraph_gap(self, before: int, after: int) -> int:
        """How many paragraph breaks lie between two offsets."""
        return self.paragraphs.index(after) - self.paragraphs.index(max(before - 1, 0))

    def _entity_at(self, token: Token) -> DocSpan | None:
        i = bisect.bisect_right(self.entity_starts, token.i) - 1
        if i >= 0 and self.entities[i].start <= token.i < self.entities[i].end:
            return self.entities[i]
        return None

    def writer(self) -> str | None:
        """The person who wrote the article in the first person, when its headline, an editor's
        note or a byline in its first paragraphs, or an author note in its last ones ("Vera
        Lind is a lecturer ..."), names them; else None."""
        if self._has_writer_lookup:
            return self._writer
        self._has_writer_lookup = True
        head = self.text[: self.paragraphs.start(_WRITER_PARAGRAPHS)]
        found = None
        first_line = head.lstrip().split("\n", 1)[0]
        for match in (
            _COLUMN_HEADLINE.match(first_line),
            _EXCERPT_NOTE.search(head),
            _BYLINE.search(head),
        ):
            if match is None:
                continue
            if match.re is not _COLUMN_HEADLINE or is_first_name(match.group("name").split()[0]):
                found = match.group("name").rstrip(".")
                break
        if found is None:
            last = self.paragraphs.index(len(self.text.rstrip()))
            tail = self.text[self.paragraphs.start(last - _NOTE_PARAGRAPHS + 1) :]
            notes = {
                m.group("name")
                for m in _AUTHOR_NOTE.finditer(tail)
                if (
                    is_first_name(m.group("name").split()[0])
                    if " " in m.group("name")
                    else _WRITER_WORDS.search(m.group("rest")) is not None
                )
            }
            found = notes.pop() if len(notes) == 1 else None
        self._writer = found
        return found

    def _is_quoted(self, offset: int) -> bool:
        """Whether an offset lies inside a quotation opened earlier in its paragraph."""
        start, _ = self.paragraphs.bounds(offset)
        return leaves_quotation_open(self.text[start:offset])

    def interviewee(self) -> str | None:
        """The person an interview is with: the first named in full."""
        named = [p for p in self.people.persons.values() if " " in p.name and p.positions]
        return min(named, key=lambda p: p.positions[0]).name if named else None

    def fuller_name(self, name: str) -> str:
        """The article's fullest name for a person named by their last words only ("Varga",
        "De Waal"), when exactly one person has it."""
        words = name.lower().replace("’", "'").split()
        if len(words) > 2:
            return name
        found = [
            person
            for full, person in self.people.persons.items()
            if len(full.split()) > len(words)
            and full.lower().replace("’", "'").split()[-len(words) :] == words
        ]
        named = [p for p in found if is_first_name(p.name.split()[0])]
        if named:
            # "Vera Lind" rather than a headline's "Morning Ledger Lind".
            found = named
        if len(found) > 1 and len({p.name.split()[0] for p in found}) == 1:
            # "Vera Lind" and "Vera M. Lind": one person, named most often one way.
            found = [max(found, key=lambda p: (len(p.positions), -p.positions[0]))]
        return found[0].name if len(found) == 1 else name

    def _gender_of(self, speaker: Speaker) -> Gender | None:
        known = self.people.persons.get(speaker.name or "")
        if known is not None:
            return known.gender
        for word in (speaker.role or "").lower().split():
            if word in ROLE_GENDER:
                return ROLE_GENDER[word]
        return None

    @staticmethod
    def _copy(speaker: Speaker, base: Speaker) -> Speaker:
        return replace(
            base, name=speaker.name, role=speaker.role, org=speaker.org, kind=speaker.kind
        )

    # The rules that read a mention are in ``MentionRules`` and ``PronounRules``; the
    # organisation and role rules below them call back into them.
    def _from_span(
        self, span: DocSpan, base: Speaker, content: Span, previous: Resolved | None
    ) -> Speaker | None:
        raise NotImplementedError

    def _pronoun(
        self, lower: str, offset: int, base: Speaker, content: Span, previous: Resolved | None
    ) -> Speaker:
        raise NotImplementedError
