"""``POST /api/articles``: off without a token, bearer-protected, size-limited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from onrecord import Settings
from onrecord.api import create_app
from tests.api.conftest import TOKEN

ARTICLE = {
    "title": "Lind sets a date for the third round",
    "url": "https://www.tidewire.example/world/lind-third-round",
    "published": "2026-08-02",
    "outlet": "Tidewire",
    "text": (
        "Lind sets a date for the third round\n\n"
        "LINDHAVEN - The chief mediator of the Lowland Concord, Vera Lind, said on Sunday "
        "that the third round of talks would open on 14 September.\n\n"
        '"Both delegations have told me they are ready to sign," Lind told reporters.'
    ),
}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_read_only_server_refuses_writes(api_client: TestClient) -> None:
    response = api_client.post("/api/articles", json=ARTICLE)
    assert response.status_code == 403
    assert response.json()["code"] == "OR403"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": "Basic x"}],
)
def test_write_needs_the_token(write_client: TestClient, headers: dict[str, str]) -> None:
    response = write_client.post("/api/articles", json=ARTICLE, headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "OR401"
    assert response.headers["www-authenticate"] == "Bearer"


def test_write_stores_the_article(write_client: TestClient) -> None:
    before = write_client.get("/api/stats").json()
    response = write_client.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["ok"] is True
    assert created["created"] is True
    assert created["statements"] >= 1
    article = write_client.get(created["url"]).json()
    assert article["title"] == ARTICLE["title"]
    assert article["published"] == "2026-08-02"
    assert any(s["speaker"]["name"] == "Vera Lind" for s in article["statements"])
    after = write_client.get("/api/stats").json()
    assert after["articles"] == before["articles"] + 1
    hits = write_client.get("/api/search?q=delegations%20ready%20sign").json()["results"]
    assert any(h["article"]["id"] == created["id"] for h in hits)
    again = write_client.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert again.status_code == 200
    assert again.json()["created"] is False


def test_write_takes_an_html_body(write_client: TestClient) -> None:
    html = (
        "<html><head><title>Brek welcomes the date</title></head><body><article>"
        "<h1>Brek welcomes the date</h1><p>Tomas Brek, spokesman for the Harbour Alliance, "
        "said the Alliance would attend the third round as a full party.</p>"
        "</article></body></html>"
    )
    response = write_client.post(
        "/api/articles", content=html, headers={**AUTH, "Content-Type": "text/html"}
    )
    assert response.status_code == 201, response.text


def test_too_big_is_413(write_client: TestClient) -> None:
    big = {**ARTICLE, "text": "word " * 2_000}
    response = write_client.post("/api/articles", json=big, headers=AUTH)
    assert response.status_code == 413
    assert response.json()["code"] == "OR413"


def test_too_big_without_length_is_413(write_client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"x" * 1_000

    response = write_client.post(
        "/api/articles", content=chunks(), headers={**AUTH, "Content-Type": "text/plain"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"title": "no text"}',
        b'{"text": "a", "html": "<p>b</p>"}',
        b'{"text": "a", "published": "someday"}',
        b'{"text": "a", "surprise": 1}',
        b"[]",
    ],
)
def test_malformed_body_is_422(write_client: TestClient, body: bytes) -> None:
    response = write_client.post(
        "/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["ok"] is False


def test_empty_article_is_422(write_client: TestClient) -> None:
    response = write_client.post("/api/articles", json={"text": "   "}, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["code"].startswith("OR11")


def test_app_refuses_a_missing_database(tmp_path: Path) -> None:
    from onrecord.errors import ConfigError

    with pytest.raises(ConfigError, match="no onrecord database"):
        create_app(Settings(db_path=tmp_path / "none.db"))
    (tmp_path / "x.db").write_bytes(b"")
    with pytest.raises(ConfigError, match="token is empty"):
        create_app(Settings(db_path=tmp_path / "x.db"), token=" ")  # noqa: S106 - an empty token on purpose
