"""``/api/fidelity`` and ``/api/quotations/{id}/fidelity``: quotations altered on the way."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from onrecord.api._deps import StoreDep
from onrecord.api._params import Paging, RowId, paging_of
from onrecord.api.routes._common import ERRORS
from onrecord.api.schemas import (
    FidelityListOut,
    QuotationFidelityOut,
    fidelity_finding_out,
    quotation_fidelity_out,
)

router = APIRouter(tags=["fidelity"])


@router.get("/fidelity", response_model=FidelityListOut, responses=ERRORS)
def fidelity(
    store: StoreDep,
    paging: Annotated[Paging, Depends(paging_of(50, 200))],
    since: Annotated[date | None, Query(description="later occurrences from this date")] = None,
    speaker: Annotated[str | None, Query(description="any spelling, either side")] = None,
    severity: Annotated[
        Literal["low", "medium", "high"], Query(description="least severity listed")
    ] = "low",
    kind: Annotated[str | None, Query(description="only this kind of finding")] = None,
) -> FidelityListOut:
    """Findings of quote fidelity, most severe first: what changed, between which outlets."""
    limit, offset = paging.limit, paging.offset
    found = store.fidelity(
        since=since, speaker=speaker, severity=severity, kind=kind, limit=limit + 1, offset=offset
    )
    return FidelityListOut(
        findings=[fidelity_finding_out(f) for f in found[:limit]],
        next_offset=offset + limit if len(found) > limit else None,
    )


@router.get(
    "/quotations/{quotation_id}/fidelity", response_model=QuotationFidelityOut, responses=ERRORS
)
def quotation_fidelity(quotation_id: RowId, store: StoreDep) -> QuotationFidelityOut:
    """Each occurrence of a quotation against the first report: diff, findings, classification."""
    return quotation_fidelity_out(quotation_id, store.quotation_fidelity(quotation_id))
