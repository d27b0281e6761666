"""Issues, positions and shifts routes, with rule-made positions and without any."""

from __future__ import annotations

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
