"""Statement spans a tagger got wrong, corrected from the parse.

Run on: "According to Erik Haug, the sell-off was overdone. He said valuations were low." holds
two statements, the second with its own speaker and verb. A tagger may read them as one content
span crossing the sentence boundary; ``split_run_on`` cuts such a span where a sentence opens
with a subject and a speech verb ("He said", "Lind added"), and the part after the cut becomes a
statement of its own, with that verb as its cue and that subject as its source.

Repeated: a pull quote repeats, set apart and with no verb, words the article quotes with their
speaker and verb elsewhere; it is the same statement, and only the attributed one stays
(``without_pull_quotes``). A content that is a pronoun alone ("Not everyone believes him") is
no statement either.

Cut short: reported speech ends where its clause ends, never on a determiner, a possessive, a
preposition or a conjunction ("... lifting its outlook as volumes through its"); such a span is
carried on to the end of its phrase or clause (``closed_end``).

Attributed after the quotation: in '... to red. "Stay indoors," the forecaster, Lena Brandt,
told reporters.' the quotation's own sentence names its speaker and verb right after it. A
tagger that took a word of an earlier sentence as the cue ("warning") and ran the content back
into that sentence is corrected by ``trailing_attribution``: that verb becomes the cue, its
subject the source, and the content starts at the quotation.

``repaired`` runs these four over an article's attributions, before the screen.

A source inside a relative clause: in "Councillor Erik Sand, who proposed the name, said ...",
the one who speaks is the subject the clause describes, not a noun inside the clause ("the
name") nor its relative pronoun; ``subject_source`` gives such a statement its subject as the
source, after the speaker linker has chosen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as DocSpan

from onrecord.models import Attribution, Span
from onrecord.resolve._statements import SPEECH_LEMMAS, mention_span

# Speech verbs that open a new statement after its subject; "according" marks the first.
_OPENING_LEMMAS = SPEECH_LEMMAS | {"note", "point", "stress", "predict", "suggest"}
_QUOTES = frozenset('"“”«»„')
_MAX_SUBJECT_TOKENS = 8
_MIN_CONTENT_CHARS = 12
# A subject after a quotation may carry a role and an apposition ("the service's chief
# forecaster, Lena Brandt,").
_MAX_SOURCE_TOKENS = 12
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def split_run_on(text: str, doc: Doc, attribution: Attribution) -> list[Attribution]:
    """The statements an indirect content span holds, cut where a later sentence inside it
    opens with its own subject and speech verb; ``[attribution]`` when there is no such cut.

    Spans with quotation marks are left whole: a quotation runs over sentences by design.

    Args:
        text: The article's text (``doc.text`` rebuilds it on every call).
        doc: Its parse.
        attribution: One attribution as extraction found it.
    """
    content = attribution.content
    if not doc.has_annotation("DEP"):
        return [attribution]
    if attribution.kind != "indirect" or any(
        ch in _QUOTES for ch in text[content.start : content.end]
    ):
        return [attribution]
    words = doc.char_span(content.start, content.end, alignment_mode="expand")
    if words is None or len(words) == 0:
        return [attribution]
    parts: list[Attribution] = []
    rest = attribution
    for sentence in words.sents:  # type: ignore[attr-defined]  # not in spaCy's stubs
        if not content.start < sentence.start_char < content.end:
            continue
        opening = _opening(sentence)
        if opening is None:
            continue
        verb, subject, said = opening
        if said.idx >= content.end:
            continue
        head = _trimmed(text, rest.content.start, sentence.start_char)
        if head is None:
            continue
        cue_in_tail = rest.cue is not None and rest.cue.start >= sentence.start_char
        parts.append(
            replace(
                rest, content=head, cue=_according(sentence.doc, head) if cue_in_tail else rest.cue
            )
        )
        rest = replace(
            rest,
            content=Span(said.idx, content.end),
            cue=Span(verb.idx, verb.idx + len(verb.text)),
            source=mention_span(subject, _MAX_SUBJECT_TOKENS),
        )
    return [*parts, rest] if parts else [attribution]


def _opening(sentence: DocSpan) -> tuple[Token, Token, Token] | None:
    """The speech verb, its subject and the first word of what it reports, when the sentence
    opens with them: "He said that valuations were low" -> (said, He, valuations)."""
    verb = sentence.root
    if verb.lemma_.lower() not in _OPENING_LEMMAS:
        return None
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i]
    clauses = [c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i]
    if not subjects or not clauses:
        return None
    subject, clause = subjects[0], clauses[0]
    first = next((t for t in sentence if not (t.is_punct or t.is_space)), None)
    if first is None or first.i != subject.left_edge.i:
        return None
    start = clause.left_edge
    if start.dep_ == "mark" and start.lower_ == "that":
        start = sentence.doc[start.i + 1]
    return verb, subject, start


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """The characters ``[start, end)`` less trailing spaces and a sentence's closing stop."""
    kept = text[start:end].rstrip().rstrip(".;")
    if len(kept.strip()) < _MIN_CONTENT_CHARS:
        return None
    return Span(start, start + len(kept))


def _according(doc: Doc, content: Span) -> Span | None:
    """The "according to" that attributes a content, in its sentence before it, if any."""
    span = doc.char_span(content.start, content.end, alignment_mode="expand")
    if span is None:
        return None
    for token in span.sent:
        is_according = token.lower_ == "according" and token.idx < content.start
        if is_according and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            after = doc[token.i + 1]
            return Span(token.idx, after.idx + len(after.text))
    return None


# Word classes that cannot end a clause: a span ending on one stops mid-phrase.
_OPEN_ENDS = frozenset({"DET", "ADP", "CCONJ", "SCONJ"})
_OPEN_TAGS = frozenset({"PRP$", "WDT", "WP$"})


def closed_end(doc: Doc, attribution: Attribution) -> Attribution:
    """An indirect content span that stops mid-phrase ("... volumes through its"), carried on to
    the end of the phrase its last word opens ("... through its three terminals"), or of the
    clause the span reports when that ends before the span's cue, within its sentence."""
    if attribution.kind != "indirect" or not doc.has_annotation("DEP"):
        return attribution
    content = attribution.content
    words = doc.char_span(content.start, content.end, alignment_mode="expand")
    if words is None:
        return attribution
    last = next((t for t in reversed(words) if not t.is_punct), None)
    if last is None or not _is_open(last):
        return attribution
    phrase = last if last.pos_ == "ADP" else last.head
    end = phrase.right_edge.i
    clause = words.root
    cue = attribution.cue
    if words.start <= clause.i < words.end and clause.right_edge.i > end:
        # The rest of the reported clause, up to the attribution that follows it ("...
        # observers at the Kessel Dam under strict conditions, the minister said").
        limit = doc.char_span(cue.start, cue.end, alignment_mode="expand") if cue else None
        stop = limit.start if limit is not None and limit.start > last.i else len(doc)
        if clause.right_edge.i < stop:
            end = clause.right_edge.i
    end = min(end, last.sent.end - 1)
    while end > last.i and doc[end].is_punct:
        end -= 1
    if end <= last.i:
        return attribution
    return replace(attribution, content=Span(content.start, doc[end].idx + len(doc[end].text)))


def _is_open(token: Token) -> bool:
    return token.pos_ in _OPEN_ENDS or token.tag_ in _OPEN_TAGS


_WORD = re.compile(r"\w+")
# Contents that are a pronoun alone ("Not everyone believes him") report nothing said; a noun
# alone may ("The group called for fines") and stays.
_BARE_PRONOUNS = frozenset(
    {"him", "her", "it", "them", "this", "that", "these", "those", "so", "me", "us", "you"}
)
# A pull quote holds at least this many words, so that a short phrase quoted twice stays.
_PULL_QUOTE_WORDS = 5


def without_pull_quotes(text: str, attributions: list[Attribution]) -> list[Attribution]:
    """The attributions less pull quotes (a direct quotation with no cue whose words stand
    inside a quotation of the same article that has one) and less indirect contents that are a
    pronoun alone."""
    words = [_WORD.findall(text[a.content.start : a.content.end].lower()) for a in attributions]
    quoted = [" ".join(w) for a, w in zip(attributions, words, strict=True) if a.cue is not None]
    kept = []
    for attribution, said in zip(attributions, words, strict=True):
        if attribution.kind == "indirect" and len(said) == 1 and said[0] in _BARE_PRONOUNS:
            continue
        is_pull_quote = (
            attribution.cue is None
            and attribution.kind == "direct"
            and len(said) >= _PULL_QUOTE_WORDS
            and any(" ".join(said) in other for other in quoted)
        )
        if not is_pull_quote:
            kept.append(attribution)
    return kept


def trailing_attribution(text: str, doc: Doc, attribution: Attribution) -> Attribution:
    """A quotation whose cue lies in an earlier sentence, given the speech verb and subject that
    follow it in its own sentence (see the module's text)."""
    content, cue = attribution.content, attribution.cue
    if attribution.kind == "indirect" or cue is None or not doc.has_annotation("DEP"):
        return attribution
    words = doc.char_span(content.start, content.end, alignment_mode="expand")
    if words is None or not len(words):
        return attribution
    sentence = words[-1].sent
    if cue.end > sentence.start_char:
        return attribution
    # Within the quotation's paragraph: the parse may run a sentence on over a line break.
    end = next((t.i for t in doc[words.end : sentence.end] if "\n" in t.text), sentence.end)
    verb = next(
        (t for t in doc[words.end : end] if t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_LEMMAS),
        None,
    )
    # The subject between the quotation and the verb; the parse may hang it on the quoted verb.
    subject = (
        None
        if verb is None
        else next((t for t in doc[words.end : verb.i] if t.dep_ in _SUBJECTS), None)
    )
    if (
        verb is None
        or subject is None
        or not all(t.is_punct for t in doc[words.end : subject.left_edge.i])
    ):
        return attribution
    start = content.start
    opening = next((i for i in range(start, content.end) if text[i] in _QUOTES), None)
    if opening is not None and text[start:opening].rstrip().endswith((".", "!", "?")):
        start = opening
    quoted = text[start : content.end].lstrip()[:1] in _QUOTES
    return replace(
        attribution,
        content=Span(start, content.end),
        kind="direct" if quoted and start != content.start else attribution.kind,
        cue=Span(verb.idx, verb.idx + len(verb.text)),
        source=mention_span(subject, _MAX_SOURCE_TOKENS),
    )


def subject_source(doc: Doc, attribution: Attribution) -> Attribution:
    """The statement with its source moved to the subject of its cue verb when the source lies
    inside a relative clause of that subject (see the module's text)."""
    source, cue = attribution.source, attribution.cue
    if source is None or cue is None or not doc.has_annotation("DEP"):
        return attribution
    words = doc.char_span(source.start, source.end, alignment_mode="expand")
    verbs = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if words is None or verbs is None:
        return attribution
    subject = next((t for t in verbs.root.children if t.dep_ in _SUBJECTS), None)
    if subject is None or words.start <= subject.i < words.end:
        return attribution
    token = words.root
    while token.head.i != token.i:
        if token.dep_ == "relcl" and token.head.i == subject.i:
            return replace(attribution, source=mention_span(subject, _MAX_SUBJECT_TOKENS))
        token = token.head
    return attribution


def repaired(text: str, doc: Doc, attributions: Sequence[Attribution]) -> list[Attribution]:
    """An article's attributions with run-on spans split, spans cut short closed, quotations
    attributed after them given that verb and subject, and pull quotes and bare-pronoun
    contents left out."""
    parts = [
        trailing_attribution(text, doc, closed_end(doc, part))
        for a in attributions
        for part in split_run_on(text, doc, a)
    ]
    return without_pull_quotes(text, parts)
