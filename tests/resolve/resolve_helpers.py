"""Builders for hand-written attributions used by the resolve tests."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from onrecord.models import Attribution, Quote, QuoteKind, Span


@dataclass(frozen=True)
class Said:
    """A hand-written attribution: strings to find in the text, near each other."""

    content: str
    source: str | None = None
    cue: str | None = None
    kind: QuoteKind = "indirect"
    nth: int = 0  # which occurrence of ``content``


def _occurrences(text: str, needle: str) -> list[int]:
    pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    return [m.start() for m in pattern.finditer(text)]


def _nearest(text: str, needle: str, content: Span) -> Span:
    """The occurrence of ``needle`` in the content's paragraph nearest to the content."""
    para_start = text.rfind("\n", 0, content.start) + 1
    para_end = text.find("\n", content.end)
    para_end = len(text) if para_end < 0 else para_end
    found = [
        i
        for i in _occurrences(text, needle)
        if para_start <= i
        and i + len(needle) <= para_end
        and (i + len(needle) <= content.start or i >= content.end)
    ]
    assert found, f"{needle!r} not found near {text[content.start : content.end]!r}"
    best = min(found, key=lambda i: min(abs(i - content.start), abs(i - content.end)))
    return Span(best, best + len(needle))


def attribution(text: str, said: Said, confidence: float = 0.8) -> Attribution:
    """Build an Attribution from strings, so the tests do not depend on extraction."""
    starts = _occurrences(text, said.content) if said.content[0].isalnum() else []
    if not starts:
        starts = [m.start() for m in re.finditer(re.escape(said.content), text)]
    start = starts[said.nth]
    content = Span(start, start + len(said.content))
    return Attribution(
        content=content,
        kind=said.kind,
        cue=_nearest(text, said.cue, content) if said.cue else None,
        source=_nearest(text, said.source, content) if said.source else None,
        confidence=confidence,
        extractor="test.v1",
    )


class Resolve(Protocol):
    """The ``resolve`` fixture: article text and hand-written attributions -> quotes."""

    def __call__(
        self, text: str, said: Sequence[Said], *, outlet: str | None = None
    ) -> tuple[Quote, ...]: ...
