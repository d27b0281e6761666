"""Quote and article text -> normalised forms, word tokens and hashed shingles.

Everything here is a pure function of its arguments. Hashes are stable across processes and
runs (BLAKE2b and CRC-32, never Python's salted ``hash``), because they are stored.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from typing import Final

# Typographic quote marks and apostrophes fold to their ASCII forms before tokenising, so
# "‘key’" and "'key'" give the same tokens; other quote marks are dropped.
_FOLD: Final = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "‹": "'",
        "›": "'",
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "`": "'",
        "´": "'",
    }
)
_WORD: Final = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
SHINGLE_SEPARATOR: Final = " "
LEADING_FUNCTION_WORDS: Final = frozenset({"that"})
KEY_BYTES: Final = 8
# Lone surrogates survive hashing instead of raising; SQLite refuses them elsewhere anyway.
ENCODE_ERRORS: Final = "surrogatepass"


def quote_tokens(text: str) -> tuple[str, ...]:
    """Words of a quote, case-folded, with quote marks and punctuation dropped.

    Apostrophes inside a word stay (``don't``), so contractions remain one token. A leading
    "that" is dropped: in a mixed quote (``that "nobody gets a key"``) it belongs to the
    reporting sentence, not to the speaker.

    Args:
        text: A quote as written, with any kind of quote marks and spacing.

    Returns:
        The tokens in order.
    """
    tokens = tuple(_WORD.findall(text.translate(_FOLD).casefold()))
    if len(tokens) > 1 and tokens[0] in LEADING_FUNCTION_WORDS:
        return tokens[1:]
    return tokens


def normalise_quote(text: str) -> str:
    """The comparison form of a quote: folded case, no quote marks or punctuation, single spaces.

    Two quotes are the same text exactly when their normalised forms are equal.
    """
    return SHINGLE_SEPARATOR.join(quote_tokens(text))


def text_key(normalised: str) -> str:
    """A short stable key (hex) for an exact-match index over normalised texts."""
    data = normalised.encode("utf-8", ENCODE_ERRORS)
    return hashlib.blake2b(data, digest_size=KEY_BYTES).hexdigest()


def word_shingles(tokens: Sequence[str], size: int) -> set[str]:
    """Overlapping runs of ``size`` tokens; a text shorter than ``size`` is one shingle."""
    if not tokens:
        return set()
    if len(tokens) <= size:
        return {SHINGLE_SEPARATOR.join(tokens)}
    return {
        SHINGLE_SEPARATOR.join(tokens[index : index + size])
        for index in range(len(tokens) - size + 1)
    }


def scoped_keys(scope: str, shingles: set[str]) -> set[int]:
    """Signed 64-bit keys for shingles within a scope (a speaker's surname), for SQLite.

    The scope is part of the key, so the same words said by two people land on different rows
    and an indexed lookup only ever sees one speaker's phrases.
    """
    prefix = scope.encode("utf-8", ENCODE_ERRORS) + b"\x1f"
    keys: set[int] = set()
    for shingle in shingles:
        data = prefix + shingle.encode("utf-8", ENCODE_ERRORS)
        digest = hashlib.blake2b(data, digest_size=KEY_BYTES).digest()
        keys.add(int.from_bytes(digest, "big", signed=True))
    return keys


def shingle_hashes(shingles: set[str]) -> list[int]:
    """Unsigned 32-bit hashes of shingles, the input MinHash permutes."""
    return [zlib.crc32(shingle.encode("utf-8", ENCODE_ERRORS)) for shingle in shingles]
