"""Fixtures shared by the API and web tests: the demo store and in-process apps over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord.api import create_app, no_positions
from tests.api._demo import demo_db, fake_positions


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
