"""Source mentions to speakers: the cascade that reads a mention span (a name, a surname, a
transcript label, a pronoun, a role noun, an organisation, a group, a document) and hands it to
the rule for its kind.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from onrecord.models import Attribution, Span, Speaker, SpeakerKind
from onrecord.resolve._article_index import (
    ORG_ENTS,
    UNKNOWN_SPEAKER,
    Resolved,
)
from onrecord.resolve._lexicon import (
    GENERIC_ORG_NOUNS,
    GROUP_HEADS,
    HONORIFICS,
    NEUTER_PRONOUNS,
    ORG_HEADS,
    PLURAL_PRONOUNS,
    PRONOUN_GENDER,
    ROLE_HEADS,
    is_first_name,
)
from onrecord.resolve._outlets import normalise_name
from onrecord.resolve._people import (
    Person,
    read_name,
)
from onrecord.resolve._pronouns import PronounRules
from onrecord.resolve._titles import (
    noun_phrase,
)

# Parts of speech a mention's head has when the parse read the mention as a noun phrase.
_NOMINAL_TAGS = frozenset({"NOUN", "PROPN", "PRON", "NUM", "DET"})
# At most this many words in a name the parse filed as something else.
_NAME_WORDS = 4

# "Veldora's Kessel Water Authority": a place's possessive before a proper name of two words
# or more is no part of that name.
_POSSESSOR = re.compile(
    r"^[A-Z][\w-]*(?: [A-Z][\w-]*)?['’]s (?P<name>[A-Z][\w&-]*(?: [A-Z][\w&-]*)+)$"
)


def _without_possessor(name: str) -> str:
    match = _POSSESSOR.match(name)
    return match.group("name") if match else name


def _hyphened(token: Token) -> str:
    """A word with the parts the tokenizer split off before it at hyphens ("front-runner")."""
    doc, i = token.doc, token.i
    word = token.lower_
    while (
        i >= 2
        and doc[i - 1].text == "-"
        and not doc[i - 2].whitespace_
        and not doc[i - 1].whitespace_
    ):
        word = f"{doc[i - 2].lower_}-{word}"
        i -= 2
    return word


def _is_age(token: Token) -> bool:
    """Whether a mention's head is an age used as a noun: "old" of "the 23-year-old"."""
    return token.lower_ == "old" and any(
        c.lower_ in {"year", "years"} and c.i < token.i for c in token.children
    )


# What follows a transcript's label: the colon, perhaps after a note ("AALDERS (chair):").
# What follows a transcript label: a note in brackets, then the colon; or, for a name given in
# the brackets after a part ("HOST (DANA KIM):"), the closing bracket and the colon.
_LABEL_END = re.compile(r"(?:[ \t]*\([^)\n]{1,30}\)|\))?[ \t]*:")

_RELATIVE_PRONOUNS = frozenset({"who", "which", "that"})

# Entities that name someone who can speak.
_SPEAKER_ENTS = frozenset({"PERSON", "ORG", "NORP"})

_FIRST_PERSON = frozenset({"i", "me", "my"})

# "his" as a source stands for "he" ("her" already reads as "she"); "their" and "its" are left
# alone, being mostly a crowd's or a thing's.
_POSSESSIVE_PRONOUNS = {"his": "he"}

# Signs that join two makers' names into one ("Harbour Times/Tidewire").
_NAME_JOINERS = frozenset({"/", "&"})


class MentionRules(PronounRules):
    """The cascade from a source mention to a speaker."""

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
            rest = span[1:]
            is_subject = (
                rest.root.dep_ in {"nsubj", "nsubjpass"} and rest.root.head.i == first.head.i
            )
            is_beside = rest.root.dep_ == "appos" and rest.root.head.i == first.i
            if (is_subject or is_beside) and rest.root.pos_ not in {"VERB", "AUX"}:
                # "Cruz and Rubio, who many in the party feel need a win": the relative
                # pronoun is what "many" say, so "many" spoke, not the people it refers to.
                return self._from_span(rest, base, content, previous)
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
        lower = _POSSESSIVE_PRONOUNS.get(lower, lower) if len(span) == 1 else lower
        if len(span) == 1 and (
            lower in PRONOUN_GENDER or lower in PLURAL_PRONOUNS or lower in NEUTER_PRONOUNS
        ):
            # "his" as the source ("his remarks came after ..."): the man it stands for.
            return self._pronoun(lower, span.start_char, base, content, previous)
        if len(span) == 1 and lower in _RELATIVE_PRONOUNS:
            found = self._relative(root, base, content, previous)
            if found is not None:
                return found
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
        if author is not None and self._is_flat_name(author):
            # "a Harbour Insight Poll": name words that each hang on the document noun, so
            # the parse gives the name no head of its own; read whole.
            name = "".join(t.text_with_ws for t in author).strip()
            kind: SpeakerKind = "person" if is_first_name(author[0].text) else "organisation"
            return replace(base, name=self.fuller_name(name), kind=kind)
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
        leading = self._leading_name(span) if root.pos_ not in _NOMINAL_TAGS else None
        if leading is not None:
            # "Mr. Brek, now 81 and retired in Kessel," rooted at "retired": the name the
            # mention opens with.
            return self._from_span(leading, base, content, previous)
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
        described = self._described_person(span)
        if described is not None:
            # "Brecht Early, head of rates strategy at ...", "Cruz constituent Dan Golvach":
            # a role phrase beside a person's name is that person.
            if isinstance(described, str):
                return replace(base, name=described, kind="person")
            return replace(
                base,
                name=described.name,
                role=described.role,
                org=described.org,
                kind="person",
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
        owned = self._owned_by_person(span, base, content, previous) or self._unit_of_body(
            span, base, content, previous
        )
        if owned is not None:
            return owned
        if root.ent_type_ in ORG_ENTS and root.pos_ == "NOUN" and lower not in ORG_HEADS:
            # '"...," says Mira Talvik. Talvik said ...': a surname opening a sentence that
            # the tagger read as a noun and the parse as a company.
            known = self._person_by_surname(span)
            if isinstance(known, Person):
                return replace(base, name=known.name, role=known.role, org=known.org, kind="person")
        if root.text[:1].isupper() and any(
            c.dep_ == "appos" and c.lemma_.lower() in ORG_HEADS and c.i < span.end
            for c in root.rights
        ):
            # "Orvane, the mining company, says": the name a company noun stands beside.
            written = normalise_name(self.doc[span.start : root.i + 1].text)
            return replace(
                base, name=self.fuller_org_name(written, span.end_char), kind="organisation"
            )
        if (
            lower in ORG_HEADS
            or root.lemma_.lower() in ORG_HEADS
            or (lower in GENERIC_ORG_NOUNS and root.pos_ == "NOUN" and lower not in ROLE_HEADS)
            or root.ent_type_ in ORG_ENTS
            or (root.text.isupper() and len(root.text) > 1)
        ):
            return replace(
                base,
                name=_without_possessor(
                    self.fuller_org_name(self._org_name(span, name), span.end_char)
                ),
                kind="organisation",
            )
        if (
            lower in ROLE_HEADS
            or root.lemma_.lower() in ROLE_HEADS
            or _hyphened(root) in ROLE_HEADS
        ):
            # ("the Liberal front-runner": the tokenizer splits the role word at its hyphen.)
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
        if root.pos_ not in _NOMINAL_TAGS:
            # A parse that took a first name for a verb ("Kessel Bouw's owner, Arend
            # Visscher, whose ..." rooted at "Arend"): the one person named in the mention.
            people = [e for e in self.entities_between(span.start, span.end) if e.end <= span.end]
            people = [e for e in people if e.label_ == "PERSON" and len(e) > 1]
            # "Kessel Bouw's owner": a possessor is whose the role is, not who spoke.
            people = [
                e
                for e in people
                if e[-1].tag_ != "POS" and (e.end >= span.end or self.doc[e.end].tag_ != "POS")
            ]
            # The entity may be the mention itself, which this branch has already read.
            if len(people) == 1 and (people[0].start, people[0].end) != (span.start, span.end):
                found = self._from_span(people[0], base, content, previous)
                written = normalise_name(people[0].text)
                if found is not None and found.name and written.endswith(" " + found.name):
                    # The index knows only the surname when the parse missed the first name.
                    found = replace(found, name=written)
                return found
        return None

    def _relative(
        self, pronoun: Token, base: Speaker, content: Span, previous: Resolved | None
    ) -> Speaker | None:
        """ "Lind, who said ...": the noun phrase the relative clause hangs on (for "... and
        who has been hoping", the first clause's); when that gives no name, the name just
        before the comma ("the Kessel Board of Harbours, which ruled ..." with the clause
        hung on another noun)."""
        clause = pronoun.head
        while clause.dep_ == "conj" and clause.head.i < clause.i:
            clause = clause.head
        found = None
        if clause.dep_ == "relcl" and clause.head.i < pronoun.i:
            antecedent = clause.head
            start = max(antecedent.left_edge.i, antecedent.i - 12)
            found = self._from_span(self.doc[start : antecedent.i + 1], base, content, previous)
            if found is not None and found.name:
                return found
        named = self._named_before_comma(pronoun) if pronoun.lower_ != "that" else None
        if named is not None:
            return self._from_span(named, base, content, previous)
        return found

    def _named_before_comma(self, token: Token) -> DocSpan | None:
        """The person's or body's name that ends just before a comma and ``token``."""
        if token.i < 2 or self.doc[token.i - 1].text != ",":
            return None
        entity = self._entity_at(self.doc[token.i - 2])
        if entity is None or entity.end != token.i - 1 or entity.label_ not in _SPEAKER_ENTS:
            return None
        return entity

    def _leading_name(self, span: DocSpan) -> DocSpan | None:
        """The person's name a mention opens with, before its first comma or verb, when the
        parse rooted the mention elsewhere."""
        found = None
        for token in span:
            if token.pos_ in {"VERB", "AUX", "DET"} or token.text == ",":
                break  # "The SVP counterproposal": a thing the name modifies
            if token.tag_ == "POS":
                return None  # "Harbour Bouw's owner, Arend Visscher": the owner spoke
            if self.people.person_at(token.i) is not None:
                found = token
        if found is None or found.i == span.end - 1:
            return None
        return self.doc[span.start : found.i + 1]

    @staticmethod
    def _is_flat_name(span: DocSpan) -> bool:
        # "a Harbour Insight Poll"; "a Harbour Times/Tidewire survey" joins two names.
        return (
            len(span) > 1
            and span.root.i != span[-1].i
            and all(
                (t.pos_ == "PROPN" and t.text[:1].isupper())
                or (t.text in _NAME_JOINERS and 0 < t.i - span.start < len(span) - 1)
                for t in span
            )
        )

    def _described_person(self, span: DocSpan) -> Person | str | None:
        """The person a role phrase describes when the name stands beside it, outside the
        mention: in apposition before it ("Brecht Early, head of rates strategy at Ellis
        Savings Bank", also when the parse missed the apposition) or as the name the phrase
        premodifies after it ("Cruz constituent Dan Golvach")."""
        root = span.root
        if root.pos_ != "NOUN" or not (root.lower_ in ROLE_HEADS or root.lemma_ in ROLE_HEADS):
            return None
        if any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ != "the") for c in root.lefts):
            return None  # "his lawyer", "a spokesman": someone else
        heads: list[Token] = []
        if root.dep_ in {"appos", "compound"} and root.head.pos_ == "PROPN":
            head = root.head
            if head.i < span.start if root.dep_ == "appos" else head.i >= span.end:
                heads.append(head)
        if span.start >= 2 and self.doc[span.start - 1].text == ",":
            heads.append(self.doc[span.start - 2])
        for head in heads:
            person = self.people.person_at(head.i)
            if (
                person is not None
                and person.name
                and self._organisation_named(person, head) is None
            ):
                return person
            entity = self._entity_at(head)
            if person is None and entity is not None and entity.end == head.i + 1:
                # A name the parse filed as an organisation ("Brecht Early" read as a
                # company): a role noun of a person says it is a person's.
                words = normalise_name(entity.text).split()
                if 1 < len(words) <= _NAME_WORDS and all(w[:1].isupper() for w in words):
                    return " ".join(words)
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
