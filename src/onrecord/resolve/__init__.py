"""Resolve: ``Attribution`` records -> ``Quote`` records with a ``Speaker`` and a relay chain.

Input: an ``Article``, its spaCy ``Doc`` (``doc.text == article.text``) and the attributions
extraction found. Output: a tuple of ``Quote`` sorted by start offset. Pure: no I/O.

Before the cascade, one pass over the parse builds the article's indexes: outlets introduced by
a noun ("the newspaper Morning Ledger"), and every person name with the role and organisation
of its premodifiers or appositive ("Deputy Foreign Minister of Veldora Vera Lind", "Tomas Brek,
a spokesman for the Harbour Alliance,"), demonyms mapped to places ("Veldoran" -> "Veldora"
when the article names Veldora), and gender evidence from honorifics, gendered role nouns and a
short first-name list.

First the statement screen (``_statements``) keeps what is a statement: refusals to comment
become ``no_comment`` statements; nothing in a dateline or heading is a statement; transcript
lines and signed quotes are added. Then, for each statement, the speaker linker (``_linker``, a
learned ranker) chooses its source mention among the candidates around it and gives the
speaker's confidence.

Speaker rules, tried in order for each attribution:

1. No source: a paragraph that continues a quotation takes the speaker (and relays) of the
   previous attribution when that one ended in the same or the preceding paragraph; otherwise
   the speaker is unknown.
2. Source is an outlet: outlets are never the speaker of what they relayed. An outlet
   attribution whose content holds another attribution is dropped and its outlet is appended
   to the inner one's relays; otherwise a speaker named at the head of the content ("Lind
   said ...") or by the speech verb heading one of its sentences ("“...,” Lind told Radio
   Corvel") is taken, with the outlet told ahead of the outlet as relays; else the people or
   body the outlet cites ("..., the Daily Lantern reported, citing two officials"); else the
   outlet states its own finding ("The Ledger has learned ...") and is the speaker.
3. Pronoun: "he"/"she" go to the nearest preceding person of matching gender, ranked by known
   gender agreement (or being the previous speaker, in the same paragraph, of unknown gender),
   then being the previous attribution's speaker, then being a subject, then
   nearness (three paragraphs back at most; relayed outlets never count); a person of unknown
   gender learns it from the pronoun. With no one in reach, the one person of that gender named
   further back, if there is exactly one. "it" after a sentence whose subject is a document
   ("The draft ... It says") is that document: its author, else no one. "they" and "it" take a
   previous group or organisation speaker, else the organisation named just before (by its
   fullest name). A relative "who" takes the noun phrase it hangs on ("Lind, who said ...").
   The narrative "I" outside quotation marks is the writer the headline ("Vera Lind: ..."), an
   editor's note on excerpts of a book, or a byline names; else no one.
4. A name: the fullest name the article gives for it, earlier first, else later ("Lind" and
   "Ms Lind" -> "Vera Lind"; first names match too, after surnames), with that person's role
   and organisation. Of several people with one surname, the one named in full last before the
   mention ("Jeb Bush ... Bush said"). A name the parse ran into other capitalised words ("Ted
   Cruz Hints Trump" in a subhead, "Vermonter Bernie Sanders") is cut back to the known name it
   ends with, or to its last word.
5. A plural people noun ("officials", "Veldoran diplomats", "officials at the ministry") or a
   plural nationality or party word ("Republicans"): a group, with the place or body named
   beside it as its organisation (a capital that only opens the sentence names none).
6. An institution ("the Kremlin", "the ministry", an ORG/GPE entity, an acronym): an
   organisation, named by its head phrase without a leading "the"; a bare "the alliance" takes
   the last organisation named "... Alliance" before it, a bare "the office" the fuller phrase
   the article gave it ("the national statistics office") or the proper name that phrase stood
   beside ("LowAir, the budget airline"); a short name takes the one longer name it ends ("the
   Times" -> "New York Times"). "The newspaper" is the news outlet named last before it. A
   document speaks for its author: the name before it ("a Tidewire poll") or after it ("a
   count by", "an article in"), or for "the ad" the author of its last mention.
7. A role noun ("the minister", "the spokeswoman"): the person most recently mentioned with that
   role word; no one when two people who hold it equally were both named in the last two
   paragraphs ("the minister" after a finance and a health minister). A relative clause on a
   name gives a role too ("Anja Lehto, who heads the hospital board in Kessel" -> head of it;
   "who speaks for X" -> spokesperson), and a body matches in any word order ("the Kessel
   hospital board"). "a senior official" and "the ministry's spokeswoman" name someone new: a person
   with a role (and the possessor as organisation) but no name, unless one person alone holds
   that role in the article; a proper name after "a spokesperson for the company," names the
   company unless it opens with a first name. A definite role noun no one holds ("The GOP
   candidate says") goes to the speaker of the statement just before, unless gender, party or
   place words contradict it, a clause introduces someone new, or the article used the noun
   before; with no speaker just before, the person of fitting gender named last in its or the
   previous paragraph.
8. Any other proper noun: a person named as written; anything else stays as mention only.

The publishing outlet, by any short form of its name or by words its host spells ("the
Gazette" on sallowgazette.example), is never a relay or an audience: "told the Lantern" in a
Daily Lantern article is the article's own interview.

Relays (``Quote.via``) come from the sentences of the source and the cue, within the paragraph
and outside the quoted content, ordered from the speaker outward: direct hearers first ("told
X", "said on X", "in an interview with X", "was quoted by X"), then outlets that passed the
statement on ("as noted by X", "according to X", "a report in X", "X reported" where that verb
frames the cue), then outlets of enclosing attributions. "told X" and "according to X" need X
to be an outlet (introduced by a noun such as "the newspaper", a known news organisation, or an
outlet-shaped name); "interview with X" takes any name that is not a known person or
institution. "reportedly" without an outlet adds none.

Cost is linear in the article: one pass over tokens and entities, bisect look-ups for names,
paragraphs and recent mentions, and a bounded look-back for pronouns.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from onrecord.models import Article, Attribution, Quote
from onrecord.resolve._linker import LinkerModel, load_linker
from onrecord.resolve._outlets import is_outlet_name
from onrecord.resolve._resolver import resolve

__all__ = ["LinkerModel", "is_outlet_name", "load_linker", "resolve_quotes"]


def resolve_quotes(
    article: Article,
    doc: Doc,
    attributions: Sequence[Attribution],
    linker: LinkerModel | None = None,
) -> tuple[Quote, ...]:
    """Turn attributions into quotes with resolved speakers and relay chains.

    Args:
        article: The cleaned article; offsets in ``attributions`` index ``article.text``.
        doc: The spaCy parse of ``article.text`` (tagger, parser and NER).
        attributions: What extraction found, in any order.
        linker: The speaker linker (``_linker``); by default the one shipped in the package.
            Without either, extraction's sources stand and speaker confidence is unknown.

    Returns:
        One quote per kept attribution, sorted by start offset. Attributions whose source is an
        outlet that only relays another attribution inside its content are folded into it.
    """
    return resolve(article, doc, attributions, linker or load_linker())
