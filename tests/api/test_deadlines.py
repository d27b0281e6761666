"""No request waits on whole-store work or hangs: deadlines with 503 + Retry-After, positions
computed in the background, integer parameters bounded at the edge, one text validator."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord import Settings
from onrecord.api import create_app
from onrecord.store import Store
from tests.api._demo import copy_db
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

    app = create_app(Settings(db_path=store_copy), request_deadline_s=0.5)
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
