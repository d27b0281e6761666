"""Titles in an article: the role, organisation and gender evidence written around a name.

Input: the tokens before a name, an appositive noun phrase or a relative clause on the name.
Output: a ``Title`` ("Deputy Foreign Minister" of "Veldora"). ``_people`` reads names and
gathers each person's titles over the article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from onrecord.resolve._lexicon import (
    ABBREVIATED_ROLES,
    DEMONYM_SUFFIXES,
    DEMONYMS,
    HONORIFICS,
    ORG_HEADS,
    ROLE_GENDER,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    Gender,
    is_first_name,
)
from onrecord.resolve._outlets import normalise_name
from onrecord.resolve._statements import paragraph_start

_ORG_PREPS = frozenset({"for", "of", "at", "with", "from", "in"})
# Prepositions that place a named person in a body right after the name.
_BODY_PREPS = frozenset({"of", "at", "from", "with"})
MAX_PREFIX_TOKENS = 9


@dataclass(frozen=True, slots=True)
class Title:
    """What a mention's premodifiers and appositives say about the person."""

    role: str | None = None
    org: str | None = None
    gender: Gender | None = None
    has_honorific: bool = False


def is_role_word(word: str) -> bool:
    lower = word.lower()
    return lower in ROLE_HEADS or lower in ROLE_MODIFIERS or lower in HONORIFICS


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and word.isalpha()


def _is_demonym_shaped(token: Token) -> bool:
    """A proper adjective such as "Veldoran" or "Corvelese" that no table knows."""
    lower = token.lower_
    return (
        token.pos_ == "PROPN"
        and len(lower) > 4
        and lower.endswith(("an", "ian", "ese", "ish"))
        and not is_role_word(lower)
    )


def demonym_to_place(word: str, proper_words: set[str]) -> str | None:
    """Map a demonym ("Veldoran", "French") to its place, if the table or the article has it.

    Args:
        word: One capitalised word (or "South African").
        proper_words: Capitalised words that occur in the article.

    Returns:
        The place name, or None when ``word`` does not look like a demonym.
    """
    lower = word.lower()
    if lower in DEMONYMS:
        return DEMONYMS[lower]
    for suffix in DEMONYM_SUFFIXES:
        if not lower.endswith(suffix) or len(lower) - len(suffix) < 3:
            continue
        stem = word[: -len(suffix)]
        for candidate in (word[:-1], stem, stem + "a", stem + "ia", stem + "o", stem + "e"):
            if candidate in proper_words and candidate != word:
                return candidate
    return None


def _join(tokens: Sequence[Token]) -> str:
    if not tokens:
        return ""
    # Span.text, not Doc.text: the latter rebuilds the whole article's text on every call.
    return tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text


def _org_name(tokens: Sequence[Token], proper_words: set[str]) -> str | None:
    words = [t for t in tokens if t.dep_ != "det" and t.text not in {"'s", "’s", "'"}]
    if not words:
        return None
    if len(words) == 1:
        place = demonym_to_place(words[0].text, proper_words)
        if place is not None:
            return place
    name = normalise_name(_join(words))
    return name or None


def _starts_org(words: Sequence[Token], i: int) -> bool:
    """Whether ``words[i]`` is "of"/"for"/"at" before an organisation, not before a portfolio:
    "Minister of Veldora" yes, "Minister for Foreign Affairs" and "head of state" no."""
    if words[i].lower_ not in {"of", "for", "at"} or i == 0:
        return False
    following = [t for t in words[i + 1 :] if t.dep_ != "det"]
    return bool(following) and following[0].lower_ not in ROLE_MODIFIERS


def parse_title(tokens: Sequence[Token], proper_words: set[str]) -> Title:
    """Split the words before a name (or an appositive noun phrase) into role and organisation.

    "Deputy Foreign Minister of Veldora" -> role "Deputy Foreign Minister", org "Veldora";
    "EU foreign policy chief" -> org "EU", role "foreign policy chief"; "Ms" -> gender "f".

    Args:
        tokens: The premodifier tokens, left to right.
        proper_words: Capitalised words in the article, for fictional demonyms.

    Returns:
        The role, organisation and gender evidence found.
    """
    words = [t for t in tokens if not t.is_punct or t.text in {"-", "'s", "’s"}]
    gender: Gender | None = None
    has_honorific = False
    abbreviated: str | None = None
    while words and words[-1].text.lower() in HONORIFICS:
        has_honorific = True
        gender = gender or HONORIFICS[words[-1].text.lower()]
        abbreviated = abbreviated or ABBREVIATED_ROLES.get(words[-1].lower_.rstrip("."))
        words = words[:-1]
    if abbreviated is not None:
        # "Kessel Gov. Ana Kroll": the abbreviation is the role, what precedes it the place.
        org = _org_name(words, proper_words) if words else None
        return Title(role=abbreviated, org=org, gender=gender, has_honorific=True)
    while words and (
        (words[0].dep_ in {"det", "predet"} and words[0].pos_ != "PROPN")
        # "Its operations director": the owner is read from the pronoun, not kept in the role.
        or (words[0].dep_ == "poss" and words[0].pos_ == "PRON")
    ):
        words = words[1:]
    if not words or words[-1].pos_ == "ADP":
        # "the minister for Corvel": the name is the object of the title, not its holder.
        return Title(gender=gender, has_honorific=has_honorific)
    org_tokens: list[Token] = []
    role_tokens: list[Token] = words
    of_at = next((i for i, t in enumerate(words) if _starts_org(words, i)), None)
    possessive = next((i for i, t in enumerate(words) if t.text in {"'s", "’s"}), None)
    org_head = max(
        (i for i, t in enumerate(words) if t.lower_ in ORG_HEADS and t.text[:1].isupper()),
        default=None,
    )
    if of_at is not None:
        role_tokens, org_tokens = words[:of_at], words[of_at + 1 :]
    elif possessive is not None:
        org_tokens, role_tokens = words[:possessive], words[possessive + 1 :]
        if any(t.ent_type_ == "PERSON" for t in org_tokens) or not any(
            t.pos_ == "PROPN" or _is_acronym(t.text) for t in org_tokens
        ):
            # "the study's lead author", "Marrow's deputy": no organisation's name.
            org_tokens = []
    elif org_head is not None and org_head < len(words) - 1:
        org_tokens, role_tokens = words[: org_head + 1], words[org_head + 1 :]
    else:
        split = 0
        while split < len(words) - 1:
            token = words[split]
            if is_role_word(token.text):
                break
            # A capitalised first word of a sentence is only an organisation with evidence:
            # "Port director Elin Maas" is a role, "Veldoran Deputy Minister" is not.
            is_org_like = (
                (token.ent_type_ in {"ORG", "GPE"} and token.pos_ == "PROPN")
                or _is_acronym(token.text)
                or demonym_to_place(token.text, proper_words) is not None
                or _is_demonym_shaped(token)
                or (token.pos_ == "PROPN" and not token.is_sent_start)
            )
            if not is_org_like or not token.text[:1].isupper():
                break
            split += 1
        org_tokens, role_tokens = words[:split], words[split:]
    role_words = [t.lower_ for t in role_tokens]
    if not any(word in ROLE_HEADS for word in role_words):
        return Title(gender=gender, has_honorific=has_honorific)
    for word in role_words:
        if word in ROLE_GENDER:
            gender = gender or ROLE_GENDER[word]
    role = _join(role_tokens).strip(" ,-") or None
    return Title(
        role=role,
        org=_org_name(org_tokens, proper_words),
        gender=gender,
        has_honorific=has_honorific,
    )


def noun_phrase(head: Token) -> list[Token]:
    """The tokens naming an organisation headed by ``head``: its left modifiers plus a trailing
    "of ..." ("the University of Corvel"), without appositives or clauses."""
    end = head.i
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and child.right_edge.i - head.i <= 6:
            end = child.right_edge.i
            break
    start = max(head.left_edge.i, head.i - MAX_PREFIX_TOKENS)
    return list(head.doc[start : end + 1])


def _appositive_title(noun: Token, proper_words: set[str]) -> Title:
    """Role and organisation from an appositive such as "a spokesman for the Harbour Alliance"."""
    if noun.lower_ not in ROLE_HEADS and noun.lemma_.lower() not in ROLE_HEADS:
        return Title()
    left = [t for t in noun.lefts if t.i >= noun.i - MAX_PREFIX_TOKENS]
    prefix = list(noun.doc[left[0].left_edge.i : noun.i + 1]) if left else [noun]
    title = parse_title(prefix, proper_words)
    if title.org is not None:
        return title
    org = _org_after(noun, _ORG_PREPS, proper_words)
    return Title(title.role, org, title.gender, title.has_honorific)


def title_of(head: Token, first: Token, proper_words: set[str], mention_start: int | None) -> Title:
    if head.dep_ == "appos" and head.head.i < head.i and names_the_body(head.head, first):
        return Title()
    start = max(head.left_edge.i, first.i - MAX_PREFIX_TOKENS)
    before = head.doc[first.i - 1] if first.i > 0 else None
    if before is not None and before.i < start and before.lower_ in ROLE_HEADS:
        # "actress Mira Solberg" parsed as two subjects: the role noun still titles the name.
        start = max(before.left_edge.i, first.i - MAX_PREFIX_TOKENS)
    if mention_start is not None and mention_start < start:
        # The source mention as extraction found it is a better guide than a broken parse.
        start = max(mention_start, first.i - MAX_PREFIX_TOKENS)
    # A title never reaches back over a line break: the headline's last words above a
    # paragraph's "Mayor Lise Aune" are no part of her role.
    start = max(start, paragraph_start(head.doc, first.i))
    prefix = list(head.doc[start : first.i])
    title = parse_title(prefix, proper_words)
    if title.role is None:
        for child in head.rights:
            if child.dep_ == "appos":
                appos = _appositive_title(child, proper_words)
                if appos.role is not None:
                    gender = title.gender or appos.gender
                    return Title(appos.role, appos.org, gender, title.has_honorific)
        if head.dep_ == "appos" and head.head.i < head.i:
            appos = _appositive_title(head.head, proper_words)
            if appos.role is not None:
                gender = title.gender or appos.gender
                return Title(appos.role, appos.org, gender, title.has_honorific)
        paraphrased = _relative_title(head, proper_words)
        if paraphrased.role is not None:
            return Title(paraphrased.role, paraphrased.org, title.gender, title.has_honorific)
        if title.org is None:
            org = _org_after(head, _BODY_PREPS, proper_words, named_only=True)
            if org is not None:
                return Title(None, org, title.gender, title.has_honorific)
    return title


def _org_after(
    token: Token, preps: frozenset[str], proper_words: set[str], *, named_only: bool = False
) -> str | None:
    """The body a phrase right after ``token`` names: "an analyst at Fjord Securities", or in
    wire style "Erik Haug of Polar Asset Management". With ``named_only``, only a body the parse
    names as an organisation: "Senator Ann Lee of Corvel" places her by her state, not by an
    employer."""
    for child in token.rights:
        if child.dep_ != "prep" or child.lower_ not in preps:
            continue
        for obj in child.children:
            if obj.dep_ != "pobj":
                continue
            if named_only and not (obj.ent_type_ == "ORG" and obj.pos_ == "PROPN"):
                continue
            return _org_name(noun_phrase(obj), proper_words)
    return None


# A role given by a verb in a relative clause ("Anja Lehto, who heads the hospital board"):
# the role noun the verb stands for, and the preposition that takes the body, if any.
_ROLE_VERBS: dict[str, tuple[str, str | None]] = {
    "head": ("head", None),
    "lead": ("head", None),
    "run": ("head", None),
    "chair": ("chair", None),
    "direct": ("director", None),
    "manage": ("manager", None),
    "edit": ("editor", None),
    "speak": ("spokesperson", "for"),
}


def _relative_title(head: Token, proper_words: set[str]) -> Title:
    """Role and organisation from a relative clause on the name: "who heads the hospital board
    in Kessel" -> head, "hospital board in Kessel"; "who speaks for the parents' association"
    -> spokesperson of it. Verbs joined to the clause's first one count too ("who farms near
    the border and chairs the growers' cooperative")."""
    for clause in head.rights:
        if clause.dep_ != "relcl" or not any(
            c.dep_ == "nsubj" and c.lower_ == "who" for c in clause.children
        ):
            continue
        for verb in (clause, *(c for c in clause.children if c.dep_ == "conj")):
            known = _ROLE_VERBS.get(verb.lemma_.lower())
            if known is None or verb.tag_ not in {"VBZ", "VBD"}:
                continue
            role, prep = known
            if prep is None:
                bodies = [c for c in verb.children if c.dep_ == "dobj"]
            else:
                bodies = [
                    o
                    for c in verb.children
                    if c.dep_ == "prep" and c.lower_ == prep
                    for o in c.children
                    if o.dep_ == "pobj"
                ]
            if not bodies or bodies[0].pos_ == "PRON":
                continue
            body = bodies[0]
            tokens = list(head.doc[body.left_edge.i : body.right_edge.i + 1])
            while tokens and tokens[0].dep_ in {"det", "poss"} and tokens[0].pos_ != "PROPN":
                tokens = tokens[1:]
            org = " ".join(t.text for t in tokens).replace(" 's", "'s").replace(" '", "'")
            if org and len(tokens) <= MAX_PREFIX_TOKENS:
                return Title(role, org)
    return Title()


def names_the_body(role: Token, first: Token) -> bool:
    """Whether a name after "a spokesman for the sponsor," names the sponsor, not the
    spokesman: it follows the role's "for/of/at" phrase and opens with no known first name.

    Args:
        role: The role noun the name is in apposition to.
        first: The name's first token.
    """
    if role.lower_ not in ROLE_HEADS:
        return False
    has_body = any(
        c.dep_ == "prep" and c.lower_ in _ORG_PREPS and c.i < first.i for c in role.children
    )
    return has_body and not is_first_name(first.text)
