"""Ingest: paths, folders, stdin -> RawDocument.

Entry point: ``read_inputs(paths)`` yields a ``RawDocument`` per item, or an ``IngestError`` value
for an item that cannot be read, so that a batch goes on past bad items.
"""

from onrecord.ingest._decode import decode_bytes, text_problem
from onrecord.ingest._readers import read_inputs

__all__ = ["decode_bytes", "read_inputs", "text_problem"]
