"""API routers, one module per resource; ``ROUTERS`` is mounted under ``/api`` in order.

A new resource is a new module with a ``router`` added here.
"""

from fastapi import APIRouter

from onrecord.api.routes import (
    actors,
    articles,
    fidelity,
    positions,
    quotes,
    search,
    stats,
    stories,
)

ROUTERS: tuple[APIRouter, ...] = (
    search.router,
    quotes.router,
    actors.router,
    articles.router,
    positions.router,
    stories.router,
    fidelity.router,
    stats.router,
)

__all__ = ["ROUTERS"]
