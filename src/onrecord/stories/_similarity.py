"""Article text -> MinHash signature and LSH band keys; quote pairs -> same statement or not.

Articles: a MinHash (datasketch, ``NUM_PERM`` permutations) over word ``ARTICLE_SHINGLE``-grams
estimates Jaccard similarity. The signature is cut into ``BANDS`` bands of ``ROWS`` values; each
band hashes to one signed 64-bit key, stored in an indexed table, so that articles sharing any
key are candidates (the probability of sharing one is ``1 - (1 - J**ROWS)**BANDS``: 0.98 at
J = 0.45, 0.48 at J = 0.25, 0.06 at J = 0.1). Candidates are then checked on the full
signature.

Quotes: exact after normalisation, or fuzzy by shingle containment: the share of the shorter
version's word 3-grams found in the longer one. Containment rather than Jaccard, because a
trimmed fragment of a long statement has a low Jaccard but a containment of 1.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import TYPE_CHECKING, Final

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

from onrecord.stories._text import quote_tokens, shingle_hashes, word_shingles

NUM_PERM: Final = 126
BANDS: Final = 42
ROWS: Final = 3
ARTICLE_SHINGLE: Final = 3
MINHASH_SEED: Final = 20260
SIGNATURE_DTYPE: Final = np.dtype("<u4")

QUOTE_SHINGLE: Final = 3
MIN_FUZZY_TOKENS: Final = 5
MIN_SPEAKERLESS_TOKENS: Final = 6
CONTAINMENT_THRESHOLD: Final = 0.7


def _identity(value: int) -> int:
    return value


@cache
def _template() -> MinHash:
    # datasketch imports scipy (half a second): loaded here, so commands that only read the
    # store start without it.
    from datasketch import MinHash

    # Permutations are drawn once from the fixed seed and shared by every signature, which is
    # what makes stored signatures comparable with new ones.
    return MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=_identity, scheme="affine32")


def article_signature(text: str) -> bytes:
    """The MinHash signature of an article's words, as ``NUM_PERM`` little-endian uint32.

    Args:
        text: The cleaned article text.

    Returns:
        The packed signature; ``b""`` for a text without words, which matches nothing.
    """
    hashes = shingle_hashes(word_shingles(quote_tokens(text), ARTICLE_SHINGLE))
    if not hashes:
        return b""
    template = _template()
    minhash = type(template)(
        num_perm=NUM_PERM,
        seed=MINHASH_SEED,
        hashfunc=_identity,
        permutations=template.permutations,
        scheme="affine32",
    )
    minhash.update_batch(hashes)
    return np.asarray(minhash.hashvalues, dtype=SIGNATURE_DTYPE).tobytes()


def band_keys(signature: bytes) -> list[int]:
    """One signed 64-bit key per band; the band number is hashed in, so bands never collide.

    An empty signature has no bands.
    """
    if not signature:
        return []
    width = ROWS * SIGNATURE_DTYPE.itemsize
    return [
        int.from_bytes(
            hashlib.blake2b(
                band.to_bytes(2, "big") + signature[band * width : (band + 1) * width],
                digest_size=8,
            ).digest(),
            "big",
            signed=True,
        )
        for band in range(BANDS)
    ]


def signature_similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two articles: the share of equal signature values."""
    left = np.frombuffer(first, dtype=SIGNATURE_DTYPE)
    right = np.frombuffer(second, dtype=SIGNATURE_DTYPE)
    if left.shape != right.shape or left.size == 0:
        return 0.0
    return float(np.count_nonzero(left == right)) / float(left.size)


def containment(shared: int, first_count: int, second_count: int) -> float:
    """Share of the smaller shingle set found in the other, given the size of the overlap."""
    smaller = min(first_count, second_count)
    return shared / smaller if smaller > 0 else 0.0


def is_fuzzy_match(shared: int, first: tuple[int, int], second: tuple[int, int]) -> bool:
    """Whether two versions of a quote by one speaker are the same statement.

    Args:
        shared: Number of word 3-grams the two versions have in common.
        first: ``(token_count, shingle_count)`` of one version.
        second: The same for the other version.

    Returns:
        True when the shorter version has at least ``MIN_FUZZY_TOKENS`` words and at least
        ``CONTAINMENT_THRESHOLD`` of its 3-grams occur in the longer one. Shorter fragments
        ("not negotiable") only ever match exactly: they recur across different statements.
    """
    if min(first[0], second[0]) < MIN_FUZZY_TOKENS:
        return False
    return containment(shared, first[1], second[1]) >= CONTAINMENT_THRESHOLD
