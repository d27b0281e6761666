"""What every listing page shows around its rows: page numbers, export links, the API call.

Input: the request's query string, the page's offset, limit and total. Output: links that
keep every filter of the page and change only the paging or the format, so the JSON and
CSV links return exactly the rows on screen, and the API link is the same call.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

PAGING_KEYS: Final = ("offset", "format", "scope")
MONTH: Final = re.compile(r"\d{4}-\d{2}")
# Page links shown on each side of the current page.
PAGE_WINDOW: Final = 3


@dataclass(frozen=True, slots=True)
class PageLink:
    """A numbered page (``number`` None for a gap) and its URL."""

    number: int | None
    url: str | None
    is_current: bool = False


@dataclass(frozen=True, slots=True)
class Pager:
    """Numbered pages with previous and next."""

    pages: tuple[PageLink, ...]
    prev_url: str | None
    next_url: str | None
    first_row: int
    last_row: int


@dataclass(frozen=True, slots=True)
class Exports:
    """Links to this page as JSON and CSV, every row as CSV, and the matching API call."""

    json_url: str
    csv_url: str
    all_csv_url: str
    api_url: str


def _url(path: str, params: dict[str, str]) -> str:
    kept = {k: v for k, v in params.items() if v not in ("", None)}
    return path + ("?" + urlencode(kept) if kept else "")


def filters_of(query: QueryParams) -> dict[str, str]:
    """The page's parameters without paging and format."""
    return {k: v for k, v in query.items() if k not in PAGING_KEYS}


def pager(
    path: str,
    query: QueryParams,
    offset: int,
    limit: int,
    shown: int,
    total: int | None,
    has_next: bool,
) -> Pager:
    """Page links for a listing.

    Args:
        path: The page's path.
        query: Its query string.
        offset: Rows skipped.
        limit: Rows per page.
        shown: Rows on this page.
        total: Every row, or ``None`` when not counted (then only previous/next).
        has_next: Whether a next page exists.
    """
    params = filters_of(query)

    def at(start: int) -> str:
        return _url(path, {**params, "offset": str(start) if start else ""})

    current = offset // limit + 1
    pages: list[PageLink] = []
    if total is not None and total > limit:
        last = -(-total // limit)
        numbers = sorted(
            {1, last, *range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1)}
        )
        previous = 0
        for number in numbers:
            if number - previous > 1:
                pages.append(PageLink(None, None))
            pages.append(PageLink(number, at((number - 1) * limit), number == current))
            previous = number
    return Pager(
        pages=tuple(pages),
        prev_url=at(max(0, offset - limit)) if offset > 0 else None,
        next_url=at(offset + limit) if has_next else None,
        first_row=offset + 1 if shown else 0,
        last_row=offset + shown,
    )


def exports(
    path: str,
    api_path: str,
    query: QueryParams,
    limit: int | None = None,
    api_params: Mapping[str, str] | None = None,
) -> Exports:
    """Export and API links keeping every parameter of the page.

    Args:
        path: The page's path.
        api_path: The API endpoint answering the same query.
        query: The page's query string.
        limit: The page's row count, when the API's default differs.
        api_params: What the API needs besides the page's query (what the page's path names).
    """
    params = {k: v for k, v in query.items() if k not in ("format", "scope")}
    if limit is not None:
        params.setdefault("limit", str(limit))
    everything = {k: v for k, v in params.items() if k not in ("offset", "limit")}
    return Exports(
        json_url=_url(path, {**params, "format": "json"}),
        csv_url=_url(path, {**params, "format": "csv"}),
        all_csv_url=_url(path, {**everything, "format": "csv", "scope": "all"}),
        api_url=_url(api_path, {**params, **(api_params or {})}),
    )


@dataclass(frozen=True, slots=True)
class MonthBar:
    """One month of the date histogram: its count, bar height and filtered-search link."""

    month: str
    count: int
    height: float
    url: str


def month_bars(
    path: str, query: QueryParams, months: list[tuple[str, int]], max_height: float
) -> list[MonthBar]:
    """Bars for the month facet; each links to the search limited to that month."""
    params = filters_of(query)
    top = max((count for _, count in months), default=0)
    bars = []
    for month, count in months:
        if not MONTH.fullmatch(month) or not 1 <= int(month[5:]) <= 12:
            continue
        year, number = int(month[:4]), int(month[5:])
        last_day = calendar.monthrange(year, number)[1]
        url = _url(path, {**params, "since": f"{month}-01", "until": f"{month}-{last_day:02d}"})
        bars.append(MonthBar(month, count, max(1.0, max_height * count / top), url))
    return bars


def without(path: str, query: QueryParams, parameter: str) -> str:
    """The page's URL with one filter removed."""
    return _url(path, {k: v for k, v in filters_of(query).items() if k != parameter})
