"""Derived data: quotations, stories and quote fidelity, kept up to date as articles arrive.

The store writes articles and knows tables and queries; what is worked out from the stored
articles is worked out here, by after-batch steps the ingest passes to the store
(``Store.add_articles(items, steps=standard_steps())``). Each step runs inside the batch's
transaction in a savepoint of its own, so a failing step costs only its own rows.

    new articles -> QuotationsStep  (quotes -> quotations; articles -> stories)
                 -> FidelityStep    (statements touched -> first report -> findings)

Positions are derived after each batch commits, by ``onrecord.positions.PositionsStep``
(models run outside the transaction).
"""

from onrecord.derive._steps import FidelityStep, QuotationsStep, reindex_stories, standard_steps

__all__ = ["FidelityStep", "QuotationsStep", "reindex_stories", "standard_steps"]
