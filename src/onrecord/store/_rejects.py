"""Rows of the ``rejects`` table: input items a run could not keep, and why.

Input: ``IngestError`` values of one run. Output: ``Reject`` records, newest run first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import Select, bindparam, column, select, table

from onrecord.errors import IngestError, KeptWithWarning
from onrecord.store._connection import Connection
from onrecord.store._query import insert_into, run, run_many
from onrecord.store._schema import REJECTS

COLUMNS: Final = ("run_id", "rejected_at", "item", "code", "reason")
INSERT_REJECT: Final = insert_into(REJECTS, COLUMNS)
TABLE: Final = table(REJECTS, column("id"), *(column(name) for name in COLUMNS))


@dataclass(frozen=True, slots=True)
class Reject:
    """One rejected input item of one run."""

    run_id: str
    rejected_at: str
    item: str
    code: str
    reason: str


def insert_rejects(
    conn: Connection, run_id: str, rejected_at: str, errors: Iterable[IngestError]
) -> int:
    """Insert one row per error; returns how many rows were written."""
    rows = [
        {
            "run_id": run_id,
            "rejected_at": rejected_at,
            "item": error.item,
            "code": error.code,
            "reason": error.reason,
        }
        for error in errors
    ]
    run_many(conn, INSERT_REJECT, rows)
    return len(rows)


@lru_cache(maxsize=4)
def _select(is_one_run: bool, is_warning_listed: bool) -> Select[Any]:
    query = select(*(TABLE.c[name] for name in COLUMNS))
    if is_one_run:
        query = query.where(TABLE.c.run_id == bindparam("run_id"))
    if not is_warning_listed:
        query = query.where(TABLE.c.code != bindparam("code"))
    order = (TABLE.c.rejected_at.desc(), TABLE.c.run_id.desc(), TABLE.c.id)
    return query.order_by(*order).limit(bindparam("limit"))


def select_rejects(
    conn: Connection, run_id: str | None, limit: int, is_warning_listed: bool = False
) -> list[Reject]:
    """Rejected items of ``run_id`` (or of every run), newest run first, input order within.

    Rows of articles stored with a warning (``KeptWithWarning``) come only when asked for.
    """
    params = {"limit": limit, "run_id": run_id, "code": KeptWithWarning.code}
    rows = run(conn, _select(run_id is not None, is_warning_listed), params)
    return [
        Reject(
            run_id=str(row[0]),
            rejected_at=str(row[1]),
            item=str(row[2]),
            code=str(row[3]),
            reason=str(row[4]),
        )
        for row in rows
    ]
