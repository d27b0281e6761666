"""Organisation names within an article: short forms to full names ("the alliance", "FDL",
"Kettlewood"), bodies described before, outlets referred back to, campaigns, offices and the
authors of documents ("a Tidewire poll", "the statement said").
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from spacy.tokens import Span as DocSpan
from spacy.tokens import Token

from onrecord.models import Span, Speaker
from onrecord.resolve._article_index import (
    PRONOUN_PARAGRAPHS,
    ArticleIndex,
    Resolved,
)
from onrecord.resolve._lexicon import (
    CAMPAIGN_NOUNS,
    DOCUMENT_NOUNS,
    GENERIC_ORG_NOUNS,
    ORG_HEADS,
)
from onrecord.resolve._outlets import is_outlet_name, normalise_name
from onrecord.resolve._people import (
    Person,
)
from onrecord.resolve._statements import paragraph_start
from onrecord.resolve._titles import (
    demonym_to_place,
    names_the_body,
    noun_phrase,
)

# Possessives that stand for a person, and the pronoun each is resolved as.
_PERSON_POSSESSIVES = {"his": "he", "her": "she"}

# Nouns that refer back to a news outlet the article named ("the newspaper said").
_OUTLET_BACK_NOUNS = frozenset(
    {"newspaper", "paper", "outlet", "magazine", "tabloid", "publication", "daily", "weekly"}
)

# Prepositions that name a document's author after it ("a poll by", "an article in").
_AUTHOR_PREPOSITIONS = frozenset({"by", "from", "in"})

# Parts of a body that speak for it: "the Ledger's investigative unit".
_UNIT_NOUNS = frozenset({"unit", "desk", "division", "newsroom", "team", "arm", "wing"})

# Document nouns an article uses for one document: "a Tidewire survey ... the poll found".
_POLL_NOUNS = frozenset({"poll", "survey"})
_SAME_DOCUMENT = {"poll": _POLL_NOUNS, "survey": _POLL_NOUNS}


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
    names = []
    for child in noun.lefts:
        is_name = child.pos_ == "PROPN" or (child.dep_ == "poss" and child.pos_ != "PRON")
        if child.dep_ in {"compound", "poss", "nmod"} and is_name and not _is_titled(child):
            names.append(child)
    if not names:
        return None
    # Every name word before the noun: "a Harbour Times/Tidewire survey" is both owners'.
    tokens = [t for t in doc[names[0].left_edge.i : names[-1].i + 1] if t.dep_ != "det"]
    tokens = [t for t in tokens if t.text not in {"'s", "’s"} and t.pos_ != "DET"]
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
        if head.ent_type_ in {"DATE", "TIME"}:
            continue  # "a poll in March"
        if head.ent_type_ in {"GPE", "LOC"} and not is_outlet_name(head.text):
            continue  # "a report from Veldora", not "an article in Tidewire"
        tokens = [t for t in doc[head.left_edge.i : head.i + 1] if t.dep_ != "det"]
        if tokens:
            return doc[tokens[0].i : tokens[-1].i + 1]
    return None


class OrganisationNames(ArticleIndex):
    """Organisation names, outlets, campaigns and documents' authors."""

    def _unit_of_body(
        self, span: DocSpan, base: Speaker, content: Span, previous: Resolved | None
    ) -> Speaker | None:
        """ "The Kessel Ledger's investigative unit reported": a unit of a named body speaks
        for that body."""
        root = span.root
        if root.lemma_.lower() not in _UNIT_NOUNS or root.pos_ != "NOUN":
            return None
        owner = next((c for c in root.children if c.dep_ == "poss"), None)
        if owner is None or owner.pos_ != "PROPN" or owner.i < span.start:
            return None
        words = [t for t in self.doc[owner.left_edge.i : owner.i + 1] if t.dep_ != "det"]
        if not words:
            return None
        found = self._from_span(self.doc[words[0].i : owner.i + 1], base, content, previous)
        if found is None or not found.name:
            return None
        if found.kind == "person" and not self.outlets.is_outlet(found.name):
            return None  # "Brek's team": his people, not a body named Brek
        return replace(found, kind="organisation", role=None, org=None)

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

    def _author_of_document(self, span: DocSpan) -> DocSpan | None:
        """The name that owns or labels a document noun ("a Tidewire survey", "Lind's
        website"), when the mention's head is one."""
        root = span.root
        if root.lemma_.lower() not in DOCUMENT_NOUNS:
            return None
        is_indefinite = any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in root.lefts)
        if root.text[:1].isupper() and root.pos_ == "PROPN" and not is_indefinite:
            # "the Lowland Geological Survey": a body's proper name, not a document.
            return None
        # Every name word before the noun: "a Harbour Insight poll" is Harbour Insight's.
        names = [
            child
            for child in root.lefts
            if child.i >= span.start
            and child.dep_ in {"compound", "poss", "nmod"}
            and (child.pos_ == "PROPN" or (child.dep_ == "poss" and child.pos_ != "PRON"))
        ]
        if names:
            left = max(names[0].left_edge.i, span.start)
            tokens = [t for t in self.doc[left : names[-1].i + 1] if t.dep_ != "det"]
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
        same = _SAME_DOCUMENT.get(lemma, frozenset({lemma}))
        floor = self.paragraphs.start(self.paragraphs.index(root.idx) - PRONOUN_PARAGRAPHS)
        i = root.i
        while i > 0 and self.doc[i - 1].idx >= floor:
            i -= 1
            earlier = self.doc[i]
            if earlier.lemma_.lower() not in same or earlier.pos_ != "NOUN":
                continue
            # Each earlier mention carries the chain further back: "Brek released an ad ...
            # The ad contrasts ... The 90-second ad slams ... The ad claims".
            floor = min(
                floor,
                self.paragraphs.start(self.paragraphs.index(earlier.idx) - PRONOUN_PARAGRAPHS),
            )
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
                self.paragraphs.index(span.start_char) - PRONOUN_PARAGRAPHS
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
        floor = self.paragraphs.start(self.paragraphs.index(root.idx) - PRONOUN_PARAGRAPHS)
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
        floor = self.paragraphs.start(self.paragraphs.index(span.start_char) - PRONOUN_PARAGRAPHS)
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
                    and _opens_sentence(token)
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


def _opens_sentence(token: Token) -> bool:
    """Whether ``token`` is the first word of its sentence or of its line (a line that ends
    without a full stop, a signature or a list item, runs into the next sentence's parse)."""
    first = max(token.sent.start, paragraph_start(token.doc, token.i))
    return all(t.is_space for t in token.doc[first : token.i])
