"""Request dependencies shared by the API routes and the web pages.

One dependency provides the store: a fresh ``Store`` per request, closed afterwards, because
a ``Store`` must not be shared between threads (SQLite in WAL mode lets many readers in).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from onrecord.api._errors import UnauthorizedError, WriteDisabledError
from onrecord.api._service import ArticleWriter
from onrecord.config import Settings
from onrecord.store import Store


@dataclass(slots=True)
class AppContext:
    """What one app instance was configured with; kept on ``app.state.onrecord``.

    ``settings`` are the ones the command line reads (``load_settings``): the store, the
    outlet names, the issue catalogue, the confidence threshold.
    """

    settings: Settings
    db_path: Path | str
    token: str | None
    max_body_bytes: int
    writer: ArticleWriter


def get_context(request: Request) -> AppContext:
    """The app's configuration."""
    context: AppContext = request.app.state.onrecord
    return context


def get_store(context: Annotated[AppContext, Depends(get_context)]) -> Iterator[Store]:
    """A store opened for this request and closed after it."""
    store = Store.open(context.db_path)
    try:
        yield store
    finally:
        store.close()


def require_token(request: Request, context: Annotated[AppContext, Depends(get_context)]) -> None:
    """Let a write through only with ``Authorization: Bearer TOKEN`` matching the server's.

    Raises:
        WriteDisabledError: The server was started without a token.
        UnauthorizedError: The header is missing or carries another token.
    """
    if context.token is None:
        raise WriteDisabledError
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        given.strip().encode(), context.token.encode()
    ):
        raise UnauthorizedError


StoreDep = Annotated[Store, Depends(get_store)]
ContextDep = Annotated[AppContext, Depends(get_context)]
