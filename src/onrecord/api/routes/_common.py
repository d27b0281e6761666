"""Response metadata shared by the routers."""

from __future__ import annotations

from typing import Any, Final

from onrecord.api.schemas import ErrorOut

# Any: FastAPI's ``responses`` mapping takes free-form OpenAPI fragments.
ERRORS: Final[dict[int | str, dict[str, Any]]] = {
    400: {"model": ErrorOut, "description": "Bad query (for example malformed raw FTS)"},
    404: {"model": ErrorOut, "description": "Not found"},
    422: {"model": ErrorOut, "description": "Invalid parameter"},
}
