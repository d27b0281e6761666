"""Quotations and stories kept up to date as articles are stored.

Input: rowids of articles just stored (inside the batch's transaction). Output: through the
store's ``_story_index`` statements, rows of the quotation and story tables, read back by
``Store.quotations`` and ``Store.stories``.

Indexing one article, in order:

1. its quotes join their quotations (``_quotations``);
2. its MinHash signature is looked up through its LSH band keys (``article_bands``);
   candidates above ``DUPLICATE_SIMILARITY`` are duplicates, above ``RELATED_SIMILARITY`` and
   within ``STORY_WINDOW_DAYS`` they are related;
3. articles within the window carrying one of its quotations are linked too;
4. the article joins the story of its links (merging stories it bridges) or starts one.

Articles are indexed one after another, in the order stored: each sees the quotations and
stories of those before it. The batch's texts and quotes are read in one statement each.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final

from onrecord.derive._quotations import BatchQuotations
from onrecord.store import Connection
from onrecord.store import _story_index as index
from onrecord.stories import article_signature, band_keys, signature_similarity

log = logging.getLogger(__name__)

DUPLICATE_SIMILARITY: Final = 0.45
RELATED_SIMILARITY: Final = 0.35
MAX_CANDIDATES: Final = 100
# Per band key, only the newest articles are read, so indexing time per article stays flat as
# the store grows; only bands shared by that many stored articles are cut short.
MAX_ARTICLES_PER_BAND: Final = 200
STORY_WINDOW_DAYS: Final = 7
MAX_QUOTATION_NEIGHBOURS: Final = 200


def index_articles(conn: Connection, rowids: Sequence[int]) -> None:
    """Attach the quotes of newly stored articles to quotations and the articles to stories.

    Args:
        conn: Open connection inside the caller's transaction.
        rowids: ``articles.rowid`` of the new articles, in the order they were stored.
    """
    quotes = index.batch_quotes(conn, rowids)
    texts = index.article_texts(conn, rowids)
    indexed = [rowid for rowid in rowids if rowid in texts]
    quotations = BatchQuotations(conn, [quote for rowid in indexed for quote in quotes[rowid]])
    for rowid in indexed:
        quotation_ids = quotations.attach_all(quotes[rowid])
        text, published = texts[rowid]
        _index_story(conn, rowid, text, published, quotation_ids)


def _within_window(first: date | None, second: date | None) -> bool:
    if first is None or second is None:
        return False
    return abs((first - second).days) <= STORY_WINDOW_DAYS


def _index_story(
    conn: Connection, rowid: int, text: str, published: date | None, quotation_ids: set[int]
) -> None:
    signature = article_signature(text)
    keys = band_keys(signature)
    links: dict[int, tuple[str, float]] = {}
    # The story each linked article is in, read with it.
    story_of: dict[int, int] = {}
    if keys:
        # Most shared bands first, and only so many: boilerplate (a site's long footer, a
        # template) makes many weak candidates, and the number of shared bands already ranks
        # them by similarity (5 of 42 expected at J = 0.5, 0.1 at J = 0.14).
        for candidate in index.story_candidates(conn, keys, MAX_ARTICLES_PER_BAND, MAX_CANDIDATES):
            story_of[candidate.rowid] = candidate.story_id
            similarity = signature_similarity(signature, candidate.signature)
            if similarity >= DUPLICATE_SIMILARITY:
                links[candidate.rowid] = ("duplicate", similarity)
            elif similarity >= RELATED_SIMILARITY and _within_window(
                published, candidate.published
            ):
                links[candidate.rowid] = ("related", similarity)
    if published is not None and quotation_ids:
        window = timedelta(days=STORY_WINDOW_DAYS)
        neighbours = index.quotation_neighbours(
            conn,
            sorted(quotation_ids),
            rowid,
            (published - window, published + window),
            MAX_QUOTATION_NEIGHBOURS,
        )
        for other, (other_signature, other_story) in neighbours.items():
            story_of.setdefault(other, other_story)
            if other not in links:
                links[other] = ("quotation", signature_similarity(signature, other_signature))
    story_ids = {story_of[other] for other in links}
    target = min(story_ids) if story_ids else None
    for other_story in sorted(story_ids - {target}):
        index.merge_stories(conn, min(story_ids), other_story)
        log.debug("merged story %d into %d", other_story, target)
    index.join_story(
        conn,
        rowid,
        target,
        signature,
        keys,
        [
            (min(other, rowid), max(other, rowid), kind, similarity)
            for other, (kind, similarity) in sorted(links.items())
        ],
    )
