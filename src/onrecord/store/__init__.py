"""Store: SQLite with FTS5 -- schema, migrations, ingest of ExtractedArticle, search."""
