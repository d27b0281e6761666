"""No request waits on whole-store work or hangs: deadlines with 503 + Retry-After, positions
computed in the background, integer parameters bounded at the edge, one text validator."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord.api import create_app, no_positions
from onrecord.store import Store
from tests.api._demo import copy_db, extractor
from tests.api.conftest import TOKEN

HUGE = str(10**20)


@pytest.fixture
def store_copy(demo_store_path: Path, tmp_path: Path) -> Path:
    return copy_db(demo_store_path, tmp_path / "copy.db")


@pytest.mark.parametrize(
    "path",
    [
        f"/api/search?q=guarantees&offset={HUGE}",
        f"/api/quotations?min_occurrences={HUGE}",
        f"/api/quotations?offset={HUGE}",
        f"/api/stories?min_articles={HUGE}",
        f"/api/stories?offset={HUGE}",
        f"/api/articles?offset={HUGE}",
        f"/api/quotes/{HUGE}",
        f"/api/quotations/{HUGE}",
        f"/api/stories/{HUGE}",
    ],
)
def test_huge_integers_are_refused_at_the_edge(api_client: TestClient, path: str) -> None:
    response = api_client.get(path)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "OR422"


@pytest.mark.parametrize(
    "path", [f"/?q=x&offset={HUGE}", f"/stories?offset={HUGE}", f"/quotes/{HUGE}"]
)
def test_huge_integers_in_pages_are_refused_too(api_client: TestClient, path: str) -> None:
    assert api_client.get(path).status_code == 422


def test_a_request_past_its_deadline_gets_503_with_retry_after(
    store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = Store.stats

    def stuck(self: Store) -> dict[str, int]:
        # A query that does not come back (a locked or starved database).
        release.wait(30)
        return real(self)

    app = create_app(store_copy, positions=no_positions, request_deadline_s=0.5)
    with TestClient(app) as client:
        monkeypatch.setattr(Store, "stats", stuck)
        try:
            response = client.get("/api/stats")
        finally:
            release.set()
        monkeypatch.undo()
        assert response.status_code == 503
        assert response.headers["Retry-After"].isdigit()
        assert response.json()["code"] == "OR503"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert client.get("/api/search?q=guarantees").status_code == 200


class _Gate:
    """A positions provider that blocks until opened, as a long whole-store computation does."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.calls = 0

    def __call__(self, store: Store) -> None:
        self.calls += 1
        self.open.wait(30)


@pytest.fixture
def gated(store_copy: Path) -> Iterator[tuple[TestClient, _Gate]]:
    gate = _Gate()
    app = create_app(store_copy, token=TOKEN, positions=gate, load_extractor=extractor)
    with TestClient(app) as client:
        try:
            yield client, gate
        finally:
            gate.open.set()
            app.state.onrecord.positions.settle(30)


def test_positions_are_never_computed_inside_a_request(
    gated: tuple[TestClient, _Gate],
) -> None:
    client, gate = gated
    first = client.get("/api/issues")
    assert first.status_code == 503
    assert first.headers["Retry-After"].isdigit()
    # Stats and search answer at once while positions are computed.
    stats = client.get("/api/stats")
    assert stats.status_code == 200
    assert stats.json()["positions_available"] is False
    assert client.get("/api/search?q=guarantees").status_code == 200
    assert client.get("/actors/ana-kroll").status_code == 200
    gate.open.set()
    assert client.app.state.onrecord.positions.settle(30)  # type: ignore[attr-defined]
    assert client.get("/api/issues").json()["available"] is False
    assert gate.calls == 1


def test_a_recomputation_serves_the_last_result_meanwhile(
    gated: tuple[TestClient, _Gate],
) -> None:
    client, gate = gated
    gate.open.set()
    client.get("/api/issues")
    positions = client.app.state.onrecord.positions  # type: ignore[attr-defined]
    assert positions.settle(30)
    gate.open.clear()
    text = "Talks resume\n\nVera Lind said the talks would resume on Monday in Lindhaven."
    response = client.post(
        "/api/articles", json={"text": text}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 201, response.text
    # The store changed: a recomputation starts and blocks, and requests do not wait for it.
    assert client.get("/api/issues").status_code == 200
    assert client.get("/api/shifts").status_code == 200
    assert not positions.settle(0.2)
    gate.open.set()
    assert positions.settle(30)
    assert gate.calls == 2


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"text": "Title\n\nA statement with a \u0000 NUL in it."}, "NUL"),
        ({"html": "<p>\u0000</p>"}, "NUL"),
        ({"text": "\u0001\u0002\u0003\u0004\u0005\u0006 noise \u0007\u0008\u000e\u000f"}, "binary"),
    ],
)
def test_posted_text_is_checked_like_a_file(
    write_client: TestClient, body: dict[str, str], reason: str
) -> None:
    response = write_client.post(
        "/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "OR110"
    assert reason in response.json()["error"]
