"""People named in an article: names, roles, organisations and gender evidence, in one pass.

Input: a spaCy ``Doc`` plus the token indices of the sources extraction found. Output: a
``PersonIndex`` that answers, for any name mention, the fullest name the article gives for that
person, the role and organisation the article introduced them with, and which persons were
mentioned just before a given offset (for pronouns and role nouns).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from onrecord.resolve._lexicon import (
    AFFILIATION_WORDS,
    DOCUMENT_NOUNS,
    HONORIFICS,
    NAME_PARTICLES,
    NAME_TITLES,
    ORG_HEADS,
    SPEECH_VERB_FORMS,
    Gender,
    first_name_gender,
    is_first_name,
)
from onrecord.resolve._outlets import OutletIndex, is_outlet_name
from onrecord.resolve._titles import Title, is_role_word, title_of

_NAME_DEPS = frozenset({"compound", "flat"})
_NOT_NAME_ENTS = frozenset(
    {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "EVENT", "LAW"}
)
_PLACE_ENTS = frozenset({"GPE", "LOC", "NORP", "FAC"})
_MAX_NAME_TOKENS = 4
_MAX_PARTICLES = 3  # "van der", "de la", "van den"


@dataclass(frozen=True, slots=True)
class NameMention:
    """One written name of a person: ``words`` exclude honorifics and titles."""

    start: int
    end: int
    head: int
    words: tuple[str, ...]
    title: Title
    is_subject: bool


@dataclass(slots=True)
class Person:
    """Everything the article says about one person, gathered over all mentions."""

    name: str
    role: str | None = None
    org: str | None = None
    gender: Gender | None = None
    positions: list[int] = field(default_factory=list)
    is_subject_at: set[int] = field(default_factory=set)


def _words_of(tokens: Sequence[Token]) -> tuple[str, ...]:
    """The words of a name as written: tokens with no space between them make one word
    ("Ten-Brink", "O'Neill")."""
    words: list[str] = []
    glued = False
    for token in tokens:
        if glued and words:
            words[-1] += token.text
        else:
            words.append(token.text)
        glued = not token.whitespace_
    return tuple(words)


def _name_tokens(head: Token) -> list[Token]:
    tokens = [head]
    inside = {head.i}
    i = head.i - 1
    while i >= 0 and len(tokens) < _MAX_NAME_TOKENS:
        token = head.doc[i]
        is_joint = (
            token.text in {"-", "‐"}
            and not token.whitespace_
            and i > 0
            and not head.doc[i - 1].whitespace_
            and head.doc[i - 1].text[:1].isupper()
        )
        particles = _particles_ending_at(head.doc, i)
        if particles is not None:
            # "Pim de Waal", "Hans van der Berg", "Van der Berg": inside the name.
            tokens[:0] = particles
            inside.update(t.i for t in particles)
            i = particles[0].i - 1
            if particles[0].lower_ in NAME_PARTICLES:
                break  # a capitalised particle opens the name
            continue
        if is_joint:  # "Loes Ten-Brink"
            tokens[:0] = [head.doc[i - 1], token]
            inside.update({i - 1, i})
            i -= 2
            continue
        if (
            token.pos_ != "PROPN"
            or token.dep_ not in _NAME_DEPS
            or token.head.i not in inside
            or is_role_word(token.text)
            or not token.text[:1].isupper()
            or _is_affiliation(token)
            or token.lower_ in SPEECH_VERB_FORMS
        ):
            break
        tokens.insert(0, token)
        inside.add(i)
        i -= 1
    # "of Veldora Vera Lind" or "Sleepy Vera Lind" parsed as one name: a known given
    # name starts the name, unless the name already starts with one.
    if len(tokens) >= 3 and not is_first_name(tokens[0].text):
        first = next((k for k in range(1, len(tokens) - 1) if is_first_name(tokens[k].text)), 0)
        tokens = tokens[first:]
    return tokens


def _particles_ending_at(doc: Doc, i: int) -> list[Token] | None:
    """The particles of a name that end at ``i`` with the given name before them ("Pim
    [de]", "Hans [van der]"), or a capitalised particle run that opens a surname ("[Van der]
    Berg", "[De la] Cruz"); None when ``i`` is no particle."""
    first = i
    while first >= 0 and i - first < _MAX_PARTICLES and doc[first].lower_ in NAME_PARTICLES:
        first -= 1
    first += 1
    if first > i:
        return None
    run = list(doc[first : i + 1])
    before = doc[first - 1] if first > 0 else None
    if (
        before is not None
        and before.pos_ == "PROPN"
        and before.text[:1].isupper()
        and not is_role_word(before.text)
        and not _is_name_title(before)
    ):
        return [before, *run]
    if run[0].text[:1].isupper():
        return run
    return None


def _is_affiliation(token: Token) -> bool:
    """A party, nationality or standing before a name ("Republican Vera Lind", "Rival Ana
    Kroll"): it describes the person and is no part of the name."""
    return token.ent_type_ == "NORP" or token.lower_ in AFFILIATION_WORDS


def _is_name_title(token: Token) -> bool:
    return token.text[:1].isupper() and token.lower_ in NAME_TITLES


def _is_surname(token: Token) -> bool:
    """A role word that is a surname here: "Ken Doctor", "Alice Judge" (after a first name)."""
    if token.i == 0:
        return False
    before = token.doc[token.i - 1]
    if before.lower_ in HONORIFICS and token.pos_ == "PROPN" and token.lower_ not in HONORIFICS:
        return True  # "Mr. King", "Ms. Judge"
    if token.ent_type_ != "PERSON" or token.ent_iob_ == "B":
        return False
    return before.text[:1].isupper() and not is_role_word(before.text)


def _is_name_head(token: Token) -> bool:
    # The small tagger calls some surnames nouns ('"...," Talvik said'); a capitalised noun
    # inside a sentence is taken as a name candidate, which only becomes a person with evidence.
    is_proper = token.pos_ == "PROPN" or (token.pos_ == "NOUN" and not token.is_sent_start)
    if not is_proper or not token.text[:1].isupper():
        return False
    if is_role_word(token.text) and not _is_surname(token):
        return False
    if token.ent_type_ in _NOT_NAME_ENTS:
        return False
    head = token.head
    return not (
        token.dep_ in _NAME_DEPS
        and head.pos_ == "PROPN"
        and head.i > token.i
        and (not is_role_word(head.text) or _is_surname(head))
    )


def read_name(head: Token, proper_words: set[str], mention_start: int | None = None) -> NameMention:
    """Read the name whose last word is ``head``, with its title and appositive.

    Args:
        head: The last token of a name (the head of its compound chain).
        proper_words: Capitalised words in the article, for fictional demonyms.
        mention_start: First token of a source mention that ends with this name, if any.

    Returns:
        The mention with honorifics and titles split off the name.
    """
    tokens = _name_tokens(head)
    title = title_of(head, tokens[0], proper_words, mention_start)
    before = head.doc[tokens[0].i - 1] if tokens[0].i > 0 else None
    if len(tokens) == 1 and before is not None and _is_name_title(before):
        # "Prince Aldo": the title is how the person is named, not a role beside a name.
        tokens = [before, *tokens]
    return NameMention(
        start=tokens[0].idx,
        end=head.idx + len(head.text),
        head=head.i,
        words=_words_of(tokens),
        title=title,
        is_subject=head.dep_ in {"nsubj", "nsubjpass"},
    )


def _is_person(mention: NameMention, head: Token, outlets: OutletIndex) -> bool:
    """Hard evidence that a name is a person's; source mentions add soft evidence later."""
    name = " ".join(mention.words)
    if outlets.is_outlet(name) or mention.words[-1].lower() in ORG_HEADS:
        return False
    if mention.title.has_honorific or mention.title.role is not None:
        return True
    if head.ent_type_ == "PERSON":
        return True
    return len(mention.words) >= 2 and is_first_name(mention.words[0])


@dataclass(slots=True)
class PersonIndex:
    """The persons of one article, with their mentions in text order."""

    mentions: list[NameMention]
    canonical: dict[int, str]
    persons: dict[str, Person]
    order: list[int]
    order_names: list[str]
    by_role_word: dict[str, list[str]]
    role_firsts: dict[str, list[int]]

    def person_at(self, head: int) -> Person | None:
        """The person whose name mention ends at token ``head``."""
        name = self.canonical.get(head)
        return self.persons.get(name) if name is not None else None

    def recent(self, offset: int, limit: int, floor: int) -> Iterable[tuple[int, str]]:
        """Person mentions before ``offset`` (and at or after ``floor``), nearest first."""
        i = bisect.bisect_left(self.order, offset) - 1
        seen = 0
        while i >= 0 and seen < limit and self.order[i] >= floor:
            yield self.order[i], self.order_names[i]
            i -= 1
            seen += 1

    def last_position(self, name: str, offset: int) -> int | None:
        """The last mention of ``name`` before ``offset``, or None."""
        positions = self.persons[name].positions
        i = bisect.bisect_left(positions, offset) - 1
        return positions[i] if i >= 0 else None


class _FullNames:
    """Multi-word names sharing one word, answering "fullest before/after offset" by bisect.

    Prefix and suffix maxima keep each query logarithmic, so a surname mentioned thousands of
    times in a very long text costs no more than one mentioned twice.
    """

    def __init__(self, entries: list[tuple[int, tuple[str, ...]]]) -> None:
        self.entries = entries
        self.positions = [pos for pos, _ in entries]
        self.best_before: list[tuple[str, ...]] = []
        # Per first word, the longest name so far: "Vera Lind" after "Vera M. Lind" is the
        # latter. Across first words the most recent wins: "Jeb Bush said ... Bush added" is
        # Jeb Bush even where "George W. Bush" was named earlier.
        longest: dict[str, tuple[str, ...]] = {}
        for _, words in entries:
            kept = longest.get(words[0])
            if kept is None or len(words) >= len(kept):
                longest[words[0]] = words
            self.best_before.append(longest[words[0]])
        self.best_after: list[tuple[str, ...]] = [()] * len(entries)
        best: tuple[int, int] | None = None
        for i in range(len(entries) - 1, -1, -1):
            pos, words = entries[i]
            # Longest wins; on ties the nearest (earliest) one.
            if best is None or (len(words), -pos) >= best:
                best = (len(words), -pos)
                after = words
            self.best_after[i] = after

    def fullest(self, offset: int, gender: Gender | None = None) -> str | None:
        """The fullest name before ``offset``, else the fullest after it; with ``gender``
        (from "Mrs." or "Mr."), the nearest name whose given name does not say otherwise."""
        i = bisect.bisect_left(self.positions, offset)
        if i > 0:
            best = self.best_before[i - 1]
        elif i < len(self.positions):
            best = self.best_after[i]
        else:
            return None
        if gender is None or _given_gender(best) == gender:
            return " ".join(best)
        # "Mrs. Clinton" after "Bill Clinton" and "Hillary Clinton": the woman, nearest first;
        # a given name of unknown gender only where none is known to agree.
        nearest = [w for _, w in reversed(self.entries[:i])] + [w for _, w in self.entries[i:]]
        for wanted in (gender, None):
            found = [w for w in nearest if _given_gender(w) == wanted]
            if found:
                return " ".join(best if wanted is None and best in found else found[0])
        return None


_FULL_NAME_WORDS = 2


def _given_gender(words: tuple[str, ...]) -> Gender | None:
    """The gender a full name's given name says, if it says one."""
    return first_name_gender(words[0].lower())


def _completes_surname(mention: NameMention, head: Token, known_surnames: set[str]) -> bool:
    """Whether a name of two words the parse did not take for a person's ends with a surname
    it did, so is that person's full name ("Ilse Marten" before "Marten said"); a place, a
    nationality or an outlet before a surname is no first name ("Washington Post Trump")."""
    words = mention.words
    first = head.doc[head.i - 1] if head.i > 0 else head
    return (
        len(words) == _FULL_NAME_WORDS
        and words[-1] in known_surnames
        and head.ent_type_ not in _PLACE_ENTS
        and first.ent_type_ not in _PLACE_ENTS | {"NORP"}
        and not is_outlet_name(words[0])
        and all(word[:1].isupper() and word.isalpha() for word in words)
        and not any(word.lower() in ORG_HEADS for word in words)
    )


def _particle_surname_name(mention: NameMention, full_last: dict[str, _FullNames]) -> str | None:
    """A surname that opens with a particle ("De la Cruz said") is the full name ending with
    it ("Mara de la Cruz"), the particle's case aside."""
    words = mention.words
    if words[0].lower() not in NAME_PARTICLES or words[0] == words[0].lower():
        return None
    full = full_last.get(words[-1])
    fuller = full.fullest(mention.start) if full is not None else None
    if fuller is None:
        return None
    tail = [w.lower() for w in words]
    fuller_words = fuller.split()
    is_longer = len(fuller_words) > len(words)
    return (
        fuller if is_longer and [w.lower() for w in fuller_words[-len(words) :]] == tail else None
    )


def _unglued(mentions: list[NameMention]) -> list[NameMention]:
    """Mentions whose words run a known full name into other capitalised words ("Ted Cruz
    Hints Trump" in a subhead, "Vermonter Bernie Sanders") keep only the name they end with: the
    known name when it ends them, else their last word."""
    known = {m.words for m in mentions if len(m.words) == 2}
    kept = []
    for mention in mentions:
        words = mention.words
        if len(words) > 2 and words[-2:] in known and not is_first_name(words[0]):
            # "George W. Bush" beside "W. Bush" stays whole: it opens with a first name.
            start = mention.end - len(" ".join(words[-2:]))
            mention = replace(mention, start=start, words=words[-2:])
        elif len(words) > 2 and words[:2] in known:
            mention = replace(mention, start=mention.end - len(words[-1]), words=words[-1:])
        kept.append(mention)
    return kept


def build_person_index(
    doc: Doc,
    source_heads: set[int],
    outlets: OutletIndex,
    proper_words: set[str],
    mention_starts: dict[int, int] | None = None,
    skip_before: int = 0,
) -> PersonIndex:
    """Find every person mention in ``doc`` and group the mentions into persons.

    Args:
        doc: The parsed article.
        source_heads: Token indices of the heads of source mentions found by extraction.
        outlets: Outlets known in the article (never persons).
        proper_words: Capitalised words in the article.
        mention_starts: For names that end a source mention, the mention's first token.
        skip_before: Before this offset (a headline) only a first name and a surname make a
            name; a headline's capitals make poor ones ("Derelict Lind").

    Returns:
        The article's person index.
    """
    starts = mention_starts or {}
    hard: list[NameMention] = []
    soft: list[tuple[NameMention, Token]] = []
    for token in doc:
        if not _is_name_head(token):
            continue
        mention = read_name(token, proper_words, starts.get(token.i))
        if token.idx < skip_before and not (
            len(mention.words) >= 2 and is_first_name(mention.words[0])
        ):
            continue
        if _is_person(mention, token, outlets):
            hard.append(mention)
        elif token.i in source_heads or len(mention.words) <= _FULL_NAME_WORDS:
            soft.append((mention, token))
    surnames = {m.words[-1] for m in hard} | {m.words[0] for m in hard if len(m.words) > 1}
    # "Ilse Marten, 58, takes over ..." read as an organisation, then "Marten" as a person:
    # the full name is that person's.
    known_surnames = {m.words[0] for m in hard if len(m.words) == 1}
    mentions = list(hard)
    for mention, token in soft:
        name = " ".join(mention.words)
        if outlets.is_outlet(name) or mention.words[-1].lower() in ORG_HEADS | DOCUMENT_NOUNS:
            # "a Harbour Insight Poll": a document, not a person.
            continue
        if (
            (token.i in source_heads and token.ent_type_ not in _PLACE_ENTS | {"ORG"})
            or (len(mention.words) == 1 and mention.words[0] in surnames)
            or _completes_surname(mention, token, known_surnames)
        ):
            mentions.append(mention)
    mentions.sort(key=lambda m: m.start)

    mentions = _unglued(mentions)
    by_last: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for mention in mentions:
        if len(mention.words) > 1:
            by_last.setdefault(mention.words[-1], []).append((mention.start, mention.words))
            by_first.setdefault(mention.words[0], []).append((mention.start, mention.words))

    full_last = {word: _FullNames(entries) for word, entries in by_last.items()}
    full_first = {word: _FullNames(entries) for word, entries in by_first.items()}
    canonical: dict[int, str] = {}
    persons: dict[str, Person] = {}
    order: list[int] = []
    order_names: list[str] = []
    for mention in mentions:
        if len(mention.words) > 1:
            name = _particle_surname_name(mention, full_last) or " ".join(mention.words)
        else:
            # A surname is looked up among last words first: "Clinton" is "Hillary Clinton",
            # not a "Clinton White House" the parse read as a name; then first names ("Vera").
            word = mention.words[0]
            full = full_last.get(word) or full_first.get(word)
            gender = mention.title.gender if mention.title.has_honorific else None
            fuller = full.fullest(mention.start, gender) if full is not None else None
            name = fuller or word
        canonical[mention.head] = name
        person = persons.setdefault(name, Person(name))
        person.role = person.role or mention.title.role
        person.org = person.org or mention.title.org
        person.gender = person.gender or mention.title.gender
        person.positions.append(mention.start)
        if mention.is_subject:
            person.is_subject_at.add(mention.start)
        order.append(mention.start)
        order_names.append(name)
    by_role_word: dict[str, list[str]] = {}
    for person in persons.values():
        if person.gender is None:
            first = person.name.split()[0].lower() if " " in person.name else ""
            person.gender = first_name_gender(first)
        if person.role is not None:
            for word in set(person.role.lower().replace("-", " ").split()):
                by_role_word.setdefault(word, []).append(person.name)
    # Persons were created in order of first mention, so each list is sorted by it.
    role_firsts = {
        word: [persons[name].positions[0] for name in names] for word, names in by_role_word.items()
    }
    return PersonIndex(mentions, canonical, persons, order, order_names, by_role_word, role_firsts)
