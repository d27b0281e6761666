"""A sentence break after a subhead, set before the parser runs.

A subhead or title has no full stop, so the parser reads it into the sentence below
("Settling in across the border The 23-year-old also told the station ..."), and the subject
of that sentence is lost to the heading. A line of at most ``MAX_HEADING_WORDS`` words that
opens with a capital or a digit and ends without sentence punctuation, followed by a line that
opens with a capital or a quotation mark, ends its sentence; the parser keeps every preset
sentence start. A line broken in the middle of a sentence is left alone.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "onrecord_heading_breaks"
MAX_HEADING_WORDS = 12
# A line ending in one of these is a sentence or a clause, not a heading.
_ENDINGS = frozenset(".!?:;,\"'”’…)]-–—")
_OPENINGS = frozenset("\"'“‘")


def _is_heading(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and (words[0][:1].isupper() or words[0][:1].isdigit())
        and line.rstrip()[-1] not in _ENDINGS
    )


@Language.component(COMPONENT)
def heading_breaks(doc: Doc) -> Doc:
    """Mark the first token of each line below a heading line (not the title, the first
    line) as a sentence start."""
    text = doc.text
    line_start = 0
    for token in doc:
        if not token.is_space or "\n" not in token.text:
            continue
        is_first = line_start == 0
        line = text[line_start : token.idx]
        line_start = token.idx + len(token.text)
        if token.i + 1 >= len(doc) or not line.strip() or is_first:
            # The title is left as the parse reads it: measured on own articles, breaking
            # after it changed the parse of the first body sentence as often for the worse.
            continue
        following = doc[token.i + 1]
        first = following.text[:1]
        if (first.isupper() or first in _OPENINGS) and _is_heading(line):
            following.is_sent_start = True
    return doc


def with_heading_breaks(nlp: Language) -> Language:
    """Add the heading break ahead of the parser (once)."""
    if COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser" if "parser" in nlp.pipe_names else None)
    return nlp
