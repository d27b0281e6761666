"""API fixtures: the demo store (built once per session) and clients over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord.api import create_app, no_positions
from tests.api._demo import copy_db, demo_db, extractor, fake_positions

TOKEN = "test-token-1234"  # noqa: S105 - a test-only token


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus in a store, shared read-only by the session."""
    return demo_db(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def api_client(demo_store_path: Path) -> Iterator[TestClient]:
    """A read-only app over the demo store, without positions."""
    with TestClient(create_app(demo_store_path, positions=no_positions)) as client:
        yield client


@pytest.fixture(scope="session")
def positions_client(demo_store_path: Path) -> Iterator[TestClient]:
    """A read-only app over the demo store with rule-made positions."""
    pytest.importorskip("onrecord.positions", reason="the positions layer is not installed")
    with TestClient(create_app(demo_store_path, positions=fake_positions)) as client:
        yield client


@pytest.fixture
def write_client(demo_store_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    """A writable app (token ``TOKEN``, 4 kB body limit) over a private copy of the store."""
    path = copy_db(demo_store_path, tmp_path / "write.db")
    app = create_app(
        path,
        token=TOKEN,
        max_body_bytes=4_000,
        positions=no_positions,
        load_extractor=extractor,
    )
    with TestClient(app) as client:
        yield client
