"""Reading quotations and stories back as records: ``QuotationSummary``, ``Quotation``,
``Origin``, ``StorySummary``, ``Story``.

The tables are filled by ``onrecord.store._stories``; occurrences and story members are always
read live from ``quotes`` and ``articles``, so speaker renames and merges show at once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Final

from onrecord.errors import NotFound
from onrecord.store._articles import parse_date
from onrecord.store._connection import Connection, Row
from onrecord.store._schema import (
    ARTICLE_LINKS,
    ARTICLE_STORY,
    ARTICLES,
    OUTLETS,
    QUOTATIONS,
    QUOTE_QUOTATION,
    QUOTE_VARIANTS,
    QUOTES,
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
    chronological_key,
    trace_origin,
)

RELATION_STRENGTH: Final[dict[str, int]] = {"duplicate": 3, "quotation": 2, "related": 1}


def _marks(count: int) -> str:
    return ", ".join("?" for _ in range(count))


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
        "List quotations with `onrecord stories` or /api/quotations."
    )


def occurrence_from_row(row: Row) -> Occurrence:
    """An ``Occurrence`` from a row with the columns ``OCCURRENCE_SQL`` selects."""
    return Occurrence(
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


def _occurrences(conn: Connection, quotation_id: int) -> list[Occurrence]:
    rows = conn.execute(OCCURRENCE_SQL, (quotation_id,)).fetchall()
    found = [occurrence_from_row(row) for row in rows]
    found.sort(key=lambda o: (*chronological_key(o.published, o.ingested_order), o.quote_id))
    return found


def _variants(conn: Connection, quotation_id: int) -> list[Variant]:
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


def quotation(conn: Connection, quotation_id: int) -> Quotation:
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


def origin(conn: Connection, quotation_id: int) -> Origin:
    """Where one quotation was first reported and how it travelled.

    Raises:
        NotFound: No quotation has this id.
    """
    occurrences = _occurrences(conn, quotation_id)
    if not occurrences:
        raise _not_found_quotation(quotation_id)
    return trace_origin(quotation_id, _speaker_of(occurrences), occurrences)


def quotations(
    conn: Connection,
    speaker_ids: Sequence[int] | None,
    min_occurrences: int,
    limit: int,
    offset: int,
) -> list[QuotationSummary]:
    """Quotations carried at least ``min_occurrences`` times, most carried first."""
    where, params = _quotation_filter(speaker_ids, min_occurrences)
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


def _quotation_filter(
    speaker_ids: Sequence[int] | None, min_occurrences: int
) -> tuple[list[str], list[int]]:
    where = ["size >= ?"]
    params: list[int] = [min_occurrences]
    if speaker_ids is not None:
        where.append(
            f"id IN (SELECT qq.quotation_id FROM {QUOTES} q "
            f"JOIN {QUOTE_QUOTATION} qq ON qq.quote_id = q.id "
            f"WHERE q.speaker_id IN ({_marks(len(speaker_ids))}))"
        )
        params.extend(speaker_ids)
    return where, params


def count_quotations(
    conn: Connection, speaker_ids: Sequence[int] | None, min_occurrences: int
) -> int:
    """How many quotations ``quotations`` would list over all its pages."""
    where, params = _quotation_filter(speaker_ids, min_occurrences)
    return int(
        conn.execute(
            f"SELECT count(*) FROM {QUOTATIONS} WHERE {' AND '.join(where)}", params
        ).fetchone()[0]
    )


def count_stories(conn: Connection, min_articles: int) -> int:
    """How many stories ``stories`` would list over all its pages."""
    row = conn.execute(f"SELECT count(*) FROM {STORIES} WHERE size >= ?", (min_articles,))
    return int(row.fetchone()[0])


def quotation_of_quote(conn: Connection, quote_id: int) -> int | None:
    """The quotation a stored quote belongs to, or ``None`` when it has none."""
    row = conn.execute(
        f"SELECT quotation_id FROM {QUOTE_QUOTATION} WHERE quote_id = ?", (quote_id,)
    ).fetchone()
    return int(row[0]) if row is not None else None


def _story_members(conn: Connection, story_id: int) -> list[Row]:
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


def _story_summary(story_id: int, members: Sequence[Row]) -> StorySummary:
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


def stories(conn: Connection, min_articles: int, limit: int, offset: int) -> list[StorySummary]:
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


def story(conn: Connection, story_id: int) -> Story:
    """One story: its articles (first report first), how each joined, shared quotations.

    Raises:
        NotFound: No story has this id.
    """
    members = _story_members(conn, story_id)
    if not members:
        raise NotFound(
            f"[{NotFound.code}] no story with id {story_id}. "
            "List stories with `onrecord stories` or /api/stories."
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


def story_of(conn: Connection, article_id: str) -> int | None:
    """The story an article belongs to, or ``None`` for an unknown or unindexed article."""
    row = conn.execute(
        f"SELECT s.story_id FROM {ARTICLE_STORY} s JOIN {ARTICLES} a ON a.rowid = s.article_rowid "
        "WHERE a.id = ?",
        (article_id,),
    ).fetchone()
    return int(row[0]) if row is not None else None


def duplicate_pairs(conn: Connection) -> list[tuple[str, str, float]]:
    """Every pair of articles linked as duplicates or rewrites: ids and estimated similarity."""
    rows = conn.execute(
        f"SELECT a.id, b.id, l.similarity FROM {ARTICLE_LINKS} l "
        f"JOIN {ARTICLES} a ON a.rowid = l.low JOIN {ARTICLES} b ON b.rowid = l.high "
        "WHERE l.kind = 'duplicate' ORDER BY l.low, l.high"
    ).fetchall()
    return [(str(row[0]), str(row[1]), float(row[2])) for row in rows]
