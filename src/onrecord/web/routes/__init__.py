"""Page routers, one module per resource; a new resource adds its module's ``router`` here."""

from fastapi import APIRouter

from onrecord.web.routes import actors, articles, issues, quotes, search, stories

ROUTERS: tuple[APIRouter, ...] = (
    search.router,
    articles.router,
    actors.router,
    issues.router,
    quotes.router,
    stories.router,
)

__all__ = ["ROUTERS"]
