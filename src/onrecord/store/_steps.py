"""What the store asks of an after-batch step: derived data written inside a batch.

``Store.add_articles`` runs the steps it is given after each batch's articles are written,
in the batch's own transaction, each in a savepoint of its own: a step that fails loses only
what it derived for that batch (the articles stay), and the steps after it are skipped for
that batch, since they may read what it writes. ``Store.rebuild_derived`` empties what the
steps derive and runs them again over every stored article. The steps themselves live with
the data they derive (``onrecord.derive``); the store knows only this interface.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from onrecord.store._connection import Connection


class BatchStep(Protocol):
    """Derived data kept up to date inside each stored batch."""

    @property
    def name(self) -> str:
        """What the step derives, as log lines name it (``"quote fidelity"``)."""
        ...

    def run(self, conn: Connection, rowids: Sequence[int]) -> None:
        """Derive what the articles with these rowids (in the order stored) add.

        Args:
            conn: The store's connection, inside the batch's transaction.
            rowids: ``articles.rowid`` of the batch's new articles.
        """
        ...

    def clear(self, conn: Connection) -> None:
        """Empty every table the step writes (inside the caller's transaction)."""
        ...
