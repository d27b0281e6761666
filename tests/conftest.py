"""Shared fixtures: the demo store and in-process apps over it (API and web tests), and a
PostgreSQL server with a fresh database per test (store tests on both backends); the test
files that run the real command line or score a corpus are collected first."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings

from onrecord import Settings
from onrecord.api import create_app
from tests.api._demo import demo_db, positions_db
from tests.postgres_server import PostgresServer

HEAVY_MARKS = frozenset({"e2e", "slow"})

# Property tests check what the code returns, never how fast: speed is measured in bench/.
# Without a deadline, a test running beside other workers on a busy machine cannot fail on time.
settings.register_profile("onrecord", deadline=None)
settings.load_profile("onrecord")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files holding an ``e2e`` or ``slow`` test first, each file's tests in their order.

    ``make unit`` hands whole files to its workers in this order: the long files start at
    once instead of last, when the other workers would have nothing left to run.
    """
    heavy = {item.path for item in items if any(m.name in HEAVY_MARKS for m in item.iter_markers())}
    items.sort(key=lambda item: item.path not in heavy)


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus in a store, shared read-only by the session."""
    return demo_db(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def api_client(demo_store_path: Path) -> Iterator[TestClient]:
    """A read-only app over the demo store, without positions."""
    with TestClient(create_app(Settings(db_path=demo_store_path))) as client:
        yield client


@pytest.fixture(scope="session")
def positions_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A read-only app over the demo store with rule-made positions stored."""
    path = positions_db(tmp_path_factory.getbasetemp())
    with TestClient(create_app(Settings(db_path=path))) as client:
        yield client


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server started for the session and stopped after it."""
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty PostgreSQL database."""
    return postgres_server.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where to open a store: a SQLite file, then a PostgreSQL database (each test twice)."""
    if request.param == "sqlite":
        return str(tmp_path / "onrecord.db")
    return str(request.getfixturevalue("postgres_url"))
