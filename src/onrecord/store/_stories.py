"""Quotations and stories kept up to date as articles are stored, and read back as records.

Input: rowids of articles just inserted (inside the caller's transaction). Output:
``QuotationSummary``, ``Quotation``, ``Origin``, ``StorySummary`` and ``Story`` records.

Indexing one article, in order:

1. each quote is attached to a quotation: an exact wording (normalised) of a compatible
   speaker, else a fuzzy one (shingle containment within the same speaker, through the
   ``quote_shingles`` inverted index), else a new quotation; a quote that matches several
   quotations merges them;
2. the article's MinHash signature is looked up through its LSH band keys
   (``article_bands``); candidates above ``DUPLICATE_SIMILARITY`` are duplicates, above
   ``RELATED_SIMILARITY`` and within ``STORY_WINDOW_DAYS`` they are related;
3. articles within the window carrying one of its quotations are linked too;
4. the article joins the story of its links (merging stories it bridges) or starts one.

Rules for the speaker of a match: the same stored speaker; or, for an exact wording of at
least ``MIN_SPEAKERLESS_TOKENS`` words, a quote whose speaker is unknown on either side.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Final

from onrecord.errors import NotFound
from onrecord.store._articles import parse_date
from onrecord.store._schema import (
    ARTICLE_BANDS,
    ARTICLE_LINKS,
    ARTICLE_STORY,
    ARTICLES,
    OUTLETS,
    QUOTATIONS,
    QUOTE_QUOTATION,
    QUOTE_SHINGLES,
    QUOTE_VARIANTS,
    QUOTES,
    SPEAKERS,
    STORIES,
)
from onrecord.stories import (
    Occurrence,
    Origin,
    Quotation,
    QuotationSummary,
    Story,
    StoryArticle,
    StoryRelation,
    StorySummary,
    Variant,
    article_signature,
    band_keys,
    chronological_key,
    is_fuzzy_match,
    quote_tokens,
    signature_similarity,
    trace_origin,
    word_shingles,
)
from onrecord.stories._similarity import MIN_SPEAKERLESS_TOKENS, QUOTE_SHINGLE
from onrecord.stories._text import SHINGLE_SEPARATOR, scoped_keys, text_key

log = logging.getLogger(__name__)

DUPLICATE_SIMILARITY: Final = 0.45
RELATED_SIMILARITY: Final = 0.25
STORY_WINDOW_DAYS: Final = 7
MAX_QUOTATION_NEIGHBOURS: Final = 200
RELATION_STRENGTH: Final[dict[str, int]] = {"duplicate": 3, "quotation": 2, "related": 1}
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


def _marks(count: int) -> str:
    return ", ".join("?" for _ in range(count))


# -- indexing ------------------------------------------------------------------------------


def index_articles(conn: sqlite3.Connection, rowids: Iterable[int]) -> None:
    """Attach the quotes of newly stored articles to quotations and the articles to stories.

    Args:
        conn: Open connection inside the caller's transaction.
        rowids: ``articles.rowid`` of the new articles, in the order they were stored.
    """
    for rowid in rowids:
        quotation_ids = _index_quotes(conn, rowid)
        _index_story(conn, rowid, quotation_ids)


def _index_quotes(conn: sqlite3.Connection, rowid: int) -> set[int]:
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
    # A later quote of the article may have merged the quotation of an earlier one away.
    if not found:
        return found
    current = conn.execute(
        f"SELECT DISTINCT qq.quotation_id FROM {QUOTE_QUOTATION} qq "
        f"JOIN {QUOTES} q ON q.id = qq.quote_id JOIN {ARTICLES} a ON a.id = q.article_id "
        "WHERE a.rowid = ?",
        (rowid,),
    ).fetchall()
    return {int(row[0]) for row in current}


def attach_quote(
    conn: sqlite3.Connection,
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
        fuzzy = _fuzzy_matches(conn, keys, speaker_id, len(tokens), len(shingles))
        matches |= fuzzy - (same_article or set())
    if matches:
        target = min(matches)
        for other in sorted(matches - {target}):
            _merge_quotations(conn, target, other)
    else:
        cursor = conn.execute(
            f"INSERT INTO {QUOTATIONS} (speaker_id, size) VALUES (?, 0)", (speaker_id,)
        )
        target = int(cursor.lastrowid or 0)
    if own_variant is not None:
        variant_id = own_variant[0]
    else:
        cursor = conn.execute(
            f"INSERT INTO {QUOTE_VARIANTS} (quotation_id, text_key, scope, text, first_quote_id, "
            "token_count, shingle_count) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (target, key, scope, " ".join(text.split()), quote_id, len(tokens), len(shingles)),
        )
        variant_id = int(cursor.lastrowid or 0)
        conn.executemany(
            f"INSERT OR IGNORE INTO {QUOTE_SHINGLES} (key, variant_id) VALUES (?, ?)",
            [(shingle_key, variant_id) for shingle_key in keys],
        )
    conn.execute(
        f"INSERT INTO {QUOTE_QUOTATION} (quote_id, quotation_id, variant_id) VALUES (?, ?, ?)",
        (quote_id, target, variant_id),
    )
    conn.execute(f"UPDATE {QUOTATIONS} SET size = size + 1 WHERE id = ?", (target,))
    return target


def _fuzzy_matches(
    conn: sqlite3.Connection,
    keys: set[int],
    speaker_id: int | None,
    token_count: int,
    shingle_count: int,
) -> set[int]:
    rows = conn.execute(
        f"SELECT v.quotation_id, v.token_count, v.shingle_count, COUNT(*) AS shared, "
        f"q.speaker_id FROM {QUOTE_SHINGLES} s JOIN {QUOTE_VARIANTS} v ON v.id = s.variant_id "
        f"LEFT JOIN {QUOTES} q ON q.id = v.first_quote_id "
        f"WHERE s.key IN ({_marks(len(keys))}) GROUP BY v.id",
        list(keys),
    ).fetchall()
    return {
        int(quotation_id)
        for quotation_id, tokens, shingles, shared, other_speaker in rows
        if other_speaker == speaker_id
        and is_fuzzy_match(shared, (token_count, shingle_count), (tokens, shingles))
    }


def _merge_quotations(conn: sqlite3.Connection, target: int, other: int) -> None:
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


def _index_story(conn: sqlite3.Connection, rowid: int, quotation_ids: set[int]) -> None:
    row = conn.execute(f"SELECT text, published FROM {ARTICLES} WHERE rowid = ?", (rowid,))
    text, published_text = row.fetchone()
    published = parse_date(published_text)
    signature = article_signature(text)
    keys = band_keys(signature)
    links: dict[int, tuple[str, float]] = {}
    if keys:
        candidates = conn.execute(
            f"SELECT DISTINCT b.article_rowid, s.signature, a.published FROM {ARTICLE_BANDS} b "
            f"JOIN {ARTICLE_STORY} s ON s.article_rowid = b.article_rowid "
            f"JOIN {ARTICLES} a ON a.rowid = b.article_rowid "
            f"WHERE b.key IN ({_marks(len(keys))})",
            keys,
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
        target = int(conn.execute(f"INSERT INTO {STORIES} (size) VALUES (0)").lastrowid or 0)
    conn.execute(
        f"INSERT INTO {ARTICLE_STORY} (article_rowid, story_id, signature) VALUES (?, ?, ?)",
        (rowid, target, signature),
    )
    conn.execute(f"UPDATE {STORIES} SET size = size + 1 WHERE id = ?", (target,))
    conn.executemany(
        f"INSERT OR IGNORE INTO {ARTICLE_BANDS} (key, article_rowid) VALUES (?, ?)",
        [(key, rowid) for key in keys],
    )
    conn.executemany(
        f"INSERT OR IGNORE INTO {ARTICLE_LINKS} (low, high, kind, similarity) VALUES (?, ?, ?, ?)",
        [
            (min(other, rowid), max(other, rowid), kind, similarity)
            for other, (kind, similarity) in links.items()
        ],
    )


def _merge_stories(conn: sqlite3.Connection, target: int, other: int) -> None:
    conn.execute(f"UPDATE {ARTICLE_STORY} SET story_id = ? WHERE story_id = ?", (target, other))
    conn.execute(
        f"UPDATE {STORIES} SET size = size + (SELECT size FROM {STORIES} WHERE id = ?) "
        "WHERE id = ?",
        (other, target),
    )
    conn.execute(f"DELETE FROM {STORIES} WHERE id = ?", (other,))
    log.debug("merged story %d into %d", other, target)


def clear_index(conn: sqlite3.Connection) -> None:
    """Empty every quotation and story table (inside the caller's transaction)."""
    for table in INDEX_TABLES:
        conn.execute(f"DELETE FROM {table}")


def article_rowids(conn: sqlite3.Connection) -> list[int]:
    """Rowids of every stored article, in the order they were stored."""
    return [int(row[0]) for row in conn.execute(f"SELECT rowid FROM {ARTICLES} ORDER BY rowid")]


def rowids_for(conn: sqlite3.Connection, article_ids: Sequence[str]) -> list[int]:
    """Rowids of the given article ids, in the given order (unknown ids are left out)."""
    found: list[int] = []
    for article_id in article_ids:
        row = conn.execute(f"SELECT rowid FROM {ARTICLES} WHERE id = ?", (article_id,)).fetchone()
        if row is not None:
            found.append(int(row[0]))
    return found


# -- reading -------------------------------------------------------------------------------

OCCURRENCE_SQL: Final = (
    "SELECT q.id AS quote_id, q.article_id, q.text, q.kind, q.speaker_name, o.name AS outlet, "
    "a.published, q.via, a.title, a.url, a.source, a.rowid AS ingested_order "
    f"FROM {QUOTE_QUOTATION} qq JOIN {QUOTES} q ON q.id = qq.quote_id "
    f"JOIN {ARTICLES} a ON a.id = q.article_id LEFT JOIN {OUTLETS} o ON o.id = a.outlet_id "
    "WHERE qq.quotation_id = ?"
)


def _not_found_quotation(quotation_id: int) -> NotFound:
    return NotFound(
        f"[{NotFound.code}] no quotation with id {quotation_id}. "
        "List quotations with `onrecord stories` or `onrecord quote` on a listed id."
    )


def _occurrences(conn: sqlite3.Connection, quotation_id: int) -> list[Occurrence]:
    rows = conn.execute(OCCURRENCE_SQL, (quotation_id,)).fetchall()
    found = [
        Occurrence(
            quote_id=int(row["quote_id"]),
            article_id=row["article_id"],
            text=row["text"],
            kind=row["kind"],
            speaker=row["speaker_name"],
            outlet=row["outlet"],
            published=parse_date(row["published"]),
            via=tuple(json.loads(row["via"])),
            title=row["title"],
            url=row["url"],
            source=row["source"],
            ingested_order=int(row["ingested_order"]),
        )
        for row in rows
    ]
    found.sort(key=lambda o: (*chronological_key(o.published, o.ingested_order), o.quote_id))
    return found


def _variants(conn: sqlite3.Connection, quotation_id: int) -> list[Variant]:
    rows = conn.execute(
        f"SELECT v.text, COUNT(qq.quote_id) FROM {QUOTE_VARIANTS} v "
        f"LEFT JOIN {QUOTE_QUOTATION} qq ON qq.variant_id = v.id "
        "WHERE v.quotation_id = ? GROUP BY v.id ORDER BY COUNT(qq.quote_id) DESC, v.id",
        (quotation_id,),
    ).fetchall()
    return [Variant(text=row[0], count=int(row[1])) for row in rows]


def _speaker_of(occurrences: Sequence[Occurrence]) -> str | None:
    named = Counter(o.speaker for o in occurrences if o.speaker)
    return named.most_common(1)[0][0] if named else None


def _summary(
    quotation_id: int, occurrences: Sequence[Occurrence], variants: Sequence[Variant]
) -> QuotationSummary:
    first = occurrences[0]
    dated = [o.published for o in occurrences if o.published is not None]
    return QuotationSummary(
        id=quotation_id,
        speaker=_speaker_of(occurrences),
        text=max((v.text for v in variants), key=len, default=first.text),
        occurrence_count=len(occurrences),
        article_count=len({o.article_id for o in occurrences}),
        outlet_count=len({o.outlet.casefold() for o in occurrences if o.outlet}),
        first_published=first.published,
        first_outlet=first.outlet,
        first_article_id=first.article_id,
        last_published=max(dated, default=None),
    )


def quotation(conn: sqlite3.Connection, quotation_id: int) -> Quotation:
    """One quotation with its occurrences, wordings and origin.

    Raises:
        NotFound: No quotation has this id.
    """
    occurrences = _occurrences(conn, quotation_id)
    if not occurrences:
        raise _not_found_quotation(quotation_id)
    variants = _variants(conn, quotation_id)
    summary = _summary(quotation_id, occurrences, variants)
    return Quotation(
        summary=summary,
        occurrences=tuple(occurrences),
        variants=tuple(variants),
        origin=trace_origin(quotation_id, summary.speaker, occurrences),
    )


def origin(conn: sqlite3.Connection, quotation_id: int) -> Origin:
    """Where one quotation was first reported and how it travelled.

    Raises:
        NotFound: No quotation has this id.
    """
    occurrences = _occurrences(conn, quotation_id)
    if not occurrences:
        raise _not_found_quotation(quotation_id)
    return trace_origin(quotation_id, _speaker_of(occurrences), occurrences)


def quotations(
    conn: sqlite3.Connection,
    speaker_ids: Sequence[int] | None,
    min_occurrences: int,
    limit: int,
    offset: int,
) -> list[QuotationSummary]:
    """Quotations carried at least ``min_occurrences`` times, most carried first."""
    where = ["size >= ?"]
    params: list[int] = [min_occurrences]
    if speaker_ids is not None:
        where.append(
            f"id IN (SELECT qq.quotation_id FROM {QUOTES} q "
            f"JOIN {QUOTE_QUOTATION} qq ON qq.quote_id = q.id "
            f"WHERE q.speaker_id IN ({_marks(len(speaker_ids))}))"
        )
        params.extend(speaker_ids)
    rows = conn.execute(
        f"SELECT id FROM {QUOTATIONS} WHERE {' AND '.join(where)} "
        "ORDER BY size DESC, id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    found: list[QuotationSummary] = []
    for (quotation_id,) in rows:
        occurrences = _occurrences(conn, quotation_id)
        if occurrences:
            found.append(_summary(quotation_id, occurrences, _variants(conn, quotation_id)))
    return found


def quotation_of_quote(conn: sqlite3.Connection, quote_id: int) -> int | None:
    """The quotation a stored quote belongs to, or ``None`` when it has none."""
    row = conn.execute(
        f"SELECT quotation_id FROM {QUOTE_QUOTATION} WHERE quote_id = ?", (quote_id,)
    ).fetchone()
    return int(row[0]) if row is not None else None


def _story_members(conn: sqlite3.Connection, story_id: int) -> list[sqlite3.Row]:
    rows = conn.execute(
        "SELECT a.rowid AS ingested_order, a.id, a.title, o.name AS outlet, a.published, a.url, "
        f"a.source FROM {ARTICLE_STORY} s JOIN {ARTICLES} a ON a.rowid = s.article_rowid "
        f"LEFT JOIN {OUTLETS} o ON o.id = a.outlet_id WHERE s.story_id = ?",
        (story_id,),
    ).fetchall()
    return sorted(
        rows,
        key=lambda r: chronological_key(parse_date(r["published"]), int(r["ingested_order"])),
    )


def _story_summary(story_id: int, members: Sequence[sqlite3.Row]) -> StorySummary:
    first = members[0]
    dated = [d for d in (parse_date(m["published"]) for m in members) if d is not None]
    outlets: list[str] = []
    for member in members:
        if member["outlet"] and member["outlet"] not in outlets:
            outlets.append(member["outlet"])
    return StorySummary(
        id=story_id,
        article_count=len(members),
        first_article_id=first["id"],
        first_title=first["title"],
        first_outlet=first["outlet"],
        first_published=parse_date(first["published"]),
        last_published=max(dated, default=None),
        outlets=tuple(outlets),
    )


def stories(
    conn: sqlite3.Connection, min_articles: int, limit: int, offset: int
) -> list[StorySummary]:
    """Stories of at least ``min_articles`` articles, largest first."""
    rows = conn.execute(
        f"SELECT id FROM {STORIES} WHERE size >= ? ORDER BY size DESC, id LIMIT ? OFFSET ?",
        (min_articles, limit, offset),
    ).fetchall()
    found: list[StorySummary] = []
    for (story_id,) in rows:
        members = _story_members(conn, story_id)
        if members:
            found.append(_story_summary(story_id, members))
    return found


def story(conn: sqlite3.Connection, story_id: int) -> Story:
    """One story: its articles (first report first), how each joined, shared quotations.

    Raises:
        NotFound: No story has this id.
    """
    members = _story_members(conn, story_id)
    if not members:
        raise NotFound(
            f"[{NotFound.code}] no story with id {story_id}. List stories with `onrecord stories`."
        )
    rowids = [int(m["ingested_order"]) for m in members]
    best: dict[int, tuple[str, float]] = {}
    for low, high, kind, score in conn.execute(
        f"SELECT l.low, l.high, l.kind, l.similarity FROM {ARTICLE_LINKS} l "
        f"JOIN {ARTICLE_STORY} s ON s.article_rowid = l.low WHERE s.story_id = ?",
        (story_id,),
    ).fetchall():
        for end in (low, high):
            known = best.get(end)
            if known is None or RELATION_STRENGTH[kind] > RELATION_STRENGTH[known[0]]:
                best[end] = (kind, float(score))
    articles: list[StoryArticle] = []
    for position, member in enumerate(members):
        rowid = rowids[position]
        relation: StoryRelation = "first"
        similarity: float | None = None
        if position > 0 and rowid in best:
            kind, similarity = best[rowid]
            relation = (
                "duplicate"
                if kind == "duplicate"
                else ("quotation" if kind == "quotation" else "related")
            )
        articles.append(
            StoryArticle(
                article_id=member["id"],
                title=member["title"],
                outlet=member["outlet"],
                published=parse_date(member["published"]),
                url=member["url"],
                source=member["source"],
                relation=relation,
                similarity=similarity,
                ingested_order=rowid,
            )
        )
    shared = conn.execute(
        f"SELECT qq.quotation_id FROM {ARTICLE_STORY} s "
        f"JOIN {ARTICLES} a ON a.rowid = s.article_rowid "
        f"JOIN {QUOTES} q ON q.article_id = a.id JOIN {QUOTE_QUOTATION} qq ON qq.quote_id = q.id "
        "WHERE s.story_id = ? GROUP BY qq.quotation_id HAVING COUNT(DISTINCT a.rowid) >= 2 "
        "ORDER BY qq.quotation_id",
        (story_id,),
    ).fetchall()
    return Story(
        summary=_story_summary(story_id, members),
        articles=tuple(articles),
        quotation_ids=tuple(int(row[0]) for row in shared),
    )


def story_of(conn: sqlite3.Connection, article_id: str) -> int | None:
    """The story an article belongs to, or ``None`` for an unknown or unindexed article."""
    row = conn.execute(
        f"SELECT s.story_id FROM {ARTICLE_STORY} s JOIN {ARTICLES} a ON a.rowid = s.article_rowid "
        "WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    return int(row[0]) if row is not None else None


def duplicate_pairs(conn: sqlite3.Connection) -> list[tuple[str, str, float]]:
    """Every pair of articles linked as duplicates or rewrites: ids and estimated similarity."""
    rows = conn.execute(
        f"SELECT a.id, b.id, l.similarity FROM {ARTICLE_LINKS} l "
        f"JOIN {ARTICLES} a ON a.rowid = l.low JOIN {ARTICLES} b ON b.rowid = l.high "
        "WHERE l.kind = 'duplicate' ORDER BY l.low, l.high"
    ).fetchall()
    return [(str(row[0]), str(row[1]), float(row[2])) for row in rows]
