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
    │   ├── BadQuery (OR204, 400)       a search the store cannot run
    │   └── StoreFull (OR205, 507)      the disk (or the database's size limit) is full
    └── NotFound (OR404, 404)

Messages say what went wrong, with the offending value, and what to do next.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import ClassVar, Final

# Characters a name or reason may not carry into a one-line message as they are: controls
# (a newline would start a forged error line), line and paragraph separators, and the lone
# surrogates Python uses for file-name bytes that are not UTF-8 (they cannot be printed or
# stored).
SHORT_ESCAPES: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with every control, separator and lone surrogate written as an escape.

    A file name with the byte 0xff (not UTF-8) reads ``zz\\xff.txt``; a newline reads ``\\n``.
    The result is valid UTF-8 on one line, so it can be printed, logged and stored.
    """
    if text.isprintable():
        return text
    return "".join(_escape(char) for char in text)


def _escape(char: str) -> str:
    if char in SHORT_ESCAPES:
        return SHORT_ESCAPES[char]
    if char == " " or unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn"}:
        return char
    point = ord(char)
    if 0xDC80 <= point <= 0xDCFF:
        # os.fsdecode's stand-in for the undecodable byte point - 0xDC00.
        return f"\\x{point - 0xDC00:02x}"
    if point <= 0xFF:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"


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
        # Names and reasons come from outside (file names, exception texts): escaped, so that
        # the error stays one line and can be stored.
        item = printable(item)
        reason = printable(reason)
        fix = printable(fix)
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


class StoreFull(StoreError):
    """The store cannot grow: its disk, or the database's own size limit, is full.

    Nothing committed before is lost; the batch being written is rolled back.
    """

    code = "OR205"
    http_status = 507

    def __init__(self, target: str, detail: str) -> None:
        super().__init__(
            f"[{self.code}] cannot write to {target}: {detail}. The articles committed before "
            "are kept; free disk space and run the same command again to add the rest."
        )


class NotFound(OnrecordError):
    """A requested speaker, quote or article does not exist in the store."""

    code = "OR404"
    http_status = 404
