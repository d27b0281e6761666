"""Issues, positions and shifts routes, with rule-made positions and without any."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient


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
    assert 0 < issue["actor_count"] <= issue["position_count"]
    assert body["stale"] is None
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


def test_a_posted_article_gets_positions_and_the_servers_settings(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from onrecord import Settings
    from onrecord.api import create_app
    from tests.api._demo import copy_db, extractor, positions_db
    from tests.api.conftest import TOKEN

    path = copy_db(positions_db(tmp_path_factory.getbasetemp()), tmp_path / "w.db")
    settings = Settings(db_path=path, outlets={"lindhaven-post.example": "Lindhaven Post"})
    app = create_app(settings, token=TOKEN, load_extractor=extractor)
    with TestClient(app) as client:
        before = client.get("/api/issues").json()["issues"][0]["position_count"]
        text = (
            "Monitors at the dam\n\n"
            '"We will never accept foreign monitors at the dam," Orla Brenn, the mayor of '
            "Lindhaven, told reporters on Monday."
        )
        response = client.post(
            "/api/articles",
            json={
                "text": text,
                "url": "https://lindhaven-post.example/2026/07/monitors",
                "published": "2026-07-02",
            },
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 201, response.text
        stored = client.get(response.json()["url"]).json()
        assert stored["outlet"] == "Lindhaven Post"
        positions = client.get("/api/positions?actor=Orla%20Brenn").json()["positions"]
        assert [p["issue_id"] for p in positions] == ["monitors"]
        assert positions[0]["published"] == "2026-07-02"
        after = client.get("/api/issues").json()["issues"][0]["position_count"]
        assert after == before + 1


def test_shifts_page_through(positions_client: TestClient) -> None:
    every = positions_client.get("/api/shifts").json()["shifts"]
    first = positions_client.get("/api/shifts?limit=1").json()["shifts"]
    second = positions_client.get("/api/shifts?limit=1&offset=1").json()["shifts"]
    assert first == every[:1]
    assert second == every[1:2]
