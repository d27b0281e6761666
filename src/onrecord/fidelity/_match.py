"""Occurrences across quotations -> which are one statement, and which is the first report.

Quotation grouping (``onrecord.derive``) keeps one speaker's wordings together; it
never joins the same words under two speakers, nor a reported statement with the direct quote
made of it later. Fidelity finds those itself:

1. ``sketch_keys``: each wording is indexed by the smallest few hashes of its word 3-grams in
   match form (folded, tense and person as in indirect speech), so that candidates are found
   through an indexed table whatever the speaker or kind;
2. ``is_same_statement``: a candidate is kept when most words of the shorter wording align with
   the other (and, across speakers, most of the longer too), within ``window_days``;
3. ``first_report``: among one statement's occurrences, the article that first carried it
   (``trace_origin``: the outlet relays name, else the earliest), and in it the quoted wording
   (a direct or mixed quote before a reported one), the longest first.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Final

from onrecord.fidelity._compare import LEADING_WORDS, QUOTED, FidelitySettings, is_same_speaker
from onrecord.fidelity._tokens import folded_words, match_form
from onrecord.stories import Occurrence, chronological_key, trace_origin

SHINGLE: Final = 3
# A new quote is checked against several candidates, and a candidate against several new ones.
BAG_CACHE: Final = 8_192
KIND_ORDER: Final = {"direct": 0, "mixed": 1, "indirect": 2}


def match_tokens(text: str, kind: str) -> tuple[str, ...]:
    """A wording's words in match form: folded, with tense and person of indirect speech.

    Only what a mixed quote puts inside quotation marks counts, as in ``quoted_words``, and a
    reported statement's leading "that" is the reporter's.
    """
    if kind == "mixed" and (parts := QUOTED.findall(text)):
        text = " ".join(parts)
    found = folded_words(text)
    if kind == "indirect" and len(found) > 1 and found[0] in LEADING_WORDS:
        found = found[1:]
    return tuple(match_form(word) for word in found)


def sketch_keys(tokens: Sequence[str], settings: FidelitySettings) -> list[int]:
    """Winnowed CRC-32 hashes of a wording's word 3-grams: the smallest in each run of
    ``sketch_window`` consecutive 3-grams.

    Any stretch of ``sketch_window + 2`` words two wordings share gives them a key in common
    (winnowing picks the same minimum in the same run on both sides), so a trimmed fragment
    shares keys with the whole, and two near-identical wordings share most of them. Fewer
    than ``min_words`` words: no keys.
    """
    if len(tokens) < settings.min_words:
        return []
    # CRC-32 is stable across processes (the keys are stored) and cheap; a collision only
    # adds a candidate that the alignment then turns down.
    hashes = [
        zlib.crc32(" ".join(tokens[i : i + SHINGLE]).encode("utf-8", "surrogatepass"))
        for i in range(max(1, len(tokens) - SHINGLE + 1))
    ]
    window = min(settings.sketch_window, len(hashes))
    return sorted({min(hashes[i : i + window]) for i in range(len(hashes) - window + 1)})


@lru_cache(maxsize=BAG_CACHE)
def _bag(tokens: tuple[str, ...]) -> Counter[str]:
    return Counter(tokens)


def aligned_words(first: Sequence[str], second: Sequence[str]) -> int:
    """How many words of two wordings align (the sum of ``difflib``'s matching blocks)."""
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def is_same_statement(
    first: Occurrence,
    first_tokens: Sequence[str],
    second: Occurrence,
    second_tokens: Sequence[str],
    settings: FidelitySettings,
) -> bool:
    """Whether two occurrences in different quotations are one statement (see module doc)."""
    if (
        first.published
        and second.published
        and abs((first.published - second.published).days) > settings.window_days
    ):
        return False
    shorter, longer = sorted((len(first_tokens), len(second_tokens)))
    if shorter < settings.min_words:
        return False
    is_one_speaker = bool(is_same_speaker(first.speaker, second.speaker))
    if not is_one_speaker and (
        shorter < settings.min_cross_speaker_words or shorter / longer < settings.min_cross_speaker
    ):
        return False
    # Words in common, order aside, bound the aligned words from above and cost far less.
    if sum((_bag(tuple(first_tokens)) & _bag(tuple(second_tokens))).values()) < (
        settings.min_shared * shorter
    ):
        return False
    shared = aligned_words(first_tokens, second_tokens)
    if shared / shorter < settings.min_shared:
        return False
    return is_one_speaker or shared / longer >= settings.min_cross_speaker


def first_report(occurrences: Sequence[Occurrence]) -> Occurrence:
    """The occurrence later ones are compared with (see the module docstring, step 3).

    Raises:
        ValueError: ``occurrences`` is empty.
    """
    return first_reports(occurrences)[0]


def closest(tokens: Sequence[str], reports: Sequence[tuple[Occurrence, Sequence[str]]]) -> int:
    """The index of the first-report wording that most of ``tokens`` align with (ties: the
    earlier, so a quoted wording before a reported one)."""
    best, best_shared = 0, -1
    for index, (_, other) in enumerate(reports):
        shared = aligned_words(tokens, other)
        if shared > best_shared:
            best, best_shared = index, shared
    return best


def first_reports(occurrences: Sequence[Occurrence]) -> list[Occurrence]:
    """Every occurrence in the article that first carried a statement, the one to compare
    with first (see the module docstring, step 3); an article can carry the statement twice,
    quoted and reported, or a joined family can hold two of its statements.

    Raises:
        ValueError: ``occurrences`` is empty.
    """
    origin = trace_origin(0, None, occurrences)
    article_id = origin.first.article_id
    if article_id is None:
        article_id = min(
            occurrences,
            key=lambda o: (*chronological_key(o.published, o.ingested_order), o.quote_id),
        ).article_id
    own = [o for o in occurrences if o.article_id == article_id]
    return sorted(own, key=lambda o: (KIND_ORDER.get(o.kind, 3), -len(o.text), o.quote_id))


_INTERVIEW_CUES: Final = (
    r"(?:told|tells|telling|interview with|interviewed by|speaking to|spoke to|said to|"
    r"talking to|talked to)"
)


def is_own_interview(context: str, outlet: str | None) -> bool:
    """Whether the text around a quote says the speaker told the article's own outlet.

    Args:
        context: The quote with a few sentences' worth of text either side.
        outlet: The article's outlet.

    Returns:
        True for "told the Harbour Gazette" or "in an interview with the Gazette" in an
        article of the Harbour Gazette.
    """
    names = [part for part in re.findall(r"[^\W_]+", outlet or "") if part[0].isupper()]
    if not names:
        return False
    options = "|".join(dict.fromkeys([r"\s+".join(map(re.escape, names)), re.escape(names[-1])]))
    pattern = rf"\b{_INTERVIEW_CUES}\s+(?:the\s+)?(?:[\w-]+\s+){{0,2}}?(?:{options})\b"
    return re.search(pattern, context) is not None
