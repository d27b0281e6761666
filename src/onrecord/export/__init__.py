"""Export: ExtractedArticle and stored rows -> JSON, JSONL, CSV, Parquet, tables.

This package is where onrecord writes files; everything else hands it values.
"""

from onrecord.export._contract import article_to_contract, quote_to_contract
from onrecord.export._table import format_table
from onrecord.export._writers import (
    QUOTE_FIELDS,
    hit_to_dict,
    write_csv,
    write_jsonl,
    write_parquet,
)

__all__ = [
    "QUOTE_FIELDS",
    "article_to_contract",
    "format_table",
    "hit_to_dict",
    "quote_to_contract",
    "write_csv",
    "write_jsonl",
    "write_parquet",
]
