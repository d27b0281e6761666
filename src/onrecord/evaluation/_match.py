"""Span arithmetic for scoring: trimming, overlap scores, greedy one-to-one matching, speakers.

Input: character spans over one article text. Output: scores and matched index pairs.

Boundaries are compared after trimming whitespace, quotation marks and ``, . ; :`` from both
ends, so a prediction that includes (or leaves out) the closing mark and comma is not punished.
A gold content split into fragments around an interjected "he said" does not penalise a
prediction that runs through the gap: gap characters are left out of the prediction's length.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Fragments = tuple[tuple[int, int], ...]

DOUBLE_QUOTES = '"“”„«»‟〝〞＂'
SINGLE_QUOTES = "'‘’‚‛`"
TRIM_CHARS = frozenset(" \t\r\n\u00a0" + DOUBLE_QUOTES + SINGLE_QUOTES + ",.;:")
# Same length in and out, so offsets found in the folded text hold for the original.
_FOLD = str.maketrans(
    dict.fromkeys(DOUBLE_QUOTES, '"') | dict.fromkeys(SINGLE_QUOTES, "'") | {"\u00a0": " "}
)

# Words that say nothing about who is speaking: function words, reporting verbs, generic
# source nouns ("officials", "aides"), quantifiers, pronouns and titles. A speaker name that
# shares only such words with the gold source ("Mr. Smith" vs "Mr. Jones") is not a match.
_FUNCTION_WORDS = """
    the and for with from that this these those then than but not nor was were are has have
    had will would can could should may might must been being into onto over under about after
    before also just only very
"""
_REPORTING_VERBS = """
    said says say saying told tells tell according added adds noted stated wrote writes claimed
    argued asked report reports reported
"""
_GENERIC_SOURCES = """
    official officials spokesman spokeswoman spokesperson aide aides source sources person people
    statement statements group groups member members leader leaders campaign
"""
_QUANTIFIERS = """
    many some other others several most more all both each any one two three new former senior top
"""
_PRONOUNS = """
    he she him her his hers they them their theirs its it's who whom whose which what you your
    yours our ours we us i me my mine himself herself themselves itself myself
"""
_TITLES = """
    mr mrs ms dr sen rep gov president presidential senator representative governor secretary
    minister chairman chairwoman chair director nominee candidate candidates
"""
SPEAKER_STOPWORDS = frozenset(
    " ".join(
        (_FUNCTION_WORDS, _REPORTING_VERBS, _GENERIC_SOURCES, _QUANTIFIERS, _PRONOUNS, _TITLES)
    ).split()
)
_TOKEN = re.compile(r"[a-z0-9]+")
MIN_TOKEN_CHARS = 3


def fold_quotes(text: str) -> str:
    """Map every quotation mark to ``"`` or ``'`` and no-break spaces to spaces (same length)."""
    return text.translate(_FOLD)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` right and ``end`` left past whitespace, quote marks and ``, . ; :``."""
    while start < end and text[start] in TRIM_CHARS:
        start += 1
    while end > start and text[end - 1] in TRIM_CHARS:
        end -= 1
    return start, end


def merge_fragments(fragments: Iterable[tuple[int, int]]) -> Fragments:
    """Sort fragments and merge the ones that overlap or touch; empty ones are dropped."""
    merged: list[list[int]] = []
    for start, end in sorted(fragments):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((start, end) for start, end in merged)


def trim_fragments(text: str, fragments: Fragments) -> Fragments:
    """Trim the outer ends of a fragment list; fragments that trim to nothing are dropped.

    Inner boundaries stay as annotated: only the extent's two ends are trimmed.
    """
    kept = list(fragments)
    while kept:
        start, end = trim_span(text, *kept[0])
        if start < end:
            kept[0] = (start, kept[0][1])
            break
        kept.pop(0)
    while kept:
        start, end = trim_span(text, *kept[-1])
        if start < end:
            kept[-1] = (kept[-1][0], end)
            break
        kept.pop()
    return tuple(kept)


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Number of characters two half-open spans share."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def span_score(start: int, end: int, gold: Fragments) -> float:
    """Overlap of a predicted span with gold fragments, relative to the longer of the two.

    The prediction's length leaves out characters that fall in gaps between gold fragments.

    Args:
        start: Trimmed predicted start.
        end: Trimmed predicted end.
        gold: Trimmed, sorted, non-overlapping gold fragments.

    Returns:
        A score in ``[0, 1]``; 0 when nothing overlaps.
    """
    if not gold or end <= start:
        return 0.0
    shared = sum(overlap(start, end, g_start, g_end) for g_start, g_end in gold)
    if shared == 0:
        return 0.0
    in_gaps = sum(
        overlap(start, end, left_end, right_start)
        for (_, left_end), (right_start, _) in itertools.pairwise(gold)
        if right_start > left_end
    )
    gold_length = sum(g_end - g_start for g_start, g_end in gold)
    return shared / max(end - start - in_gaps, gold_length)


def is_exact(start: int, end: int, gold: Fragments) -> bool:
    """True when the trimmed prediction spans exactly the trimmed gold extent."""
    return bool(gold) and start == gold[0][0] and end == gold[-1][1]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A scored (prediction, gold) pair eligible for matching."""

    score: float
    pred: int
    gold: int


def greedy_match(candidates: Iterable[Candidate]) -> list[tuple[int, int]]:
    """Pair predictions with gold one-to-one, best score first.

    Ties go to the lower prediction index, then the lower gold index, so results do not
    depend on the order the candidates were produced in.

    Returns:
        ``(pred_index, gold_index)`` pairs in the order they were taken.
    """
    taken_pred: set[int] = set()
    taken_gold: set[int] = set()
    pairs = []
    for cand in sorted(candidates, key=lambda c: (-c.score, c.pred, c.gold)):
        if cand.pred in taken_pred or cand.gold in taken_gold:
            continue
        taken_pred.add(cand.pred)
        taken_gold.add(cand.gold)
        pairs.append((cand.pred, cand.gold))
    return pairs


def content_tokens(text: str | None) -> set[str]:
    """Lowercase alphanumeric tokens of at least three characters that are not stopwords."""
    if not text:
        return set()
    return {
        token
        for token in _TOKEN.findall(text.lower())
        if len(token) >= MIN_TOKEN_CHARS and token not in SPEAKER_STOPWORDS
    }


def is_speaker_correct(
    mention: tuple[int, int] | None,
    name_or_mention: str | None,
    gold_source: Fragments,
    gold_source_text: str,
) -> bool:
    """Judge a predicted speaker against a gold Source.

    Correct when the predicted mention span overlaps the Source span, or when the predicted
    name (else mention text) shares a content token with the Source text. A gold attribution
    without a Source can never be matched.
    """
    if not gold_source:
        return False
    if mention is not None and any(overlap(*mention, s, e) > 0 for s, e in gold_source):
        return True
    return bool(content_tokens(name_or_mention) & content_tokens(gold_source_text))


def find_nearest_word(text: str, needle: str | None, anchor: int) -> tuple[int, int] | None:
    """The whole-word occurrence of ``needle`` whose start lies nearest ``anchor``.

    Quote marks are folded on both sides; the earlier occurrence wins a tie.
    """
    if not needle or not needle.strip():
        return None
    folded = fold_quotes(needle.strip())
    left = r"\b" if folded[0].isalnum() else ""
    right = r"\b" if folded[-1].isalnum() else ""
    best: int | None = None
    for found in re.finditer(left + re.escape(folded) + right, fold_quotes(text)):
        if best is None or abs(found.start() - anchor) < abs(best - anchor):
            best = found.start()
    return None if best is None else (best, best + len(folded))


def find_word_near_span(
    text: str, needle: str | None, start: int, end: int
) -> tuple[int, int] | None:
    """The whole-word occurrence of ``needle`` closest to the span ``[start, end)``.

    Distance is 0 inside the span, else the gap to its nearer edge; the earlier one wins a tie.
    """
    if not needle or not needle.strip():
        return None
    folded = fold_quotes(needle.strip())
    left = r"\b" if folded[0].isalnum() else ""
    right = r"\b" if folded[-1].isalnum() else ""
    best: tuple[int, int] | None = None
    best_distance = 0
    for found in re.finditer(left + re.escape(folded) + right, fold_quotes(text)):
        distance = max(0, start - found.end(), found.start() - end)
        if best is None or distance < best_distance:
            best, best_distance = (found.start(), found.end()), distance
    return best


def locate_text(
    text: str, needle: str, cursor: int, used: Sequence[int] | set[int]
) -> tuple[int, int] | None:
    """Find a quote given only by its text: first unused occurrence at or after ``cursor``.

    Falls back to the first unused occurrence anywhere, then to the first occurrence.
    """
    folded = fold_quotes(needle.strip())
    if not folded:
        return None
    haystack = fold_quotes(text)
    starts = [m.start() for m in re.finditer("(?=" + re.escape(folded) + ")", haystack)]
    if not starts:
        return None
    unused = [s for s in starts if s not in used]
    after = [s for s in unused if s >= cursor]
    pick = after[0] if after else unused[0] if unused else starts[0]
    return pick, pick + len(folded)
