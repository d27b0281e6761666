"""Quotation-mark pairing over raw text: which characters lie inside a quotation.

Input: a ``str``. Output: a list of ``QuoteSpan`` (character spans including the marks).

News text mixes straight, curly and angle quotes, opens a quotation in one paragraph and
continues it in the next (each continuation paragraph opens with a mark, only the last one
closes), nests single quotes inside double ones, and sometimes leaves a mark unbalanced. The
pairing below is a single left-to-right scan that never fails: an unclosed quotation ends at the
end of its paragraph unless the next paragraph opens with a quotation mark.
"""

from __future__ import annotations

from dataclasses import dataclass

DOUBLE_OPEN = frozenset("“„«‟〝")
DOUBLE_CLOSE = frozenset("”»〞")
DOUBLE_AMBIGUOUS = frozenset('"＂')
SINGLE_OPEN = frozenset("‘‚‛")
SINGLE_AMBIGUOUS = frozenset("'’")
QUOTE_CHARS = DOUBLE_OPEN | DOUBLE_CLOSE | DOUBLE_AMBIGUOUS | SINGLE_OPEN | SINGLE_AMBIGUOUS
# Characters a closing mark may be followed by, besides whitespace and end of text.
_AFTER_CLOSE = frozenset(".,;:!?)]}—–-…") | DOUBLE_CLOSE | DOUBLE_AMBIGUOUS | SINGLE_AMBIGUOUS


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation ``[start, end)`` including its marks; ``depth`` 0 is outermost."""

    start: int
    end: int
    depth: int
    is_closed: bool


def _is_boundary_before(text: str, i: int) -> bool:
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-/" or text[i - 1] in QUOTE_CHARS


def _is_boundary_after(text: str, i: int) -> bool:
    return i + 1 >= len(text) or text[i + 1].isspace() or text[i + 1] in _AFTER_CLOSE


def _paragraph_end(text: str, i: int) -> int:
    j = text.find("\n", i)
    return len(text) if j < 0 else j


def _next_paragraph_opens_quote(text: str, i: int) -> bool:
    """True when the paragraph after position ``i`` (a newline) starts with a double mark."""
    j = i
    while j < len(text) and text[j].isspace():
        j += 1
    return j < len(text) and (text[j] in DOUBLE_OPEN or text[j] in DOUBLE_AMBIGUOUS)


def find_quotes(text: str) -> list[QuoteSpan]:
    """Pair quotation marks in ``text``.

    Args:
        text: Any text; unbalanced or stray marks are tolerated.

    Returns:
        Quotation spans sorted by start; depth-0 spans never overlap each other.
    """
    spans: list[QuoteSpan] = []
    double_open: int | None = None
    single_open: int | None = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            if single_open is not None:
                single_open = None
            if double_open is not None and not _next_paragraph_opens_quote(text, i):
                spans.append(QuoteSpan(double_open, i, 0, False))
                double_open = None
            elif double_open is not None:
                # Continuation paragraph: skip its opening mark so it does not close the quote.
                j = i
                while j < n and text[j].isspace():
                    j += 1
                i = j + 1
                continue
            i += 1
            continue
        if ch in DOUBLE_OPEN or ch in DOUBLE_CLOSE or ch in DOUBLE_AMBIGUOUS:
            opens = ch in DOUBLE_OPEN or (
                ch in DOUBLE_AMBIGUOUS and double_open is None and _is_boundary_before(text, i)
            )
            if double_open is None and (opens or ch in DOUBLE_AMBIGUOUS):
                double_open = i
            elif double_open is not None and ch in DOUBLE_OPEN:
                # An opening mark while a quotation is open: the earlier one was never closed.
                spans.append(QuoteSpan(double_open, i, 0, False))
                single_open = None
                double_open = i
            elif double_open is not None:
                if single_open is not None:
                    spans.append(QuoteSpan(single_open, i, 1, False))
                    single_open = None
                spans.append(QuoteSpan(double_open, i + 1, 0, True))
                double_open = None
            i += 1
            continue
        if ch in SINGLE_OPEN or ch in SINGLE_AMBIGUOUS:
            before_ok = _is_boundary_before(text, i)
            after_ok = _is_boundary_after(text, i)
            if single_open is None:
                if (ch in SINGLE_OPEN or before_ok) and not after_ok:
                    single_open = i
            elif after_ok and not before_ok:
                depth = 1 if double_open is not None else 0
                spans.append(QuoteSpan(single_open, i + 1, depth, True))
                single_open = None
        i += 1
    if double_open is not None:
        spans.append(QuoteSpan(double_open, n, 0, False))
    spans.sort(key=lambda s: (s.start, s.depth))
    return _drop_overlaps(spans)


def _drop_overlaps(spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """Keep depth-0 spans disjoint; a top-level single-quoted span inside a double one nests."""
    out: list[QuoteSpan] = []
    last_end = -1
    for s in spans:
        if s.depth == 0 and s.start < last_end:
            out.append(QuoteSpan(s.start, s.end, 1, s.is_closed))
            continue
        out.append(s)
        if s.depth == 0:
            last_end = s.end
    return out


def inside_mask(text: str, spans: list[QuoteSpan]) -> bytearray:
    """Per-character flag: 1 inside a depth-0 quotation (marks included), else 0."""
    mask = bytearray(len(text))
    for s in spans:
        if s.depth == 0:
            mask[s.start : s.end] = b"\x01" * (s.end - s.start)
    return mask
