"""The server started by the real command line with ``--config``: the catalogue's issues and
the demo's planted shifts show in the API and, in headless Chromium, on the pages, exactly as
the command line's ``shifts`` finds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import DEMO, DEMO_CONFIG, REPO, run_cli
from tests.ports import free_port

pytestmark = pytest.mark.e2e

CONFIG = ["--config", str(DEMO_CONFIG)]
START_S = 90


@pytest.fixture(scope="module")
def served_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("served") / "demo.db"
    result = run_cli([*CONFIG, "ingest", str(DEMO), "--db", str(db)])
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture(scope="module")
def cli_shifts(served_db: Path) -> list[dict[str, Any]]:
    result = run_cli([*CONFIG, "shifts", "--db", str(served_db), "--json"])
    assert result.returncode == 0, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


@pytest.fixture(scope="module")
def served_url(served_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``onrecord --config data/onrecord.toml serve`` in a process of its own."""
    port = free_port()
    log = (tmp_path_factory.mktemp("served-log") / "serve.log").open("w")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("ONRECORD_DB", None)
    process = subprocess.Popen(  # noqa: S603 - the project's own CLI with test-chosen arguments
        [
            sys.executable,
            "-m",
            "onrecord",
            *CONFIG,
            "serve",
            "--db",
            str(served_db),
            "--port",
            str(port),
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_S
    try:
        while True:
            try:
                if httpx.get(f"{url}/api/stats", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`onrecord serve` did not start on port {port}; see {log.name}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _key(shift: dict[str, Any]) -> tuple[str, str, str, str]:
    return (
        shift["actor"],
        shift["issue_id"],
        shift["held_since"]["published"],
        shift["after"]["published"],
    )


def test_api_serves_the_catalogue_and_the_clis_shifts(
    served_url: str, cli_shifts: list[dict[str, Any]]
) -> None:
    issues = httpx.get(f"{served_url}/api/issues").json()
    assert issues["available"] is True
    assert issues["stale"] is None
    assert "dam-monitors" in {i["id"] for i in issues["issues"]}
    served = httpx.get(f"{served_url}/api/shifts").json()["shifts"]
    assert len(cli_shifts) == 3
    assert sorted(map(_key, served)) == sorted(map(_key, cli_shifts))
    kroll = httpx.get(f"{served_url}/api/shifts", params={"actor": "Ana Kroll"}).json()
    assert [s["issue_id"] for s in kroll["shifts"]] == ["dam-monitors"]


def test_pages_show_issues_shifts_and_linked_summaries(
    browser: Any, served_url: str, cli_shifts: list[dict[str, Any]], screenshots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{served_url}/issues")
        page.locator("a[href='/issues/dam-monitors']").click()
        page.wait_for_url("**/issues/dam-monitors")
        shift_items = page.locator("ul.shifts li.shift")
        on_issue = [s for s in cli_shifts if s["issue_id"] == "dam-monitors"]
        assert shift_items.count() == len(on_issue) >= 1
        assert "Ana Kroll" in shift_items.first.inner_text()
        page.screenshot(path=str(screenshots / "served-issue.png"))

        page.goto(f"{served_url}/actors/ana-kroll")
        summary = page.locator("li.summary[data-issue='dam-monitors']")
        text = summary.inner_text()
        assert text.startswith("opposes foreign monitors at the Kessel Dam (Mar 2026")
        assert "→ conditional" in text
        assert page.locator("ul.shifts li.shift").count() >= 1
        # Every plot has a legend and a date axis, and all share one time axis.
        plots = page.locator("figure.timeline-figure")
        assert plots.count() >= 1
        axes = set()
        for n in range(plots.count()):
            plot = plots.nth(n)
            assert plot.locator("ul.plot-legend li").count() >= 4
            ticks = plot.locator("svg text.month")
            assert ticks.count() >= 2
            axes.add(tuple(ticks.all_inner_texts()))
        assert len(axes) == 1
        page.screenshot(path=str(screenshots / "served-actor.png"), full_page=True)

        evidence = summary.locator("a.evidence").first
        href = evidence.get_attribute("href")
        assert href is not None
        assert "#s-" in href
        evidence.click()
        page.wait_for_url(f"**{href}")
        anchor = href.split("#", 1)[1]
        target = page.locator(f"li.statement#{anchor}")
        assert target.count() == 1
        assert page.evaluate("document.querySelector(':target').id") == anchor
        assert errors == []
    finally:
        context.close()
