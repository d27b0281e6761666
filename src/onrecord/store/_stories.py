"""Quotations and stories kept up to date as articles are stored.

Input: rowids of articles just inserted (inside the caller's transaction). Output: rows in
the quotation and story tables, read back by ``onrecord.store._story_queries``.

Indexing one article, in order:

1. each quote is attached to a quotation: an exact wording (normalised) of a compatible
   speaker, else a fuzzy one (shingle containment within the same speaker, through the
   ``quote_shingles`` inverted index, agreeing with the quotation's longest wording unless
   a wording is found whole inside it), else a new quotation; a longer quote matching
   several quotations merges them, a fragment matching several joins the closest;
2. the article's MinHash signature is looked up through its LSH band keys
   (``article_bands``); candidates above ``DUPLICATE_SIMILARITY`` are duplicates, above
   ``RELATED_SIMILARITY`` and within ``STORY_WINDOW_DAYS`` they are related;
3. articles within the window carrying one of its quotations are linked too;
4. the article joins the story of its links (merging stories it bridges) or starts one.

Rules for the speaker of a match: the same stored speaker; or, for an exact wording of at
least ``MIN_SPEAKERLESS_TOKENS`` words, a quote whose speaker is unknown on either side.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Final

import sqlalchemy

from onrecord.store._articles import parse_date
from onrecord.store._connection import Connection, is_postgres
from onrecord.store._query import insert_many, run
from onrecord.store._schema import (
    ARTICLE_BANDS,
    ARTICLE_LINKS,
    ARTICLE_STORY,
    ARTICLES,
    QUOTATIONS,
    QUOTE_QUOTATION,
    QUOTE_SHINGLES,
    QUOTE_VARIANTS,
    QUOTES,
    SPEAKERS,
    STORIES,
)
from onrecord.store._writes import insert_id
from onrecord.stories import (
    article_signature,
    band_keys,
    containment,
    is_fuzzy_match,
    quote_tokens,
    signature_similarity,
    word_shingles,
)
from onrecord.stories._similarity import (
    CONTAINMENT_THRESHOLD,
    MIN_FUZZY_TOKENS,
    MIN_SPEAKERLESS_TOKENS,
    QUOTE_SHINGLE,
)
from onrecord.stories._text import SHINGLE_SEPARATOR, scoped_keys, text_key

log = logging.getLogger(__name__)

DUPLICATE_SIMILARITY: Final = 0.45
RELATED_SIMILARITY: Final = 0.35
MAX_CANDIDATES: Final = 100
# Bounds on what one lookup reads, newest first, so indexing time per article stays flat as
# the store grows; only phrases or bands shared by that many stored items are cut short.
MAX_ARTICLES_PER_BAND: Final = 200
MAX_VARIANTS_PER_KEY: Final = 200
MAX_VARIANT_CANDIDATES: Final = 50
WHOLE_FRAGMENT: Final = 0.9
# The fewest shared 3-grams a fuzzy match can have: the shortest version allowed has
# MIN_FUZZY_TOKENS words, hence that many 3-grams less two.
MIN_SHARED: Final = math.ceil(CONTAINMENT_THRESHOLD * (MIN_FUZZY_TOKENS - QUOTE_SHINGLE + 1))
STORY_WINDOW_DAYS: Final = 7
MAX_QUOTATION_NEIGHBOURS: Final = 200
INDEX_TABLES: Final = (
    QUOTE_QUOTATION,
    QUOTE_SHINGLES,
    QUOTE_VARIANTS,
    QUOTATIONS,
    ARTICLE_LINKS,
    ARTICLE_BANDS,
    ARTICLE_STORY,
    STORIES,
)


# The newest rows under one key of an inverted index (word 3-grams, MinHash bands). SQLite
# answers one key at a time from its index, in-process; PostgreSQL gets every key of a lookup
# in one statement (one round trip), each key still cut at its newest ``limit`` rows.
NEWEST_VARIANTS: Final = (
    sqlalchemy.text(
        f"SELECT variant_id FROM {QUOTE_SHINGLES} WHERE key = :key "
        "ORDER BY variant_id DESC LIMIT :limit"
    ),
    sqlalchemy.text(
        "SELECT newest.variant_id FROM unnest(CAST(:keys AS BIGINT[])) AS wanted(key) "
        f"CROSS JOIN LATERAL (SELECT variant_id FROM {QUOTE_SHINGLES} s WHERE s.key = wanted.key "
        "ORDER BY variant_id DESC LIMIT :limit) AS newest"
    ),
)
NEWEST_ARTICLES: Final = (
    sqlalchemy.text(
        f"SELECT article_rowid FROM {ARTICLE_BANDS} WHERE key = :key "
        "ORDER BY article_rowid DESC LIMIT :limit"
    ),
    sqlalchemy.text(
        "SELECT newest.article_rowid FROM unnest(CAST(:keys AS BIGINT[])) AS wanted(key) "
        f"CROSS JOIN LATERAL (SELECT article_rowid FROM {ARTICLE_BANDS} b "
        "WHERE b.key = wanted.key ORDER BY article_rowid DESC LIMIT :limit) AS newest"
    ),
)


def _newest_per_key(
    conn: Connection,
    newest: tuple[sqlalchemy.TextClause, sqlalchemy.TextClause],
    keys: Iterable[int],
    limit: int,
) -> Counter[int]:
    """How many of ``keys`` each id shares, counting only the newest ``limit`` ids per key."""
    shared: Counter[int] = Counter()
    if is_postgres(conn):
        wanted = list(keys)
        if wanted:
            found = run(conn, newest[1], {"keys": wanted, "limit": limit})
            shared.update(int(row[0]) for row in found)
        return shared
    for key in keys:
        shared.update(int(row[0]) for row in run(conn, newest[0], {"key": key, "limit": limit}))
    return shared


def _marks(count: int) -> str:
    return ", ".join("?" for _ in range(count))


def index_articles(conn: Connection, rowids: Iterable[int]) -> None:
    """Attach the quotes of newly stored articles to quotations and the articles to stories.

    Args:
        conn: Open connection inside the caller's transaction.
        rowids: ``articles.rowid`` of the new articles, in the order they were stored.
    """
    for rowid in rowids:
        quotation_ids = _index_quotes(conn, rowid)
        _index_story(conn, rowid, quotation_ids)


def _index_quotes(conn: Connection, rowid: int) -> set[int]:
    """Attach an article's quotes; return the quotations of its quoted words (for stories)."""
    rows = conn.execute(
        f"SELECT q.id, q.text, q.speaker_id, s.surname FROM {ARTICLES} a "
        f"JOIN {QUOTES} q ON q.article_id = a.id "
        f"LEFT JOIN {SPEAKERS} s ON s.id = q.speaker_id WHERE a.rowid = ? ORDER BY q.position",
        (rowid,),
    ).fetchall()
    found: set[int] = set()
    for quote_id, text, speaker_id, surname in rows:
        quotation_id = attach_quote(conn, quote_id, text, speaker_id, surname or "", found)
        if quotation_id is not None:
            found.add(quotation_id)
    if not found:
        return found
    # Read back rather than kept: a later quote of the article may have merged the quotation
    # of an earlier one away. Only quoted words (direct or mixed) tie articles into a story;
    # reported speech is paraphrase, and generic sources ("officials said") repeat it.
    current = conn.execute(
        f"SELECT DISTINCT qq.quotation_id FROM {QUOTE_QUOTATION} qq "
        f"JOIN {QUOTES} q ON q.id = qq.quote_id JOIN {ARTICLES} a ON a.id = q.article_id "
        "WHERE a.rowid = ? AND q.kind IN ('direct', 'mixed')",
        (rowid,),
    ).fetchall()
    return {int(row[0]) for row in current}


def attach_quote(
    conn: Connection,
    quote_id: int,
    text: str,
    speaker_id: int | None,
    scope: str,
    same_article: set[int] | None = None,
) -> int | None:
    """Put one stored quote into its quotation, creating or merging quotations as needed.

    Args:
        conn: Open connection inside a transaction.
        quote_id: ``quotes.id`` of the quote.
        text: The quote as written.
        speaker_id: Its stored speaker, or ``None``.
        scope: The speaker's surname key (``""`` without a speaker); shingle keys are scoped
            by it.
        same_article: Quotations that earlier quotes of the same article joined; a fuzzy
            match never joins one of them, since two similar statements in one article are
            two statements (an exact repeat still joins).

    Returns:
        The quotation id, or ``None`` for a quote without a single word.
    """
    tokens = quote_tokens(text)
    if not tokens:
        return None
    normalised = SHINGLE_SEPARATOR.join(tokens)
    key = text_key(normalised)
    shingles = word_shingles(tokens, QUOTE_SHINGLE)
    matches: set[int] = set()
    own_variant: tuple[int, int] | None = None
    for variant_id, quotation_id, other_speaker in conn.execute(
        f"SELECT v.id, v.quotation_id, q.speaker_id FROM {QUOTE_VARIANTS} v "
        f"LEFT JOIN {QUOTES} q ON q.id = v.first_quote_id WHERE v.text_key = ?",
        (key,),
    ).fetchall():
        if speaker_id is not None and other_speaker == speaker_id:
            matches.add(quotation_id)
            own_variant = own_variant or (variant_id, quotation_id)
        elif len(tokens) >= MIN_SPEAKERLESS_TOKENS and None in (speaker_id, other_speaker):
            matches.add(quotation_id)
            if speaker_id is None and other_speaker is None:
                own_variant = own_variant or (variant_id, quotation_id)
    keys = scoped_keys(scope, shingles) if speaker_id is not None else set()
    if keys:
        excluded = same_article or set()
        containing, contained = _fuzzy_matches(conn, keys, speaker_id, tokens, shingles)
        matches |= containing - excluded
        # A fragment found in several statements is ambiguous: it joins the one it shares
        # most words with and merges nothing. A longer quote containing several fragments
        # does merge them, above.
        candidates = {key: shared for key, shared in contained.items() if key not in excluded}
        if not matches and candidates:
            matches.add(max(candidates, key=lambda key: (candidates[key], -key)))
    if matches:
        target = min(matches)
        for other in sorted(matches - {target}):
            _merge_quotations(conn, target, other)
    else:
        target = insert_id(conn, QUOTATIONS, {"speaker_id": speaker_id, "size": 0})
    if own_variant is not None:
        variant_id = own_variant[0]
    else:
        variant_id = insert_id(
            conn,
            QUOTE_VARIANTS,
            {
                "quotation_id": target,
                "text_key": key,
                "scope": scope,
                "text": " ".join(text.split()),
                "first_quote_id": quote_id,
                "token_count": len(tokens),
                "shingle_count": len(shingles),
            },
        )
        insert_many(
            conn,
            QUOTE_SHINGLES,
            (("key", "BIGINT"), ("variant_id", "BIGINT")),
            [(shingle_key, variant_id) for shingle_key in keys],
            is_ignoring_conflicts=True,
        )
    conn.execute(
        f"INSERT INTO {QUOTE_QUOTATION} (quote_id, quotation_id, variant_id) VALUES (?, ?, ?)",
        (quote_id, target, variant_id),
    )
    conn.execute(f"UPDATE {QUOTATIONS} SET size = size + 1 WHERE id = ?", (target,))
    return target


def _fuzzy_matches(
    conn: Connection,
    keys: set[int],
    speaker_id: int | None,
    tokens: tuple[str, ...],
    shingles: set[str],
) -> tuple[set[int], dict[int, int]]:
    """Quotations the new quote matches: those it contains (or equals in length), and those
    that contain it, the latter with the number of shared 3-grams."""
    # Per key, only the newest variants: a generic source ("officials", "figures") repeats
    # phrases across thousands of statements, and reading every one of them for every new
    # quote would make indexing slow down as the store grows.
    shared_by_variant = _newest_per_key(conn, NEWEST_VARIANTS, keys, MAX_VARIANTS_PER_KEY)
    best = [
        variant
        for variant, shared in shared_by_variant.most_common(MAX_VARIANT_CANDIDATES)
        if shared >= MIN_SHARED
    ]
    if not best:
        return set(), {}
    rows = conn.execute(
        f"SELECT v.id, v.quotation_id, v.token_count, v.shingle_count, q.speaker_id "
        f"FROM {QUOTE_VARIANTS} v LEFT JOIN {QUOTES} q ON q.id = v.first_quote_id "
        f"WHERE v.id IN ({_marks(len(best))})",
        best,
    ).fetchall()
    size = (len(tokens), len(shingles))
    containing: set[int] = set()
    contained: dict[int, int] = {}
    for variant_id, quotation_id, token_count, shingle_count, other_speaker in rows:
        shared = shared_by_variant[int(variant_id)]
        if other_speaker != speaker_id:
            continue
        if not is_fuzzy_match(shared, size, (token_count, shingle_count)):
            continue
        if size[0] < token_count:
            contained[int(quotation_id)] = max(shared, contained.get(int(quotation_id), 0))
        elif (
            token_count < size[0] and containment(shared, shingle_count, size[1]) >= WHOLE_FRAGMENT
        ) or _agrees_with_longest(conn, int(quotation_id), int(variant_id), size, shingles):
            containing.add(int(quotation_id))
    return containing, contained


def _agrees_with_longest(
    conn: Connection,
    quotation_id: int,
    variant_id: int,
    size: tuple[int, int],
    shingles: set[str],
) -> bool:
    # Matching a quotation through one of its other wordings (a partly shared fragment, a
    # light edit) is not enough: the new quote must match its longest wording too. Otherwise a
    # phrase two statements share, or a chain of small edits, would join different statements
    # into one. A fragment found whole in the new quote needs no such check: outlets quote
    # different stretches of one long statement around the same words.
    row = conn.execute(
        f"SELECT id, text FROM {QUOTE_VARIANTS} WHERE quotation_id = ? "
        "ORDER BY token_count DESC, id LIMIT 1",
        (quotation_id,),
    ).fetchone()
    if row is None or int(row[0]) == variant_id:
        return True
    longest = quote_tokens(row[1])
    longest_shingles = word_shingles(longest, QUOTE_SHINGLE)
    shared = len(shingles & longest_shingles)
    return is_fuzzy_match(shared, size, (len(longest), len(longest_shingles)))


def _merge_quotations(conn: Connection, target: int, other: int) -> None:
    for table in (QUOTE_VARIANTS, QUOTE_QUOTATION):
        conn.execute(f"UPDATE {table} SET quotation_id = ? WHERE quotation_id = ?", (target, other))
    conn.execute(
        f"UPDATE {QUOTATIONS} SET size = size + "
        f"(SELECT size FROM {QUOTATIONS} WHERE id = ?) WHERE id = ?",
        (other, target),
    )
    conn.execute(f"DELETE FROM {QUOTATIONS} WHERE id = ?", (other,))
    log.debug("merged quotation %d into %d", other, target)


def _within_window(first: date | None, second: date | None) -> bool:
    if first is None or second is None:
        return False
    return abs((first - second).days) <= STORY_WINDOW_DAYS


def _index_story(conn: Connection, rowid: int, quotation_ids: set[int]) -> None:
    row = conn.execute(f"SELECT text, published FROM {ARTICLES} WHERE rowid = ?", (rowid,))
    text, published_text = row.fetchone()
    published = parse_date(published_text)
    signature = article_signature(text)
    keys = band_keys(signature)
    links: dict[int, tuple[str, float]] = {}
    if keys:
        # Most shared bands first, and only so many: boilerplate (a site's long footer, a
        # template) makes many weak candidates, and the number of shared bands already ranks
        # them by similarity (5 of 42 expected at J = 0.5, 0.1 at J = 0.14).
        shared_bands = _newest_per_key(conn, NEWEST_ARTICLES, keys, MAX_ARTICLES_PER_BAND)
        best = [other for other, _ in shared_bands.most_common(MAX_CANDIDATES)]
        candidates = conn.execute(
            f"SELECT s.article_rowid, s.signature, a.published FROM {ARTICLE_STORY} s "
            f"JOIN {ARTICLES} a ON a.rowid = s.article_rowid "
            f"WHERE s.article_rowid IN ({_marks(len(best))})",
            best,
        ).fetchall()
        for other, other_signature, other_published in candidates:
            similarity = signature_similarity(signature, other_signature)
            if similarity >= DUPLICATE_SIMILARITY:
                links[other] = ("duplicate", similarity)
            elif similarity >= RELATED_SIMILARITY and _within_window(
                published, parse_date(other_published)
            ):
                links[other] = ("related", similarity)
    if published is not None:
        low = (published - timedelta(days=STORY_WINDOW_DAYS)).isoformat()
        high = (published + timedelta(days=STORY_WINDOW_DAYS)).isoformat()
        for quotation_id in sorted(quotation_ids):
            neighbours = conn.execute(
                f"SELECT DISTINCT a.rowid, s.signature FROM {QUOTE_QUOTATION} qq "
                f"JOIN {QUOTES} q ON q.id = qq.quote_id JOIN {ARTICLES} a ON a.id = q.article_id "
                f"JOIN {ARTICLE_STORY} s ON s.article_rowid = a.rowid "
                "WHERE qq.quotation_id = ? AND a.rowid != ? AND a.published BETWEEN ? AND ? "
                "LIMIT ?",
                (quotation_id, rowid, low, high, MAX_QUOTATION_NEIGHBOURS),
            ).fetchall()
            for other, other_signature in neighbours:
                if other not in links:
                    links[other] = (
                        "quotation",
                        signature_similarity(signature, other_signature),
                    )
    story_ids: set[int] = set()
    if links:
        story_rows = conn.execute(
            f"SELECT DISTINCT story_id FROM {ARTICLE_STORY} "
            f"WHERE article_rowid IN ({_marks(len(links))})",
            list(links),
        ).fetchall()
        story_ids = {int(r[0]) for r in story_rows}
    if story_ids:
        target = min(story_ids)
        for other_story in sorted(story_ids - {target}):
            _merge_stories(conn, target, other_story)
    else:
        target = insert_id(conn, STORIES, {"size": 0})
    conn.execute(
        f"INSERT INTO {ARTICLE_STORY} (article_rowid, story_id, signature) VALUES (?, ?, ?)",
        (rowid, target, signature),
    )
    conn.execute(f"UPDATE {STORIES} SET size = size + 1 WHERE id = ?", (target,))
    insert_many(
        conn,
        ARTICLE_BANDS,
        (("key", "BIGINT"), ("article_rowid", "BIGINT")),
        [(key, rowid) for key in keys],
        is_ignoring_conflicts=True,
    )
    insert_many(
        conn,
        ARTICLE_LINKS,
        (
            ("low", "BIGINT"),
            ("high", "BIGINT"),
            ("kind", "TEXT"),
            ("similarity", "DOUBLE PRECISION"),
        ),
        [
            (min(other, rowid), max(other, rowid), kind, similarity)
            for other, (kind, similarity) in links.items()
        ],
        is_ignoring_conflicts=True,
    )


def _merge_stories(conn: Connection, target: int, other: int) -> None:
    conn.execute(f"UPDATE {ARTICLE_STORY} SET story_id = ? WHERE story_id = ?", (target, other))
    conn.execute(
        f"UPDATE {STORIES} SET size = size + (SELECT size FROM {STORIES} WHERE id = ?) "
        "WHERE id = ?",
        (other, target),
    )
    conn.execute(f"DELETE FROM {STORIES} WHERE id = ?", (other,))
    log.debug("merged story %d into %d", other, target)


def clear_index(conn: Connection) -> None:
    """Empty every quotation and story table (inside the caller's transaction)."""
    for table in INDEX_TABLES:
        conn.execute(f"DELETE FROM {table}")


def article_rowids(conn: Connection) -> list[int]:
    """Rowids of every stored article, in the order they were stored."""
    return [int(row[0]) for row in conn.execute(f"SELECT rowid FROM {ARTICLES} ORDER BY rowid")]


def rowids_for(conn: Connection, article_ids: Sequence[str]) -> list[int]:
    """Rowids of the given article ids, in the given order (unknown ids are left out)."""
    found: list[int] = []
    for article_id in article_ids:
        row = conn.execute(f"SELECT rowid FROM {ARTICLES} WHERE id = ?", (article_id,)).fetchone()
        if row is not None:
            found.append(int(row[0]))
    return found
