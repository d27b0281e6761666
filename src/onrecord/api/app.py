"""The web application: JSON API under ``/api``, HTML pages, offline OpenAPI docs at ``/docs``.

Input: a store file (and optionally a write token). Output: a FastAPI app. Every error leaves
through one handler: ``{"ok": false, "code": ..., "error": ...}`` with the error's HTTP status
for ``/api`` paths, an HTML error page for the rest.

Every request has a deadline (``request_deadline_s``): one not answered by then gets 503 with
``Retry-After`` and the usual error body, whatever it waits on (a worker thread, the database),
while its work finishes in the background and is dropped. No request runs whole-store work:
positions are derived when articles arrive and only read here (``onrecord.positions``).

The app takes the same ``Settings`` as the command line, so a server started with
``onrecord --config FILE serve`` reads the catalogue, outlet names and confidence threshold
of that file; an article posted to the API goes through the same steps as ``onrecord ingest``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from swagger_ui_bundle import swagger_ui_path

from onrecord.api._deps import AppContext
from onrecord.api._errors import BusyError, InvalidRequestError
from onrecord.api._service import ArticleWriter
from onrecord.api.routes import ROUTERS
from onrecord.config import Settings, store_target
from onrecord.errors import ConfigError, OnrecordError

if TYPE_CHECKING:
    from onrecord.extract import Extractor
    from onrecord.pipeline import AfterBatch

log = logging.getLogger(__name__)

API_PREFIX: Final = "/api"
# Real searches are a few words; 8 KB of query string is far past any form and well under the
# 16 KB where the HTTP parser itself gives up without our error body.
MAX_QUERY_BYTES: Final = 8192
SWAGGER_ASSETS: Final = "/assets/swagger"
# A search answers in well under a second; ten seconds means the server is starved.
REQUEST_DEADLINE_S: Final = 10.0
LATE_RETRY_AFTER_S: Final = 5
# Pages load only their own CSS; the docs page needs Swagger UI's inline start-up script.
PAGE_CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith((API_PREFIX + "/", "/openapi.json")) or (
        request.url.path == API_PREFIX
    )


def _http_code(status: int) -> str:
    return f"OR{status:03d}"


def _error_response(request: Request, status: int, code: str, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"ok": False, "code": code, "error": message}, status_code=status)
    # Imported here: onrecord.web imports onrecord.api.
    from onrecord.web import render_error

    return render_error(request, status, code, message)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(OnrecordError)
    async def on_onrecord_error(request: Request, exc: OnrecordError) -> Response:
        if exc.http_status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc)
        response = _error_response(request, exc.http_status, exc.code, str(exc))
        if exc.http_status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        if isinstance(exc, BusyError):
            response.headers["Retry-After"] = str(exc.retry_after_s)
        return response

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', 'invalid')}"
            for err in exc.errors()
        )
        message = f"[{InvalidRequestError.code}] invalid request: {problems}. See /docs."
        return _error_response(
            request, InvalidRequestError.http_status, InvalidRequestError.code, message
        )

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _http_code(exc.status_code)
        detail = exc.detail if isinstance(exc.detail, str) else "request failed"
        message = f"[{code}] {detail}: {request.method} {request.url.path}. See /docs."
        return _error_response(request, exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("%s %s crashed", request.method, request.url.path, exc_info=exc)
        message = f"[{OnrecordError.code}] internal error; the server log has the details."
        return _error_response(request, 500, OnrecordError.code, message)


class _Deadline:
    """ASGI middleware: a request not answered within ``seconds`` gets 503 + Retry-After.

    The request runs as a task of its own; past the deadline its response is dropped (it may
    still hold a worker thread until its query returns) and the client is answered at once.
    A response already started when the deadline passes is left to finish.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.seconds <= 0:
            await self.app(scope, receive, send)
            return
        is_started = False
        is_late = False

        async def guarded(message: Message) -> None:
            nonlocal is_started
            if is_late:
                return
            is_started = is_started or message["type"] == "http.response.start"
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded))
        done, _ = await asyncio.wait({task}, timeout=self.seconds)
        if task in done or is_started:
            await task
            return
        is_late = True
        task.add_done_callback(_drop_late)
        request = Request(scope)
        log.warning(
            "%s %s passed its %g s deadline", request.method, request.url.path, self.seconds
        )
        error = BusyError(
            f"the server could not answer within {self.seconds:g} s", LATE_RETRY_AFTER_S
        )
        response = _error_response(request, error.http_status, error.code, str(error))
        response.headers["Retry-After"] = str(error.retry_after_s)
        await response(scope, receive, send)


def _drop_late(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("a request answered late failed: %s", task.exception())


def _install_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if request.url.path != "/docs":
            response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        return response


def _install_limits(app: FastAPI) -> None:
    @app.middleware("http")
    async def query_limit(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        size = len(request.scope.get("query_string", b""))
        if size > MAX_QUERY_BYTES:
            code = _http_code(414)
            message = (
                f"[{code}] the query string has {size:,} bytes, more than {MAX_QUERY_BYTES:,}: "
                f"{request.method} {request.url.path}. Shorten the search."
            )
            return _error_response(request, 414, code, message)
        return await call_next(request)


def _install_docs(app: FastAPI) -> None:
    app.mount(SWAGGER_ASSETS, StaticFiles(directory=str(swagger_ui_path)), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="onrecord API",
            swagger_js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_ASSETS}/favicon-32x32.png",
        )


def create_app(
    settings: Settings,
    *,
    token: str | None = None,
    max_body_bytes: int = 2_000_000,
    load_extractor: Callable[[], Extractor] | None = None,
    after_batch: Sequence[AfterBatch] | None = None,
    request_deadline_s: float = REQUEST_DEADLINE_S,
) -> FastAPI:
    """Build the onrecord web application over one store.

    Args:
        settings: The settings the command line uses (``onrecord.load_settings``):
            ``db_path`` names the store; the catalogue, outlet names and confidence
            threshold apply to pages and to posted articles.
        token: Bearer token that enables writes (``POST /api/articles``, issue edits);
            ``None`` serves read-only.
        max_body_bytes: Largest request body accepted; bigger ones get 413.
        load_extractor: Loader of the extraction model for writes; by default
            ``onrecord.load_extractor``, called on the first write.
        after_batch: Steps run after a posted article is stored; by default the positions
            step for ``settings`` (``onrecord.positions.PositionsStep``).
        request_deadline_s: Most seconds a request may take before it is answered with 503
            and ``Retry-After``; 0 turns the deadline off.

    Returns:
        The app; serve it with uvicorn or test it with ``fastapi.testclient.TestClient``.

    Raises:
        ConfigError: The database file does not exist, or a limit or token is unusable.
    """
    path = store_target(settings.db_path)
    if isinstance(path, Path) and not path.is_file():
        raise ConfigError(
            f"[{ConfigError.code}] no onrecord database at {path}. "
            "Create one with `onrecord ingest ARTICLES --db PATH`."
        )
    if max_body_bytes < 1:
        raise ConfigError(
            f"[{ConfigError.code}] max_body_bytes must be positive, got {max_body_bytes}."
        )
    if token is not None and not token.strip():
        raise ConfigError(f"[{ConfigError.code}] the token is empty; give a real one or none.")
    # Imported here: onrecord.web imports onrecord.api.
    from onrecord.web import install_web

    app = FastAPI(
        title="onrecord",
        summary="Who said what, when, where it was first reported and through whom.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    if after_batch is None:
        # Imported here: the positions layer loads numpy, and its models only on first use.
        from onrecord.positions import PositionsStep

        after_batch = (PositionsStep.from_settings(settings),)
    app.state.onrecord = AppContext(
        settings=settings,
        db_path=path,
        token=token,
        max_body_bytes=max_body_bytes,
        writer=ArticleWriter(settings, load_extractor, after_batch),
    )
    _install_error_handlers(app)
    # Added first, so it runs inside the header and size-limit middleware: a late answer gets
    # the same headers as any other.
    app.add_middleware(_Deadline, seconds=request_deadline_s)
    _install_limits(app)
    _install_headers(app)
    _install_docs(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    install_web(app)
    log.info("app ready over %s (%s)", path, "writable" if token else "read-only")
    return app


def freeze_startup_objects() -> None:
    """Keep the objects made so far (modules, routes, models) out of garbage collection.

    A page makes enough short-lived objects that Python's full collection runs every few
    dozen pages, and it walked the 170,000 objects of a started server each time: about
    100 ms of CPU on the page it hit (the slowest 5% of actor pages on a 100k-article store).
    Frozen, they are no longer walked; nothing made at startup is garbage.
    """
    gc.freeze()


def serve(
    settings: Settings, host: str = "127.0.0.1", port: int = 8765, token: str | None = None
) -> None:
    """Serve the app with uvicorn until interrupted.

    Args:
        settings: The settings the command line uses; ``db_path`` names the store.
        host: Interface to bind; keep the default unless others must reach the server.
        port: TCP port.
        token: Bearer token enabling writes; ``None`` serves read-only.

    Raises:
        ConfigError: The database does not exist or the token is empty.
    """
    # Imported here: only a real server needs uvicorn.
    import uvicorn

    app = create_app(settings, token=token)
    freeze_startup_objects()
    # log_config=None: logging handlers are configured by the CLI only.
    uvicorn.run(app, host=host, port=port, log_config=None)
