"""Reading quotations and stories back as records: ``QuotationSummary``, ``Quotation``,
``Origin``, ``StorySummary``, ``Story``.

The tables are filled by the steps of ``onrecord.derive`` (through ``_story_index``);
occurrences and story members are always read live from ``quotes`` and ``articles``, so
speaker renames and merges show at once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from sqlalchemy import TextClause, text

from onrecord.errors import NotFound
from onrecord.store._articles import parse_date
from onrecord.store._connection import Connection, Row
from onrecord.store._query import any_of, dialect_name, run
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


# -- reading -------------------------------------------------------------------------------

OCCURRENCE_SQL: Final = (
    "SELECT q.id AS quote_id, q.article_id, q.text, q.kind, q.speaker_name, o.name AS outlet, "
    "a.published, q.via, a.title, a.url, a.source, a.rowid AS ingested_order "
    f"FROM {QUOTE_QUOTATION} qq JOIN {QUOTES} q ON q.id = qq.quote_id "
    f"JOIN {ARTICLES} a ON a.id = q.article_id LEFT JOIN {OUTLETS} o ON o.id = a.outlet_id "
    "WHERE qq.quotation_id = :quotation_id"
)
OCCURRENCES: Final = text(OCCURRENCE_SQL)
VARIANTS: Final = text(
    f"SELECT v.text, COUNT(qq.quote_id) FROM {QUOTE_VARIANTS} v "
    f"LEFT JOIN {QUOTE_QUOTATION} qq ON qq.variant_id = v.id "
    "WHERE v.quotation_id = :quotation_id GROUP BY v.id ORDER BY COUNT(qq.quote_id) DESC, v.id"
)
COUNT_STORIES: Final = text(f"SELECT count(*) FROM {STORIES} WHERE size >= :least")
QUOTATION_OF_QUOTE: Final = text(
    f"SELECT quotation_id FROM {QUOTE_QUOTATION} WHERE quote_id = :quote_id"
)
STORY_MEMBERS: Final = text(
    "SELECT a.rowid AS ingested_order, a.id, a.title, o.name AS outlet, a.published, a.url, "
    f"a.source FROM {ARTICLE_STORY} s JOIN {ARTICLES} a ON a.rowid = s.article_rowid "
    f"LEFT JOIN {OUTLETS} o ON o.id = a.outlet_id WHERE s.story_id = :story_id"
)
STORIES_PAGE: Final = text(
    f"SELECT id FROM {STORIES} WHERE size >= :least ORDER BY size DESC, id "
    "LIMIT :limit OFFSET :offset"
)
STORY_LINKS: Final = text(
    f"SELECT l.low, l.high, l.kind, l.similarity FROM {ARTICLE_LINKS} l "
    f"JOIN {ARTICLE_STORY} s ON s.article_rowid = l.low WHERE s.story_id = :story_id"
)
STORY_QUOTATIONS: Final = text(
    f"SELECT qq.quotation_id FROM {ARTICLE_STORY} s "
    f"JOIN {ARTICLES} a ON a.rowid = s.article_rowid "
    f"JOIN {QUOTES} q ON q.article_id = a.id JOIN {QUOTE_QUOTATION} qq ON qq.quote_id = q.id "
    "WHERE s.story_id = :story_id GROUP BY qq.quotation_id "
    "HAVING COUNT(DISTINCT a.rowid) >= 2 ORDER BY qq.quotation_id"
)
STORY_OF: Final = text(
    f"SELECT s.story_id FROM {ARTICLE_STORY} s JOIN {ARTICLES} a ON a.rowid = s.article_rowid "
    "WHERE a.id = :article_id"
)
DUPLICATE_PAIRS: Final = text(
    f"SELECT a.id, b.id, l.similarity FROM {ARTICLE_LINKS} l "
    f"JOIN {ARTICLES} a ON a.rowid = l.low JOIN {ARTICLES} b ON b.rowid = l.high "
    "WHERE l.kind = 'duplicate' ORDER BY l.low, l.high"
)


@lru_cache(maxsize=8)
def _quotations_query(dialect: str, is_by_speaker: bool, is_count: bool) -> TextClause:
    where = "size >= :least"
    if is_by_speaker:
        speakers = any_of(dialect, "q.speaker_id", "speaker_ids")
        where += (
            f" AND id IN (SELECT qq.quotation_id FROM {QUOTES} q "
            f"JOIN {QUOTE_QUOTATION} qq ON qq.quote_id = q.id WHERE {speakers})"
        )
    if is_count:
        return text(f"SELECT count(*) FROM {QUOTATIONS} WHERE {where}")
    return text(
        f"SELECT id FROM {QUOTATIONS} WHERE {where} ORDER BY size DESC, id "
        "LIMIT :limit OFFSET :offset"
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
    rows = run(conn, OCCURRENCES, {"quotation_id": quotation_id}).fetchall()
    found = [occurrence_from_row(row) for row in rows]
    found.sort(key=lambda o: (*chronological_key(o.published, o.ingested_order), o.quote_id))
    return found


def _variants(conn: Connection, quotation_id: int) -> list[Variant]:
    rows = run(conn, VARIANTS, {"quotation_id": quotation_id}).fetchall()
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
    query = _quotations_query(dialect_name(conn), speaker_ids is not None, is_count=False)
    params = _quotation_params(speaker_ids, min_occurrences)
    rows = run(conn, query, {**params, "limit": limit, "offset": offset}).fetchall()
    found: list[QuotationSummary] = []
    for (quotation_id,) in rows:
        occurrences = _occurrences(conn, quotation_id)
        if occurrences:
            found.append(_summary(quotation_id, occurrences, _variants(conn, quotation_id)))
    return found


def _quotation_params(speaker_ids: Sequence[int] | None, min_occurrences: int) -> dict[str, object]:
    params: dict[str, object] = {"least": min_occurrences}
    if speaker_ids is not None:
        params["speaker_ids"] = list(speaker_ids)
    return params


def count_quotations(
    conn: Connection, speaker_ids: Sequence[int] | None, min_occurrences: int
) -> int:
    """How many quotations ``quotations`` would list over all its pages."""
    query = _quotations_query(dialect_name(conn), speaker_ids is not None, is_count=True)
    return int(run(conn, query, _quotation_params(speaker_ids, min_occurrences)).fetchone()[0])


def count_stories(conn: Connection, min_articles: int) -> int:
    """How many stories ``stories`` would list over all its pages."""
    return int(run(conn, COUNT_STORIES, {"least": min_articles}).fetchone()[0])


def quotation_of_quote(conn: Connection, quote_id: int) -> int | None:
    """The quotation a stored quote belongs to, or ``None`` when it has none."""
    row = run(conn, QUOTATION_OF_QUOTE, {"quote_id": quote_id}).fetchone()
    return int(row[0]) if row is not None else None


def _story_members(conn: Connection, story_id: int) -> list[Row]:
    rows = run(conn, STORY_MEMBERS, {"story_id": story_id}).fetchall()
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
    page = {"least": min_articles, "limit": limit, "offset": offset}
    rows = run(conn, STORIES_PAGE, page).fetchall()
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
    for low, high, kind, score in run(conn, STORY_LINKS, {"story_id": story_id}).fetchall():
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
    shared = run(conn, STORY_QUOTATIONS, {"story_id": story_id}).fetchall()
    return Story(
        summary=_story_summary(story_id, members),
        articles=tuple(articles),
        quotation_ids=tuple(int(row[0]) for row in shared),
    )


def story_of(conn: Connection, article_id: str) -> int | None:
    """The story an article belongs to, or ``None`` for an unknown or unindexed article."""
    row = run(conn, STORY_OF, {"article_id": article_id}).fetchone()
    return int(row[0]) if row is not None else None


def duplicate_pairs(conn: Connection) -> list[tuple[str, str, float]]:
    """Every pair of articles linked as duplicates or rewrites: ids and estimated similarity."""
    rows = run(conn, DUPLICATE_PAIRS).fetchall()
    return [(str(row[0]), str(row[1]), float(row[2])) for row in rows]
