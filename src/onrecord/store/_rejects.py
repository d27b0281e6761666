"""Rows of the ``rejects`` table: input items a run could not keep, and why.

Input: ``IngestError`` values of one run. Output: ``Reject`` records, newest run first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from onrecord.errors import IngestError
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


def select_rejects(conn: Connection, run_id: str | None, limit: int) -> list[Reject]:
    """Rejected items of ``run_id`` (or of every run), newest run first, input order within."""
    where = "WHERE run_id = ?" if run_id is not None else ""
    params: tuple[object, ...] = (run_id, limit) if run_id is not None else (limit,)
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
