"""Text normalisation as composable ``str -> str`` steps.

``normalize_text`` applies, in order: line endings to ``\\n``, removal of control and zero-width
characters, odd spaces to plain spaces, Unicode NFC.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import reduce

Step = Callable[[str], str]

INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]")


def compose(*steps: Step) -> Step:
    """Chain ``str -> str`` steps into one callable, applied left to right."""

    def run(text: str) -> str:
        return reduce(lambda value, step: step(value), steps, text)

    return run


def unify_newlines(text: str) -> str:
    """Turn ``\\r\\n``, ``\\r`` and Unicode line separators into ``\\n``."""
    return (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n\n")
    )


def drop_invisible(text: str) -> str:
    """Remove zero-width, soft-hyphen and control characters (newlines stay)."""
    return INVISIBLE.sub("", text)


def plain_spaces(text: str) -> str:
    """Turn no-break, thin and other odd spaces and tabs into plain spaces."""
    return ODD_SPACES.sub(" ", text)


def nfc(text: str) -> str:
    """Compose characters (Unicode NFC) so equal text compares equal."""
    return unicodedata.normalize("NFC", text)


normalize_text: Step = compose(unify_newlines, drop_invisible, plain_spaces, nfc)
