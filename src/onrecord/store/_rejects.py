"""Rows of the ``rejects`` table: input items a run could not keep, and why.

Input: ``IngestError`` values of one run. Output: ``Reject`` records, newest run first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from onrecord.errors import IngestError, KeptWithWarning
from onrecord.store._connection import Connection
from onrecord.store._schema import REJECTS


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
    rows = [(run_id, rejected_at, error.item, error.code, error.reason) for error in errors]
    conn.executemany(
        f"INSERT INTO {REJECTS} (run_id, rejected_at, item, code, reason) VALUES (?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


def select_rejects(
    conn: Connection, run_id: str | None, limit: int, is_warning_listed: bool = False
) -> list[Reject]:
    """Rejected items of ``run_id`` (or of every run), newest run first, input order within.

    Rows of articles stored with a warning (``KeptWithWarning``) come only when asked for.
    """
    terms = ["run_id = ?"] if run_id is not None else []
    params: tuple[object, ...] = (run_id,) if run_id is not None else ()
    if not is_warning_listed:
        terms.append("code != ?")
        params = (*params, KeptWithWarning.code)
    where = f"WHERE {' AND '.join(terms)}" if terms else ""
    params = (*params, limit)
    rows = conn.execute(
        f"SELECT run_id, rejected_at, item, code, reason FROM {REJECTS} {where} "
        "ORDER BY rejected_at DESC, run_id DESC, id LIMIT ?",
        params,
    )
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
