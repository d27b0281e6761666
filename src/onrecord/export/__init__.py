"""Export: ExtractedArticle and stored rows -> JSON, JSONL, CSV, Parquet, tables."""
