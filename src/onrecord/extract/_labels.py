"""Token labels: gold spans -> BIO tags for training, predicted tags -> typed token spans.

Labels are ``O`` and ``B-``/``I-`` over ``CUE``, ``SOURCE`` and ``CONTENT``. Where gold spans of
different roles overlap (an attribution reported inside another one's content), the cue wins over
the source and the source over the content, so each token carries exactly one label.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc

from onrecord.evaluation import GoldAttribution

ROLES = ("CUE", "SOURCE", "CONTENT")
_PRIORITY = {"CUE": 3, "SOURCE": 2, "CONTENT": 1}


@dataclass(frozen=True, slots=True)
class TokenSpan:
    """Tokens ``[start, end)`` of a doc with a role."""

    role: str
    start: int
    end: int


def gold_labels(doc: Doc, gold: tuple[GoldAttribution, ...]) -> list[str]:
    """BIO label per token of ``doc`` for the annotated attributions."""
    n = len(doc)
    role: list[str | None] = [None] * n
    span_id = [-1] * n
    starts = [t.idx for t in doc]
    ends = [t.idx + len(t.text) for t in doc]
    counter = 0
    for attribution in gold:
        for name, frags in (
            ("CONTENT", attribution.content),
            ("SOURCE", attribution.source),
            ("CUE", attribution.cue),
        ):
            for a, b in frags:
                counter += 1
                for i in _tokens_in(starts, ends, a, b):
                    current = role[i]
                    if current is None or _PRIORITY[name] >= _PRIORITY[current]:
                        role[i] = name
                        span_id[i] = counter
    labels = []
    for i in range(n):
        r = role[i]
        if r is None or doc[i].is_space:
            labels.append("O")
            continue
        same = i > 0 and role[i - 1] == r and span_id[i - 1] == span_id[i]
        labels.append(("I-" if same else "B-") + r)
    return labels


def _tokens_in(starts: list[int], ends: list[int], a: int, b: int) -> list[int]:
    first = max(0, bisect.bisect_right(starts, a) - 1)
    out = []
    for i in range(first, len(starts)):
        if starts[i] >= b:
            break
        if ends[i] > a:
            out.append(i)
    return out


def decode(units: list[list[int]], tags: list[list[str]]) -> list[TokenSpan]:
    """Turn tag sequences into token spans; an ``I-`` without its ``B-`` starts a span."""
    spans: list[TokenSpan] = []
    for unit, unit_tags in zip(units, tags, strict=True):
        current: str | None = None
        start = 0
        last = -1
        for i, tag in zip(unit, unit_tags, strict=True):
            role = tag[2:] if tag != "O" else None
            continues = tag.startswith("I-") and role == current and i == last + 1
            if current is not None and not continues:
                spans.append(TokenSpan(current, start, last + 1))
                current = None
            if role is not None and not continues:
                current, start = role, i
            last = i
        if current is not None:
            spans.append(TokenSpan(current, start, last + 1))
    return spans
