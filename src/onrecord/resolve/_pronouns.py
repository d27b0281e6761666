"""Pronouns: he, she, they, it and "I" resolved by gender, number, the previous speaker and
the organisation or document named just before.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from onrecord.models import Span, Speaker
from onrecord.resolve._article_index import (
    PRONOUN_CANDIDATES,
    PRONOUN_PARAGRAPHS,
    Resolved,
)
from onrecord.resolve._lexicon import (
    DOCUMENT_NOUNS,
    NEUTER_PRONOUNS,
    PLURAL_PRONOUNS,
    PRONOUN_GENDER,
    Gender,
)
from onrecord.resolve._people import Person
from onrecord.resolve._roles import RoleNouns

# Phrases put before a clause, in which a pronoun may announce the clause's subject.
_FRONTED_DEPS = frozenset({"prep", "advcl", "npadvmod"})


class PronounRules(RoleNouns):
    """Pronouns resolved by gender, number and what was named before."""

    def _pronoun(
        self, lower: str, offset: int, base: Speaker, content: Span, previous: Resolved | None
    ) -> Speaker:
        recent_prev = (
            previous
            if previous is not None
            and self.paragraphs.index(offset) - self.paragraphs.index(previous.end)
            <= PRONOUN_PARAGRAPHS
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
            subject = self._subject_before(offset)
            if lower in PLURAL_PRONOUNS and subject is not None and subject.tag_ == "NNS":
                # "The researchers surveyed 212 plots. They wrote ...": the people just named,
                # not a body named further back.
                return replace(base, kind="group")
            if lower != "we":
                # "Corvel Media said on Monday ... They said in a statement": the body named.
                organisation = self._organisation_named_before(offset)
                if organisation is not None:
                    name = self.fuller_org_name(organisation, offset)
                    return replace(base, name=name, kind="organisation")
            return replace(base, kind="group" if lower in PLURAL_PRONOUNS else "unknown")
        gender = PRONOUN_GENDER[lower]
        ahead = self._named_after(offset, gender)
        if ahead is not None:
            return replace(base, name=ahead.name, role=ahead.role, org=ahead.org, kind="person")
        prev_name = (
            recent_prev.speaker.name
            if recent_prev is not None and recent_prev.speaker.kind == "person"
            else None
        )
        floor = self.paragraphs.start(self.paragraphs.index(offset) - PRONOUN_PARAGRAPHS)
        best: tuple[bool, bool, bool, int] | None = None
        best_name: str | None = None
        seen: set[str] = set()
        for position, name in self.people.recent(offset, PRONOUN_CANDIDATES, floor):
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
                and not self._agreeing_subject_here(offset, gender, floor)
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

    def _agreeing_subject_here(self, offset: int, gender: Gender | None, floor: int) -> bool:
        """Whether a person whose gender the article gives and the pronoun agrees with is a
        subject in the pronoun's paragraph before it: "Lind interrupted Brek ... Brek took
        offense when Lind pressed him. He later called her rude" is Brek, though Lind spoke
        last and her gender is not known."""
        here = self.paragraphs.start(self.paragraphs.index(offset))
        for position, name in self.people.recent(offset, PRONOUN_CANDIDATES, max(floor, here)):
            person = self.people.persons[name]
            if person.gender == gender and position in person.is_subject_at:
                return True
        return False

    def _named_after(self, offset: int, gender: Gender | None) -> Person | None:
        """The person a pronoun in a phrase put before its clause announces: "After he left
        the party, Tomas Brek said ...", "In his reply, Brek called ..." -> Brek, the subject
        named later in the sentence, when the gender does not contradict."""
        token = self._token_at(offset)
        if token is None or not self.has_sentences:
            return None
        head = token
        while head.head.i != head.i and head.head.i != head.sent.root.i:
            head = head.head
        verb = head.head
        if head.i == verb.i or head.dep_ not in _FRONTED_DEPS or head.i > verb.i:
            return None
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects or subjects[0].i < head.right_edge.i:
            return None
        subject = subjects[0]
        person = self.people.person_at(subject.i)
        if person is None or (person.gender is not None and person.gender != gender):
            return None
        return person

    def _subject_before(self, offset: int) -> Token | None:
        """The subject of the sentence before the one at ``offset``, in the same paragraph."""
        token = self._token_at(offset)
        if token is None or not self.has_sentences or token.sent.start == 0:
            return None
        before = self.doc[token.sent.start - 1].sent
        if self.paragraphs.index(before.start_char) != self.paragraphs.index(offset):
            return None
        return next(
            (t for t in before if t.dep_ in {"nsubj", "nsubjpass"} and t.head == before.root),
            None,
        )

    def _neuter_antecedent(self, offset: int) -> DocSpan | None:
        """The document "it" refers to: the subject of the sentence before (in the same
        paragraph), when that is a document noun ("The draft ... It says")."""
        subject = self._subject_before(offset)
        if subject is None or subject.lemma_.lower() not in DOCUMENT_NOUNS:
            return None
        start = subject.sent.start
        return self.doc[max(subject.left_edge.i, start) : subject.i + 1]

    def _sole_earlier(self, gender: Gender, floor: int) -> str | None:
        """For a pronoun with no one of its gender in reach: the one person of that gender
        (known, not guessed) the article named further back, when there is exactly one."""
        found = {
            name
            for _, name in self.people.recent(floor, PRONOUN_CANDIDATES, 0)
            if self.people.persons[name].gender == gender and name.lower() not in self.relayed
        }
        return found.pop() if len(found) == 1 else None
