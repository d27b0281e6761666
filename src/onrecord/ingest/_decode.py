"""Bytes -> str for input files whose encoding nobody declared.

Cascade, first match wins:

1. a byte-order mark (UTF-8, UTF-32, UTF-16), or UTF-16 without one (NULs in every other byte);
2. strict UTF-8;
3. Windows-1252, when the result reads as mostly Latin text (Western pages saved by old tools);
4. charset-normalizer's best guess (other legacy code pages such as Windows-1251);
5. Latin-1, which maps every byte and so never fails.
"""

from __future__ import annotations

import codecs
import logging

import charset_normalizer

log = logging.getLogger(__name__)

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    # UTF-32 LE starts with the UTF-16 LE mark, so it is tried first.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Share of non-ASCII characters among letters above which Windows-1252 is probably the wrong
# guess: English or Western European text has a few accented letters and curly quotes, while a
# Cyrillic or Greek page read as Windows-1252 turns nearly every letter into an accented one.
MAX_HIGH_SHARE_CP1252 = 0.3
UTF16_SAMPLE_BYTES = 4096
UTF16_MIN_BYTES = 8
UTF16_NUL_SHARE = 0.9


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """Return the encoding a byte-order mark announces and the mark's length, if any."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def decode_bytes(data: bytes) -> str:
    """Decode bytes of unknown encoding to text without ever raising.

    Args:
        data: The raw bytes of a file or of one JSONL line.

    Returns:
        The decoded text, without a byte-order mark.
    """
    found = bom_encoding(data)
    if found is not None:
        encoding, skip = found
        return data[skip:].decode(encoding, errors="replace")
    bom_less = _utf16_without_bom(data)
    if bom_less is not None:
        return data.decode(bom_less, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and _reads_as_latin(text):
        return text
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        log.debug("decoded with %s (charset-normalizer guess)", best.encoding)
        return str(best)
    return data.decode("latin-1")


def has_nul(text: str) -> bool:
    """Tell whether decoded text holds NUL characters, the mark of a binary file."""
    return "\x00" in text


def _utf16_without_bom(data: bytes) -> str | None:
    # Latin-script UTF-16 has a NUL in every other byte: the high byte of each character.
    sample = data[:UTF16_SAMPLE_BYTES]
    if len(sample) < UTF16_MIN_BYTES:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= UTF16_NUL_SHARE * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= UTF16_NUL_SHARE * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _reads_as_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return True
    high = sum(1 for ch in letters if ord(ch) > 0x7F)
    return high / len(letters) <= MAX_HIGH_SHARE_CP1252
