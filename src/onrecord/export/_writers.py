"""File writers: stored quotes (``QuoteHit``) and contract objects -> JSONL, CSV, Parquet.

Each writer takes an iterable and streams it, so a whole store can be exported without
holding it in memory. Dates are written as ISO strings (Parquet: ``date32``).
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from itertools import islice
from pathlib import Path
from typing import IO, Any, Final

import pyarrow as pa
import pyarrow.parquet as pq

from onrecord.store import QuoteHit

log = logging.getLogger(__name__)

VIA_SEPARATOR: Final = " > "
PARQUET_BATCH_ROWS: Final = 10_000
# Column order of CSV and Parquet files; a column is only ever appended.
QUOTE_FIELDS: Final = (
    "quote_id",
    "article_id",
    "published",
    "outlet",
    "title",
    "url",
    "speaker",
    "speaker_given",
    "speaker_mention",
    "mention_start",
    "mention_end",
    "role",
    "org",
    "speaker_kind",
    "kind",
    "cue",
    "text",
    "start",
    "end",
    "confidence",
    "via",
    "extractor",
)
PARQUET_SCHEMA: Final = pa.schema(
    [
        ("quote_id", pa.int64()),
        ("article_id", pa.string()),
        ("published", pa.date32()),
        ("outlet", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("speaker", pa.string()),
        ("speaker_given", pa.string()),
        ("speaker_mention", pa.string()),
        ("mention_start", pa.int64()),
        ("mention_end", pa.int64()),
        ("role", pa.string()),
        ("org", pa.string()),
        ("speaker_kind", pa.string()),
        ("kind", pa.string()),
        ("cue", pa.string()),
        ("text", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("confidence", pa.float64()),
        ("via", pa.list_(pa.string())),
        ("extractor", pa.string()),
    ]
)


def hit_to_dict(hit: QuoteHit) -> dict[str, Any]:  # Any: JSON-like values, dates kept
    """A stored quote as a flat dict with the ``QUOTE_FIELDS`` keys (``via`` as a list)."""
    return {
        "quote_id": hit.quote_id,
        "article_id": hit.article_id,
        "published": hit.published,
        "outlet": hit.outlet,
        "title": hit.title,
        "url": hit.url,
        "speaker": hit.speaker,
        "speaker_given": hit.speaker_given,
        "speaker_mention": hit.speaker_mention,
        "mention_start": hit.mention_start,
        "mention_end": hit.mention_end,
        "role": hit.role,
        "org": hit.org,
        "speaker_kind": hit.speaker_kind,
        "kind": hit.kind,
        "cue": hit.cue,
        "text": hit.text,
        "start": hit.start,
        "end": hit.end,
        "confidence": hit.confidence,
        "via": list(hit.via),
        "extractor": hit.extractor,
    }


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write_jsonl(rows: Iterable[Mapping[str, Any] | QuoteHit], fp: IO[str]) -> int:
    """Write one JSON object per line.

    Args:
        rows: Contract objects (``article_to_contract``) or stored quotes.
        fp: Text file open for writing.

    Returns:
        Number of lines written.
    """
    count = 0
    for row in rows:
        data = hit_to_dict(row) if isinstance(row, QuoteHit) else row
        fp.write(json.dumps(data, ensure_ascii=False, default=_json_default))
        fp.write("\n")
        count += 1
    log.debug("wrote %d JSON lines", count)
    return count


def write_csv(hits: Iterable[QuoteHit], fp: IO[str]) -> int:
    """Write stored quotes as CSV, one row per quote, header first.

    Empty values are empty cells; ``via`` is joined with ``" > "``.

    Args:
        hits: Stored quotes.
        fp: Text file open for writing with ``newline=""``.

    Returns:
        Number of quote rows written.
    """
    writer = csv.DictWriter(fp, fieldnames=QUOTE_FIELDS)
    writer.writeheader()
    count = 0
    for hit in hits:
        row = hit_to_dict(hit)
        row["via"] = VIA_SEPARATOR.join(hit.via)
        row["published"] = hit.published.isoformat() if hit.published else None
        writer.writerow(row)
        count += 1
    log.debug("wrote %d CSV rows", count)
    return count


def _batches(hits: Iterable[QuoteHit]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(hits)
    while batch := list(islice(iterator, PARQUET_BATCH_ROWS)):
        yield [hit_to_dict(hit) for hit in batch]


def write_parquet(hits: Iterable[QuoteHit], path: str | Path) -> int:
    """Write stored quotes to a Parquet file with a fixed schema (``PARQUET_SCHEMA``).

    Args:
        hits: Stored quotes.
        path: File to create or overwrite.

    Returns:
        Number of quote rows written.
    """
    count = 0
    with pq.ParquetWriter(str(path), PARQUET_SCHEMA) as writer:
        for batch in _batches(hits):
            writer.write_table(pa.Table.from_pylist(batch, schema=PARQUET_SCHEMA))
            count += len(batch)
    log.debug("wrote %d Parquet rows to %s", count, path)
    return count
