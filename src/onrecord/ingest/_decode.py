"""Bytes -> str for input files whose encoding nobody declared.

Cascade, first match wins:

1. a byte-order mark (UTF-8, UTF-32, UTF-16), or UTF-16 without one: a NUL in every other
   byte (Latin script), or every other byte drawn from a few values, the high byte of one
   script's block (Cyrillic, Greek, Arabic...), when the whole sample decodes strictly;
2. strict UTF-8;
3. UTF-8 mixed with a legacy code page (a file pasted together from two sources): each line
   that is valid UTF-8 is read as UTF-8, the others with the code page step 4 or 5 picks for
   them, so that neither part is garbled;
4. Windows-1252, when the result reads as mostly Latin text (Western pages saved by old tools);
5. charset-normalizer's best guess (other legacy code pages such as Windows-1251);
6. Latin-1, which maps every byte and so never fails.

``text_problem`` then tells decoded text from binary data by its character classes: text has
next to no control characters, private-use or unassigned code points, or replacement marks.
It is the one check every way in uses (files, JSON fields, standard input, the API).
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

import charset_normalizer

from onrecord.errors import IngestError

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
# A script's block in UTF-16 shares one high byte (0x04 Cyrillic, 0x06 Arabic), and spaces,
# digits and punctuation have 0x00: text in one script draws its high bytes from a few values,
# while binary data spreads them over all 256.
UTF16_SCRIPT_BYTES = 3
UTF16_SCRIPT_SHARE = 0.95
# Characters that do not occur in text: C0/C1 controls other than the layout ones, private
# use, unassigned code points, lone surrogates and the replacement mark a failed decode leaves.
NOT_TEXT_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})
LAYOUT_CONTROLS = frozenset("\t\n\r\f\v")
# Share of such characters above which an input is binary data, not text. Real text has none
# or a handful (a stray invalid byte); random bytes have more than one in eight.
MAX_NOT_TEXT_SHARE = 0.05
NOT_TEXT_SAMPLE = 65536
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
HIGH_BYTES = bytes(range(0x80, 0x100))
# Bytes of valid UTF-8 sequences among all non-ASCII bytes above which a file that is not
# UTF-8 throughout is read as UTF-8 mixed with a code page.
MIN_MIXED_UTF8_SHARE = 0.25


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
    mixed = _mixed_utf8(data)
    if mixed is not None:
        return mixed
    return _legacy(data)


def _legacy(data: bytes) -> str:
    return data.decode(_legacy_codec(data), errors="replace")


def has_nul(text: str) -> bool:
    """Tell whether decoded text holds NUL characters, the mark of a binary file."""
    return "\x00" in text


def not_text_share(text: str) -> float:
    """Share of the characters (of the first 64 K) that never occur in text, 0 to 1."""
    sample = text[:NOT_TEXT_SAMPLE]
    if not sample:
        return 0.0
    bad = sum(
        1
        for char in sample
        if char == "\ufffd"
        or (char not in LAYOUT_CONTROLS and unicodedata.category(char) in NOT_TEXT_CATEGORIES)
    )
    return bad / len(sample)


def text_problem(source: str, text: str, *, field: str | None = None) -> IngestError | None:
    """The error for text that cannot be an article body, or ``None`` when it can be one.

    Args:
        source: The item's name, for the error.
        text: The decoded text (a file's content, a JSON field, an API body).
        field: The JSON field the text came from, if any.

    Returns:
        An ``IngestError`` for NUL characters, binary data (see ``not_text_share``) or an
        empty text; ``None`` for text worth cleaning.
    """
    what = f"field '{field}'" if field else "the file"
    if has_nul(text):
        if field:
            return IngestError(source, f"{what} holds NUL characters", "Remove them.")
        return IngestError(
            source, f"{what} holds NUL bytes, so it is binary", "Give onrecord a text file."
        )
    if not field and not text.strip():
        return IngestError(source, "the file is empty", "Remove it or fill it with an article.")
    share = not_text_share(text)
    if share > MAX_NOT_TEXT_SHARE:
        return IngestError(
            source,
            f"{what} looks binary: {share:.0%} of its characters are control, unassigned or "
            "undecodable characters",
            "Give onrecord text, or convert the file to UTF-8 first.",
        )
    return None


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
    # Other scripts: only bytes that read as binary one by one (their high bytes are control
    # characters) and as text two by two.
    if not_text_share(sample.decode("latin-1")) <= MAX_NOT_TEXT_SHARE:
        return None
    for high, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if _is_one_script(high) and _decodes(sample[: len(sample) // 2 * 2], encoding):
            return encoding
    return None


def _is_one_script(high_bytes: bytes) -> bool:
    counts = sorted((high_bytes.count(value) for value in set(high_bytes)), reverse=True)
    top = sum(counts[:UTF16_SCRIPT_BYTES])
    # A byte run of one value (a file of spaces) is no evidence of UTF-16.
    return len(counts) > 1 and top >= UTF16_SCRIPT_SHARE * len(high_bytes)


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return not_text_share(text) <= MAX_NOT_TEXT_SHARE


def _mixed_utf8(data: bytes) -> str | None:
    # Only when a good part of the non-ASCII bytes form valid UTF-8 sequences: a legacy file
    # has few such pairs by accident (Ukrainian cp1251 has some), and is better decoded whole,
    # since the code page guess needs the whole text.
    valid = sum(len(found) for found in UTF8_SEQUENCE.findall(data))
    high = len(data) - len(data.translate(None, HIGH_BYTES))
    if valid == 0 or valid < MIN_MIXED_UTF8_SHARE * high:
        return None
    # The code page is guessed from the file without its UTF-8 sequences.
    codec = _legacy_codec(UTF8_SEQUENCE.sub(b"", data))
    return data.decode("utf-8", errors=_fallback_handler(codec))


def _fallback_handler(codec: str) -> str:
    # Error handlers are registered by name, once per code page: the bytes that are not UTF-8
    # are decoded one stretch at a time with that code page, in the same single pass.
    name = f"onrecord-fallback-{codec}"
    if name not in _FALLBACKS:

        def fallback(exc: UnicodeError) -> tuple[str, int]:
            if not isinstance(exc, UnicodeDecodeError):
                raise exc
            return exc.object[exc.start : exc.end].decode(codec, errors="replace"), exc.end

        codecs.register_error(name, fallback)
        _FALLBACKS.add(name)
    return name


_FALLBACKS: set[str] = set()


def _legacy_codec(data: bytes) -> str:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and _reads_as_latin(text):
        return "cp1252"
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return "latin-1"
    log.debug("decoded with %s (charset-normalizer guess)", best.encoding)
    return best.encoding


def _reads_as_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return True
    high = sum(1 for ch in letters if ord(ch) > 0x7F)
    return high / len(letters) <= MAX_HIGH_SHARE_CP1252
