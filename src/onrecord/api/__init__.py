"""REST API: FastAPI app over one store, read-only unless started with a token.

Input: an onrecord database file. Output: JSON endpoints under ``/api`` (search, quotes,
quotations, stories, actors, articles, issues/positions/shifts, stats), the HTML pages of
``onrecord.web`` and offline OpenAPI docs at ``/docs``. ``serve`` runs it with uvicorn.
"""

from onrecord.api._errors import (
    ApiError,
    InvalidRequestError,
    PayloadTooLargeError,
    UnauthorizedError,
    WriteDisabledError,
)
from onrecord.api.app import create_app, serve

__all__ = [
    "ApiError",
    "InvalidRequestError",
    "PayloadTooLargeError",
    "UnauthorizedError",
    "WriteDisabledError",
    "create_app",
    "serve",
]
