"""Errors only the HTTP boundary raises; they join the ``OnrecordError`` tree.

Tree (under ``OnrecordError``)::

    ApiError (OR400, 400)
    ├── InvalidRequestError (OR422, 422)    a parameter or body field failed validation
    ├── UnauthorizedError (OR401, 401)      a write without the right bearer token
    ├── WriteDisabledError (OR403, 403)     a write to a server started without a token
    ├── PayloadTooLargeError (OR413, 413)   a request body over the configured limit
    └── BusyError (OR503, 503)              not answered in time; try again after Retry-After
"""

from __future__ import annotations

from onrecord.errors import OnrecordError


class ApiError(OnrecordError):
    """A request the API refuses before it reaches the library."""

    code = "OR400"
    http_status = 400


class InvalidRequestError(ApiError):
    """A query parameter or body field has a value the API cannot use."""

    code = "OR422"
    http_status = 422


class UnauthorizedError(ApiError):
    """A write request without ``Authorization: Bearer TOKEN`` matching the server's token."""

    code = "OR401"
    http_status = 401

    def __init__(self) -> None:
        super().__init__(
            f"[{self.code}] this endpoint needs the header 'Authorization: Bearer TOKEN' "
            "with the token the server was started with."
        )


class WriteDisabledError(ApiError):
    """A write to a server that was started read-only (no token)."""

    code = "OR403"
    http_status = 403

    def __init__(self) -> None:
        super().__init__(
            f"[{self.code}] this server is read-only. Start it with a token "
            "(`onrecord serve --token ...`) to accept new articles."
        )


class PayloadTooLargeError(ApiError):
    """A request body larger than the server accepts."""

    code = "OR413"
    http_status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"[{self.code}] request body is larger than {limit:,} bytes. "
            "Send a shorter article, or start the server with a higher limit."
        )


class BusyError(ApiError):
    """A request the server cannot answer now; the response carries ``Retry-After``."""

    code = "OR503"
    http_status = 503

    def __init__(self, what: str, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(
            f"[{self.code}] {what}. Try again in {retry_after_s} s (the Retry-After header)."
        )
