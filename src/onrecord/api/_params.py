"""The one reader of query parameters, for the API and the pages alike.

Every listing (``/api/search`` and ``/``, actors, quotations, stories...) reads its query
string here, so a value refused by the API is refused by the page with the same message, and
numbers are bounded before they reach the database (no 64-bit overflow, no endless OFFSET).
A refused value raises ``InvalidRequestError`` (422) naming each bad parameter, what it got
and what it takes; the page shows that message above its form, the API returns it as JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Final, Literal

from fastapi import Path, Query

from onrecord.api._errors import InvalidRequestError
from onrecord.store import SORTS, QuoteFilter, SyntaxProblem, read_query
from onrecord.store._search import QUOTE_KINDS, SortOrder

# Far past any real page or threshold; SQLite still walks an OFFSET row by row.
MAX_OFFSET: Final = 10_000_000
MAX_COUNT: Final = 10_000_000
# Ids are SQLite's 64-bit row ids.
MAX_ID: Final = 2**63 - 1
FORMATS: Final = ("html", "json", "csv")
SCOPES: Final = ("page", "all")
TRUE_WORDS: Final = ("true", "1", "yes", "on")
FALSE_WORDS: Final = ("false", "0", "no", "off")

Format = Literal["html", "json", "csv"]
RowId = Annotated[int, Path(ge=-MAX_ID, le=MAX_ID)]


@dataclass(frozen=True, slots=True)
class Paging:
    """Which rows of a listing to show, and as what."""

    limit: int
    offset: int
    format: Format = "html"
    is_all: bool = False


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A validated search: the filter, its paging, and notes for the reader.

    ``notes`` say what was read differently from what was typed (search syntax that could
    not be read and was searched as plain words); they are not errors.
    """

    spec: QuoteFilter
    paging: Paging
    notes: tuple[str, ...] = ()


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None or not value.strip():
        return None
    return value.strip()


def _choice(
    params: Mapping[str, str], name: str, allowed: tuple[str, ...], problems: list[str]
) -> str | None:
    value = _text(params, name)
    if value is not None and value not in allowed:
        problems.append(f"'{name}' must be one of {', '.join(allowed)}; got {value!r}.")
        return None
    return value


def _number(
    params: Mapping[str, str], name: str, default: int, low: int, high: int, problems: list[str]
) -> int:
    value = _text(params, name)
    if value is None:
        return default
    # Read digits only: int() would accept "1_000" and " +5", and a long string costs time.
    digits = value.lstrip("+")
    if not digits.isascii() or not digits.isdigit() or len(digits) > len(str(high)) + 1:
        if value.startswith("-") and value[1:].isdigit():
            problems.append(f"'{name}' must be from {low:,} to {high:,}; got {value[:40]!r}.")
        else:
            problems.append(f"'{name}' must be a whole number; got {value[:40]!r}.")
        return default
    number = int(digits)
    if not low <= number <= high:
        problems.append(f"'{name}' must be from {low:,} to {high:,}; got {value[:40]!r}.")
        return default
    return number


def _date(params: Mapping[str, str], name: str, problems: list[str]) -> date | None:
    value = _text(params, name)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"'{name}' must be a date like 2026-03-20; got {value[:40]!r}.")
        return None


def _flag(params: Mapping[str, str], name: str, problems: list[str]) -> bool:
    value = _text(params, name)
    if value is None or value.lower() in FALSE_WORDS:
        return False
    if value.lower() in TRUE_WORDS:
        return True
    problems.append(f"'{name}' must be true or false; got {value[:40]!r}.")
    return False


def _refuse(problems: list[str]) -> None:
    if problems:
        raise InvalidRequestError(
            f"[{InvalidRequestError.code}] invalid request: {' '.join(problems)}"
        )


def _paging(
    params: Mapping[str, str], default_limit: int, max_limit: int, problems: list[str]
) -> Paging:
    limit = _number(params, "limit", default_limit, 1, max_limit, problems)
    offset = _number(params, "offset", 0, 0, MAX_OFFSET, problems)
    found = _choice(params, "format", FORMATS, problems)
    scope = _choice(params, "scope", SCOPES, problems)
    fmt: Format = "json" if found == "json" else "csv" if found == "csv" else "html"
    return Paging(limit, offset, fmt, is_all=scope == "all")


def read_paging(params: Mapping[str, str], *, default_limit: int, max_limit: int) -> Paging:
    """``limit``, ``offset``, ``format`` (html, json, csv) and ``scope`` (page, all).

    Raises:
        InvalidRequestError: A value out of range or not of its type.
    """
    problems: list[str] = []
    paging = _paging(params, default_limit, max_limit, problems)
    _refuse(problems)
    return paging


def read_search(params: Mapping[str, str], *, default_limit: int, max_limit: int) -> SearchRequest:
    """The search parameters: q, speaker, outlet, kind, since, until, sort, raw, altered and
    paging.

    ``q`` is read as the search syntax (phrases, OR, NOT, prefix*) unless ``raw`` asks for
    the backend's own; syntax that cannot be read becomes a note and the words are searched.

    Raises:
        InvalidRequestError: Any bad value, all of them named in one message.
    """
    problems: list[str] = []
    text = _text(params, "q")
    kind = _choice(params, "kind", QUOTE_KINDS, problems)
    since = _date(params, "since", problems)
    until = _date(params, "until", problems)
    sort = _choice(params, "sort", SORTS, problems)
    is_raw = _flag(params, "raw", problems)
    is_altered = _flag(params, "altered", problems)
    if since is not None and until is not None and since > until:
        problems.append(f"'since' ({since}) is after 'until' ({until}); swap them.")
    paging = _paging(params, default_limit, max_limit, problems)
    _refuse(problems)
    notes: list[str] = []
    if text is not None and not is_raw:
        read = read_query(text)
        if isinstance(read, SyntaxProblem):
            notes.append(f"Could not read the search syntax ({read.message}); searched the words.")
    order: SortOrder = (
        "newest" if sort == "newest" else "oldest" if sort == "oldest" else "relevance"
    )
    spec = QuoteFilter(
        text=text,
        speaker=_text(params, "speaker"),
        outlet=_text(params, "outlet"),
        since=since,
        until=until,
        kind=kind,
        syntax="raw" if is_raw else "query",
        sort=order,
        is_altered=is_altered,
    )
    return SearchRequest(spec, paging, tuple(notes))


def _given(**values: str | None) -> dict[str, str]:
    return {key: value for key, value in values.items() if value is not None}


def paging_of(default_limit: int, max_limit: int) -> Callable[..., Paging]:
    """A request dependency reading ``limit``, ``offset``, ``format`` and ``scope``."""

    def paging(
        limit: Annotated[str | None, Query(description="rows per page")] = None,
        offset: Annotated[str | None, Query(description="rows to skip")] = None,
        format: Annotated[str | None, Query(description="json (default here) or csv")] = None,
        scope: Annotated[str | None, Query(description="page, or all rows (streamed)")] = None,
    ) -> Paging:
        given = _given(limit=limit, offset=offset, format=format, scope=scope)
        return read_paging(given, default_limit=default_limit, max_limit=max_limit)

    return paging


def search_of(default_limit: int, max_limit: int) -> Callable[..., SearchRequest]:
    """A request dependency reading the search parameters (see ``read_search``)."""

    def search(
        q: Annotated[
            str | None,
            Query(description='words; "a phrase", OR, NOT or -word, prefix*'),
        ] = None,
        speaker: Annotated[str | None, Query(description="any spelling of a name")] = None,
        outlet: Annotated[str | None, Query(description="outlet name")] = None,
        since: Annotated[str | None, Query(description="earliest published date")] = None,
        until: Annotated[str | None, Query(description="latest published date")] = None,
        kind: Annotated[str | None, Query(description="direct, indirect or mixed")] = None,
        sort: Annotated[str | None, Query(description="relevance, newest or oldest")] = None,
        raw: Annotated[str | None, Query(description="true: q is FTS5/tsquery syntax")] = None,
        altered: Annotated[
            str | None, Query(description="true: only altered quotations (a fidelity finding)")
        ] = None,
        limit: Annotated[str | None, Query(description="rows per page")] = None,
        offset: Annotated[str | None, Query(description="rows to skip")] = None,
        format: Annotated[str | None, Query(description="json (default here) or csv")] = None,
        scope: Annotated[str | None, Query(description="page, or all rows (streamed)")] = None,
    ) -> SearchRequest:
        given = _given(
            q=q,
            speaker=speaker,
            outlet=outlet,
            since=since,
            until=until,
            kind=kind,
            sort=sort,
            raw=raw,
            altered=altered,
            limit=limit,
            offset=offset,
            format=format,
            scope=scope,
        )
        return read_search(given, default_limit=default_limit, max_limit=max_limit)

    return search
