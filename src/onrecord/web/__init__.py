"""Web UI: server-rendered pages over the same store as the API.

Input: the FastAPI app built by ``onrecord.api.create_app``. Output: HTML pages (search with
facets, article, actors with timeline plots, issues, quotation, stories) from Jinja2
templates (``base.html`` + ``_partials``) and the package's own CSS under ``/static``.
Nothing is loaded from another host.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from onrecord.web._templates import STATIC_DIR, TEMPLATES
from onrecord.web.routes import ROUTERS


def install_web(app: FastAPI) -> None:
    """Mount the pages and their static files on ``app``."""
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        # Browsers ask for /favicon.ico whatever the page links; the icon is SVG.
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    for router in ROUTERS:
        app.include_router(router)


def render_error(request: Request, status: int, code: str, message: str) -> Response:
    """The HTML error page for a failed page request."""
    return TEMPLATES.TemplateResponse(
        request,
        "error.html",
        {"status": status, "code": code, "message": message, "title": f"{status} {code}"},
        status_code=status,
    )


__all__ = ["install_web", "render_error"]
