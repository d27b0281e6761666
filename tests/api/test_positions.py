"""Issues, positions and shifts routes, with rule-made positions and without any."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord.store import Store


def test_without_positions_lists_are_empty(api_client: TestClient) -> None:
    for url in ("/api/issues", "/api/positions", "/api/shifts", "/api/actors/ana-kroll/positions"):
        body = api_client.get(url).json()
        assert body["available"] is False
        assert next(v for k, v in body.items() if k != "available") == []


def test_issues_with_counts(positions_client: TestClient) -> None:
    body = positions_client.get("/api/issues").json()
    assert body["available"] is True
    (issue,) = body["issues"]
    assert issue["id"] == "monitors"
    assert issue["position_count"] > 0
    assert positions_client.get("/api/stats").json()["positions_available"] is True


def test_actor_positions_oldest_first(positions_client: TestClient) -> None:
    body = positions_client.get("/api/actors/ana-kroll/positions").json()
    positions = body["positions"]
    assert positions
    assert all(p["speaker"] == "Ana Kroll" for p in positions)
    dates = [p["published"] for p in positions if p["published"]]
    assert dates == sorted(dates)
    same = positions_client.get("/api/positions?actor=ana%20kroll&issue=monitors").json()
    assert [p["quote_id"] for p in same["positions"]] == [p["quote_id"] for p in positions]


def test_shifts_filter(positions_client: TestClient) -> None:
    every = positions_client.get("/api/shifts").json()["shifts"]
    assert every, "rule-made positions on monitors change over the demo story"
    kroll = positions_client.get("/api/shifts?actor=Ana%20Kroll").json()["shifts"]
    assert kroll
    assert all(s["actor"] == "Ana Kroll" for s in kroll)
    late = positions_client.get("/api/shifts?since=2026-06-01").json()["shifts"]
    assert all(s["after"]["published"] >= "2026-06-01" for s in late)
    assert positions_client.get("/api/shifts?issue=other").json()["shifts"] == []


def test_default_provider_falls_back_when_models_are_missing(
    monkeypatch: pytest.MonkeyPatch, demo_store_path: Path
) -> None:
    positions = pytest.importorskip("onrecord.positions")
    from onrecord.api._service import default_positions_provider
    from onrecord.errors import ExtractError

    def broken(store: Store, catalogue_path: Path | None) -> None:
        raise ExtractError("[OR150] no stance weights")

    monkeypatch.setattr(positions, "compute_positions", broken)
    with Store.open(demo_store_path) as store:
        assert default_positions_provider(None)(store) is None


def test_positions_are_recomputed_after_a_write(demo_store_path: Path, tmp_path: Path) -> None:
    from onrecord.api import create_app
    from tests.api._demo import copy_db, extractor
    from tests.api.conftest import TOKEN

    calls: list[int] = []

    def counting(store: Store) -> None:
        calls.append(store.stats()["articles"])

    app = create_app(
        copy_db(demo_store_path, tmp_path / "w.db"),
        token=TOKEN,
        positions=counting,
        load_extractor=extractor,
    )
    with TestClient(app) as client:
        client.get("/api/issues")
        client.get("/api/shifts")
        assert len(calls) == 1
        text = "Talks resume\n\nVera Lind said the talks would resume on Monday in Lindhaven."
        response = client.post(
            "/api/articles", json={"text": text}, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert response.status_code == 201, response.text
        client.get("/api/issues")
        # The recomputation runs in the background; the request did not wait for it.
        assert app.state.onrecord.positions.settle(30)
        assert calls == [calls[0], calls[0] + 1]
