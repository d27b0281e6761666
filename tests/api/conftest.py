"""API fixtures: the demo store (built once per session) and clients over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord import Settings
from onrecord.api import create_app
from tests.api._demo import copy_db, extractor

TOKEN = "test-token-1234"  # noqa: S105 - a test-only token


@pytest.fixture
def write_client(demo_store_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    """A writable app (token ``TOKEN``, 4 kB body limit) over a private copy of the store."""
    path = copy_db(demo_store_path, tmp_path / "write.db")
    app = create_app(
        Settings(db_path=path),
        token=TOKEN,
        max_body_bytes=4_000,
        load_extractor=extractor,
    )
    with TestClient(app) as client:
        yield client
