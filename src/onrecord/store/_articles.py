"""Writing one ExtractedArticle into the tables, and reading it back unchanged."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, Final, cast

from sqlalchemy import text
from sqlalchemy.sql.elements import TextClause

from onrecord.errors import StoreError
from onrecord.models import Article, Block, ExtractedArticle, Quote, Removed, Speaker
from onrecord.store._connection import Connection, Row
from onrecord.store._query import any_of, dialect_name, insert_many, run
from onrecord.store._schema import ARTICLE_NOTES, ARTICLES, OUTLETS, QUOTES
from onrecord.store._speaker_batch import SpeakerBatch, quote_row
from onrecord.store._writes import upsert_id

log = logging.getLogger(__name__)

HAS_ARTICLE: Final = text(f"SELECT 1 FROM {ARTICLES} WHERE id = :id")
ARTICLE_COLUMNS: Final = (
    "a.id, a.source, a.url, a.title, a.text, a.published, a.published_inferred, a.updated, "
    "o.name AS outlet, a.authors, a.language, a.removed, a.blocks, n.published_source, n.flags"
)
NOTES_JOIN: Final = f"LEFT JOIN {ARTICLE_NOTES} n ON n.article_id = a.id"
QUOTE_COLUMNS: Final = (
    'q.text, q.start, q."end", q.kind, q.cue, q.confidence, q.speaker_given, q.speaker_mention, '
    "q.mention_start, q.mention_end, q.role, q.org, q.speaker_kind, q.via, q.extractor"
)

# Column and PostgreSQL type of each value written for an article and its notes.
ARTICLE_VALUES: Final = (
    ("id", "TEXT"),
    ("source", "TEXT"),
    ("url", "TEXT"),
    ("title", "TEXT"),
    ("text", "TEXT"),
    ("published", "TEXT"),
    ("published_inferred", "BIGINT"),
    ("updated", "TEXT"),
    ("outlet_id", "BIGINT"),
    ("authors", "TEXT"),
    ("language", "TEXT"),
    ("removed", "TEXT"),
    ("blocks", "TEXT"),
    ("ingested_at", "TEXT"),
)
NOTE_VALUES: Final = (("article_id", "TEXT"), ("published_source", "TEXT"), ("flags", "TEXT"))

# Articles read per query when streaming the whole store.
PAGE_ARTICLES: Final = 500
SELECT_QUOTES: Final = text(
    f"SELECT {QUOTE_COLUMNS} FROM {QUOTES} q WHERE q.article_id = :id ORDER BY q.position"
)
SELECT_ARTICLE: Final = text(
    f"SELECT {ARTICLE_COLUMNS} FROM {ARTICLES} a LEFT JOIN {OUTLETS} o ON o.id = a.outlet_id "
    f"{NOTES_JOIN} WHERE a.id = :id"
)
SELECT_ROWIDS: Final = text(
    f"SELECT rowid FROM {ARTICLES} WHERE rowid > :after ORDER BY rowid LIMIT :size"
)
SELECT_PAGE: Final = text(
    f"SELECT {ARTICLE_COLUMNS} FROM {ARTICLES} a "
    f"LEFT JOIN {OUTLETS} o ON o.id = a.outlet_id {NOTES_JOIN} "
    "WHERE a.rowid BETWEEN :first AND :last ORDER BY a.rowid"
)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_date(value: str | None) -> date | None:
    """Turn a stored ISO date back into a ``date`` (``None`` stays ``None``)."""
    return date.fromisoformat(value) if value else None


def has_article(conn: Connection, article_id: str) -> bool:
    """Whether an article with this id is stored."""
    return run(conn, HAS_ARTICLE, {"id": article_id}).fetchone() is not None


def _outlet_id(conn: Connection, outlet: str | None) -> int | None:
    if outlet is None or not outlet.strip():
        return None
    return upsert_id(conn, OUTLETS, {"name": outlet.strip()}, key=("name",))


def _check_quote(article: Article, position: int, quote: Quote) -> None:
    if not 0 <= quote.start <= quote.end <= len(article.text):
        raise StoreError(
            f"[{StoreError.code}] article {article.id}: quote {position} has offsets "
            f"{quote.start}..{quote.end} outside the text ({len(article.text)} characters). "
            "Re-run extraction on this article."
        )
    if article.text[quote.start : quote.end] != quote.text:
        raise StoreError(
            f"[{StoreError.code}] article {article.id}: quote {position} text does not equal "
            f"text[{quote.start}:{quote.end}]. Re-run extraction on this article."
        )


def check_article(item: ExtractedArticle) -> None:
    """Refuse an article whose quotes do not sit in its text.

    Raises:
        StoreError: A quote's offsets or text do not match the article text.
    """
    for position, quote in enumerate(stored_statements(item)):
        _check_quote(item.article, position, quote)


def stored_ids(conn: Connection, article_ids: Sequence[str]) -> set[str]:
    """Which of these article ids are stored."""
    statement = _stored_ids(dialect_name(conn))
    return {str(row[0]) for row in run(conn, statement, {"ids": list(article_ids)}).fetchall()}


@lru_cache(maxsize=2)
def _stored_ids(dialect: str) -> TextClause:
    return text(f"SELECT id FROM {ARTICLES} WHERE {any_of(dialect, 'id', 'ids')}")


def _article_row(article: Article, outlet_id: int | None, ingested_at: str) -> list[Any]:
    """The article's values in ``ARTICLE_VALUES`` order."""
    return [
        article.id,
        article.source,
        article.url,
        article.title,
        article.text,
        _iso(article.published),
        int(article.published_inferred),
        _iso(article.updated),
        outlet_id,
        json.dumps(list(article.authors), ensure_ascii=False),
        article.language,
        json.dumps(
            [{"text": r.text, "reason": r.reason} for r in article.removed], ensure_ascii=False
        ),
        json.dumps([[b.start, b.end, b.kind] for b in article.blocks]),
        ingested_at,
    ]


def _quote_row(article_id: str, position: int, quote: Quote) -> list[Any]:
    """The quote's values in ``QUOTE_COLUMNS`` order, its speaker not yet assigned."""
    speaker = quote.speaker
    return quote_row(
        article_id,
        position,
        {
            "start": quote.start,
            "end": quote.end,
            "text": quote.text,
            "kind": quote.kind,
            "cue": quote.cue,
            "confidence": quote.confidence,
            "speaker_id": None,
            "speaker_name": None,
            "speaker_given": speaker.name,
            "speaker_mention": speaker.mention,
            "mention_start": speaker.mention_start,
            "mention_end": speaker.mention_end,
            "role": speaker.role,
            "org": speaker.org,
            "speaker_kind": speaker.kind,
            "via": json.dumps(list(quote.via), ensure_ascii=False),
            "extractor": quote.extractor,
        },
    )


def insert_articles(conn: Connection, items: Sequence[ExtractedArticle], ingested_at: str) -> None:
    """Write articles and their quotes with multi-row statements; the caller checks them
    first (``check_article``, ``stored_ids``) and wraps this in a savepoint.

    Speakers are assigned quote after quote in the order given, as one article after another
    would assign them (see ``SpeakerBatch``).

    Args:
        conn: Open connection inside a transaction.
        items: New articles with their quotes, each id once.
        ingested_at: ISO timestamp recorded with each article.

    Raises:
        sqlite3.Error, psycopg.Error: A constraint failed.
    """
    outlets: dict[str, int | None] = {}
    for item in items:
        outlet = item.article.outlet
        if outlet is not None and outlet.strip() not in outlets:
            outlets[outlet.strip()] = _outlet_id(conn, outlet)
    rows = [
        _article_row(
            item.article,
            outlets.get(item.article.outlet.strip()) if item.article.outlet else None,
            ingested_at,
        )
        for item in items
    ]
    insert_many(conn, ARTICLES, ARTICLE_VALUES, rows, is_copying=True)
    notes = [
        (item.article.id, item.article.published_source, json.dumps(list(item.article.flags)))
        for item in items
        if item.article.published_source is not None or item.article.flags
    ]
    insert_many(conn, ARTICLE_NOTES, NOTE_VALUES, notes)
    quotes = [(item, stored_statements(item)) for item in items]
    speakers = SpeakerBatch(conn, [q.speaker.name for _, statements in quotes for q in statements])
    for item, statements in quotes:
        seen = _iso(item.article.published) or ""
        for position, quote in enumerate(statements):
            speakers.add(_quote_row(item.article.id, position, quote), quote.speaker, seen)
    speakers.flush()


def stored_statements(item: ExtractedArticle) -> list[Quote]:
    """The statements of an article that the store keeps.

    Refusals to comment name who was asked but hold no words of theirs: the record of
    statements keeps quotations only (refusals stay in the extraction contract).
    """
    return [quote for quote in item.quotes if quote.kind != "no_comment"]


def _row_to_article(row: Row) -> Article:
    removed: list[dict[str, str]] = json.loads(row["removed"])
    blocks: list[list[Any]] = json.loads(row["blocks"])  # Any: [start, end, kind] triples
    return Article(
        id=row["id"],
        source=row["source"],
        text=row["text"],
        title=row["title"],
        published=parse_date(row["published"]),
        published_inferred=bool(row["published_inferred"]),
        updated=parse_date(row["updated"]),
        url=row["url"],
        outlet=row["outlet"],
        authors=tuple(json.loads(row["authors"])),
        language=row["language"],
        removed=tuple(Removed(text=r["text"], reason=r["reason"]) for r in removed),
        blocks=tuple(Block(start=int(b[0]), end=int(b[1]), kind=b[2]) for b in blocks),
        published_source=row["published_source"],
        flags=tuple(json.loads(row["flags"] or "[]")),
    )


def _row_to_quote(row: Row) -> Quote:
    return Quote(
        text=row["text"],
        start=row["start"],
        end=row["end"],
        kind=row["kind"],
        cue=row["cue"],
        confidence=row["confidence"],
        speaker=Speaker(
            name=row["speaker_given"],
            mention=row["speaker_mention"],
            mention_start=row["mention_start"],
            mention_end=row["mention_end"],
            role=row["role"],
            org=row["org"],
            kind=row["speaker_kind"],
        ),
        via=tuple(json.loads(row["via"])),
        extractor=row["extractor"],
    )


def _read(conn: Connection, row: Row) -> ExtractedArticle:
    quotes = run(conn, SELECT_QUOTES, {"id": row["id"]}).fetchall()
    return ExtractedArticle(
        article=_row_to_article(row), quotes=tuple(_row_to_quote(q) for q in quotes)
    )


def read_article(conn: Connection, article_id: str) -> ExtractedArticle | None:
    """The stored article with this id and its quotes, exactly as added; ``None`` if absent."""
    row = run(conn, SELECT_ARTICLE, {"id": article_id}).fetchone()
    return _read(conn, cast(Row, row)) if row is not None else None


def rowid_ranges(conn: Connection, size: int = PAGE_ARTICLES) -> Iterator[tuple[int, int]]:
    """Stored articles in pages of ``size``: ``(first, last)`` rowids, in the order added.

    Reading page by page keeps memory flat on either backend (a PostgreSQL cursor would
    otherwise bring every row over before the first is read).
    """
    last = 0
    while True:
        rows = run(conn, SELECT_ROWIDS, {"after": last, "size": size}).fetchall()
        if not rows:
            return
        yield int(rows[0][0]), int(rows[-1][0])
        last = int(rows[-1][0])


def iter_articles(conn: Connection) -> Iterator[ExtractedArticle]:
    """Every stored article with its quotes, in the order they were added, page by page."""
    for first, last in rowid_ranges(conn):
        rows = run(conn, SELECT_PAGE, {"first": first, "last": last}).fetchall()
        for row in rows:
            yield _read(conn, row)
