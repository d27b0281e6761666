"""Web fixtures: in-process clients over the demo store, and a real server for the browser."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from onrecord import Settings
from onrecord.api import create_app
from tests.api._demo import hostile_db
from tests.ports import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.fixture(scope="session")
def hostile_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store plus an article full of script payloads."""
    return hostile_db(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def web_client(api_client: TestClient) -> TestClient:
    """Pages over the demo store without positions (statement timelines)."""
    return api_client


@pytest.fixture(scope="session")
def positions_web_client(positions_client: TestClient) -> TestClient:
    """Pages over the demo store with rule-made positions (stance timelines)."""
    return positions_client


@pytest.fixture(scope="session")
def hostile_client(hostile_store_path: Path) -> Iterator[TestClient]:
    """Pages over the store holding the hostile article."""
    with TestClient(create_app(Settings(db_path=hostile_store_path))) as client:
        yield client


def _serve(app: FastAPI) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail(f"the test server did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_url(hostile_store_path: Path) -> Iterator[str]:
    """A real uvicorn server on a free local port over the hostile store, positions by rule."""
    yield from _serve(create_app(Settings(db_path=hostile_store_path)))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless system Chromium driven by Playwright; fails (never skips) when missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"browser tests need Chromium at {CHROMIUM}: install it with "
            "`apt-get update && apt-get install -y chromium` (as root)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh desktop-sized page that records dialogs and page errors."""
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    tab.dialogs = []
    tab.errors = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Folder for page screenshots (gitignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
