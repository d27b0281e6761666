"""A plain-text table of extracted quotes for reading in a terminal.

Input: ``ExtractedArticle`` records. Output: one string, a heading per article then one row
per quote: speaker | kind | quote (shortened) | via.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from onrecord.models import ARTICLE_FLAGS, ExtractedArticle, Quote

HEADERS: Final = ("speaker", "kind", "quote", "via")
MAX_WIDTHS: Final = (28, 8, 60, 30)
ELLIPSIS: Final = "…"
NO_SPEAKER: Final = "?"


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + ELLIPSIS


def _cells(quote: Quote) -> tuple[str, str, str, str]:
    speaker = quote.speaker.name or quote.speaker.mention or NO_SPEAKER
    return (speaker, quote.kind, quote.text, " > ".join(quote.via))


def _render(rows: Sequence[tuple[str, ...]]) -> list[str]:
    shortened = [
        tuple(_shorten(cell, limit) for cell, limit in zip(row, MAX_WIDTHS, strict=True))
        for row in rows
    ]
    widths = [
        max(len(header), *(len(row[i]) for row in shortened)) for i, header in enumerate(HEADERS)
    ]
    lines = [" | ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True)).rstrip()]
    lines.append("-+-".join("-" * w for w in widths))
    lines.extend(
        " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in shortened
    )
    return lines


def _note(item: ExtractedArticle, flag: str) -> str:
    note = ARTICLE_FLAGS.get(flag, flag)
    if flag == "unsupported_language":
        note = f"language {item.article.language}: {note}"
    return f"! {flag}: {note}"


def format_table(items: Iterable[ExtractedArticle]) -> str:
    """Render extracted quotes as a readable plain-text table.

    Args:
        items: Extracted articles.

    Returns:
        For each article a heading (title, else source), a ``! note`` line per flag (an
        unsupported language, a missing body, doubtful dates), then a table of its quotes or
        ``(no quotes)``; articles are separated by a blank line.
    """
    blocks: list[str] = []
    for item in items:
        heading = item.article.title or item.article.source
        rows = [_cells(quote) for quote in item.quotes]
        body = _render(rows) if rows else ["(no quotes)"]
        notes = [_note(item, flag) for flag in item.article.flags]
        blocks.append("\n".join([f"== {heading}", *notes, *body]))
    return "\n\n".join(blocks) + ("\n" if blocks else "")
