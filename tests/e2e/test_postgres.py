"""The demo corpus on a local Dask cluster into PostgreSQL equals one process into SQLite.

Both runs go through the real CLI; the stores are then read through the same ``Store`` API
and the web API. Only search ranking and snippets may differ between the backends (bm25
against ``ts_rank``); which quotes a search finds may not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord import Settings
from onrecord.api import create_app
from tests.e2e.conftest import DEMO, DEMO_CONFIG, run_cli, store_contents
from tests.postgres_server import PostgresServer

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def stores(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer
) -> tuple[Path, str]:
    """The demo ingested twice: one process into SQLite, ``--cluster local:2`` into PostgreSQL."""
    sqlite = tmp_path_factory.mktemp("single") / "demo.db"
    postgres = postgres_server.create_database()
    config = ["--config", str(DEMO_CONFIG)]
    one = run_cli([*config, "ingest", str(DEMO), "--db", str(sqlite)])
    assert one.returncode == 0, one.stderr
    two = run_cli([*config, "ingest", "--cluster", "local:2", str(DEMO), "--db", postgres])
    assert two.returncode == 0, two.stderr
    assert two.stdout == one.stdout.replace(str(sqlite), postgres)
    return sqlite, postgres


def test_the_cluster_run_into_postgresql_stores_what_one_process_stores_in_sqlite(
    stores: tuple[Path, str],
) -> None:
    sqlite, postgres = stores
    expected, got = store_contents(sqlite), store_contents(postgres)
    quotes = expected["quotes"]
    assert isinstance(quotes, list)
    assert len(quotes) > 100
    assert all(expected["found"].values())  # type: ignore[attr-defined]  # a dict of sets
    for name in expected:
        assert got[name] == expected[name], name


def test_the_cli_reads_postgresql_as_it_reads_sqlite(stores: tuple[Path, str]) -> None:
    sqlite, postgres = stores
    for command in (["speakers"], ["stories"], ["quotations"], ["speaker", "Ana Kroll"]):
        from_sqlite = run_cli([*command, "--db", str(sqlite)])
        from_postgres = run_cli([*command, "--db", postgres])
        assert from_sqlite.returncode == from_postgres.returncode == 0, from_postgres.stderr
        assert from_postgres.stdout == from_sqlite.stdout
    again = run_cli(["--config", str(DEMO_CONFIG), "ingest", str(DEMO), "--db", postgres])
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("0 ingested, 30 skipped")


def test_the_web_api_serves_postgresql(stores: tuple[Path, str]) -> None:
    sqlite, postgres = stores
    found = []
    for target in (sqlite, postgres):
        with TestClient(create_app(Settings(db_path=target))) as client:
            response = client.get("/api/search", params={"q": "monitors", "limit": 100})
            assert response.status_code == 200, response.text
            found.append({hit["id"] for hit in response.json()["results"]})
            page = client.get("/actors/ana-kroll")
            assert page.status_code == 200
            assert "Deputy Foreign Minister" in page.text
    assert found[0] == found[1]
    assert found[0]
