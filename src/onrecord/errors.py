"""Every error onrecord raises on purpose.

Tree::

    OnrecordError (OR000, 500)
    ├── ConfigError (OR100, 400)
    ├── IngestError (OR110, 422)        an input item cannot be read or parsed
    │   ├── UnsupportedInput (OR111)
    │   └── KeptWithWarning (OR121)  not an error: an article stored, with what looked wrong
    ├── ExtractError (OR150, 500)       a model or lexicon is missing or broken
    ├── ClusterError (OR160, 503)       a Dask cluster cannot be reached or lost its workers
    ├── StoreError (OR200, 500)         problems with the onrecord database file
    │   ├── SchemaTooNew (OR203)
    │   └── BadQuery (OR204, 400)       a search the store cannot run
    └── NotFound (OR404, 404)

Messages say what went wrong, with the offending value, and what to do next.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar


class OnrecordError(Exception):
    """Root of every error onrecord raises on purpose."""

    code: ClassVar[str] = "OR000"
    http_status: ClassVar[int] = 500


class ConfigError(OnrecordError):
    """A setting or option has a value onrecord cannot use."""

    code = "OR100"
    http_status = 400


class IngestError(OnrecordError):
    """One input item cannot be read; the batch goes on without it."""

    code = "OR110"
    http_status = 422

    def __init__(self, item: str, reason: str, fix: str = "") -> None:
        self.item = item
        self.reason = reason
        tail = f" {fix}" if fix else ""
        super().__init__(f"[{self.code}] {item}: {reason}.{tail}")


class UnsupportedInput(IngestError):
    """An input whose format onrecord does not read."""

    code = "OR111"


class KeptWithWarning(IngestError):
    """An article that was stored, but looked wrong (little or no body text).

    Never raised: it is listed with the rejects of a run so that nothing vanishes silently.
    """

    code = "OR121"


class ExtractError(OnrecordError):
    """A model or lexicon that extraction needs is missing or unreadable."""

    code = "OR150"


class ClusterError(OnrecordError):
    """A Dask cluster cannot be started or reached, or lost its workers during a run."""

    code = "OR160"
    http_status = 503


class StoreError(OnrecordError):
    """Base for problems with the onrecord database file."""

    code = "OR200"


class SchemaTooNew(StoreError):
    """The database was written by a newer onrecord."""

    code = "OR203"

    def __init__(self, path: Path | str, found: int, known: int) -> None:
        super().__init__(
            f"[{self.code}] {path} has schema v{found}; this onrecord understands up to v{known}. "
            "Upgrade onrecord, or export with the newer version and re-import."
        )


class BadQuery(StoreError):
    """A search the store cannot run (for example malformed full-text syntax)."""

    code = "OR204"
    http_status = 400


class NotFound(OnrecordError):
    """A requested speaker, quote or article does not exist in the store."""

    code = "OR404"
    http_status = 404
