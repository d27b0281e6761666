"""Integer parameters of the API and the pages, bounded at the edge.

A number past these answers 422 with the usual error body instead of overflowing the
database's 64-bit integers (a 500) deep inside a query.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import Path, Query

# Far past any real page or threshold; SQLite still walks an OFFSET row by row.
MAX_OFFSET: Final = 10_000_000
MAX_COUNT: Final = 10_000_000
# Ids are SQLite's 64-bit row ids.
MAX_ID: Final = 2**63 - 1

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="results to skip")]
RowId = Annotated[int, Path(ge=-MAX_ID, le=MAX_ID)]
