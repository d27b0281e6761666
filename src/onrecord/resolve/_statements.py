"""What is a statement: the screen run over extracted attributions before speakers are resolved.

Extraction tags anything that reads like reported speech; a reader of the record expects only
things people said. The screen, in order:

1. Transcripts and signed quotes. "NAME: words" lines of a transcript, the answers of a Q&A
   and readers' quotes signed "— Name, job, town" are direct statements of that speaker; a
   question of a Q&A is none.
2. Refusals. "declined to comment", "declined to confirm the report", "refused to say whether
   ...", "did not respond to a request for comment", "could not be reached for comment" become
   one ``no_comment`` statement whose text is the refusal as written and whose source is the
   subject of its verb in its own paragraph; attributions overlapping it are dropped.
3. Datelines. Nothing in the dateline that opens the body ("PORT ELLIS, Veldora (Tidewire) —")
   is a statement or a speaker.
4. Headings. A statement wholly inside the title or a subhead is dropped.
5. Listeners. "told company executives that ...": when the tagger took the listener for the
   statement, the statement is the clause that follows the listener, or nothing; "talked to the
   Sallow Gazette on the car deck" reports no words at all.
6. Actions. "agreed to invest $2 billion", "plans to build": an infinitive after a verb of
   deciding or planning is an action, not something said.
7. Reported views. "Marrenland believes the talks have stalled, Grusz said" is Grusz's
   statement, the whole clause; the view's holder is kept as the inner speaker.
8. Citations. "..., the Daily Lantern reported, citing two officials": the people cited are
   no statement; an indirect statement cued by "citing" or "quoting" whose words hold no verb
   is dropped.
9. Questions and predictions. "Asked about the dam, Lind said ...": the question put to
   someone (a cue "asked" with no subject or auxiliary of its own) is not their statement;
   "The working group is expected to meet in May": a prediction about someone (a passive
   "is expected") reports no speech, unless the sentence says who predicts it.
10. Paragraphs. Reported speech sits in its cue's paragraph: an indirect statement whose words
   lie in another paragraph than its cue (the writer's narration after a quote closed with
   "the minister said") is dropped. A direct quotation may run on over paragraphs.

Pure: values in, values out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from onrecord.models import Article, Attribution, Span
from onrecord.resolve._outlets import is_outlet_name

# A refusal to comment, from its verb to its end. Group "verb" is where the subject hangs.
_ASKED = r"(?:a|an|the|several|repeated|multiple|two|three|numerous)?\s*(?:written\s+)?"
_REQUESTS = (
    r"(?:requests?|inquir(?:y|ies)|e-?mails?|messages?|calls?|phone\s+calls?|questions?)"
    r"(?:\s+(?:for|seeking|requesting)\s+comment(?:s)?)?"
)
REFUSAL = re.compile(
    r"\b(?P<verb>declined|declines|decline|refused|refuses|declining|refusing)"
    r"\s+(?:to\s+)?(?:comment|be\s+interviewed|speak\s+on\s+the\s+record|answer\s+questions"
    r"|confirm|discuss|elaborate|say|give\s+details)\b"
    r"(?:\s+(?:further|on\s+the\s+record))?"
    r"|\b(?P<did>did\s+not|didn['’]t|has\s+not|hasn['’]t|have\s+not|haven['’]t)"
    rf"\s+(?:immediately\s+|yet\s+)?(?:respond(?:ed)?|repl(?:y|ied)|return(?:ed)?)\s+(?:to\s+)?"
    rf"{_ASKED}{_REQUESTS}"
    r"|\b(?P<was>was|were|is|are|could|could\s+not\s+be|couldn['’]t\s+be)\s+"
    r"(?:not\s+)?(?:immediately\s+)?(?:be\s+)?(?:reached|available)\s+for\s+comment\b",
    re.IGNORECASE,
)
_RELEASE_LINE_WORDS = 5
# A dateline opening a body paragraph: "PORT ELLIS, Veldora, March 2 (Tidewire) — ".
DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]+)*)"
    r"(?:,[ \t]*[A-Z][\w.]*(?:[ \t]+[A-Z0-9][\w.]*){0,3})*"
    r"[ \t]*(?:\([^)\n]{1,40}\))?[ \t]*[-\u2013\u2014]+[ \t]+"
)
# A transcript or interview line: "LINDQVIST: In nine years out of ten ...", "A: Not this year.",
# "SEN. BRUNO AALDERS (chair): Ms Damsma, ...".
TRANSCRIPT_LINE = re.compile(
    r"^[“\"]?(?P<label>[A-Z][A-Z'’.-]+(?:[ \t][A-Z][A-Z'’.-]+){0,2}|Q|A)"
    # "SEN. BRUNO AALDERS (chair):": a note on the speaker's part is no part of the name;
    # "HOST (DANA KIM):": after a part, the note is the name.
    r"(?:[ \t]*\((?P<note>[^)\n]{1,30})\))?[ \t]*:[ \t]+(?P<body>\S[^\n]*)$",
    re.MULTILINE,
)
# An interview's turn labelled by a name in ordinary case: "Venn: All of it, except the people."
NAMED_TURN = re.compile(
    r"^(?P<label>[A-Z][a-z'’-]+(?:[ \t][A-Z][a-z'’-]+){0,2})"
    r"[ \t]*:[ \t]+(?P<body>\S[^\n]*)$",
    re.MULTILINE,
)
# Labels that name a part in the programme or the hearing, not a person: with a name in
# brackets after them ("HOST (DANA KIM):") the line is that person's.
PART_LABELS = frozenset(
    {"host", "co-host", "moderator", "anchor", "presenter", "chair", "chairman", "chairwoman"}
    | {"interviewer", "reporter", "narrator", "announcer"}
)
NOTE_NAME = re.compile(r"[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){1,3}")
# Labels of the one asking in an interview: their lines are questions.
INTERVIEWER_LABELS = frozenset({"q", "question", "interviewer"})
# Labels in capitals that head a line without being a speaker.
NOT_SPEAKER_LABELS = frozenset(
    {
        "update",
        "updated",
        "watch",
        "read more",
        "editor's note",
        "correction",
        "photo",
        "video",
        "note",
        "related",
        "q&a",
        "live",
        "breaking",
        "exclusive",
        "analysis",
        "opinion",
    }
)
# A reader's words signed below or after them: "“...” — Liesbeth Koning, teacher, Dunmore".
SIGNED_QUOTE = re.compile(
    r"^(?P<body>[“\"][^\n]+?[”\"])[ \t]*[—―–-]{1,2}[ \t]*"
    r"(?P<name>[A-Z][\w.'’-]+(?:[ \t]+(?:[A-Z][\w.'’-]+|de|van|von|der|da|di|la|le)){0,3})",
    re.MULTILINE,
)
# Lines of a transcript before its speakers' lines count as one.
MIN_TRANSCRIPT_LINES = 2
# Lines found by layout: 25 of the 28 found in the own-articles speaker set were expected.
TRANSCRIPT_CONFIDENCE = 0.9

# A closing quotation mark, then a noun phrase glossing the quotation, to the content's end.
GLOSS = re.compile(r"[”\"],\s+(?:a|an|the|in|as)\s+[^”\"“\n]{1,80}?[.,;]?$")
# Verbs of holding a view, and of saying it: "X believes ..., Y said" is Y's statement.
VIEW_LEMMAS = frozenset({"believe", "think", "feel", "consider", "fear", "hope", "expect", "want"})
SPEECH_LEMMAS = frozenset(
    {"say", "tell", "add", "state", "insist", "argue", "warn", "claim", "write", "explain"}
)
# Verbs whose infinitive complement is something done, not something said.
# Verbs of planning or intending ("plans to", "aims to") state a position and stay.
CITING_LEMMAS = frozenset({"cite", "quote"})
# Verbs of talking with someone, which report no words unless a clause follows.
TALK_LEMMAS = frozenset({"talk", "speak", "chat"})
ACTION_LEMMAS = frozenset({"agree", "decide", "vote", "move", "opt", "choose"})
_LISTENER_DEPS = frozenset({"dobj", "dative", "iobj"})
_ASKER_DEPS = frozenset({"aux", "auxpass", "nsubj", "nsubjpass"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_MODIFIERS = frozenset({"compound", "det", "amod", "poss", "flat"})
_MAX_SUBJECT_TOKENS = 12
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl"})


def overlaps(a: Span, b: Span) -> bool:
    """Whether two character spans share a character."""
    return a.start < b.end and b.start < a.end


def _inside(a: Span, b: Span) -> bool:
    return b.start <= a.start and a.end <= b.end


def _token_at(doc: Doc, offset: int) -> Token | None:
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def mention_span(token: Token, max_tokens: int) -> Span:
    """A short mention around a noun: its whole phrase ("Lena Varga, a spokeswoman for the
    alliance,"), or, past ``max_tokens``, the noun with its compounds, titles and determiners."""
    doc = token.doc
    left, right = token.left_edge.i, token.right_edge.i + 1
    if right - left > max_tokens:
        left, right = token.i, token.i + 1
        while left > 0 and doc[left - 1].head.i == token.i and doc[left - 1].dep_ in _MODIFIERS:
            left -= 1
    while right - 1 > left and (doc[right - 1].is_punct or doc[right - 1].is_space):
        right -= 1
    return Span(doc[left].idx, doc[right - 1].idx + len(doc[right - 1].text))


def paragraph_start(doc: Doc, i: int) -> int:
    """The index of the first token of the paragraph that holds token ``i``."""
    while i > 0 and "\n" not in doc[i - 1].text_with_ws:
        i -= 1
    return i


def _subject_span(doc: Doc, verb: Token) -> Span | None:
    """The subject of a verb (or of the clause it hangs on) as a short mention, within the
    verb's paragraph.

    A parse that ran two paragraphs together ("... the Kessel Dam.\nTomas Brek, the bloc's
    spokesman, declined to confirm") may hang the verb on the previous paragraph's; then the
    subject is the noun phrase just before the verb, past an appositive.
    """
    floor = paragraph_start(doc, verb.i)
    for head in [verb, *verb.ancestors][:3]:
        for child in head.children:
            if child.dep_ in _SUBJECT_DEPS and floor <= child.i < verb.i:
                return mention_span(child, _MAX_SUBJECT_TOKENS)
    i = verb.i - 1
    while i >= floor and (doc[i].is_punct or doc[i].is_space):
        i -= 1
    if i < floor:
        return None
    noun = doc[i]
    while noun.dep_ == "appos" and noun.head.i < noun.i and noun.head.i >= floor:
        noun = noun.head
    if noun.pos_ not in {"PROPN", "NOUN", "PRON"}:
        return None
    found = mention_span(noun, _MAX_SUBJECT_TOKENS)
    left = noun.i
    while left > floor and doc[left - 1].idx >= found.start:
        left -= 1
    while left < noun.i and (doc[left].is_punct or doc[left].is_space):
        left += 1
    return Span(doc[left].idx, found.end)


# A source's terms, not what it said: "..., one of the people said, asking not to be named".
_ANONYMITY = re.compile(
    r"^(?:not\s+to\s+be\s+(?:named|identified|quoted)|(?:for\s+|on\s+(?:the\s+)?condition"
    r"\s+of\s+)?anonymity)\b",
    re.IGNORECASE,
)
# A standing refusal given as reported speech: "the firm did not comment on market rumours".
_NO_COMMENT_POLICY = re.compile(
    r"^(?:(?:it|they|we|he|she|the\s+\w+)\s+)?(?:does|do|did|would)\s+not\s+comment\s+on\s+"
    r"(?:(?:market|media|press)\s+)?(?:rumou?rs?|speculation|reports?)\b",
    re.IGNORECASE,
)


def find_refusals(doc: Doc, text: str, extractor: str) -> list[Attribution]:
    """Every refusal to comment in the text, as a ``no_comment`` attribution."""
    found: list[Attribution] = []
    for match in REFUSAL.finditer(text):
        verb_group = next(g for g in ("verb", "did", "was") if match.group(g))
        verb = _token_at(doc, match.start(verb_group))
        if verb is None:
            continue
        # "did not respond": the subject hangs on "respond", the auxiliary's head.
        head = verb.head if verb.dep_ in {"aux", "auxpass", "neg"} else verb
        source = _subject_span(doc, head)
        cue_end = match.end(verb_group)
        found.append(
            Attribution(
                content=Span(match.start(), match.end()),
                kind="no_comment",
                cue=Span(match.start(verb_group), cue_end),
                source=source,
                confidence=NO_COMMENT_CONFIDENCE,
                extractor=extractor,
            )
        )
    return found


# Refusals are found by one pattern, not scored by a model: on the own-articles speaker set all
# 11 it found were expected refusals (a small sample, so not 1).
NO_COMMENT_CONFIDENCE = 0.95


def _is_interviewer(label: str, outlet: str | None) -> bool:
    """Whether a turn label is the one asking: "Q", or the publishing outlet or any outlet
    ("Lantern:" in a Daily Lantern interview)."""
    lower = label.lower()
    if lower in INTERVIEWER_LABELS or is_outlet_name(label):
        return True
    return bool(outlet) and lower.split()[-1] == str(outlet).lower().split()[-1]


def transcript_turns(text: str, outlet: str | None) -> list[tuple[re.Match[str], bool]]:
    """The turns of a transcript or interview, each with whether it is a question.

    Labels in capitals ("LINDQVIST:", "A:") count where the text has several such lines. Names
    in ordinary case ("Venn:") count only in an exchange: at least two labels, each heading at
    least two lines, so a lone "Caption:" or "Note:" is no turn.
    """
    turns = [
        m
        for m in TRANSCRIPT_LINE.finditer(text)
        if m.group("label").lower() not in NOT_SPEAKER_LABELS
    ]
    if len(turns) < MIN_TRANSCRIPT_LINES:
        turns = []
    named = [
        m for m in NAMED_TURN.finditer(text) if m.group("label").lower() not in NOT_SPEAKER_LABELS
    ]
    counts = Counter(m.group("label") for m in named)
    if len(counts) >= 2 and all(n >= MIN_TRANSCRIPT_LINES for n in counts.values()):
        turns += named
    turns.sort(key=lambda m: m.start())
    return [(m, _is_interviewer(m.group("label"), outlet)) for m in turns]


def _turn_speaker(match: re.Match[str]) -> Span:
    """The span naming a turn's speaker: its label, or the name in brackets after a part."""
    note = match.groupdict().get("note")
    if (
        note is not None
        and match.group("label").lower() in PART_LABELS
        and NOTE_NAME.fullmatch(note.strip())
    ):
        start = match.start("note") + len(note) - len(note.lstrip())
        return Span(start, start + len(note.strip()))
    return Span(match.start("label"), match.end("label"))


def find_transcript_lines(
    text: str, extractor: str, outlet: str | None = None
) -> list[Attribution]:
    """Speakers' lines of a transcript or Q&A, and readers' signed quotes, as direct statements.

    Turns are those of ``transcript_turns``; questions ("Q:", the outlet's own label) are
    skipped; an "A:" line's source is its label, which the resolver gives to the person
    interviewed.
    """
    found: list[Attribution] = []
    for match, is_question in transcript_turns(text, outlet):
        if is_question:
            continue
        source = _turn_speaker(match)
        found.append(
            Attribution(
                content=Span(match.start("body"), match.end("body")),
                kind="direct",
                cue=None,
                source=source,
                confidence=TRANSCRIPT_CONFIDENCE,
                extractor=extractor,
            )
        )
    for match in SIGNED_QUOTE.finditer(text):
        found.append(
            Attribution(
                content=Span(match.start("body"), match.end("body")),
                kind="direct",
                cue=None,
                source=Span(match.start("name"), match.end("name")),
                confidence=TRANSCRIPT_CONFIDENCE,
                extractor=extractor,
            )
        )
    return found


def dateline_span(article: Article) -> Span | None:
    """The dateline that opens the first body paragraph, if there is one."""
    text = article.text
    body = 0
    for block in article.blocks:
        if block.kind == "title":
            body = max(body, block.end)
    for _ in range(2):
        while body < len(text) and text[body] in "\r\n \t":
            body += 1
        match = DATELINE.match(text, body)
        if match is not None and len(match.group("place")) >= 3:
            return Span(match.start(), match.end())
        # "FOR IMMEDIATE RELEASE" above the dateline of a press release.
        line_end = text.find("\n", body)
        line = text[body : line_end if line_end >= 0 else len(text)]
        if line_end < 0 or not line.isupper() or len(line.split()) > _RELEASE_LINE_WORDS:
            return None
        body = line_end
    return None


def _after_dateline(span: Span, dateline: Span, text: str) -> Span:
    """A span that starts inside the dateline and runs on past it, cut to start after it."""
    if not (span.start < dateline.end < span.end and span.start >= dateline.start):
        return span
    start = dateline.end
    while start < span.end and text[start].isspace():
        start += 1
    return Span(start, span.end)


def _heading_spans(article: Article) -> list[Span]:
    """The title and subheads; a text that is all title (one line) has none."""
    body = article.text.strip()
    return [
        Span(b.start, b.end)
        for b in article.blocks
        if b.kind in {"title", "subhead"} and article.text[b.start : b.end].strip() != body
    ]


def _listener_fix(doc: Doc, attribution: Attribution) -> Attribution | None:
    """Take the statement, not the listener, after "told": ``None`` when there is none."""
    if attribution.cue is None or attribution.kind != "indirect":
        return attribution
    cue = _token_at(doc, attribution.cue.start)
    if cue is None or cue.lemma_.lower() != "tell":
        return attribution
    content = doc.char_span(
        attribution.content.start, attribution.content.end, alignment_mode="expand"
    )
    if content is None:
        return attribution
    listeners = [c for c in cue.children if c.dep_ in _LISTENER_DEPS]
    if not any(
        c.left_edge.i <= content.start and content.end <= c.right_edge.i + 1 for c in listeners
    ):
        return attribution
    clauses = [c for c in cue.children if c.dep_ in _CLAUSE_DEPS and c.i > cue.i]
    bounds = [(c.left_edge.i, c.right_edge.i + 1) for c in clauses]
    # "told a meeting of island leaders that ...": the parse may hang the clause on the listener.
    after = max(c.right_edge.i for c in listeners) + 1
    if after < len(doc) and doc[after].lower_ == "that":
        bounds.append((after, doc[after].sent.end))
    for left, right in bounds:
        while right > left + 1 and (doc[right - 1].is_punct or doc[right - 1].is_space):
            right -= 1
        if right - left >= 2:
            end = doc[right - 1].idx + len(doc[right - 1].text)
            return replace(attribution, content=Span(doc[left].idx, end))
    return None


def _is_listener_only(doc: Doc, attribution: Attribution) -> bool:
    """ "She talked to the Sallow Gazette on the car deck": words that open with whom someone
    talked to, under a verb that reports no clause, say nothing that was said."""
    if _indirect_cue_lemma(doc, attribution) not in TALK_LEMMAS or attribution.cue is None:
        return False
    cue = _token_at(doc, attribution.cue.start)
    if cue is None or any(c.dep_ in _CLAUSE_DEPS for c in cue.children):
        return False
    start = attribution.content.start
    for prep in cue.children:
        if prep.dep_ == "prep" and prep.lower_ in {"to", "with"}:
            left, right = prep.left_edge, prep.right_edge
            if left.idx <= start < right.idx + len(right.text):
                return True
    return False


def _indirect_cue_lemma(doc: Doc, attribution: Attribution) -> str | None:
    """The lemma of an indirect statement's cue word; ``None`` for other statements."""
    if attribution.cue is None or attribution.kind != "indirect":
        return None
    cue = _token_at(doc, attribution.cue.start)
    return cue.lemma_.lower() if cue is not None else None


def _is_action(doc: Doc, attribution: Attribution) -> bool:
    if _indirect_cue_lemma(doc, attribution) not in ACTION_LEMMAS:
        return False
    first = _token_at(doc, attribution.content.start)
    return first is not None and first.lower_ == "to"


def _reported_view(doc: Doc, attribution: Attribution, cues: set[int]) -> Attribution:
    """ "Marrenland believes the talks have stalled, Grusz said": the statement is Grusz's
    (the whole clause), not Marrenland's, when the view hangs on a speech verb with a subject of
    its own that no other statement uses as its cue."""
    if attribution.cue is None or attribution.source is None:
        return attribution
    view = _token_at(doc, attribution.cue.start)
    if view is None or view.lemma_.lower() not in VIEW_LEMMAS:
        return attribution
    speech = view.head
    if (
        view.dep_ not in {"ccomp", "parataxis"}
        or speech.i <= view.i
        or speech.lemma_.lower() not in SPEECH_LEMMAS
        or speech.i in cues
    ):
        return attribution
    subject = _subject_span(doc, speech)
    if subject is None or subject.start < attribution.content.end:
        return attribution
    cue_end = speech.idx + len(speech.text)
    return replace(
        attribution,
        content=Span(attribution.source.start, attribution.content.end),
        cue=Span(speech.idx, cue_end),
        source=subject,
    )


def _out_of_heading(doc: Doc, attribution: Attribution, headings: Sequence[Span]) -> Attribution:
    """A body statement whose cue the tagger took from the headline above it (an unpunctuated
    title parses as one sentence with the first paragraph): the cue is the speech verb the
    statement hangs on in the body, with its subject as the source, or there is none."""
    cue = attribution.cue
    if cue is None or not any(_inside(cue, h) for h in headings):
        return attribution
    content = doc.char_span(
        attribution.content.start, attribution.content.end, alignment_mode="expand"
    )
    if content is None:
        return attribution
    for verb in content.root.ancestors:
        if any(h.start <= verb.idx < h.end for h in headings):
            continue
        if verb.lemma_.lower() in SPEECH_LEMMAS and not (content.start <= verb.i < content.end):
            source = _subject_span(doc, verb)
            return replace(
                attribution, cue=Span(verb.idx, verb.idx + len(verb.text)), source=source
            )
    return replace(attribution, cue=None, source=None)


def _without_gloss(text: str, attribution: Attribution) -> Attribution:
    """'that "nobody gets to stand in it with a key", a reference to the river': the writer's
    gloss after a closing quotation mark is not part of what was said."""
    content = attribution.content
    match = GLOSS.search(text, content.start, content.end)
    if match is None or match.end() != content.end or attribution.kind == "direct":
        return attribution
    return replace(attribution, content=Span(content.start, match.start() + 1))


def _is_unsaid(doc: Doc, attribution: Attribution) -> bool:
    """ "... without mentioning lorries": what someone did not say is no statement."""
    if attribution.cue is None:
        return False
    return any(
        t.head.lower_ == "without" and t.head.pos_ in {"ADP", "SCONJ"}
        for t in _cue_tokens(doc, attribution.cue)
    )


def _is_citation(doc: Doc, attribution: Attribution) -> bool:
    if _indirect_cue_lemma(doc, attribution) not in CITING_LEMMAS:
        return False
    words = doc.char_span(
        attribution.content.start, attribution.content.end, alignment_mode="expand"
    )
    return words is not None and not any(t.pos_ in ("VERB", "AUX") for t in words)


def _is_question_or_prediction(doc: Doc, attribution: Attribution) -> bool:
    """A cue "Asked (about)" that puts a question to someone, or a passive "is expected (to)"
    that predicts what someone will do: neither reports what anyone said."""
    if attribution.cue is None:
        return False
    for token in _cue_tokens(doc, attribution.cue):
        deps = {child.dep_ for child in token.children}
        lemma = token.lemma_.lower()
        if lemma == "ask" and token.tag_ == "VBN" and not deps & _ASKER_DEPS:
            return True
        if lemma == "ask" and _is_writer(doc, attribution.source):
            # "We asked readers how the cuts would affect them": the outlet's own question.
            return True
        # "is expected to table", "with the alliance expected to table".
        is_with = any(c.dep_ == "mark" and c.lower_ == "with" for c in token.children)
        if lemma == "expect" and ((token.tag_ == "VBN" and "auxpass" in deps) or is_with):
            # "..., according to two officials" or "..., analysts said": someone's prediction.
            return not any(
                t.lower_ == "according" or t.lemma_.lower() in SPEECH_LEMMAS for t in token.sent
            )
    return False


def leaves_quotation_open(before: str) -> bool:
    """Whether the text of a paragraph up to some point leaves a quotation open there."""
    opened = before.count("“") - before.count("”")
    return opened > 0 or (opened == 0 and before.count('"') % 2 == 1)


def _is_writer(doc: Doc, source: Span | None) -> bool:
    """Whether a source is the outlet speaking as "we" outside any quotation. (A reporter's
    "I" is a person the article may name, and stays.)"""
    if source is None:
        return False
    words = doc.char_span(source.start, source.end, alignment_mode="expand")
    if words is None or len(words) != 1 or words[0].lower_ != "we":
        return False
    before = doc[paragraph_start(doc, words.start) : words.start].text
    return not leaves_quotation_open(before)


def _crosses_paragraph(text: str, attribution: Attribution) -> bool:
    cue, content = attribution.cue, attribution.content
    if cue is None or attribution.kind != "indirect":
        return False
    low, high = (cue.end, content.start) if cue.end <= content.start else (content.end, cue.start)
    return "\n" in text[low:high]


def _cue_tokens(doc: Doc, cue: Span) -> list[Token]:
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    return list(span) if span is not None else []


def screen(article: Article, doc: Doc, attributions: Sequence[Attribution]) -> list[Attribution]:
    """Keep the attributions that are statements and add the refusals to comment.

    Args:
        article: The cleaned article (its blocks mark the title and subheads).
        doc: Its parse.
        attributions: What extraction found.

    Returns:
        The statements, in no particular order.
    """
    extractor = attributions[0].extractor if attributions else ""
    refusals = find_refusals(doc, article.text, extractor)
    lines = find_transcript_lines(article.text, extractor, article.outlet)
    questions = [
        Span(m.start(), m.end())
        for m, is_question in transcript_turns(article.text, article.outlet)
        if is_question
    ]
    dateline = dateline_span(article)
    headings = _heading_spans(article)
    kept: list[Attribution] = []
    cues = {t.i for a in attributions if a.cue is not None for t in _cue_tokens(doc, a.cue)}
    for attribution in attributions:
        attribution = _reported_view(doc, _out_of_heading(doc, attribution, headings), cues)
        attribution = _without_gloss(article.text, attribution)
        content = attribution.content
        if any(overlaps(content, r.content) for r in (*refusals, *lines)):
            continue
        if len(questions) > 1 and any(_inside(content, q) for q in questions):
            continue
        if attribution.cue is not None and any(
            overlaps(attribution.cue, r.content) for r in refusals
        ):
            continue
        if dateline is not None and _inside(content, dateline):
            continue
        if dateline is not None:
            # "HOLLEN, Veldora — The grape harvest ... will be the smallest, growers said".
            content = _after_dateline(content, dateline, article.text)
            attribution = replace(attribution, content=content)
        if any(_inside(content, h) for h in headings):
            continue
        said = article.text[content.start : content.end]
        if _ANONYMITY.match(said):
            continue
        if attribution.kind == "indirect" and _NO_COMMENT_POLICY.match(said):
            attribution = replace(attribution, kind="no_comment")
        if (
            _is_action(doc, attribution)
            or _is_citation(doc, attribution)
            or _is_unsaid(doc, attribution)
            or _is_question_or_prediction(doc, attribution)
            or _crosses_paragraph(article.text, attribution)
            or _is_listener_only(doc, attribution)
        ):
            continue
        fixed = _listener_fix(doc, attribution)
        if fixed is None:
            continue
        source = fixed.source
        if source is not None and dateline is not None and _inside(source, dateline):
            fixed = replace(fixed, source=None)
        elif source is not None and dateline is not None:
            fixed = replace(fixed, source=_after_dateline(source, dateline, article.text))
        kept.append(fixed)
    return kept + refusals + lines
