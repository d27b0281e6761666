"""Quotations: each stored quote joins the statement it repeats, or starts one.

Input: the quotes of one stored article (``BatchQuote``), in text order. Output: through the
store's ``_story_index`` statements, rows of the quotation tables; the quotations the
article's quoted words are in (for its story).

Attaching one quote, in order: an exact wording (normalised) of a compatible speaker, else a
fuzzy one (shingle containment within the same speaker, through the ``quote_shingles``
inverted index, agreeing with the quotation's longest wording unless a wording is found whole
inside it), else a new quotation; a longer quote matching several quotations merges them, a
fragment matching several joins the closest.

Rules for the speaker of a match: the same stored speaker; or, for an exact wording of at
least ``MIN_SPEAKERLESS_TOKENS`` words, a quote whose speaker is unknown on either side.

What the lookups of a whole batch need is read at its start in a few statements
(``BatchQuotations``: the stored wordings with its text keys; ``_shingles.BatchShingles``:
the 3-gram index under its keys) and kept current as the batch's articles add wordings and
merge quotations, so each quote sees what the ones before it stored, as it would reading the
database. The links from quotes to
quotations and the quotations' counts are written once per article
(``ArticleQuotations.write``); a merge before then moves the pending ones along.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence
from typing import Final

from onrecord.derive._shingles import BatchShingles
from onrecord.store import Connection
from onrecord.store import _quotation_index as index
from onrecord.store._quotation_index import Longest, NewWording, ReservedIds, Wording
from onrecord.store._story_index import BatchQuote
from onrecord.stories import (
    CONTAINMENT_THRESHOLD,
    MIN_FUZZY_TOKENS,
    MIN_SPEAKERLESS_TOKENS,
    QUOTE_SHINGLE,
    SHINGLE_SEPARATOR,
    containment,
    is_fuzzy_match,
    quote_tokens,
    scoped_keys,
    text_key,
    word_shingles,
)

log = logging.getLogger(__name__)

WHOLE_FRAGMENT: Final = 0.9
# The fewest shared 3-grams a fuzzy match can have: the shortest version allowed has
# MIN_FUZZY_TOKENS words, hence that many 3-grams less two.
MIN_SHARED: Final = math.ceil(CONTAINMENT_THRESHOLD * (MIN_FUZZY_TOKENS - QUOTE_SHINGLE + 1))
# Only quoted words (direct or mixed) tie articles into a story; reported speech is
# paraphrase, and generic sources ("officials said") repeat it.
STORY_KINDS: Final = frozenset({"direct", "mixed"})


def _words(quote: BatchQuote) -> tuple[tuple[str, ...], str]:
    """A quote's words and their text key ("" without words)."""
    tokens = quote_tokens(quote.text)
    return tokens, text_key(SHINGLE_SEPARATOR.join(tokens)) if tokens else ""


class BatchQuotations:
    """What the quotes of one batch share as they join quotations, article after article:
    the stored wordings of their text keys, and the ids taken ahead for new rows."""

    def __init__(self, conn: Connection, quotes: Sequence[BatchQuote]) -> None:
        self.conn = conn
        words = [_words(quote) for quote in quotes]
        # Stored wordings by text key, (variant id, quotation id, speaker id), read once for
        # the batch and kept current: wordings its quotes add are appended (their ids are
        # higher than any stored), and a merge rewrites the quotation of those it moves.
        self.wordings = index.same_wordings(conn, sorted({key for _, key in words if key}))
        self.shingles = BatchShingles(
            conn,
            [
                sorted(_fuzzy_keys(quote, tokens))
                for quote, (tokens, _) in zip(quotes, words, strict=True)
            ],
            MIN_SHARED,
        )
        self.ids: ReservedIds = index.reserve_ids(conn, sum(1 for tokens, _ in words if tokens))

    def merge(self, target: int, other: int) -> None:
        """Merge quotation ``other`` into ``target``, in the database and in what is held."""
        index.merge_quotations(self.conn, target, other)
        for held in self.wordings.values():
            held[:] = [
                (variant, target if quotation == other else quotation, speaker)
                for variant, quotation, speaker in held
            ]
        self.shingles.merged(target, other)

    def attach_all(self, quotes: Sequence[BatchQuote]) -> set[int]:
        """Attach one article's quotes; see ``ArticleQuotations.attach_all``."""
        return ArticleQuotations(self).attach_all(quotes)


class ArticleQuotations:
    """The quotes of one article as they join quotations, and what is left to write."""

    def __init__(self, batch: BatchQuotations) -> None:
        self._batch = batch
        self._conn = batch.conn
        # (quote id, quotation id, variant id, kind), written by ``write``.
        self._links: list[tuple[int, int, int, str]] = []
        self._growth: Counter[int] = Counter()
        self.joined: set[int] = set()

    def attach_all(self, quotes: Sequence[BatchQuote]) -> set[int]:
        """Attach the article's quotes in text order and write their links; returns the
        quotations its quoted words (direct or mixed) are in."""
        for quote in quotes:
            words, key = _words(quote)
            if not words:
                continue  # a quote without a single word joins no quotation
            self.joined.add(self._attach(quote, words, key))
        return self.write()

    def _attach(self, quote: BatchQuote, tokens: tuple[str, ...], key: str) -> int:
        """Put one quote into its quotation, creating or merging quotations as needed;
        returns the quotation's id.

        A fuzzy match never joins a quotation an earlier quote of the same article joined,
        since two similar statements in one article are two statements (an exact repeat
        still joins).
        """
        shingles = word_shingles(tokens, QUOTE_SHINGLE)
        speaker_id = quote.speaker_id
        matches: set[int] = set()
        own_variant: int | None = None
        for variant_id, quotation_id, other_speaker in self._batch.wordings.get(key, []):
            if speaker_id is not None and other_speaker == speaker_id:
                matches.add(quotation_id)
                own_variant = variant_id if own_variant is None else own_variant
            elif len(tokens) >= MIN_SPEAKERLESS_TOKENS and None in (speaker_id, other_speaker):
                matches.add(quotation_id)
                if speaker_id is None and other_speaker is None and own_variant is None:
                    own_variant = variant_id
        keys = _fuzzy_keys(quote, tokens)
        if keys:
            containing, contained = _fuzzy_matches(
                self._batch.shingles, sorted(keys), speaker_id, tokens, shingles
            )
            matches |= containing - self.joined
            # A fragment found in several statements is ambiguous: it joins the one it shares
            # most words with and merges nothing. A longer quote containing several fragments
            # does merge them, above.
            candidates = {
                quotation: shared
                for quotation, shared in contained.items()
                if quotation not in self.joined
            }
            if not matches and candidates:
                matches.add(max(candidates, key=lambda found: (candidates[found], -found)))
        wording = NewWording(
            text_key=key,
            scope=quote.scope,
            text=" ".join(quote.text.split()),
            first_quote_id=quote.quote_id,
            token_count=len(tokens),
            shingle_count=len(shingles),
            shingle_keys=tuple(sorted(keys)),
        )
        is_new_wording = own_variant is None
        if matches:
            target = min(matches)
            for other in sorted(matches - {target}):
                self._merge(target, other)
            if own_variant is None:
                own_variant = index.new_wording(self._conn, target, wording, self._batch.ids)
                self._batch.shingles.added(
                    _held(own_variant, target, wording, speaker_id),
                    wording.shingle_keys,
                    wording.text,
                )
        else:
            target, own_variant = index.new_quotation(
                self._conn, speaker_id, wording, self._batch.ids
            )
            self._batch.shingles.started(
                _held(own_variant, target, wording, speaker_id), wording.shingle_keys, wording.text
            )
        if is_new_wording:
            self._batch.wordings.setdefault(key, []).append((own_variant, target, speaker_id))
        self._links.append((quote.quote_id, target, own_variant, quote.kind))
        self._growth[target] += 1
        return target

    def _merge(self, target: int, other: int) -> None:
        self._batch.merge(target, other)
        self._links = [
            (quote_id, target if quotation_id == other else quotation_id, variant_id, kind)
            for quote_id, quotation_id, variant_id, kind in self._links
        ]
        self._growth[target] += self._growth.pop(other, 0)
        log.debug("merged quotation %d into %d", other, target)

    def write(self) -> set[int]:
        """Write the pending links and counts; returns the quotations of the quoted words."""
        index.link_quotes(
            self._conn,
            [(quote_id, quotation, variant) for quote_id, quotation, variant, _ in self._links],
            self._growth,
        )
        quoted = {quotation for _, quotation, _, kind in self._links if kind in STORY_KINDS}
        self._links, self._growth = [], Counter()
        return quoted


def _fuzzy_keys(quote: BatchQuote, tokens: tuple[str, ...]) -> set[int]:
    """The scoped 3-gram keys a quote looks up fuzzy matches by: none without a speaker."""
    if quote.speaker_id is None or not tokens:
        return set()
    return scoped_keys(quote.scope, word_shingles(tokens, QUOTE_SHINGLE))


def _held(
    variant_id: int, quotation_id: int, wording: NewWording, speaker_id: int | None
) -> Wording:
    return Wording(
        id=variant_id,
        quotation_id=quotation_id,
        token_count=wording.token_count,
        shingle_count=wording.shingle_count,
        speaker_id=speaker_id,
    )


def _fuzzy_matches(
    lookups: BatchShingles,
    keys: Sequence[int],
    speaker_id: int | None,
    tokens: tuple[str, ...],
    shingles: set[str],
) -> tuple[set[int], dict[int, int]]:
    """Quotations the new quote matches: those it contains (or equals in length), and those
    that contain it, the latter with the number of shared 3-grams."""
    # Per key, only the newest variants: a generic source ("officials", "figures") repeats
    # phrases across thousands of statements, and reading every one of them for every new
    # quote would make indexing slow down as the store grows.
    candidates = lookups.candidates(keys)
    size = (len(tokens), len(shingles))
    containing: set[int] = set()
    contained: dict[int, int] = {}
    for candidate in candidates:
        wording, shared = candidate.wording, candidate.shared
        if wording.speaker_id != speaker_id:
            continue
        if not is_fuzzy_match(shared, size, (wording.token_count, wording.shingle_count)):
            continue
        quotation_id = wording.quotation_id
        if size[0] < wording.token_count:
            contained[quotation_id] = max(shared, contained.get(quotation_id, 0))
        elif (
            wording.token_count < size[0]
            and containment(shared, wording.shingle_count, size[1]) >= WHOLE_FRAGMENT
        ) or _agrees_with_longest(lookups.longest(quotation_id), wording.id, size, shingles):
            containing.add(quotation_id)
    return containing, contained


def _agrees_with_longest(
    longest: Longest | None, variant_id: int, size: tuple[int, int], shingles: set[str]
) -> bool:
    # Matching a quotation through one of its other wordings (a partly shared fragment, a
    # light edit) is not enough: the new quote must match its longest wording too. Otherwise a
    # phrase two statements share, or a chain of small edits, would join different statements
    # into one. A fragment found whole in the new quote needs no such check: outlets quote
    # different stretches of one long statement around the same words.
    if longest is None or longest.id == variant_id:
        return True
    longest_tokens = quote_tokens(longest.text)
    longest_shingles = word_shingles(longest_tokens, QUOTE_SHINGLE)
    shared = len(shingles & longest_shingles)
    return is_fuzzy_match(shared, size, (len(longest_tokens), len(longest_shingles)))
