"""The after-batch steps that keep quotations, stories and quote fidelity up to date.

Each step is a ``onrecord.store.BatchStep``: ``Store.add_articles`` runs it inside each
batch's transaction, and ``Store.rebuild_derived`` empties its tables and runs it over every
stored article. ``standard_steps`` are the ones every ingest path uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from onrecord.derive._fidelity import index_fidelity
from onrecord.derive._stories import index_articles
from onrecord.fidelity import FidelitySettings
from onrecord.store import BatchStep, Connection, _fidelity, _story_index

if TYPE_CHECKING:
    from onrecord.store import Store


@dataclass(frozen=True)
class QuotationsStep:
    """Quotes join their quotations, articles their stories (``Store.quotations``,
    ``Store.stories``)."""

    name: str = "quotations and stories"

    def run(self, conn: Connection, rowids: Sequence[int]) -> None:
        """Index the new articles, one after another in the order stored."""
        index_articles(conn, rowids)

    def clear(self, conn: Connection) -> None:
        """Empty the quotation and story tables."""
        _story_index.clear_index(conn)


@dataclass(frozen=True)
class FidelityStep:
    """The statements a batch touched are compared with their first reports
    (``Store.fidelity``); runs after ``QuotationsStep``, whose quotations it reads."""

    settings: FidelitySettings = field(default_factory=FidelitySettings)
    name: str = "quote fidelity"

    def run(self, conn: Connection, rowids: Sequence[int]) -> None:
        """Compare the occurrences the new articles added or changed."""
        index_fidelity(conn, rowids, self.settings)

    def clear(self, conn: Connection) -> None:
        """Empty the fidelity tables."""
        _fidelity.clear_fidelity(conn)


def standard_steps(
    *, is_checking_fidelity: bool = True, fidelity: FidelitySettings | None = None
) -> tuple[BatchStep, ...]:
    """The after-batch steps of an ingest: quotations and stories, then quote fidelity.

    Args:
        is_checking_fidelity: Include the fidelity step.
        fidelity: Its thresholds; the defaults when ``None``.
    """
    if not is_checking_fidelity:
        return (QuotationsStep(),)
    return (QuotationsStep(), FidelityStep(fidelity or FidelitySettings()))


def reindex_stories(store: Store, steps: Sequence[BatchStep] | None = None) -> int:
    """Rebuild quotations, stories and quote fidelity from every stored article.

    Args:
        store: The open store.
        steps: The steps to rebuild; ``standard_steps()`` when ``None``.

    Returns:
        The number of articles indexed.
    """
    return store.rebuild_derived(standard_steps() if steps is None else steps)
