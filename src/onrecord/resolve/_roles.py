"""Role nouns and descriptions: who "the minister", "Veldora's interior minister" or "the
23-year-old" is, by the people the article gives that role.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from onrecord.models import Speaker
from onrecord.resolve._article_index import (
    PRONOUN_CANDIDATES,
    Resolved,
)
from onrecord.resolve._lexicon import (
    ROLE_GENDER,
    ROLE_HEADS,
)
from onrecord.resolve._organisations import OrganisationNames
from onrecord.resolve._outlets import normalise_name
from onrecord.resolve._people import (
    Person,
)
from onrecord.resolve._titles import (
    noun_phrase,
    parse_title,
)

# How far back "the 23-year-old" looks for the person it describes (a subhead may come between).
_DESCRIBED_PARAGRAPHS = 2

# Two holders of a bare role both named within this many paragraphs before it: no one.
_TIED_HOLDER_PARAGRAPHS = 2
# How many holders of a role named before a role noun it weighs.
_NOMINAL_CANDIDATES = 64

# Spellings of one party, folded so "the GOP nominee" matches "Republican nominee".
_PARTY_WORDS = {"gop": "republican", "republicans": "republican", "democrat": "democratic"}

_INDEFINITE = frozenset({"a", "an", "another", "one", "some", "any"})

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


class RoleNouns(OrganisationNames):
    """Role nouns and descriptions resolved to the people who hold them."""

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
        for _, name in self.people.recent(span.start_char, PRONOUN_CANDIDATES, floor):
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
