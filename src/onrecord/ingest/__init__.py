"""Ingest: paths, folders, stdin -> RawDocument.

Entry point: ``read_inputs(paths)`` yields a ``RawDocument`` per item, or an ``IngestError`` value
for an item that cannot be read, so that a batch goes on past bad items.
"""
