"""Article metadata from the text itself: header line, outlet, language, authors, dates.

Sources of each field, first match wins:

* published: container field (JSONL/HTML) > header line > timestamp lines > a dateline at the
  start of the body > a date in the URL path > the latest date the body mentions (inferred);
* updated: container field > "Updated ..." in a timestamp line;
* outlet: container field > well-known domain table > the URL's host name > "CITY (Outlet) -";
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
from urllib.parse import urlsplit

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from onrecord.clean._dates import find_dates, make_date

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

# Well-known outlets by registrable domain; any other site is named by its host name.
OUTLETS: dict[str, str] = {
    "reuters.com": "Reuters",
    "apnews.com": "AP",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "theguardian.com": "The Guardian",
    "cnn.com": "CNN",
    "foxnews.com": "Fox News",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News",
    "wsj.com": "The Wall Street Journal",
    "ft.com": "Financial Times",
    "bloomberg.com": "Bloomberg",
    "aljazeera.com": "Al Jazeera",
    "breitbart.com": "Breitbart",
    "politico.com": "Politico",
    "politico.eu": "Politico Europe",
    "npr.org": "NPR",
    "usatoday.com": "USA Today",
    "latimes.com": "Los Angeles Times",
    "dailymail.co.uk": "Daily Mail",
    "telegraph.co.uk": "The Telegraph",
    "independent.co.uk": "The Independent",
    "thetimes.co.uk": "The Times",
    "economist.com": "The Economist",
    "axios.com": "Axios",
    "thehill.com": "The Hill",
    "newsweek.com": "Newsweek",
    "nypost.com": "New York Post",
    "huffpost.com": "HuffPost",
    "msnbc.com": "MSNBC",
    "cnbc.com": "CNBC",
    "time.com": "TIME",
    "theatlantic.com": "The Atlantic",
    "tass.com": "TASS",
    "rt.com": "RT",
    "dw.com": "DW",
    "france24.com": "France 24",
    "euronews.com": "Euronews",
    "afp.com": "AFP",
    "news.sky.com": "Sky News",
    "kyivindependent.com": "The Kyiv Independent",
    "scmp.com": "South China Morning Post",
    "spiegel.de": "Der Spiegel",
    "lemonde.fr": "Le Monde",
    "xinhuanet.com": "Xinhua",
}
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
    return pinned_outlet(url, OUTLETS) or _host_name_in_text(host.split(".")[0], text) or host


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
    """Split an authors field (``"A; B"``, ``"A and B"``) into names."""
    parts = re.split(r"\s*(?:;|\band\b|&|\|)\s*", value)
    names: list[str] = []
    for part in parts:
        name = re.sub(r"^(?:by)\s+", "", part.strip(" ,."), flags=re.IGNORECASE)
        if name and name not in names:
            names.append(name)
    return tuple(names)


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
