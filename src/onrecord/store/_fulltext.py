"""Full-text search, written once per database: the one place where the two indexes differ.

``_search`` builds everything else of a quote search once for both databases (filters,
joins, columns, paging). What differs is here, one class per database:

- **SQLite** (``Fts5Search``): the external-content FTS5 table ``quotes_fts``, kept in step
  by triggers; matched with ``MATCH``, ranked by ``bm25()`` (lower is better), snippets cut by
  ``snippet()`` (32 tokens); raw queries in FTS5 syntax. Ranking scores every match before
  the limit applies, so past ``RANKED_MATCHES_MAX`` matches the newest stored come first.
- **PostgreSQL** (``TsvectorSearch``): the generated ``tsvector`` column ``quotes.fts``
  (English configuration, GIN index); matched with ``@@`` against ``plainto_tsquery`` (plain
  words) or ``to_tsquery`` (search-box syntax and raw queries), ranked by ``ts_rank``
  negated (lower is better, as with bm25), snippets cut by ``ts_headline`` (up to 32 words).

Each returns SQL text with ``:name`` parameters for ``_query``: the user's query is always
the parameter ``:query``, never part of the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Protocol

from sqlalchemy import text

from onrecord.store._connection import Connection, is_postgres
from onrecord.store._postgres import TEXT_SEARCH_CONFIG
from onrecord.store._query import run
from onrecord.store._schema import QUOTES, QUOTES_FTS
from onrecord.store._syntax import SearchExpr, to_fts5, to_tsquery

HIGHLIGHT_OPEN: Final = "["
HIGHLIGHT_CLOSE: Final = "]"
RANKED_MATCHES_MAX: Final = 5000
FTS5_SNIPPET_TOKENS: Final = 32
HEADLINE_OPTIONS: Final = (
    f"StartSel={HIGHLIGHT_OPEN}, StopSel={HIGHLIGHT_CLOSE}, MaxWords=32, MinWords=12, "
    "HighlightAll=false"
)
FTS5_MATCH: Final = f"{QUOTES_FTS} MATCH :query"
FTS5_JOIN: Final = f"FROM {QUOTES_FTS} JOIN {QUOTES} q ON q.id = {QUOTES_FTS}.rowid"
FTS5_RANKED: Final = (
    f"snippet({QUOTES_FTS}, 0, :open, :close, '…', {FTS5_SNIPPET_TOKENS}) AS snippet, "
    f"bm25({QUOTES_FTS}) AS rank"
)
FTS5_MANY_MATCHES: Final = text(
    f"SELECT count(*) FROM (SELECT 1 FROM {QUOTES_FTS} WHERE {FTS5_MATCH} LIMIT :most) AS found"
)
# Newest stored first: the order of the index itself, which needs no score.
FTS5_INDEX_ORDER: Final = f"{QUOTES_FTS}.rowid DESC"
TSVECTOR_RANKED: Final = (
    f"ts_headline('{TEXT_SEARCH_CONFIG}', q.text, query, :headline) AS snippet, "
    "-ts_rank(q.fts, query) AS rank"
)


class FullText(Protocol):
    """One database's full-text search, as ``_search`` uses it."""

    @property
    def syntax(self) -> str:
        """The name of the raw query syntax, for messages."""
        ...

    def query(self, expr: SearchExpr) -> str:
        """A search-box query written in this index's syntax."""
        ...

    def source(self, joins: str, where: Sequence[str], is_syntax: bool) -> str:
        """``FROM ... WHERE ...`` over the quotes (alias ``q``) matching ``:query``.

        Args:
            joins: Joins to add after the quotes (constants of ``_search``).
            where: Further conditions, ANDed (constant text with ``:name`` parameters).
            is_syntax: Whether ``:query`` is in the index's syntax (else plain words).
        """
        ...

    @property
    def ranked(self) -> str:
        """The ``snippet`` and ``rank`` columns of a match."""
        ...

    @property
    def ranked_values(self) -> dict[str, str]:
        """The parameters ``ranked`` takes."""
        ...

    def relevance(self, conn: Connection, query: str, best_first: str) -> str:
        """The ORDER BY of a search by relevance.

        Args:
            conn: The store's connection.
            query: The full-text query.
            best_first: The order by rank, ties broken.
        """
        ...


class Fts5Search:
    """SQLite's FTS5 index (see the module doc)."""

    syntax: Final = "FTS5"
    ranked: Final = FTS5_RANKED
    ranked_values: Final = {"open": HIGHLIGHT_OPEN, "close": HIGHLIGHT_CLOSE}

    def query(self, expr: SearchExpr) -> str:
        return to_fts5(expr)

    def source(self, joins: str, where: Sequence[str], is_syntax: bool) -> str:
        clause = " AND ".join([FTS5_MATCH, *where])
        if not joins and not where:
            # A count needs no quote row: the index alone answers it.
            return f"FROM {QUOTES_FTS} WHERE {clause}"
        return f"{FTS5_JOIN} {joins} WHERE {clause}"

    def relevance(self, conn: Connection, query: str, best_first: str) -> str:
        # Ranking scores every match before the limit applies: for a word in thousands of
        # quotes that costs hundreds of milliseconds, so those come newest stored first.
        found = run(conn, FTS5_MANY_MATCHES, {"query": query, "most": RANKED_MATCHES_MAX})
        is_common = int(found.fetchone()[0]) >= RANKED_MATCHES_MAX
        return FTS5_INDEX_ORDER if is_common else best_first


class TsvectorSearch:
    """PostgreSQL's ``tsvector`` column (see the module doc)."""

    syntax: Final = "tsquery"
    ranked: Final = TSVECTOR_RANKED
    ranked_values: Final = {"headline": HEADLINE_OPTIONS}

    def query(self, expr: SearchExpr) -> str:
        return to_tsquery(expr)

    def source(self, joins: str, where: Sequence[str], is_syntax: bool) -> str:
        parse = "to_tsquery" if is_syntax else "plainto_tsquery"
        clause = " AND ".join(["q.fts @@ query", *where])
        return (
            f"FROM {QUOTES} q {joins} CROSS JOIN {parse}('{TEXT_SEARCH_CONFIG}', :query) AS query "
            f"WHERE {clause}"
        )

    def relevance(self, conn: Connection, query: str, best_first: str) -> str:
        return best_first


FTS5: Final = Fts5Search()
TSVECTOR: Final = TsvectorSearch()


def full_text(conn: Connection) -> FullText:
    """The full-text search of ``conn``'s database."""
    return TSVECTOR if is_postgres(conn) else FTS5


def names_as_json(dialect: str, column: str) -> str:
    """An aggregate of ``column`` (a constant) as a JSON array, ``[]`` over no rows.

    SQLite's ``json_group_array`` and PostgreSQL's ``json_agg`` give the same text.
    """
    function = "json_agg" if dialect == "postgresql" else "json_group_array"
    return f"COALESCE({function}({column}), '[]')"
