"""Per-article speaker rules: who a source mention, pronoun or role noun refers to.

Input: an ``Article``, its ``Doc`` and its attributions, indexed once by ``ArticleResolver``.
Output: a ``Speaker`` per attribution and the relays named around it. The order in which the
rules are tried is written in the package docstring.
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
    CAMPAIGN_NOUNS,
    DOCUMENT_NOUNS,
    GENERIC_ORG_NOUNS,
    GROUP_HEADS,
    HONORIFICS,
    NEUTER_PRONOUNS,
    ORG_HEADS,
    PLURAL_PRONOUNS,
    PRONOUN_GENDER,
    ROLE_GENDER,
    ROLE_HEADS,
    Gender,
    is_first_name,
)
from onrecord.resolve._outlets import (
    OutletIndex,
    find_introduced_outlets,
    find_relays,
    normalise_name,
)
from onrecord.resolve._people import (
    Person,
    PersonIndex,
    build_person_index,
    demonym_to_place,
    names_the_body,
    noun_phrase,
    parse_title,
    read_name,
)

_ORG_ENTS = frozenset({"ORG", "GPE", "NORP", "FAC"})
# How far back "the 23-year-old" looks for the person it describes (a subhead may come between).
_DESCRIBED_PARAGRAPHS = 2
# Two holders of a bare role both named within this many paragraphs before it: no one.
_TIED_HOLDER_PARAGRAPHS = 2


# Possessives that stand for a person, and the pronoun each is resolved as.
_PERSON_POSSESSIVES = {"his": "he", "her": "she"}
# "Veldora's Kessel Water Authority": a place's possessive before a proper name of two words
# or more is no part of that name.
_POSSESSOR = re.compile(
    r"^[A-Z][\w-]*(?: [A-Z][\w-]*)?['’]s (?P<name>[A-Z][\w&-]*(?: [A-Z][\w&-]*)+)$"
)


def _without_possessor(name: str) -> str:
    match = _POSSESSOR.match(name)
    return match.group("name") if match else name


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


def _is_age(token: Token) -> bool:
    """Whether a mention's head is an age used as a noun: "old" of "the 23-year-old"."""
    return token.lower_ == "old" and any(
        c.lower_ in {"year", "years"} and c.i < token.i for c in token.children
    )


# Entity labels under which the parse may file an organisation's full name.
_LONGER_ORG_LABELS = frozenset({"WORK_OF_ART", "PRODUCT", "FAC", "PERSON", "LAW", "EVENT"})
_SPEECH_LEMMAS = frozenset(
    {
        "say",
        "tell",
        "add",
        "state",
        "claim",
        "warn",
        "insist",
        "argue",
        "deny",
        "announce",
        "confirm",
        "explain",
        "note",
        "stress",
        "write",
        "call",
        "describe",
        "predict",
    }
)
# How far back a pronoun or a source-less paragraph may reach for its person.
_PRONOUN_PARAGRAPHS = 3
_PRONOUN_CANDIDATES = 40
_CONTINUATION_PARAGRAPHS = 1
_NOMINAL_CANDIDATES = 64
# An outlet's content that opens with "X said ..." within this many tokens names the speaker.
_INNER_SPEAKER_TOKENS = 12
# Verbs with which an outlet names whom it heard: "reported, citing two officials".
_CITING_LEMMAS = frozenset({"cite", "quote"})
# What follows a transcript's label: the colon, perhaps after a note ("AALDERS (chair):").
_LABEL_END = re.compile(r"(?:[ \t]*\([^)\n]{1,30}\))?[ \t]*:")
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})
# A content opening with its speech verb ("also told the station that ...") within this many
# tokens; its subject is read up to this many tokens before the content.
_OPENING_TOKENS = 2
_OPENING_SUBJECT_TOKENS = 8
# Spellings of one party, folded so "the GOP nominee" matches "Republican nominee".
_PARTY_WORDS = {"gop": "republican", "republicans": "republican", "democrat": "democratic"}
# Verbs whose object is a listener ("told lawmakers"), and verbs that take "to" a listener.
_TELL_LEMMAS = frozenset({"tell", "brief", "assure", "inform", "remind", "warn"})
_SPEAK_LEMMAS = frozenset({"say", "speak", "talk", "write", "explain", "complain", "describe"})
_LISTENER_DEPS = frozenset({"dobj", "dative", "iobj"})
# Nouns for a news medium: whoever they name was told as a relay, not as an audience.
_MEDIA_NOUNS = frozenset(
    {
        "newspaper",
        "paper",
        "agency",
        "broadcaster",
        "magazine",
        "station",
        "channel",
        "outlet",
        "site",
        "website",
        "daily",
        "weekly",
        "network",
        "programme",
        "program",
        "show",
        "podcast",
        "journalist",
        "reporter",
        "reporters",
        "interviewer",
    }
)
# Verbs of belief and stance whose subject holds the view reported speech passes on.
_HOLDER_LEMMAS = frozenset(
    {
        "believe",
        "think",
        "want",
        "fear",
        "hope",
        "expect",
        "consider",
        "feel",
        "insist",
        "know",
        "view",
        "see",
        "accept",
        "reject",
        "oppose",
        "support",
        "demand",
        "intend",
    }
)
_INDEFINITE = frozenset({"a", "an", "another", "one", "some", "any"})
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


_BODY_FILLERS = frozenset({"the", "of", "in", "at", "for", "'s", "’s"})


def _body_words(name: str) -> frozenset[str]:
    words = name.lower().replace("'s ", " 's ").replace("’s ", " ’s ").split()
    return frozenset(w for w in words if w not in _BODY_FILLERS)


def _same_body(a: str, b: str) -> bool:
    """Whether two phrases name one body, in any order: "the Kessel hospital board" and
    "hospital board in Kessel"."""
    words = _body_words(a)
    return bool(words) and words == _body_words(b)


def _role_words(person: Person) -> set[str]:
    """The words of a person's role, lower case, hyphens split."""
    return set((person.role or "").lower().replace("-", " ").split())


def _described_by(person: Person) -> set[str]:
    """The words the article describes a person with: role and organisation, parties folded."""
    text = f"{person.role or ''} {person.org or ''}".lower().replace("-", " ")
    return {_PARTY_WORDS.get(word, word) for word in text.split()}


_PARTIES = frozenset({"republican", "democratic", "labour", "conservative", "liberal", "green"})


def _contradicts(marks: set[str], described: set[str]) -> bool:
    """Whether the capitalised words of a role phrase ("the Kessel senator", "the GOP
    candidate") do not fit what the article says of a person. A party word fits unless the
    article gives the person another party; other words must be among the person's."""
    places = marks - _PARTIES
    if places and not places & described:
        return True
    parties = marks & _PARTIES
    return bool(parties and described & _PARTIES and not parties & described)


# Nouns that refer back to a news outlet the article named ("the newspaper said").
_OUTLET_BACK_NOUNS = frozenset(
    {"newspaper", "paper", "outlet", "magazine", "tabloid", "publication", "daily", "weekly"}
)


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
_FIRST_PERSON = frozenset({"i", "me", "my"})
_WRITER_PARAGRAPHS = 3


# Prepositions that name a document's author after it ("a poll by", "an article in").
_AUTHOR_PREPOSITIONS = frozenset({"by", "from", "in"})


def _is_proper(token: Token) -> bool:
    return token.pos_ == "PROPN" or token.ent_type_ in {"ORG", "PERSON"}


def _is_titled(token: Token) -> bool:
    """Whether a modifier is a quoted title ("the “No Comparison” ad"), not an owner."""
    doc = token.doc
    left, right = token.left_edge.i, token.right_edge.i
    return (left > 0 and doc[left - 1].is_quote) or (
        right + 1 < len(doc) and doc[right + 1].is_quote
    )


def _owner_of(noun: Token) -> DocSpan | None:
    """The name before a document noun that owns or labels it ("Lind's website", "a Tidewire
    survey"), if any."""
    doc = noun.doc
    for child in noun.lefts:
        is_name = child.pos_ == "PROPN" or (child.dep_ == "poss" and child.pos_ != "PRON")
        if child.dep_ in {"compound", "poss", "nmod"} and is_name and not _is_titled(child):
            tokens = [t for t in doc[child.left_edge.i : child.i + 1] if t.dep_ != "det"]
            tokens = [t for t in tokens if t.text not in {"'s", "’s"}]
            if tokens:
                return doc[tokens[0].i : tokens[-1].i + 1]
    return None


def _named_by(noun: Token, end: int) -> DocSpan | None:
    """The proper name after a document noun that says whose it is: "a count by The
    Associated Press", "a poll from Harbour University", "an article in the Morning Ledger",
    "a survey conducted by Tidewire" (not "a poll of Veldoran voters"); tokens before
    ``end`` only."""
    doc = noun.doc
    preps = [c for c in noun.rights if c.dep_ == "prep" and c.lower_ in _AUTHOR_PREPOSITIONS]
    for verb in noun.rights:
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            preps.extend(c for c in verb.children if c.dep_ == "agent")
    for prep in preps:
        objects = [c for c in prep.children if c.dep_ == "pobj" and c.i < end]
        if not objects or not _is_proper(objects[0]):
            continue
        head = objects[0]
        if head.ent_type_ in {"DATE", "TIME", "GPE", "LOC"}:
            continue  # "a poll in March", "a report from Veldora"
        tokens = [t for t in doc[head.left_edge.i : head.i + 1] if t.dep_ != "det"]
        if tokens:
            return doc[tokens[0].i : tokens[-1].i + 1]
    return None


class ArticleResolver:
    """Per-article state: built once, then asked about each attribution in text order."""

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

    def relays(self, attribution: Attribution) -> list[str]:
        content, cue_span = attribution.content, attribution.cue
        skip = (content.start, content.end)
        if cue_span is not None and content.start < cue_span.start < content.end:
            # The words ran on over their own cue ("“...,” Lind told Radio Marren"): what
            # follows the cue is the attribution, not the statement.
            skip = (content.start, cue_span.start)
        cue = None if attribution.cue is None else self._token_at(attribution.cue.start)
        regions = self._regions(attribution)
        found = find_relays(self.doc, self.text, regions, self.outlets, skip, cue)
        self.relayed.update(relay.name.lower() for relay in found)
        return [relay.name for relay in found]

    def is_outlet_source(self, attribution: Attribution) -> bool:
        source = attribution.source
        if source is None:
            return False
        mention = self.text[source.start : source.end]
        span = self._span(source)
        if span is not None and any(self.people.person_at(t.i) for t in span):
            return False
        return self.outlets.is_outlet(mention)

    # -- speaker rules -------------------------------------------------------------------

    def speaker(self, attribution: Attribution, previous: Resolved | None) -> Speaker:
        source = attribution.source
        if source is None:
            return UNKNOWN_SPEAKER
        mention = self.text[source.start : source.end]
        base = Speaker(
            name=None, mention=mention, mention_start=source.start, mention_end=source.end
        )
        span = self._span(source)
        if span is None or not mention.strip():
            return base
        is_label = _LABEL_END.match(self.text, source.end) is not None
        if is_label and (mention == "A" or mention.isupper()):
            # A transcript's label: "A" is the person interviewed, "LINDQVIST" a surname.
            label = " ".join(w for w in mention.split() if w.lower() not in HONORIFICS)
            name = self.interviewee() if mention == "A" else self.fuller_name(label.title())
            if name is None:
                return base
            person = self.people.persons.get(name)
            if name.isupper():
                # The full name known only from another label in capitals ("BRUNO AALDERS").
                name = name.title()
            role, org = (person.role, person.org) if person is not None else (None, None)
            return replace(base, name=name, role=role, org=org, kind="person")
        found = self._from_span(span, base, attribution.content, previous)
        return found if found is not None else base

    def _is_time_beside(self, token: Token, start: int, end: int) -> bool:
        """A day or time hung on the verb beside the name ("Solvang Rail today"), not the
        mention's own head ("the 23-year-old" is a description, not a date)."""
        if token.ent_type_ not in {"DATE", "TIME"} or start <= token.head.i < end:
            return False
        if _is_age(token):
            return False
        heads = [t for t in self.doc[start:end] if not start <= t.head.i < end]
        return len(heads) > 1

    def _from_span(
        self, span: DocSpan, base: Speaker, content: Span, previous: Resolved | None
    ) -> Speaker | None:
        end = span.end
        while end - 1 > span.start and self._is_time_beside(self.doc[end - 1], span.start, end):
            end -= 1
        if end < span.end:
            # "Solvang Rail today announced": the day is no part of who spoke.
            return self._from_span(self.doc[span.start : end], base, content, previous)
        first = span[0]
        if len(span) > 1 and first.lower_ in _RELATIVE_PRONOUNS and first.head.dep_ == "relcl":
            # "who speaks for the parents' association" given whole: the relative pronoun.
            return self._from_span(span[:1], base, content, previous)
        root = span.root
        lower = root.lower_
        if len(span) == 1 and lower in _FIRST_PERSON and not self._is_quoted(span.start_char):
            # The narrative's "I" in a column or a book excerpt: its writer, if named.
            writer = self.writer()
            if writer is None:
                return None
            return replace(base, name=self.fuller_name(writer), kind="person")
        if len(span) == 1 and (
            lower in PRONOUN_GENDER or lower in PLURAL_PRONOUNS or lower in NEUTER_PRONOUNS
        ):
            return self._pronoun(lower, span.start_char, base, content, previous)
        if len(span) == 1 and lower in _RELATIVE_PRONOUNS and root.head.dep_ == "relcl":
            # "Lind, who said ...": the relative clause hangs on the speaker's mention.
            antecedent = root.head.head
            if antecedent.i < root.i:
                start = max(antecedent.left_edge.i, antecedent.i - 12)
                return self._from_span(self.doc[start : antecedent.i + 1], base, content, previous)
        if root.pos_ == "NUM" and root.head.pos_ == "PROPN" and root.head.i < root.i:
            # "Okafor, 23, told ...": an age beside the name is not the speaker.
            head = root.head
            return self._from_span(self.doc[head.i : head.i + 1], base, content, previous)
        if any(_is_age(t) and not span.start <= t.head.i < span.end for t in span):
            # (The parse may hang "The 24-year-old" on the verb as modifiers, with no head.)
            # "The 23-year-old also told the station": the person just quoted, described.
            return self._described_speaker(span, base, previous)
        together = self._conjoined(span, base, content, previous)
        if together is not None:
            return together
        author = self._author_of_document(span)
        if author is not None:
            # "A Ledger University poll", "Ana Kroll's brief": the document's author.
            found = self._from_span(author, base, content, previous)
            if (
                found is not None
                and found.kind == "person"
                and found.name
                and (author.root.ent_type_ == "ORG" or self.outlets.is_outlet(found.name))
            ):
                # "an article in the Morning Ledger": an outlet or body, not a person.
                found = replace(found, kind="organisation", role=None, org=None)
            return found
        for token in self._name_tokens(span):
            person = self.people.person_at(token.i)
            if person is not None:
                fuller = self._organisation_named(person, token)
                if fuller is not None and token.i != root.i and lower in ROLE_HEADS:
                    # "The chief executive of Ellis Harbour Holdings": the body a role is of
                    # is not who holds it.
                    continue
                if fuller is not None:
                    # "Kettlewood said" after "Kettlewood Appliances": the company, in full.
                    return replace(base, name=fuller, kind="organisation")
                return replace(
                    base, name=person.name, role=person.role, org=person.org, kind="person"
                )
        named = self._appositive_name(span)
        if named is not None:
            # "A consumer group, Fair Deal Lowlands": the proper name in apposition names it.
            return self._from_span(named, base, content, previous)
        if root.pos_ != "PROPN" and len(span) <= 3 and root.lower_ in self.orgs_by_word:
            # "the survey" after "the Lowland Geological Survey" was named.
            name = self._org_name(span, normalise_name(span.text))
            if " " in name:
                return replace(base, name=name, kind="organisation")
        # Groups and organisations are named by their noun phrase up to its head, without
        # trailing appositives or clauses ("the ministry, which runs the ports,"), but with
        # "of ..." ("the Bank of Veldora").
        name = normalise_name(self.doc[span.start : root.i + 1].text)
        phrase = [t for t in noun_phrase(root) if span.start <= t.i < span.end]
        is_org_noun = root.pos_ != "PROPN" and lower in ORG_HEADS
        if (root.pos_ == "PROPN" or is_org_noun) and phrase and phrase[-1].i > root.i:
            name = normalise_name(self.doc[span.start : phrase[-1].i + 1].text)
        if root.tag_ == "NNS" and root.text[:1].isupper():
            # "Wolters said ...": a surname the tagger read as a plural noun.
            known = self._person_by_surname(span)
            if isinstance(known, Person):
                return replace(base, name=known.name, role=known.role, org=known.org, kind="person")
        is_people_noun = root.pos_ != "PROPN" and (
            lower in GROUP_HEADS or (root.tag_ == "NNS" and lower not in ORG_HEADS)
        )
        # "Republicans", "Americans": a plural nationality or party word names people, not a body.
        is_people_name = root.tag_ == "NNPS" and root.ent_type_ == "NORP"
        if is_people_noun or is_people_name:
            # Several people no one names ("officials", "Republicans"): a group, with no name.
            return replace(base, name=None, org=self._group_org(span), kind="group")
        outlet = self._outlet_named_before(span)
        if outlet is not None:
            # "the newspaper", "the outlet": the news outlet the article named last.
            return replace(base, name=outlet, kind="organisation")
        campaign = self._campaign_name(span, base, content, previous)
        if campaign is not None:
            return replace(base, name=campaign, kind="organisation")
        owned = self._owned_by_person(span, base, content, previous)
        if owned is not None:
            return owned
        if root.ent_type_ in _ORG_ENTS and root.pos_ == "NOUN" and lower not in ORG_HEADS:
            # '"...," says Mira Talvik. Talvik said ...': a surname opening a sentence that
            # the tagger read as a noun and the parse as a company.
            known = self._person_by_surname(span)
            if isinstance(known, Person):
                return replace(base, name=known.name, role=known.role, org=known.org, kind="person")
        if (
            lower in ORG_HEADS
            or root.lemma_.lower() in ORG_HEADS
            or (lower in GENERIC_ORG_NOUNS and root.pos_ == "NOUN" and lower not in ROLE_HEADS)
            or root.ent_type_ in _ORG_ENTS
            or (root.text.isupper() and len(root.text) > 1)
        ):
            return replace(
                base,
                name=_without_possessor(
                    self.fuller_org_name(self._org_name(span, name), span.end_char)
                ),
                kind="organisation",
            )
        if lower in ROLE_HEADS or root.lemma_.lower() in ROLE_HEADS:
            return self._nominal(span, base, previous)
        known = self._person_by_surname(span)
        if isinstance(known, Person):
            return replace(base, name=known.name, role=known.role, org=known.org, kind="person")
        if known is not None:
            return replace(base, name=known, kind="person")
        if root.pos_ == "PROPN":
            mention = read_name(root, self.proper_words)
            title = mention.title
            return replace(
                base, name=" ".join(mention.words), role=title.role, org=title.org, kind="person"
            )
        return None

    def _owned_by_person(
        self, span: DocSpan, base: Speaker, content: Span, previous: Resolved | None
    ) -> Speaker | None:
        """ "His office declined to comment" after "Rolf Asmussen ...": the office of the person
        the possessive refers to, named "Rolf Asmussen's office"."""
        root = span.root
        if root.lower_ not in ORG_HEADS or root.pos_ != "NOUN":
            return None
        owner = next((c for c in root.children if c.dep_ == "poss"), None)
        if owner is None or owner.lower_ not in _PERSON_POSSESSIVES or owner.i < span.start:
            return None
        person = self._pronoun(
            _PERSON_POSSESSIVES[owner.lower_], owner.idx, base, content, previous
        )
        if person.kind != "person" or not person.name:
            return None
        rest = self.doc[owner.i + 1 : root.i + 1].text
        return replace(base, name=f"{person.name}'s {rest}", kind="organisation")

    def _organisation_named(self, person: Person, token: Token) -> str | None:
        """The organisation a "person" of the name index really is, when nothing marks the name
        as a person's (no role, no gender): a name of several words the parse also read as an
        organisation ("Ellis Athletic"), a word inside such a name ("Supporters" of "Ellis
        Athletic Supporters"), or the one word that opens one ("Kettlewood" of "Kettlewood
        Appliances")."""
        if person.role or person.gender is not None:
            return None
        if token.ent_type_ == "ORG":
            entity = self._entity_at(token)
            name = normalise_name(entity.text) if entity is not None else ""
            if len(name.split()) > 1 and "," not in name and person.name in name:
                return name
        if " " in person.name:
            return None
        found = self.org_by_first_word.get(person.name.lower(), set())
        return next(iter(found)) if len(found) == 1 else None

    def _entity_at(self, token: Token) -> DocSpan | None:
        i = bisect.bisect_right(self.entity_starts, token.i) - 1
        if i >= 0 and self.entities[i].start <= token.i < self.entities[i].end:
            return self.entities[i]
        return None

    def _person_by_surname(self, span: DocSpan) -> Person | str | None:
        """ "says Early" where the article named "Brecht Early": the tagger may read a surname
        that is also a common word as an adverb or adjective, but the article's names decide.

        A person the index knows comes back whole; else the two-word name written earlier
        ("Brecht Early, head of rates, ..."), if the text has exactly one.
        """
        words = [t for t in span if not t.is_punct and t.dep_ != "det"]
        if len(words) != 1 or not words[0].text[:1].isupper() or words[0].pos_ == "PROPN":
            return None
        word = words[0]
        name = self.by_surname.get(word.lower_)
        if name is not None:
            return self.people.persons.get(name)
        written = self._two_word_names.get(word.text)
        if written is None:
            # One scan of the text per word, not per mention: a long article repeats them.
            pattern = re.compile(
                r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?) " + re.escape(word.text) + r"\b"
            )
            written = [(m.start(), m.group(0)) for m in pattern.finditer(self.text)]
            self._two_word_names[word.text] = written
        found = {n for at, n in written if at + len(n) <= span.start_char}
        found = {n for n in found if n.split()[0].lower() not in ROLE_HEADS}
        return found.pop() if len(found) == 1 else None

    def fuller_org_name(self, name: str, before: int | None = None) -> str:
        """The full name of an organisation written by its initials ("FDL", "the V.C.S.A.") or
        its first word ("Orvane" for "Orvane Systems"), when the article gives exactly one;
        with ``before``, only a first word's full name that the article gave before that offset."""
        squeezed = name.replace(".", "")
        found: set[str] = set()
        if squeezed.isupper() and len(squeezed) > 1:
            found = self.org_by_initials.get(squeezed, set())
        elif " " not in name:
            found = self.org_by_first_word.get(name.lower(), set())
            if before is not None:
                found = {n for n in found if self.org_first_seen.get(n, 0) < before}
        if not found:
            found = self.org_by_last_words(name)
        longest = max(found, key=len, default=name)
        if all(longest.startswith(n) for n in found):
            # "Tamsa Water" in the headline, "Tamsa Water Services" in the body: one body.
            return longest
        return name

    def org_by_last_words(self, name: str) -> set[str]:
        """Longer organisation names of the article that end with ``name`` ("Times" ->
        "New York Times", "Daily News" -> "New York Daily News")."""
        words = name.lower().split()
        if not words or len(words) > 2:
            return set()
        entry = self.orgs_by_word.get(words[-1])
        if entry is None:
            return set()
        return {
            full
            for full in entry[1]
            if len(full.split()) > len(words) and full.lower().split()[-len(words) :] == words
        }

    def _campaign_name(
        self, span: DocSpan, base: Speaker, content: Span, previous: Resolved | None
    ) -> str | None:
        """ "The Lind campaign", "Lind's campaign" -> "Vera Lind campaign"; a bare "the
        campaign" -> the last campaign named so."""
        root = span.root
        if root.lower_ not in CAMPAIGN_NOUNS:
            return None
        for child in root.lefts:
            if (
                child.i >= span.start
                and child.dep_ in {"compound", "poss"}
                and (child.pos_ == "PROPN")
            ):
                owner = self.doc[max(child.left_edge.i, span.start) : child.i + 1]
                found = self._from_span(owner, base, content, previous)
                if found is not None and found.name:
                    self.last_campaign = f"{found.name} {root.lower_}"
                    return self.last_campaign
        is_bare = all(t.dep_ == "det" or t.i == root.i for t in span)
        return self.last_campaign if is_bare else None

    def _conjoined(
        self, span: DocSpan, base: Speaker, content: Span, previous: Resolved | None
    ) -> Speaker | None:
        """ "Ms Lind and Mr Brek": several named speakers, each by their fullest name,
        together as a group ("Vera Lind and Tomas Brek")."""
        root = span.root
        others = [t for t in root.conjuncts if span.start <= t.i < span.end]
        if not others or root.pos_ != "PROPN" or any(t.pos_ != "PROPN" for t in others):
            return None
        parts = [self.doc[span.start : root.i + 1]]
        parts += [self.doc[max(t.left_edge.i, span.start) : t.i + 1] for t in others]
        names = []
        for part in parts:
            found = self._from_span(part, base, content, previous)
            if found is None or found.name is None:
                return None
            names.append(found.name)
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return replace(base, name=joined, kind="group")

    def _author_of_document(self, span: DocSpan) -> DocSpan | None:
        """The name that owns or labels a document noun ("a Tidewire survey", "Lind's
        website"), when the mention's head is one."""
        root = span.root
        if root.lemma_.lower() not in DOCUMENT_NOUNS:
            return None
        for child in root.lefts:
            if child.i < span.start:
                continue
            is_name = child.pos_ == "PROPN" or (child.dep_ == "poss" and child.pos_ != "PRON")
            if child.dep_ in {"compound", "poss", "nmod"} and is_name:
                left = max(child.left_edge.i, span.start)
                tokens = [t for t in self.doc[left : child.i + 1] if t.dep_ != "det"]
                tokens = [t for t in tokens if t.text not in {"'s", "’s"}]
                if tokens:
                    return self.doc[tokens[0].i : tokens[-1].i + 1]
        by = _named_by(root, span.end)
        if by is not None:
            # "a count by The Associated Press", "a new article in Politico".
            return by
        if any(c.dep_ == "det" and c.lower_ in {"the", "this"} for c in root.lefts):
            return self._earlier_author(root)
        return None

    def _earlier_author(self, root: Token) -> DocSpan | None:
        """ "the statement said" after "The club said in a statement", "The ad claims" after
        "Kessel Action released an ad", "the poll" after "a Tidewire poll": the author the
        article gave the document when it last mentioned it, a paragraph or two back."""
        lemma = root.lemma_.lower()
        floor = self.paragraphs.start(self.paragraphs.index(root.idx) - _PRONOUN_PARAGRAPHS)
        first = bisect.bisect_left(self.token_starts, floor)
        for i in range(root.i - 1, first - 1, -1):
            earlier = self.doc[i]
            if earlier.lemma_.lower() != lemma or earlier.pos_ != "NOUN":
                continue
            own = _owner_of(earlier) or _named_by(earlier, len(self.doc))
            if own is not None:
                return own
            if earlier.dep_ == "pobj" and earlier.head.dep_ == "prep":
                verb = earlier.head.head
            elif earlier.dep_ == "dobj":
                verb = earlier.head
            else:
                continue
            if verb.pos_ not in {"VERB", "AUX"}:
                return None
            subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
            if not subjects:
                return None
            subject = subjects[0]
            return self.doc[subject.left_edge.i : subject.i + 1]
        return None

    def _appositive_name(self, span: DocSpan) -> DocSpan | None:
        """The proper name in apposition to a common noun of the mention, if any."""
        root = span.root
        if root.pos_ == "PROPN":
            return None
        for child in root.children:
            if names_the_body(root, child.left_edge):
                continue  # "A spokesman for the sponsor, Lucky Harbour,": the sponsor's name
            if child.dep_ == "appos" and child.pos_ == "PROPN" and child.i < span.end:
                left = max(child.left_edge.i, root.i + 1)
                right = min(child.i + 1, span.end)
                return self.doc[left:right] if right > left else None
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
        before = self.text[start:offset]
        opened = before.count("“") - before.count("”")
        return opened > 0 or (opened == 0 and before.count('"') % 2 == 1)

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

    def _org_name(self, span: DocSpan, name: str) -> str:
        """ "the alliance" -> the last organisation named "... Alliance" before it, if any;
        "the company" -> the last organisation named before it in the last few paragraphs."""
        root = span.root
        words = [t for t in span if t.i <= root.i and t.dep_ != "det"]
        if len(words) != 1 or root.pos_ == "PROPN" or root.i == span.start:
            return name
        if any(c.dep_ == "prep" and c.i < span.end for c in root.rights):
            return name  # "the association of private schools" names itself
        entry = self.orgs_by_word.get(root.lower_)
        if entry is not None:
            positions, names = entry
            i = bisect.bisect_left(positions, span.start_char) - 1
            if i >= 0:
                return names[i]
        described = self._described_before(root)
        if described is not None:
            return described
        if root.lower_ in GENERIC_ORG_NOUNS:
            floor = self.paragraphs.start(
                self.paragraphs.index(span.start_char) - _PRONOUN_PARAGRAPHS
            )
            i = bisect.bisect_left(self.org_starts, span.start_char) - 1
            while i >= 0 and self.org_starts[i] >= floor:
                candidate = self.org_names[i]
                if not self.outlets.is_outlet(candidate) and candidate.lower() != root.lower_:
                    return candidate
                i -= 1
        return name

    def _described_before(self, root: Token) -> str | None:
        """ "the office" after "the national statistics office": the last fuller phrase the
        article gave a body with that head noun, within the last few paragraphs."""
        if root.lower_ not in ORG_HEADS:
            return None
        floor = self.paragraphs.start(self.paragraphs.index(root.idx) - _PRONOUN_PARAGRAPHS)
        first = bisect.bisect_left(self.token_starts, floor)
        for i in range(root.i - 1, first - 1, -1):
            token = self.doc[i]
            if token.lower_ != root.lower_ or token.pos_ == "PROPN":
                continue
            named = self._proper_beside(token)
            if named is not None:
                return named
            left = [c for c in token.lefts if c.dep_ in {"compound", "amod", "nmod"}]
            of = [c for c in token.rights if c.dep_ == "prep" and c.lower_ == "of"]
            if not left and not of:
                continue
            start = min(c.left_edge.i for c in left) if left else token.i
            end = of[0].right_edge.i if of and of[0].right_edge.i - token.i <= 5 else token.i
            words = [t for t in self.doc[start : end + 1] if t.dep_ not in {"det", "poss"}]
            # One lower-case word ("the parent company") describes; it does not name.
            is_named = len(words) > 2 or any(t.text[:1].isupper() for t in words)
            if is_named and not any(t.text in {"'s", "’s"} for t in words):
                return normalise_name(self.doc[words[0].i : words[-1].i + 1].text) or None
        return None

    def _proper_beside(self, noun: Token) -> str | None:
        """The proper name a common noun describes: "LowAir, the budget airline", "a consumer
        group, Fair Deal Lowlands", "the budget airline LowAir"."""
        names = [c for c in noun.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        if noun.dep_ in {"appos", "compound"} and noun.head.pos_ == "PROPN":
            names.append(noun.head)
        for name in names:
            start = name.i
            while start > name.left_edge.i and self.doc[start - 1].pos_ == "PROPN":
                start -= 1
            return normalise_name(self.doc[start : name.i + 1].text) or None
        return None

    def _outlet_named_before(self, span: DocSpan) -> str | None:
        """For "the newspaper" or "this outlet": the news outlet named last before it, within
        a few paragraphs."""
        root = span.root
        if (
            root.lower_ not in _OUTLET_BACK_NOUNS
            or root.pos_ != "NOUN"
            or not any(c.dep_ == "det" and c.lower_ in {"the", "this"} for c in root.children)
            or any(c.dep_ in {"prep", "appos", "compound"} for c in root.children)
        ):
            return None
        floor = self.paragraphs.start(self.paragraphs.index(span.start_char) - _PRONOUN_PARAGRAPHS)
        i = bisect.bisect_left(self.org_starts, span.start_char) - 1
        while i >= 0 and self.org_starts[i] >= floor:
            if self.outlets.is_outlet(self.org_names[i]):
                return self.fuller_org_name(normalise_name(self.org_names[i]), span.start_char)
            i -= 1
        return None

    def _organisation_named_before(self, offset: int) -> str | None:
        """The last organisation named in this paragraph or the one before, not an outlet."""
        floor = self.paragraphs.start(self.paragraphs.index(offset) - 1)
        i = bisect.bisect_left(self.org_starts, offset) - 1
        while i >= 0 and self.org_starts[i] >= floor:
            candidate = self.org_names[i]
            if not self.outlets.is_outlet(candidate):
                return candidate
            i -= 1
        return None

    def _group_org(self, span: DocSpan) -> str | None:
        """ "Veldoran officials" -> Veldora; "officials at the ministry" -> ministry."""
        root = span.root
        for token in span:
            # "Both parliaments", "The two neighbours": a capital at the start of a sentence
            # does not make a determiner or a number a place.
            if token.pos_ in {"DET", "NUM", "PRON"} or (
                token.dep_ in {"det", "nummod", "amod"} and not token.text[:1].isupper()
            ):
                continue
            if token.i < root.i and token.text[:1].isupper() and token.pos_ in {"PROPN", "ADJ"}:
                place = demonym_to_place(token.text, self.proper_words)
                # A capital that only opens the sentence ("Dock workers") names no body, unless
                # the word is one ("Police officials").
                if (
                    place is None
                    and token.is_sent_start
                    and not token.ent_type_
                    and token.lower_ not in ORG_HEADS
                ):
                    break
                return place or normalise_name(token.text)
            break
        for child in root.rights:
            if child.dep_ == "prep" and child.lower_ in {"at", "from", "in", "of", "for"}:
                objects = [c for c in child.children if c.dep_ == "pobj" and c.i < span.end]
                if objects:
                    obj = objects[0]
                    tokens = noun_phrase(obj)
                    return normalise_name(self.doc[tokens[0].i : tokens[-1].i + 1].text) or None
        return None

    def _organisation_before(self, pronoun: Token) -> str | None:
        """What "its" / "their" refers to: the last organisation named in this sentence or the
        one before ("The Harbour Alliance ... its spokesman"); ``None`` for "his", "her"."""
        if pronoun.lower_ not in {"its", "their"}:
            return None
        sentence = pronoun.sent
        earliest = self.doc[sentence.start - 1].sent.start if sentence.start > 0 else 0
        for entity in reversed(self.doc.ents):
            if entity.end <= pronoun.i and entity.start >= earliest and entity.label_ == "ORG":
                return normalise_name(entity.text) or None
        return None

    def _nominal(self, span: DocSpan, base: Speaker, previous: Resolved | None = None) -> Speaker:
        root = span.root
        kept = [t for t in span if t.i <= root.i and t.dep_ not in {"det", "poss", "case"}]
        kept = [t for t in kept if not any(a.dep_ == "poss" for a in t.ancestors if a != root)]
        title = parse_title(kept, self.proper_words)
        role = title.role or " ".join(t.text for t in kept) or None
        org = title.org
        owner = next((c for c in root.children if c.dep_ == "poss"), None)
        if owner is not None and owner.pos_ == "PRON":
            org = self._organisation_before(owner)
        elif owner is not None:
            org = normalise_name(self.doc[owner.left_edge.i : owner.i + 1].text) or None
        names_body = False
        for child in root.rights:
            if org is None and child.dep_ == "prep" and child.lower_ in {"for", "of", "at"}:
                objects = [c for c in child.children if c.dep_ == "pobj" and c.i < span.end]
                if objects:
                    tokens = noun_phrase(objects[0])
                    org = normalise_name(self.doc[tokens[0].i : tokens[-1].i + 1].text) or None
                    names_body = any(t.pos_ == "PROPN" for t in tokens)
        is_new = any(c.dep_ == "det" and c.lower_ in _INDEFINITE for c in root.children)
        if (owner is not None or names_body) and org is not None and not is_new:
            # "Veldora's interior minister", "the chief executive of Ellis Harbour Holdings":
            # the one person the article names with that role there, before or after this
            # mention; no one when two fit.
            # An organisation read off "its" is a guess, too loose to rule a holder out.
            written = None if owner is not None and owner.pos_ == "PRON" else org
            holder = self._role_holder(root.lower_, org) or self._one_holder(kept, written)
            if holder is not None:
                return replace(
                    base, name=holder.name, role=holder.role, org=holder.org, kind="person"
                )
        if owner is not None or is_new or names_body:
            # "a senior official", "the ministry's spokeswoman": someone not yet named.
            return replace(base, name=None, role=role, org=org, kind="person")
        words = {_PARTY_WORDS.get(t.lower_, t.lower_) for t in kept}
        # Capitalised modifiers ("the Kessel senator", "the GOP nominee") must not contradict
        # what the article says of the person.
        marks = {_PARTY_WORDS.get(t.lower_, t.lower_) for t in kept if t.text[:1].isupper()}
        marks -= {root.lower_}
        offset = span.start_char
        best: tuple[int, int, str] | None = None
        # How many role words each holder named lately shares with the mention.
        fits: list[int] = []
        lately = self.paragraphs.start(
            max(0, self.paragraphs.index(offset) - _TIED_HOLDER_PARAGRAPHS)
        )
        names = self.people.by_role_word.get(root.lower_, [])
        # Names are in order of first mention: take a bounded number introduced before here.
        stop = bisect.bisect_left(self.people.role_firsts.get(root.lower_, []), offset)
        for name in names[max(0, stop - _NOMINAL_CANDIDATES) : stop]:
            person = self.people.persons[name]
            last = self.people.last_position(name, offset)
            if last is None:
                continue
            role_words = _described_by(person)
            if person.org and _contradicts(marks, role_words):
                continue
            key = (len(words & role_words), last, name)
            if last >= lately:
                fits.append(key[0])
            if best is None or key > best:
                best = key
        if best is None:
            # "The minister said ..." before the article names her: the one holder of that role.
            holders = names[stop:]
            if len(holders) == 1:
                person = self.people.persons[holders[0]]
                return replace(
                    base, name=person.name, role=person.role, org=person.org, kind="person"
                )
            before = self._previous_person(span, base, previous, marks)
            if before is not None:
                return before
            return replace(base, name=None, role=role, org=org, kind="person")
        if fits.count(best[0]) > 1:
            # "The minister said" after a finance minister and a health minister were both
            # named in the last paragraphs: nothing in the mention says which, so no one is
            # guessed. A holder named only further back ("the president" after a foreign
            # president was mentioned once) leaves the most recent one.
            return replace(base, name=None, role=role, org=org, kind="person")
        person = self.people.persons[best[2]]
        return replace(base, name=person.name, role=person.role, org=person.org, kind="person")

    def _described_speaker(
        self, span: DocSpan, base: Speaker, previous: Resolved | None
    ) -> Speaker:
        """A definite description that is no role ("the 23-year-old"): the person who spoke
        last, within the last two paragraphs; else a person with no name."""
        before = self.text[max(0, span.start_char - 4) : span.start_char]
        is_definite = before.lower() == "the " or any(t.lower_ == "the" for t in span)
        if (
            not is_definite
            or previous is None
            or previous.speaker.kind != "person"
            or not previous.speaker.name
            or self.paragraph_gap(previous.end, span.start_char) > _DESCRIBED_PARAGRAPHS
        ):
            return replace(base, kind="person")
        return self._copy(previous.speaker, base)

    def _previous_person(
        self, span: DocSpan, base: Speaker, previous: Resolved | None, marks: set[str]
    ) -> Speaker | None:
        """ "Rubio says he opposes the plan. The GOP candidate says he will fight it": a
        definite role noun no one in the article holds goes back to the person who spoke just
        before, in this paragraph or the one before, when nothing contradicts it (gender, party
        or place words, a relative clause that introduces someone new). With no such speaker,
        the person named last before it in those paragraphs ("Kovar leads Brek, but the
        harbour tycoon has vowed ...": Brek)."""
        root = span.root
        if (
            root.tag_ != "NN"
            or not any(c.dep_ == "det" and c.lower_ == "the" for c in root.children)
            or any(c.dep_ in {"relcl", "acl", "appos"} for c in root.children)
        ):
            return None
        floor = self.paragraphs.start(self.paragraphs.index(span.start_char) - 1)
        first = bisect.bisect_left(self.token_starts, floor)
        if any(t.lower_ == root.lower_ for t in self.doc[first : span.start]):
            return None  # "a nurse ... The nurse": someone the article does not name
        wanted = ROLE_GENDER.get(root.lower_)
        if (
            previous is not None
            and previous.speaker.kind == "person"
            and previous.speaker.name
            and self.paragraph_gap(previous.end, span.start_char) <= 1
        ):
            speaker = previous.speaker
            known = self._gender_of(speaker)
            if wanted is not None and known is not None and wanted != known:
                return None
            person = self.people.persons.get(speaker.name or "")
            if person is not None and person.org and _contradicts(marks, _described_by(person)):
                return None
            return self._copy(speaker, base)
        for _, name in self.people.recent(span.start_char, _PRONOUN_CANDIDATES, floor):
            if name.lower() in self.relayed:
                continue
            person = self.people.persons[name]
            if wanted is not None and person.gender not in (None, wanted):
                continue
            if person.org and _contradicts(marks, _described_by(person)):
                return None
            return replace(base, name=person.name, role=person.role, org=person.org, kind="person")
        return None

    def _one_holder(self, kept: Sequence[Token], org: str | None) -> Person | None:
        """The one person whose role has every word of ``kept`` ("transport minister" for
        "Veldora's transport minister" when only Ilona Varga is one), if exactly one; a person
        the article places at another organisation than ``org`` (when given) is not one."""
        words = {t.lower_ for t in kept if not t.text[:1].isupper() or t.lower_ in ROLE_HEADS}
        if not words:
            return None
        head = max(kept, key=lambda t: t.i).lower_
        persons = [self.people.persons[name] for name in self.people.by_role_word.get(head, [])]
        found = [
            p
            for p in persons
            if words <= _role_words(p) and (org is None or p.org is None or _same_body(p.org, org))
        ]
        return found[0] if len(found) == 1 else None

    def _role_holder(self, role_word: str, org: str) -> Person | None:
        """The one person the article gives ``role_word`` at ``org``, if exactly one."""
        found = [
            self.people.persons[name]
            for name in self.people.by_role_word.get(role_word, [])
            if _same_body(self.people.persons[name].org or "", org)
        ]
        return found[0] if len(found) == 1 else None

    def _pronoun(
        self, lower: str, offset: int, base: Speaker, content: Span, previous: Resolved | None
    ) -> Speaker:
        recent_prev = (
            previous
            if previous is not None
            and self.paragraphs.index(offset) - self.paragraphs.index(previous.end)
            <= _PRONOUN_PARAGRAPHS
            else None
        )
        if lower in NEUTER_PRONOUNS:
            thing = self._neuter_antecedent(offset)
            if thing is not None:
                # "The draft provides for observers. It says nothing about the port": the
                # document speaks for its author, if the article gives one, else for no one.
                author = self._author_of_document(thing)
                found = None if author is None else self._from_span(author, base, content, None)
                return found if found is not None else base
        if lower in PLURAL_PRONOUNS or lower in NEUTER_PRONOUNS:
            wanted = ("group", "organisation") if lower in PLURAL_PRONOUNS else ("organisation",)
            if recent_prev is not None and recent_prev.speaker.kind in wanted:
                return self._copy(recent_prev.speaker, base)
            if lower != "we":
                # "Corvel Media said on Monday ... They said in a statement": the body named.
                organisation = self._organisation_named_before(offset)
                if organisation is not None:
                    name = self.fuller_org_name(organisation, offset)
                    return replace(base, name=name, kind="organisation")
            return replace(base, kind="group" if lower in PLURAL_PRONOUNS else "unknown")
        gender = PRONOUN_GENDER[lower]
        prev_name = (
            recent_prev.speaker.name
            if recent_prev is not None and recent_prev.speaker.kind == "person"
            else None
        )
        floor = self.paragraphs.start(self.paragraphs.index(offset) - _PRONOUN_PARAGRAPHS)
        best: tuple[bool, bool, bool, int] | None = None
        best_name: str | None = None
        seen: set[str] = set()
        for position, name in self.people.recent(offset, _PRONOUN_CANDIDATES, floor):
            if name in seen or content.start <= position < content.end:
                continue
            if name.lower() in self.relayed:
                continue
            seen.add(name)
            person = self.people.persons[name]
            if person.gender is not None and person.gender != gender:
                continue
            # The speaker just before, in this paragraph, whose gender the article does not
            # give: "Dag Rosing blamed the pitch. '...,' he said" is Rosing, not a man of known
            # gender named in the paragraph before.
            is_prev_here = (
                name == prev_name
                and person.gender is None
                and recent_prev is not None
                and self.paragraphs.index(recent_prev.at) == self.paragraphs.index(offset)
            )
            key = (
                person.gender == gender or is_prev_here,
                name == prev_name,
                position in person.is_subject_at,
                position,
            )
            if best is None or key > best:
                best, best_name = key, name
        if recent_prev is not None and prev_name not in self.people.persons:
            # A previous speaker the index does not know: "The spokeswoman said ... She added".
            prev_gender = self._gender_of(recent_prev.speaker)
            if recent_prev.speaker.kind == "person" and prev_gender in (None, gender):
                key = (prev_gender == gender, True, True, recent_prev.at)
                if best is None or key > best:
                    return self._copy(recent_prev.speaker, base)
        if best_name is None and gender is not None:
            best_name = self._sole_earlier(gender, floor)
        if best_name is None:
            return replace(base, kind="person")
        person = self.people.persons[best_name]
        if person.gender is None:
            person.gender = gender
        return replace(base, name=person.name, role=person.role, org=person.org, kind="person")

    def _neuter_antecedent(self, offset: int) -> DocSpan | None:
        """The document "it" refers to: the subject of the sentence before (in the same
        paragraph), when that is a document noun ("The draft ... It says")."""
        token = self._token_at(offset)
        if token is None or not self.has_sentences or token.sent.start == 0:
            return None
        before = self.doc[token.sent.start - 1].sent
        if self.paragraphs.index(before.start_char) != self.paragraphs.index(offset):
            return None
        subjects = [t for t in before if t.dep_ in {"nsubj", "nsubjpass"} and t.head == before.root]
        if not subjects or subjects[0].lemma_.lower() not in DOCUMENT_NOUNS:
            return None
        subject = subjects[0]
        return self.doc[max(subject.left_edge.i, before.start) : subject.i + 1]

    def _sole_earlier(self, gender: Gender, floor: int) -> str | None:
        """For a pronoun with no one of its gender in reach: the one person of that gender
        (known, not guessed) the article named further back, when there is exactly one."""
        found = {
            name
            for _, name in self.people.recent(floor, _PRONOUN_CANDIDATES, 0)
            if self.people.persons[name].gender == gender and name.lower() not in self.relayed
        }
        return found.pop() if len(found) == 1 else None

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

    def continuation(self, attribution: Attribution, previous: Resolved | None) -> Speaker | None:
        if previous is None or (previous.speaker.name is None and previous.speaker.role is None):
            return None
        gap = self.paragraphs.index(attribution.content.start) - self.paragraphs.index(
            max(previous.end - 1, 0)
        )
        if gap > _CONTINUATION_PARAGRAPHS:
            return None
        return replace(previous.speaker, mention=None, mention_start=None, mention_end=None)

    def inner_speaker(self, attribution: Attribution, previous: Resolved | None) -> Speaker | None:
        """The speaker named inside an outlet's content: "[Lind said the plan was sound]", or
        "[“The plan is sound,” Lind told Radio Corvel], according to Tidewire", where the
        content's main verb is the speech verb."""
        span = self._span(attribution.content)
        if span is None:
            return None
        verbs = list(span[:_INNER_SPEAKER_TOKENS])
        # The heads of the content's sentences: what the content itself asserts.
        verbs += [
            t
            for t in span[_INNER_SPEAKER_TOKENS:]
            if t.head.i == t.i or not span.start <= t.head.i < span.end
        ]
        for token in verbs:
            if token.lemma_.lower() not in _SPEECH_LEMMAS:
                continue
            # "She [also told the station that ...], according to the Post": a content that
            # opens with the speech verb has its subject just before it.
            opens = token.i - span.start <= _OPENING_TOKENS
            for child in token.children:
                if child.dep_ != "nsubj" or (child.i < span.start and not opens):
                    continue
                start = max(child.left_edge.i, span.start) if child.i >= span.start else child.i
                if child.i < span.start:
                    start = max(child.left_edge.i, child.i - _OPENING_SUBJECT_TOKENS)
                subject = self.doc[start : child.i + 1]
                base = self._bare_mention(subject)
                if base is None:
                    return None
                found = self._from_span(subject, base, attribution.content, previous)
                if found is not None and found.name is not None:
                    return found
        return None

    def relays_inside(self, attribution: Attribution, speaker: Speaker) -> list[str]:
        """Outlets the inner speaker of an outlet's content told: "[“...,” Okafor told Radio
        Marren], according to the Northgate Post" -> Radio Marren, heard first-hand."""
        if speaker.mention_start is None or speaker.mention_end is None:
            return []
        mention = self._token_at(speaker.mention_end - 1)
        if mention is None:
            return []
        verb = mention.head
        content = attribution.content
        if not content.start <= verb.idx < content.end:
            return []
        end = min(content.end, verb.sent.end_char)
        said = [c for c in verb.children if c.dep_ in {"ccomp", "xcomp"} and c.i > verb.i]
        skip = (end, end)
        if said:
            skip = (said[0].left_edge.idx, end)
        found = find_relays(self.doc, self.text, [(speaker.mention_start, end)], self.outlets, skip)
        self.relayed.update(relay.name.lower() for relay in found)
        return [relay.name for relay in found]

    def _bare_mention(self, subject: DocSpan) -> Speaker | None:
        """A speaker known so far by its mention only; ``None`` when the mention is an outlet."""
        if self.outlets.is_outlet(subject.text):
            return None
        return Speaker(
            name=None,
            mention=subject.text,
            mention_start=subject.start_char,
            mention_end=subject.end_char,
        )

    def cited_speaker(self, attribution: Attribution, previous: Resolved | None) -> Speaker | None:
        """Whom an outlet cites for what it reported: "..., the Daily Lantern reported, citing
        two officials from the bloc" -> those officials (a group with no name).

        Only people, groups of people and organisations count; "citing the radio interview" or
        "citing figures" names no speaker.
        """
        cue = self.cue_token(attribution)
        if cue is None:
            return None
        content = attribution.content
        for verb in (cue, *cue.children):
            if verb.lemma_.lower() not in _CITING_LEMMAS or content.start <= verb.idx < content.end:
                continue
            for cited in verb.children:
                if cited.dep_ != "dobj" or content.start <= cited.idx < content.end:
                    continue
                if not self._is_speaker_noun(cited):
                    return None
                right = cited.i + 1
                for child in cited.rights:
                    # "two officials from the bloc": keep the phrase that places them.
                    if child.dep_ == "prep" and child.lower_ in {"from", "in", "at", "of", "with"}:
                        right = child.right_edge.i + 1
                subject = self.doc[cited.left_edge.i : right]
                base = self._bare_mention(subject)
                if base is None:
                    return None
                found = self._from_span(subject, base, content, previous)
                return found if found is not None else replace(base, kind="group")
        return None

    def _is_speaker_noun(self, token: Token) -> bool:
        """Whether a noun can name who spoke: a person, people, or an organisation."""
        lemma = token.lemma_.lower()
        if lemma in DOCUMENT_NOUNS or token.lower_ in DOCUMENT_NOUNS:
            return False
        if token.pos_ == "PROPN" or token.ent_type_ in {"PERSON", *_ORG_ENTS}:
            return True
        words = {lemma, token.lower_}
        return bool(words & (GROUP_HEADS | ROLE_HEADS | ORG_HEADS)) or token.lower_ == "people"

    # -- around the speaker ----------------------------------------------------------------

    def audience(self, attribution: Attribution) -> list[str]:
        """Who was told, when not a news medium: "told company executives" -> that group.

        A medium that was told is a relay (``relays``); pronouns name no one.
        """
        if attribution.cue is None:
            return []
        cue = self._span(attribution.cue)
        if cue is None:
            return []
        content = attribution.content
        found: list[str] = []
        for token in cue:
            lemma = token.lemma_.lower()
            listeners: list[Token] = []
            if lemma in _TELL_LEMMAS:
                listeners = [c for c in token.children if c.dep_ in _LISTENER_DEPS]
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ == "to" and lemma in _SPEAK_LEMMAS:
                    listeners += [c for c in prep.children if c.dep_ == "pobj"]
            phrases: list[tuple[int, int]] = []
            for noun in sorted(listeners, key=lambda t: t.i):
                if noun.pos_ == "PRON" or content.start <= noun.idx < content.end:
                    continue
                if noun.lemma_.lower() in _MEDIA_NOUNS:
                    continue  # "told the newspaper Morning Ledger": a relay
                left = max(noun.left_edge.i, noun.i - 6)
                while left < noun.i and self.doc[left].dep_ in {"det", "poss", "case"}:
                    left += 1
                if phrases and phrases[-1][1] == left:
                    # "told Brightwell staff" can parse as two objects: one listener.
                    left = phrases.pop()[0]
                phrases.append((left, noun.i + 1))
            for left, right in phrases:
                name = normalise_name(self.doc[left:right].text)
                if name and not self.outlets.is_outlet(name) and name not in found:
                    found.append(name)
        return found

    def holder(self, attribution: Attribution, speaker: Speaker) -> str | None:
        """Whose view reported speech gives when it opens with one: "Russia believes ..., X
        said" -> "Russia" (the speaker stays X)."""
        if attribution.kind != "indirect":
            return None
        span = self._span(attribution.content)
        if span is None:
            return None
        verbs = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head == t]
        verb = verbs[0] if verbs else None
        if verb is None or verb.lemma_.lower() not in _HOLDER_LEMMAS:
            return None
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and span.start <= c.i < verb.i]
        if not subjects or subjects[0].pos_ == "PRON":
            return None
        subject = self.doc[max(subjects[0].left_edge.i, span.start) : subjects[0].i + 1]
        mention = subject.text
        base = Speaker(
            name=None,
            mention=mention,
            mention_start=subject.start_char,
            mention_end=subject.end_char,
        )
        found = self._from_span(subject, base, attribution.content, None)
        name = found.name if found is not None and found.name else normalise_name(mention)
        if not name or (speaker.name is not None and name.lower() == speaker.name.lower()):
            return None
        return name
