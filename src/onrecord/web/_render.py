"""Turning store text into safe HTML pieces: search highlights, article spans, speaker colours.

Input: snippets with ``[``/``]`` match markers, article text and statement spans. Output:
``markupsafe.Markup`` built only from escaped text, or plain segments for the templates to
escape. User text never reaches a page unescaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from onrecord.store._fulltext import HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN

PALETTE_SIZE: Final = 8
MARK_OPEN: Final = Markup("<mark>")
MARK_CLOSE: Final = Markup("</mark>")


def highlight(snippet: str, text: str) -> Markup:
    """Render a search snippet with its matches in ``<mark>``; everything else is escaped.

    The store wraps matches in ``[`` and ``]``, and the quote itself may contain brackets, so
    the snippet is walked against the quote text: a character that matches the text is text,
    one that does not is a marker. If the two cannot be aligned the plain text is shown.

    Args:
        snippet: ``QuoteHit.snippet``.
        text: ``QuoteHit.text``.

    Returns:
        Safe HTML.
    """
    if snippet == text:  # no match marked (an actor's or a story's statements)
        return escape(text)
    pieces: list[str | Markup] = []
    is_open = False
    j = 0
    run: list[str] = []
    for char in snippet:
        if j < len(text) and char == text[j]:
            run.append(char)
            j += 1
            continue
        if char not in (HIGHLIGHT_OPEN, HIGHLIGHT_CLOSE) or (char == HIGHLIGHT_OPEN) == is_open:
            return escape(text)
        pieces.append(escape("".join(run)))
        run = []
        pieces.append(MARK_CLOSE if is_open else MARK_OPEN)
        is_open = not is_open
    if j != len(text):
        return escape(text)
    pieces.append(escape("".join(run)))
    if is_open:
        pieces.append(MARK_CLOSE)
    return Markup("").join(pieces)


def safe_url(url: str | None) -> str | None:
    """The URL if it is an http(s) link, else ``None`` (no ``javascript:`` hrefs)."""
    if not url:
        return None
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else None


@dataclass(frozen=True, slots=True)
class SpanMark:
    """A statement to highlight in an article: span, colour slot and where it links."""

    start: int
    end: int
    colour: int
    speaker: str
    quote_id: int | None
    kind: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of article text, inside a statement (``mark``) or not."""

    text: str
    mark: SpanMark | None


def colour_slots(names: Sequence[str | None]) -> dict[str, int]:
    """A palette slot per speaker, in order of first appearance (cycling past the palette)."""
    slots: dict[str, int] = {}
    for name in names:
        key = name or ""
        if key not in slots:
            slots[key] = len(slots) % PALETTE_SIZE
    return slots


def segments(text: str, marks: Sequence[SpanMark]) -> list[Segment]:
    """Cut the text at every statement boundary; overlaps show the innermost statement.

    Args:
        text: The article text.
        marks: Statements with spans into ``text``; spans outside it are clipped.

    Returns:
        Consecutive segments covering the whole text.
    """
    size = len(text)
    valid = [m for m in marks if 0 <= m.start < m.end <= size]
    cuts = sorted({0, size, *(m.start for m in valid), *(m.end for m in valid)})
    out: list[Segment] = []
    for left, right in pairwise(cuts):
        covering = [m for m in valid if m.start <= left and right <= m.end]
        mark = min(covering, key=lambda m: m.end - m.start) if covering else None
        piece = text[left:right]
        if out and out[-1].mark == mark:
            out[-1] = Segment(out[-1].text + piece, mark)
        else:
            out.append(Segment(piece, mark))
    return out
