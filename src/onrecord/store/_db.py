"""The ``Store``: one database (a SQLite file, or PostgreSQL) holding articles, quotes,
speakers and the quote index.

Input: ``ExtractedArticle`` records. Output: ``QuoteHit``, ``SpeakerSummary``,
``SpeakerRecord`` and, read back unchanged, ``ExtractedArticle``.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Final, Self

from sqlalchemy import text

from onrecord.config import is_postgres_url
from onrecord.errors import (
    BadQuery,
    ConfigError,
    IngestError,
    NotFound,
    OnrecordError,
    StoreError,
    StoreFull,
)
from onrecord.fidelity import (
    FINDING_KINDS,
    SEVERITIES,
    FidelityFinding,
    OccurrenceFidelity,
    severity_rank,
)
from onrecord.models import ExtractedArticle
from onrecord.store import (
    _actors,
    _articles,
    _browse,
    _fidelity,
    _migrate,
    _postgres,
    _rejects,
    _search,
    _story_index,
    _story_queries,
)
from onrecord.store._browse import Facets
from onrecord.store._connection import (
    DATABASE_ERRORS,
    Connection,
    SqliteConnection,
    is_postgres,
    savepoint,
    transaction,
)
from onrecord.store._positions import PositionTables
from onrecord.store._query import run
from onrecord.store._records import (
    Actor,
    ActorEdit,
    AddResult,
    QuoteHit,
    SpeakerRecord,
    SpeakerRole,
    SpeakerSummary,
)
from onrecord.store._schema import (
    ARTICLES,
    MIGRATIONS_TABLE,
    OUTLETS,
    QUOTES,
    SPEAKER_ALIASES,
    SPEAKERS,
)
from onrecord.store._search import QuoteFilter, SortOrder
from onrecord.store._speakers import load_aliases, pin_aliases
from onrecord.store._stances import StanceRows
from onrecord.store._steps import BatchStep
from onrecord.stories import Origin, Quotation, QuotationSummary, Story, StorySummary

log = logging.getLogger(__name__)

SAVEPOINT: Final = "onrecord_article"
STEP_SAVEPOINT: Final = "onrecord_step"
REBUILD_BATCH: Final = 500
# What writing an article can raise that costs only that article.
WRITE_ERRORS: Final = (*DATABASE_ERRORS, StoreError, UnicodeEncodeError, OverflowError)
# PostgreSQL's SQLSTATE for "disk full".
POSTGRES_DISK_FULL: Final = "53100"
# Two writers (two ingests, or an ingest and an API write) wait this long for each other
# instead of failing with "database is locked"; a batch commit takes well under a second.
BUSY_TIMEOUT_S: Final = 60.0
STATS_TABLES: Final = {
    "articles": ARTICLES,
    "quotes": QUOTES,
    "speakers": SPEAKERS,
    "speaker_aliases": SPEAKER_ALIASES,
    "outlets": OUTLETS,
}
COUNT_ROWS: Final = {
    key: text(f"SELECT COUNT(*) FROM {table}") for key, table in STATS_TABLES.items()
}
COUNT_QUOTED_SPEAKERS: Final = text(
    f"SELECT COUNT(DISTINCT speaker_id) FROM {QUOTES} WHERE speaker_id IS NOT NULL"
)
APPLIED_MIGRATIONS: Final = text(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY rowid")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """An onrecord database: add extracted articles, search quotes, list speakers.

    Use ``Store.open`` rather than the constructor; a store is a context manager that
    closes its connection on exit. One store must not be used from two threads at once.
    """

    def __init__(self, conn: Connection, path: str, now: Callable[[], datetime] = _utc_now) -> None:
        self._conn = conn
        self.path = path
        self._now = now

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        aliases: Mapping[str, Sequence[str]] | str | Path | None = None,
        now: Callable[[], datetime] = _utc_now,
    ) -> Store:
        """Open (creating or migrating as needed) the store at ``path``.

        Args:
            path: Database file, ``":memory:"`` for a throw-away store, or the URL of a
                PostgreSQL database (``postgresql://user:password@host:port/name``), which
                gets the same tables and answers the same queries.
            aliases: Pinned identities: a mapping canonical name -> variants, or the path of
                a TOML alias file (see ``load_aliases``).
            now: Clock for ``ingested_at`` and migration times (tz-aware UTC).

        Returns:
            The open store (a SQLite file in WAL mode with foreign keys enforced).

        Raises:
            SchemaTooNew: The database was written by a newer onrecord.
            StoreError: The database cannot be opened or is not an onrecord database.
            ConfigError: The alias file is unreadable or contradicts itself.
        """
        name = str(path)
        conn = _connect(name)
        try:
            _migrate.migrate(conn, _postgres.redact(name), now)
            store = cls(conn, _postgres.redact(name), now)
            if aliases is not None:
                mapping = load_aliases(aliases) if isinstance(aliases, str | Path) else aliases
                store.pin_aliases(mapping)
        except DATABASE_ERRORS as exc:
            conn.close()
            raise StoreError(
                f"[{StoreError.code}] {_postgres.redact(name)} is not a usable onrecord "
                f"database: {exc}. Point onrecord at another database, or move this one away."
            ) from exc
        except OnrecordError:
            conn.close()
            raise
        return store

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``: which database the store is in."""
        return "postgresql" if is_postgres(self._conn) else "sqlite"

    @property
    def schema_version(self) -> int:
        """The schema version of the open file."""
        return _migrate.schema_version(self._conn)

    def migrations(self) -> list[str]:
        """Names of the applied migrations, in the order they ran."""
        rows = run(self._conn, APPLIED_MIGRATIONS)
        return [str(row[0]) for row in rows]

    def pin_aliases(self, aliases: Mapping[str, Sequence[str]]) -> None:
        """Pin identities: each canonical name becomes one speaker owning its variants.

        Args:
            aliases: Canonical name -> variant spellings.

        Raises:
            ConfigError: One spelling is pinned to two names, or a name has no letters.
        """
        with transaction(self._conn):
            pin_aliases(self._conn, aliases)
        log.info("pinned %d speaker identities", len(aliases))

    def add_articles(
        self,
        items: Iterable[ExtractedArticle],
        batch_size: int = 200,
        *,
        steps: Sequence[BatchStep] = (),
    ) -> AddResult:
        """Store extracted articles, one transaction per batch.

        An article whose id is already stored is skipped. An article that cannot be written
        (for example a quote whose offsets miss the text) is rolled back on its own, logged
        and counted; the rest of its batch is kept. Before each batch commits, ``steps``
        derive what its new articles add (``onrecord.derive.standard_steps``: quotations,
        stories, quote fidelity), in the same transaction, each in a savepoint: a step that
        fails is logged and loses only its own rows of the batch, and the steps after it are
        skipped for that batch; ``rebuild_derived`` rebuilds them.

        Args:
            items: Articles with their quotes.
            batch_size: Articles per transaction.
            steps: After-batch steps, run in order; none for bulk loads that run
                ``rebuild_derived`` afterwards.

        Returns:
            Counts of added, skipped and failed articles.

        Raises:
            ConfigError: ``batch_size`` is below 1.
        """
        if batch_size < 1:
            raise ConfigError(
                f"[{ConfigError.code}] batch_size must be at least 1, got {batch_size}."
            )
        added = skipped = failed = quotes = 0
        failures: list[tuple[str, str]] = []
        added_all: list[str] = []
        iterator = iter(items)
        while batch := list(islice(iterator, batch_size)):
            ingested_at = self._now().isoformat()
            with self._writing():
                added_ids: list[str] = []
                for item, problem in zip(batch, self._add_batch(batch, ingested_at), strict=True):
                    if problem == "skipped":
                        skipped += 1
                    elif problem is not None:
                        failed += 1
                        failures.append((item.article.source, problem))
                    else:
                        added += 1
                        quotes += len(_articles.stored_statements(item))
                        added_ids.append(item.article.id)
                added_all.extend(added_ids)
                if steps and added_ids:
                    self._run_steps(steps, _story_index.rowids_for(self._conn, added_ids))
            log.debug("committed a batch of %d articles", len(batch))
        log.info("stored %d articles (%d duplicates, %d failed)", added, skipped, failed)
        return AddResult(
            added=added,
            skipped_duplicates=skipped,
            added_ids=tuple(added_all),
            failed=failed,
            quotes=quotes,
            failures=tuple(failures),
        )

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction; a full disk leaves it as one ``StoreFull``, nothing chained."""
        try:
            with transaction(self._conn):
                yield
        except BaseException as exc:
            full = _full_error(self.path, exc)
            if full is not None and full is not exc:
                raise full from None
            raise

    def record_rejects(self, run_id: str, errors: Sequence[IngestError]) -> int:
        """Write the input items a run could not keep to the ``rejects`` table.

        Args:
            run_id: Names the run; every row of one run carries it.
            errors: One error per rejected item.

        Returns:
            The number of rows written.
        """
        if not errors:
            return 0
        with self._writing():
            count = _rejects.insert_rejects(self._conn, run_id, self._now().isoformat(), errors)
        log.info("recorded %d rejected items of run %s", count, run_id)
        return count

    def rejects(
        self, *, run_id: str | None = None, limit: int = 1000, is_warning_listed: bool = False
    ) -> list[_rejects.Reject]:
        """Rejected input items of past runs, newest run first.

        Args:
            run_id: Only this run; ``None`` for every run.
            limit: Most rows to return.
            is_warning_listed: Also list the articles that were stored with a warning
                (``OR121``: little or no body text).

        Returns:
            One ``Reject`` per rejected item.

        Raises:
            BadQuery: A negative limit.
        """
        _check_paging(limit, 0)
        return _rejects.select_rejects(self._conn, run_id, limit, is_warning_listed)

    def _add_batch(self, batch: Sequence[ExtractedArticle], ingested_at: str) -> list[str | None]:
        """Per article: ``None`` when added, ``"skipped"`` when already stored, else why it
        failed.

        The new articles whose quotes sit in their text are written together; when that
        fails, they are written again one by one, each in its own savepoint, so that only the
        articles that cannot be written are lost.
        """
        stored = _articles.stored_ids(self._conn, [item.article.id for item in batch])
        outcomes: list[str | None] = []
        fresh: list[int] = []
        for index, item in enumerate(batch):
            if item.article.id in stored:
                log.debug("article %s already stored", item.article.id)
                outcomes.append("skipped")
                continue
            try:
                _articles.check_article(item)
            except StoreError as exc:
                outcomes.append(_not_stored(item, exc))
                continue
            stored.add(item.article.id)
            fresh.append(index)
            outcomes.append(None)
        if not fresh:
            return outcomes
        try:
            with savepoint(self._conn, SAVEPOINT):
                _articles.insert_articles(self._conn, [batch[i] for i in fresh], ingested_at)
        except WRITE_ERRORS as exc:
            if _full_error(self.path, exc) is not None:
                raise
            log.info(
                "%d articles not written together (%s); writing them one by one", len(fresh), exc
            )
            for index in fresh:
                outcomes[index] = self._add_one(batch[index], ingested_at)
        log.debug("stored %d articles", outcomes.count(None))
        return outcomes

    def _add_one(self, item: ExtractedArticle, ingested_at: str) -> str | None:
        """``None`` when the checked new article is added, else why it failed."""
        try:
            with savepoint(self._conn, SAVEPOINT):
                _articles.insert_articles(self._conn, [item], ingested_at)
        except WRITE_ERRORS as exc:
            if _full_error(self.path, exc) is not None:
                raise
            return _not_stored(item, exc)
        return None

    def _run_steps(self, steps: Sequence[BatchStep], rowids: Sequence[int]) -> None:
        """Run the after-batch steps, each in a savepoint; one that fails is rolled back on
        its own and ends the steps of this batch (a later step may read what it writes)."""
        for step in steps:
            try:
                with savepoint(self._conn, STEP_SAVEPOINT), self._conn.pipelined():
                    step.run(self._conn, rowids)
            except (*DATABASE_ERRORS, OnrecordError, ValueError, UnicodeEncodeError) as exc:
                log.warning(
                    "%s not updated for %d articles: %s; `Store.rebuild_derived` with the same "
                    "steps rebuilds it",
                    step.name,
                    len(rowids),
                    exc,
                )
                return

    def rebuild_derived(self, steps: Sequence[BatchStep]) -> int:
        """Empty what ``steps`` derive and derive it again from every stored article, in the
        order stored (``onrecord.derive.reindex_stories`` does it with the standard steps).

        Returns:
            The number of articles the steps ran over.
        """
        with self._writing():
            for step in steps:
                step.clear(self._conn)
        rowids = _story_index.article_rowids(self._conn)
        for start in range(0, len(rowids), REBUILD_BATCH):
            with self._writing(), self._conn.pipelined():
                for step in steps:
                    step.run(self._conn, rowids[start : start + REBUILD_BATCH])
        log.info("rebuilt %s for %d articles", ", ".join(step.name for step in steps), len(rowids))
        return len(rowids)

    def quotations(
        self,
        *,
        speaker: str | None = None,
        min_occurrences: int = 2,
        limit: int = 50,
        offset: int = 0,
    ) -> list[QuotationSummary]:
        """Statements carried more than once, most carried first.

        Args:
            speaker: Any spelling of a speaker's name (case-insensitive), or ``None`` for all.
            min_occurrences: Fewest stored quotes a quotation needs to be listed (1 lists
                every quote's quotation).
            limit: Most quotations to return.
            offset: Quotations to skip, for paging.

        Returns:
            One summary per quotation: speaker, longest wording, counts, first report.

        Raises:
            BadQuery: A negative limit or offset.
        """
        _check_paging(limit, offset)
        speaker_ids = None if speaker is None else _search.find_speaker_ids(self._conn, speaker)
        if speaker_ids is not None and not speaker_ids:
            return []
        return _story_queries.quotations(self._conn, speaker_ids, min_occurrences, limit, offset)

    def quotation_count(self, *, speaker: str | None = None, min_occurrences: int = 2) -> int:
        """How many quotations ``quotations`` lists with these filters, over all pages."""
        speaker_ids = None if speaker is None else _search.find_speaker_ids(self._conn, speaker)
        if speaker_ids is not None and not speaker_ids:
            return 0
        return _story_queries.count_quotations(self._conn, speaker_ids, min_occurrences)

    def quotation(self, quotation_id: int) -> Quotation:
        """One quotation: every occurrence (oldest first), its wordings and its origin.

        Raises:
            NotFound: No quotation has this id.
        """
        return _story_queries.quotation(self._conn, quotation_id)

    def quotation_of_quote(self, quote_id: int) -> int:
        """The id of the quotation a stored quote (``QuoteHit.quote_id``) belongs to.

        Raises:
            NotFound: No such quote, or it has no words to match on.
        """
        found = _story_queries.quotation_of_quote(self._conn, quote_id)
        if found is None:
            raise NotFound(
                f"[{NotFound.code}] quote {quote_id} belongs to no quotation. "
                "Find quotes with `onrecord search` or /api/search."
            )
        return found

    def origin(self, quotation_id: int) -> Origin:
        """Where a quotation was first reported and the outlets that relayed it, with dates.

        Raises:
            NotFound: No quotation has this id.
        """
        return _story_queries.origin(self._conn, quotation_id)

    def fidelity(
        self,
        *,
        since: date | None = None,
        speaker: str | None = None,
        severity: str = "low",
        kind: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[FidelityFinding]:
        """Quotations whose words or speaker changed on the way, most severe first.

        Args:
            since: Only occurrences published on or after this date.
            speaker: Any spelling of the speaker's name, on either side of the finding.
            severity: The least severity listed: ``low``, ``medium`` or ``high``.
            kind: Only this kind of finding (``fidelity.FINDING_KINDS``).
            limit: Most findings to return.
            offset: Findings to skip, for paging.

        Returns:
            Each finding with its evidence: both wordings, speakers, outlets and dates.

        Raises:
            BadQuery: An unknown severity or kind, or a negative limit or offset.
        """
        _check_paging(limit, offset)
        if severity_rank(severity) == 0:
            raise BadQuery(
                f"[{BadQuery.code}] unknown severity {severity!r}. "
                f"Use one of: {', '.join(SEVERITIES)}."
            )
        if kind is not None and kind not in FINDING_KINDS:
            raise BadQuery(
                f"[{BadQuery.code}] unknown kind of finding {kind!r}. "
                f"Use one of: {', '.join(FINDING_KINDS)}."
            )
        speaker_ids = None if speaker is None else _search.find_speaker_ids(self._conn, speaker)
        if speaker_ids is not None and not speaker_ids:
            return []
        return _fidelity.findings(
            self._conn,
            since=since,
            speaker_ids=speaker_ids,
            min_rank=severity_rank(severity),
            kind=kind,
            limit=limit,
            offset=offset,
        )

    def quotation_fidelity(self, quotation_id: int) -> list[OccurrenceFidelity]:
        """Each occurrence of a quotation against its statement's first report: word-level
        diff and findings (an empty list when none was compared).

        Raises:
            NotFound: No quotation has this id.
        """
        _story_queries.origin(self._conn, quotation_id)
        return _fidelity.quotation_fidelity(self._conn, quotation_id)

    def stories(
        self, *, min_articles: int = 2, limit: int = 50, offset: int = 0
    ) -> list[StorySummary]:
        """Clusters of articles about one event, largest first, each with its first report.

        Args:
            min_articles: Fewest articles a story needs to be listed.
            limit: Most stories to return.
            offset: Stories to skip, for paging.

        Raises:
            BadQuery: A negative limit or offset.
        """
        _check_paging(limit, offset)
        return _story_queries.stories(self._conn, min_articles, limit, offset)

    def story_count(self, *, min_articles: int = 2) -> int:
        """How many stories ``stories`` lists, over all pages."""
        return _story_queries.count_stories(self._conn, min_articles)

    def story(self, story_id: int) -> Story:
        """One story: its articles, first report first, and the quotations they share.

        Raises:
            NotFound: No story has this id.
        """
        return _story_queries.story(self._conn, story_id)

    def story_of(self, article_id: str) -> int:
        """The id of the story a stored article belongs to.

        Raises:
            NotFound: No stored article has this id.
        """
        found = _story_queries.story_of(self._conn, article_id)
        if found is None:
            raise NotFound(
                f"[{NotFound.code}] article {article_id!r} is in no story. "
                "Check the id, or run `onrecord.derive.reindex_stories(store)`."
            )
        return found

    def duplicate_pairs(self) -> list[tuple[str, str, float]]:
        """Article pairs found to be duplicates or light rewrites: ids and similarity."""
        return _story_queries.duplicate_pairs(self._conn)

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id (content hash) is stored."""
        return _articles.has_article(self._conn, article_id)

    def article(self, article_id: str) -> ExtractedArticle:
        """The stored article with its quotes, exactly as added.

        Raises:
            NotFound: No article has this id.
        """
        found = _articles.read_article(self._conn, article_id)
        if found is None:
            raise NotFound(
                f"[{NotFound.code}] no article with id {article_id!r}. "
                "Find articles with `onrecord search` or /api/search."
            )
        return found

    def iter_articles(self) -> Iterator[ExtractedArticle]:
        """Every stored article with its quotes, in the order added, streaming."""
        return _articles.iter_articles(self._conn)

    def search(
        self,
        text: str | None = None,
        *,
        speaker: str | None = None,
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
        kind: str | None = None,
        limit: int = 50,
        offset: int = 0,
        raw_fts: bool = False,
        syntax: bool = False,
        sort: SortOrder = "relevance",
        is_altered: bool = False,
    ) -> list[QuoteHit]:
        """Find quotes by words and filters.

        With ``text``, quotes matching all its words (in the quote or the speaker's name)
        come best match first, then newest; without it, filtered quotes come newest first.

        Args:
            text: Words to look for; passed through ``escape_fts`` unless ``raw_fts`` or
                ``syntax``.
            speaker: Any spelling of a speaker's name (case-insensitive).
            outlet: Outlet name (case-insensitive).
            since: Earliest article published date, inclusive.
            until: Latest article published date, inclusive.
            kind: ``"direct"``, ``"indirect"`` or ``"mixed"``.
            limit: Most hits to return.
            offset: Hits to skip, for paging.
            raw_fts: Treat ``text`` as the backend's full-text syntax (FTS5 or tsquery).
            syntax: Read ``text`` as the search-box syntax: phrases in quotes, OR, NOT or
                ``-word``, ``prefix*`` (text it cannot read is searched as words).
            sort: ``"relevance"``, ``"newest"`` or ``"oldest"``.
            is_altered: Only altered quotations: quotes with a fidelity finding, or the first
                reports that such quotes altered.

        Returns:
            Matching quotes; each ``snippet`` marks matched words with ``[`` and ``]``.

        Raises:
            BadQuery: Malformed raw FTS syntax, an unknown kind or sort, or a negative
                limit/offset.
        """
        spec = QuoteFilter(
            text=text,
            speaker=speaker,
            outlet=outlet,
            since=since,
            until=until,
            kind=kind,
            syntax="raw" if raw_fts else "query" if syntax else "words",
            sort=sort,
            is_altered=is_altered,
        )
        return self.find(spec, limit=limit, offset=offset)

    def find(self, spec: QuoteFilter, *, limit: int = 50, offset: int = 0) -> list[QuoteHit]:
        """``search`` with its arguments in one ``QuoteFilter``.

        Raises:
            BadQuery: As ``search``.
        """
        return _search.search_quotes(self._conn, spec, limit, offset)

    def iter_find(self, spec: QuoteFilter) -> Iterator[QuoteHit]:
        """Every match of ``spec`` in the order ``find`` pages through, read row by row
        from one statement (for exports of a whole result).

        Raises:
            BadQuery: As ``search``.
        """
        return _search.iter_matches(self._conn, spec)

    def count(self, spec: QuoteFilter, *, cap: int) -> int:
        """How many quotes ``spec`` matches, counted up to ``cap``.

        Raises:
            BadQuery: As ``search``.
        """
        return _browse.count_quotes(self._conn, spec, cap)

    def facets(self, spec: QuoteFilter, *, sample: int) -> Facets:
        """Counts of the matches by speaker, outlet, kind and month.

        Args:
            spec: The search.
            sample: Most matches to count; ``Facets.is_sample`` says when there were more.

        Raises:
            BadQuery: As ``search``.
        """
        return _browse.quote_facets(self._conn, spec, sample)

    def quote(self, quote_id: int) -> QuoteHit:
        """The stored quote with this id.

        Raises:
            NotFound: No quote has this id.
        """
        found = _browse.quote_by_id(self._conn, quote_id)
        if found is None:
            raise NotFound(
                f"[{NotFound.code}] no quote with id {quote_id}. Find quotes with /api/search."
            )
        return found

    def article_quotes(self, article_id: str) -> list[QuoteHit]:
        """The stored quotes of one article, in text order (none for an unknown id)."""
        return _browse.quotes_of_article(self._conn, article_id)

    def iter_quotes(self) -> Iterator[QuoteHit]:
        """Every stored quote, article by article in the order added, streaming."""
        return _search.iter_quotes(self._conn)

    def speakers(self, limit: int | None = None, offset: int = 0) -> list[SpeakerSummary]:
        """Quoted speakers, most quoted first.

        Args:
            limit: Most speakers to return; ``None`` for all.
            offset: Speakers to skip, for paging.
        """
        return _search.speaker_summaries(self._conn, limit, offset)

    def speaker(self, name: str) -> SpeakerRecord:
        """Everything one speaker said, oldest first.

        Args:
            name: Canonical name, any stored spelling variant, or the summary's slug.

        Returns:
            The speaker's summary and quotes with their articles.

        Raises:
            NotFound: No quoted speaker goes by that name; the message suggests close names.
        """
        summary = self.speaker_summary(name)
        quotes = _search.quotes_for_speaker(self._conn, summary.id)
        return SpeakerRecord(summary=summary, quotes=tuple(quotes))

    def speaker_summary(self, name: str) -> SpeakerSummary:
        """One speaker's summary (counts, dates, aliases) without the quotes.

        Raises:
            NotFound: As ``speaker``.
        """
        for speaker_id in _search.find_speaker_ids(self._conn, name):
            summary = _search.speaker_summary(self._conn, speaker_id)
            if summary is not None:
                return summary
        close = _search.closest_names(self._conn, name)
        hint = (
            f"Did you mean: {', '.join(close)}?"
            if close
            else "List speakers with `onrecord speakers` or /api/actors."
        )
        raise NotFound(f"[{NotFound.code}] no speaker named {name!r}. {hint}")

    def speaker_sample(self, speaker_id: int, most: int) -> tuple[list[QuoteHit], int]:
        """At most ``most`` dated quotes of a speaker spread evenly over time, oldest first,
        and how many dated quotes there are in all."""
        return _browse.spread_sample(self._conn, speaker_id, most)

    def actors(self) -> list[Actor]:
        """Quoted speakers, most quoted first, each with the roles held over time."""
        return _actors.actors(self._conn)

    def speaker_roles(self, name: str) -> list[SpeakerRole]:
        """Roles and organisations one speaker was quoted in, each with first and last date.

        Raises:
            NotFound: No speaker goes by that name.
        """
        return _actors.roles(self._conn, _actors.resolve_speaker_id(self._conn, name))

    def merge_speakers(self, name: str, other: str, *, into: str | None = None) -> ActorEdit:
        """Make two speakers one: aliases and quotes move, and the edit is recorded.

        Args:
            name: Any spelling of the first speaker; it survives unless ``into`` names other.
            other: Any spelling of the second speaker.
            into: Canonical name of the result (default: the surviving speaker's name).

        Returns:
            The recorded edit, with snapshots of the speakers before and after.

        Raises:
            NotFound: Either name is unknown.
            BadQuery: Both names are already one speaker, or ``into`` names a third one.
        """
        return self._edit(lambda: _actors.merge(self._conn, name, other, into, self._now()))

    def split_speaker(self, name: str, alias: str, *, new_name: str | None = None) -> ActorEdit:
        """Make one spelling of a speaker, and the quotes stored under it, a speaker of its own.

        Args:
            name: Any spelling of the speaker.
            alias: The spelling to split off; articles using it go to the new speaker from now
                on, re-ingested ones included.
            new_name: Canonical name of the new speaker (default: the spelling as stored).

        Returns:
            The recorded edit, with snapshots of the speakers before and after.

        Raises:
            NotFound: ``name`` is unknown or ``alias`` is not one of its spellings.
            BadQuery: ``alias`` is the canonical name, or ``new_name`` belongs to a speaker.
        """
        return self._edit(lambda: _actors.split(self._conn, name, alias, new_name, self._now()))

    def actor_edits(self, name: str | None = None) -> list[ActorEdit]:
        """Recorded merges and splits, oldest first; with ``name``, those that involve it."""
        return _actors.edits(self._conn, name)

    def position_tables(self) -> PositionTables:
        """The stored issues, positions and shifts (written by ``onrecord.positions``)."""
        return PositionTables(self._conn, self._writing)

    def stance_rows(self) -> StanceRows:
        """The cached stance results as a mapping from cache key to JSON text."""
        return StanceRows(self._conn)

    def _edit(self, run: Callable[[], ActorEdit]) -> ActorEdit:
        with self._writing():
            return run()

    def stats(self) -> dict[str, int]:
        """Row counts: articles, quotes, speakers (with quotes), speaker_aliases, outlets."""
        counts = {
            key: int(run(self._conn, statement).fetchone()[0])
            for key, statement in COUNT_ROWS.items()
        }
        counts["speakers"] = int(run(self._conn, COUNT_QUOTED_SPEAKERS).fetchone()[0])
        return counts


def _not_stored(item: ExtractedArticle, exc: Exception) -> str:
    """Log why an article was not stored; returns the reason counted for it."""
    log.warning("article %s not stored: %s", item.article.id, exc)
    return f"the store could not write it ({type(exc).__name__}: {exc})"


def _check_paging(limit: int, offset: int) -> None:
    if limit < 0 or offset < 0:
        raise BadQuery(
            f"[{BadQuery.code}] limit ({limit}) and offset ({offset}) must not be negative."
        )


def _full_error(target: str, exc: BaseException) -> StoreFull | None:
    """A ``StoreFull`` for an error that says the disk or the database is full, else ``None``."""
    if isinstance(exc, StoreFull):
        return exc
    code = getattr(exc, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL or getattr(exc, "sqlstate", None) == POSTGRES_DISK_FULL:
        return StoreFull(target, str(exc))
    return None


def _connect(name: str) -> Connection:
    try:
        if is_postgres_url(name):
            return _postgres.connect(name)
        raw = sqlite3.connect(
            name, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S
        )
        raw.row_factory = sqlite3.Row
    except DATABASE_ERRORS as exc:
        raise StoreError(
            f"[{StoreError.code}] cannot open database {_postgres.redact(name)}: {exc}. "
            "For a file, check that the directory exists and is writable; for PostgreSQL, "
            "that the server runs and the URL's database, user and password are right."
        ) from exc
    return SqliteConnection(raw)
