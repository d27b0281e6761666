"""A listing as JSON or CSV: the page's own response model, or every row streamed.

Input: the response model of one page (``SearchOut``, ``ActorListOut``...) or an iterator of
row models. Output: a ``Response``. CSV has one row per item of the listing, nested fields
flattened to ``speaker.name``-style columns and lists joined with `` > ``; every row is
written as it is produced, so an export of a whole store never sits in memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, Final

from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel

from onrecord.api._params import Paging

LIST_SEPARATOR: Final = " > "
CSV_TYPE: Final = "text/csv; charset=utf-8"
JSON_TYPE: Final = "application/json"
# Rows sent together: one chunk per row costs more in the server than writing the rows.
ROWS_PER_CHUNK: Final = 200


def _flatten(value: Any, prefix: str, out: dict[str, str]) -> None:  # Any: JSON values
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(value, list):
        out[prefix] = LIST_SEPARATOR.join(
            item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
            for item in value
        )
    elif value is None:
        out[prefix] = ""
    else:
        out[prefix] = str(value)


def flat_row(model: BaseModel) -> dict[str, str]:
    """One model as a flat ``column -> text`` row."""
    out: dict[str, str] = {}
    _flatten(model.model_dump(mode="json"), "", out)
    return out


def _csv_lines(rows: Iterable[BaseModel]) -> Iterator[str]:
    buffer = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    for number, row in enumerate(rows, 1):
        flat = flat_row(row)
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(flat), extrasaction="ignore")
            writer.writeheader()
        writer.writerow(flat)
        if number % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_lines(head: BaseModel, key: str, rows: Iterable[BaseModel]) -> Iterator[str]:
    opening = head.model_dump_json(exclude={key})
    chunk = [opening[:-1] + ("," if opening != "{}" else "") + json.dumps(key) + ":["]
    for number, row in enumerate(rows):
        chunk.append(("," if number else "") + row.model_dump_json())
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    chunk.append("]}")
    yield "".join(chunk)


def _disposition(name: str, extension: str) -> dict[str, str]:
    return {"Content-Disposition": f'inline; filename="{name}.{extension}"'}


def listing_response(
    paging: Paging,
    page: BaseModel,
    key: str,
    rows: Iterable[BaseModel],
    *,
    name: str,
) -> Response:
    """The listing in ``paging.format`` (JSON unless CSV is asked for).

    Args:
        paging: The validated paging; ``is_all`` streams ``rows`` instead of the page.
        page: The page's response model.
        key: The field of ``page`` holding its rows (``results``, ``actors``...).
        rows: Every row of the listing, for ``scope=all``; the page's rows otherwise.
        name: File name offered to the browser, without extension.
    """
    if paging.format == "csv":
        items: Iterable[BaseModel] = rows if paging.is_all else getattr(page, key)
        return StreamingResponse(
            _csv_lines(items), media_type=CSV_TYPE, headers=_disposition(name, "csv")
        )
    if paging.is_all:
        return StreamingResponse(
            _json_lines(page, key, rows), media_type=JSON_TYPE, headers=_disposition(name, "json")
        )
    return Response(page.model_dump_json(), media_type=JSON_TYPE)
