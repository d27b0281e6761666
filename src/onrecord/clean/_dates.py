"""Absolute dates written in article text, header lines, metadata fields and URLs.

Own regular expressions cover the common news formats (``2025-03-03``, ``19.12.2025``,
``March 3, 2025``, ``3 March 2025``, ``03/03/2025``); dateparser is the last resort, and only for
short metadata values that hold a four-digit year, so that no relative date ("2 hours ago")
ever needs a clock.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

log = logging.getLogger(__name__)

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_FIELD_CHARS = 80

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
    # Pages in German, French and Spanish write their dates in their own month names
    # ("9. Mai 2013", "27 juin 2019"); full names only, so that no short word reads as a month.
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12, "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
}  # fmt: skip
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
ORDINAL = r"(?:st|nd|rd|th)?"
# "3rd March", and the German "9. Mai" (a day before its month is written with a full stop).
DAY_MARK = r"(?:st|nd|rd|th|\.)?"

DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?<![\d-])(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?![\d])"),
    re.compile(r"(?<![\d/])(?P<year>\d{4})/(?P<mnum>\d{1,2})/(?P<day>\d{1,2})(?![\d/])"),
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<mnum>\d{1,2})\.(?P<year>\d{4})(?![\d])"),
    re.compile(
        r"(?<![\d/])(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})(?![\d/])",
    ),
    re.compile(
        r"\b" + MONTH + r"\s+(?P<day>\d{1,2})" + ORDINAL + r",?\s+(?P<year>\d{4})\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<day>\d{1,2})" + DAY_MARK + r"\s+(?:of\s+)?" + MONTH + r",?\s+(?P<year>\d{4})\b",
        re.IGNORECASE,
    ),
)
# Dates that news sites put in article paths: /2025/03/03/, /20251219/, /2025-03-03-.
URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d{2})[/-]?(?P<mnum>[01]\d)[/-]?(?P<day>[0-3]\d)(?:[/_-]|\d{0,12}/|$)"
)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in a string, with the span it was written in."""

    value: date
    start: int
    end: int


def make_date(year: int, month: int, day: int) -> date | None:
    """Build a date when the parts form a real one between 1900 and 2100."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[FoundDate]:
    """Find every absolute date written in ``text``, in reading order.

    Args:
        text: Any text.

    Returns:
        The dates found, sorted by position; overlapping matches keep the first pattern's.
    """
    found: list[FoundDate] = []
    taken = bytearray(len(text))
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            value = _match_date(match)
            if value is not None:
                found.append(FoundDate(value, start, end))
                taken[start:end] = b"\x01" * (end - start)
    found.sort(key=lambda item: item.start)
    return found


def _match_date(match: re.Match[str]) -> date | None:
    parts = match.groupdict()
    year = int(parts["year"])
    if parts.get("month"):
        month = MONTHS[parts["month"].lower().rstrip(".")]
        return make_date(year, month, int(parts["day"]))
    if parts.get("mnum"):
        return make_date(year, int(parts["mnum"]), int(parts["day"]))
    first, second = int(parts["first"]), int(parts["second"])
    # Slashed dates are read month-first (US style) unless the first number cannot be a month.
    if first > 12:
        return make_date(year, second, first)
    return make_date(year, first, second)


def parse_date(value: str) -> date | None:
    """Read one date from a metadata value (a JSONL field, a meta tag, a header line).

    Args:
        value: A string such as ``2025-03-03T10:02:00Z`` or ``Mon, 3 Mar 2025 10:02 GMT``.

    Returns:
        The date, or ``None`` when the value holds no absolute date.
    """
    found = find_dates(value)
    if found:
        return found[0].value
    if len(value) > MAX_FIELD_CHARS or not YEAR.search(value):
        return None
    # Imported here: it is slow to load and only odd metadata values reach this point.
    import dateparser

    try:
        parsed = dateparser.parse(
            value, languages=None, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["year"]}
        )
    except (ValueError, OverflowError, TypeError) as exc:
        log.debug("dateparser failed on %r: %s", value, exc)
        return None
    if not isinstance(parsed, datetime):
        return None
    return make_date(parsed.year, parsed.month, parsed.day)


def url_date(url: str) -> date | None:
    """Read the date that many news sites put in article paths."""
    match = URL_DATE.search(url)
    if match is None:
        return None
    return make_date(int(match["year"]), int(match["mnum"]), int(match["day"]))


def latest_date(text: str) -> date | None:
    """Return the latest absolute date the text mentions, if any."""
    found = find_dates(text)
    return max((item.value for item in found), default=None)
