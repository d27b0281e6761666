"""Article metadata from the text itself: header line, outlet, language, authors, dates.

Sources of each field, first match wins:

* published: container field (JSONL/HTML) > header line > timestamp lines > a dateline at the
  start of the body > a date in the URL path > the latest date the body mentions (inferred);
* updated: container field > "Updated ..." in a timestamp line;
* outlet: container field > (HTML) JSON-LD publisher > ``og:site_name`` > the news-domain
  table (``data/outlets.tsv``) > the name the text spells for the URL's host > the host name
  > "CITY (Outlet) -"; a section name ("U.S.", "World") is never an outlet;
* authors: container field > "By ..." lines;
* language: py3langid on the first 2,000 characters.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from onrecord.clean._dates import find_dates, make_date
from onrecord.lang.en.calendar import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
)

log = logging.getLogger(__name__)

LANGUAGE_SAMPLE_CHARS = 2000
LANGUAGE_MIN_LETTERS = 12
LANGUAGE_MIN_PROBABILITY = 0.5
DATELINE_CHARS = 160

HEADER = re.compile(
    r"^[ \t]*date(?:[ \t]+(?P<date>\d{4}-\d{1,2}-\d{1,2}))?(?:[ \t]+(?P<url>\S+))?[ \t]*$",
    re.IGNORECASE,
)
DATELINE_OUTLET = re.compile(
    r"^[A-Z][A-Za-z .'’-]{1,40}?(?:,\s*[A-Z][\w .,'’-]{1,40}?)?\s*"
    r"\((?P<outlet>[A-Z][\w .&'’-]{1,30})\)\s*[-–—:]"
)
DATELINE_DASHES = (" - ", " – ", " — ", " -- ")
UPDATED_WORD = re.compile(r"\b(?:updated|modified|edited)\b", re.IGNORECASE)
AUTHOR_SPLIT = re.compile(r"\s*(?:;|\band\b|&|\||\bund\b|\bet\b|\s/\s)\s*", re.IGNORECASE)
AUTHOR_BY = re.compile(
    r"^(?:by|written by|words by|story by|reporting by|von|par)\s+", re.IGNORECASE
)
# E-mail addresses, @handles and times ("10:42 am", "updated 3 hours ago") inside a byline.
AUTHOR_NOISE = re.compile(
    r"\S+@\S+|@\w+|\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?|\b(?:updated|published|posted)\b.*$",
    re.IGNORECASE,
)
AUTHOR_TRAILERS = frozenset(
    """staff reporter writer correspondent editor contributor columnist senior chief
    political associate press reuters ap afp cnn bbc""".split()  # noqa: SIM905 - a word list
)
DATE_WORDS = (
    MONTHS
    | MONTH_ABBREVIATIONS
    | WEEKDAYS
    | WEEKDAY_ABBREVIATIONS
    | frozenset("am pm a.m p.m gmt utc et est edt bst cet".split())  # noqa: SIM905 - a word list
)
MAX_AUTHOR_WORDS = 6

# Well-known outlets by domain, a data file; any other site is named by its host name.
OUTLETS_FILE = Path(__file__).resolve().parent.parent / "data" / "outlets.tsv"
# Names a page gives that are a section or kicker, never an outlet ("U.S." on a Reuters page).
SECTION_NAMES = frozenset(
    """u.s. us usa uk world news politics business markets opinion sport sports tech technology
    science health entertainment culture arts lifestyle travel video videos live home
    europe asia africa americas middle east local national international economy money
    weather breaking latest analysis features magazine""".split()  # noqa: SIM905 - a word list
)
MIN_HOST_LABEL = 4
# Up to five capitalised words in a row ("Radio Marren", "Channel Nine", "The Daily Lantern").
CAPITALISED_PHRASE = re.compile(r"\b[A-Z][\w&'-]*(?:[ ][A-Z0-9][\w&'-]*){0,4}")
HOST_PREFIXES = ("www.", "www1.", "m.", "amp.", "mobile.", "edition.", "eu.", "uk.", "us.")


@dataclass(frozen=True, slots=True)
class Header:
    """The optional ``date YYYY-MM-DD URL`` first line of a plain-text article."""

    line: str
    published: date | None
    url: str | None


def read_header(text: str) -> tuple[Header | None, str]:
    """Split the optional header line off a plain-text article.

    Args:
        text: The article as read.

    Returns:
        The header (``None`` when the first line is not one) and the text after it.
    """
    first, _, rest = text.lstrip("\ufeff\r\n").partition("\n")
    match = HEADER.match(first.rstrip("\r"))
    if match is None or (match["date"] is None and match["url"] is None):
        return None, text
    # The header's date is always year-month-day: a month of 13 is an error, not a day.
    published = make_date(*map(int, match["date"].split("-"))) if match["date"] else None
    url = match["url"] if match["url"] and "." in match["url"] else None
    if match["url"] and url is None:
        return None, text
    return Header(first.strip(), published, url), rest


def header_length(text: str) -> int:
    """Return how many characters of ``text`` the header line (with its newline) takes."""
    stripped = text.lstrip("\ufeff\r\n")
    first, sep, _ = stripped.partition("\n")
    return len(text) - len(stripped) + len(first) + len(sep)


def url_host(url: str) -> str:
    """The host of ``url`` in lower case, without ``www.``-style prefixes."""
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
        hostname = parts.hostname
    except ValueError:
        # A malformed URL ("https://[oops/a": unbalanced IPv6 brackets) names no host.
        return ""
    host = (hostname or "").lower().rstrip(".")
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            return host[len(prefix) :]
    return host


def pinned_outlet(url: str | None, outlets: Mapping[str, str]) -> str | None:
    """The outlet name a user pinned for the URL's host or one of its parent domains."""
    if not url or not outlets:
        return None
    labels = url_host(url).split(".")
    for cut in range(len(labels) - 1):
        name = outlets.get(".".join(labels[cut:]))
        if name is not None:
            return name
    return None


def outlet_from_url(url: str | None, text: str = "") -> str | None:
    """Name the outlet of a URL.

    A known name first; else the name the article itself writes for its host ("Morning
    Ledger" for ``morningledger.example``); else the host without ``www.``.
    """
    if not url:
        return None
    host = url_host(url)
    if not host or "." not in host:
        return None
    return (
        pinned_outlet(url, known_outlets()) or _host_name_in_text(host.split(".")[0], text) or host
    )


@cache
def known_outlets() -> dict[str, str]:
    """The shipped table of news domains and their outlets' names (``data/outlets.tsv``)."""
    table: dict[str, str] = {}
    for line in OUTLETS_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        domain, name = line.split("\t", 1)
        table[domain.strip().lower()] = name.strip()
    return table


def is_section_name(name: str) -> bool:
    """Whether a site name is a section or kicker ("U.S.", "World News") rather than an outlet."""
    words = name.lower().replace("&", " ").split()
    return bool(words) and all(
        word in SECTION_NAMES or word.strip(".,:|-") in SECTION_NAMES for word in words
    )


def _host_name_in_text(label: str, text: str) -> str | None:
    """A capitalised phrase of ``text`` whose letters spell the host label, if one does."""
    wanted = re.sub(r"[^a-z0-9]", "", label)
    if len(wanted) < MIN_HOST_LABEL:
        return None
    for match in CAPITALISED_PHRASE.finditer(text):
        words = match.group().split()
        for start in range(len(words)):
            phrase = words[start:]
            if re.sub(r"[^a-z0-9]", "", "".join(phrase).lower()) == wanted:
                return " ".join(phrase)
    return None


def outlet_from_dateline(body: str) -> str | None:
    """Read the outlet of a "MOSCOW (Sputnik) - ..." dateline at the start of the body."""
    match = DATELINE_OUTLET.match(body[:DATELINE_CHARS])
    return match["outlet"].strip() if match else None


def date_from_dateline(body: str) -> date | None:
    """Read a date written in the opening words of the body ("LONDON, March 3, 2025 (Agency) -").

    Only a date before the first dash counts: a date later in the sentence is story content.
    """
    head = body[:DATELINE_CHARS]
    cuts = [head.find(mark) for mark in DATELINE_DASHES if mark in head]
    if not cuts:
        return None
    found = find_dates(head[: min(cuts)])
    return found[0].value if found else None


def dates_from_stamps(stamps: list[str]) -> tuple[date | None, date | None]:
    """Read published and updated dates from timestamp lines.

    Args:
        stamps: Lines such as ``07:35 GMT 19.12.2025 (Updated: 08:34 GMT 19.12.2025)``.

    Returns:
        ``(published, updated)``; a date after "Updated" is the update, one before it the
        original.
    """
    published: date | None = None
    updated: date | None = None
    for stamp in stamps:
        marker = UPDATED_WORD.search(stamp)
        cut = marker.start() if marker else len(stamp)
        for found in find_dates(stamp):
            if found.start < cut:
                published = published or found.value
            else:
                updated = updated or found.value
    return published, updated


def split_authors(value: str) -> tuple[str, ...]:
    """Split an authors field (``"A; B"``, ``"A and B"``) into clean names.

    A name loses what bylines glue to it: "By", a date or time ("Carrie Arnold November 3,
    2025"), a role after a comma ("Ana Kroll, Senior Reporter"), an e-mail address or handle.
    What is left must look like a name (one to six words, a capital, no digits).
    """
    parts = AUTHOR_SPLIT.split(value)
    names: list[str] = []
    for part in parts:
        name = _clean_author(part)
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _clean_author(part: str) -> str | None:
    text = AUTHOR_NOISE.sub(" ", part)
    text = AUTHOR_BY.sub("", text.strip(" ,.-–—|:"))
    # A role or place after the first comma ("Ana Kroll, Senior Reporter, in Kyiv").
    text = text.split(",")[0]
    words = text.split()
    while words and _is_date_word(words[-1]):
        words.pop()
    while words and words[-1].lower().strip(".") in AUTHOR_TRAILERS:
        words.pop()
    name = " ".join(words).strip(" ,.-–—|:")
    if not name or any(ch.isdigit() for ch in name) or len(words) > MAX_AUTHOR_WORDS:
        return None
    if not any(ch.isupper() for ch in name) or name.lower() in AUTHOR_TRAILERS:
        return None
    return name


def _is_date_word(word: str) -> bool:
    bare = word.lower().strip(".,")
    return bare in DATE_WORDS or any(ch.isdigit() for ch in bare)


def detect_language(text: str) -> str | None:
    """Guess the ISO 639-1 language of the text from its first 2,000 characters.

    Returns:
        The code, or ``None`` when the text is too short or the guess too unsure (a two-word
        headline), since the language decides whether statements are extracted at all.
    """
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < LANGUAGE_MIN_LETTERS:
        return None
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= LANGUAGE_MIN_PROBABILITY else None


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
