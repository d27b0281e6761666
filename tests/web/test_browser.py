"""Real-browser checks in headless system Chromium against a live server.

What only a browser shows: the timeline plot renders with one point per statement and its
points lead to the evidence, and script payloads in stored text execute nothing.
Screenshots of each page, at desktop and phone widths, go to ``test-output/screenshots/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import DESKTOP

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def _shoot(tab: Any, folder: Path, name: str) -> None:
    tab.set_viewport_size(DESKTOP)
    tab.screenshot(path=str(folder / f"{name}-desktop.png"))
    tab.set_viewport_size(PHONE)
    tab.screenshot(path=str(folder / f"{name}-phone.png"), full_page=False)
    tab.set_viewport_size(DESKTOP)


def test_search_quote_actor_timeline(page: Any, live_url: str, screenshots: Path) -> None:
    page.goto(f"{live_url}/?q=monitors")
    hits = page.locator("li.hit")
    assert hits.count() > 0
    assert page.locator("li.hit blockquote mark").first.inner_text().lower().startswith("monitor")
    _shoot(page, screenshots, "search")

    kroll_hit = page.locator("li.hit", has=page.locator("a.speaker", has_text="Ana Kroll")).first
    kroll_hit.locator("a.quote-link").click()
    page.wait_for_url("**/quotes/*")
    assert page.locator("blockquote.quote-text").is_visible()
    _shoot(page, screenshots, "quote")

    page.locator("p.meta a.speaker").click()
    page.wait_for_url("**/actors/ana-kroll")
    assert page.locator("h1").inner_text() == "Ana Kroll"
    stances = httpx.get(f"{live_url}/api/actors/ana-kroll/positions").json()
    if stances["available"]:
        expected = len([p for p in stances["positions"] if p["published"]])
    else:
        quotes = httpx.get(f"{live_url}/api/actors/ana-kroll").json()["quotes"]
        expected = len([q for q in quotes if q["article"]["published"]])
    assert expected > 0
    plot = page.locator("svg.timeline").first
    plot.wait_for(state="visible")
    points = plot.locator("circle.point")
    assert points.count() == expected
    box = plot.bounding_box()
    assert box is not None
    assert box["width"] > 600
    visible = [points.nth(i).bounding_box() for i in range(points.count())]
    assert all(b is not None and b["width"] > 0 for b in visible)
    if stances["available"]:
        assert page.locator("line.shift-line").count() >= 1
    _shoot(page, screenshots, "actor")

    points.first.click()
    page.wait_for_url("**/quotes/*")
    assert page.locator("blockquote.quote-text").is_visible()
    assert page.errors == []


def test_article_page_renders_highlights(page: Any, live_url: str, screenshots: Path) -> None:
    kroll = httpx.get(f"{live_url}/api/actors/ana-kroll").json()
    article_id = kroll["quotes"][0]["article"]["id"]
    page.goto(f"{live_url}/articles/{article_id}")
    marks = page.locator("div.article-text mark.stmt")
    assert marks.count() > 0
    colour = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    details = page.locator("details.removed")
    if details.count():
        assert not details.locator("li").first.is_visible()
        details.locator("summary").click()
        assert details.locator("li").first.is_visible()
    _shoot(page, screenshots, "article")


def test_script_payloads_execute_nothing(page: Any, live_url: str, screenshots: Path) -> None:
    from tests.api._demo import HOSTILE_TITLE

    hit = httpx.get(f"{live_url}/api/search", params={"q": "sign never"}).json()["results"][0]
    urls = [
        f"/articles/{hit['article']['id']}",
        f"/quotes/{hit['id']}",
        f"/actors/{hit['speaker']['slug']}",
        "/?q=sign+never",
        "/?q=%3Cscript%3Ewindow.__pwned%3D9%3C%2Fscript%3E",
        "/actors",
    ]
    for url in urls:
        page.goto(f"{live_url}{url}")
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", url
    page.goto(f"{live_url}{urls[0]}")
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    _shoot(page, screenshots, "hostile-article")
    assert page.dialogs == []
    assert page.errors == []


def test_docs_render_offline(page: Any, live_url: str, screenshots: Path) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_url) else outside.append(r.url),
    )
    page.goto(f"{live_url}/docs")
    page.locator(".swagger-ui .opblock").first.wait_for(state="visible", timeout=15_000)
    assert page.locator(".swagger-ui .opblock").count() >= 10
    _shoot(page, screenshots, "docs")
    assert [u for u in outside if not u.startswith("data:")] == []


def test_issue_page_plots(page: Any, live_url: str, screenshots: Path) -> None:
    issues = httpx.get(f"{live_url}/api/issues").json()
    page.goto(f"{live_url}/issues")
    _shoot(page, screenshots, "issues")
    if not issues["available"]:
        assert page.locator("p.placeholder").is_visible()
        return
    issue_id = issues["issues"][0]["id"]
    page.goto(f"{live_url}/issues/{issue_id}")
    dated = [
        p
        for p in httpx.get(f"{live_url}/api/positions", params={"issue": issue_id}).json()[
            "positions"
        ]
        if p["published"]
    ]
    assert page.locator("svg.timeline circle.point").count() == len(dated)
    _shoot(page, screenshots, "issue")
    assert page.errors == []


def test_story_and_relayed_quote_pages(page: Any, live_url: str, screenshots: Path) -> None:
    hit = httpx.get(f"{live_url}/api/search", params={"q": "nobody stand key"}).json()["results"]
    page.goto(f"{live_url}/quotes/{hit[0]['id']}")
    assert page.locator("ol.relay li.edge").count() >= 3
    _shoot(page, screenshots, "quote-relayed")
    page.locator("a.story-link").click()
    page.wait_for_url("**/stories/*")
    assert page.locator("table.story-articles tr.story-article").count() >= 2
    _shoot(page, screenshots, "story")
    page.goto(f"{live_url}/stories")
    assert page.locator("table.stories tr.story-row").count() >= 1
    _shoot(page, screenshots, "stories")
    assert page.errors == []
