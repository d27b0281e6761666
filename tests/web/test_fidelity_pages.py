"""Quote fidelity on the quotation page, in search and in the API.

In process (selectors on the HTML, JSON bodies), then in headless Chromium: the diff section
shows struck and inserted words, and the "altered quotations" filter narrows the results.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from onrecord.api import create_app
from onrecord.config import Settings
from onrecord.derive import standard_steps
from onrecord.store import Store
from tests.store.conftest import Said, make_item
from tests.web.conftest import _serve

FIRST = '"The tram fares will not rise before the winter of 2027, we promised that."'
ALTERED = '"The tram fares will rise before the winter of 2027, we promised that."'
FAITHFUL = "“The tram fares won't rise before the winter of 2027, we promised that.”"
OTHER = '"Our buses are cleaner than they have ever been in this city."'


@pytest.fixture(scope="module")
def fidelity_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fidelity-web") / "fidelity.db"
    items = [
        make_item(
            f"Idris Pellow spoke in Corvel. {FIRST} Pellow told the Daily Ledger. {OTHER}",
            [Said(FIRST, "Idris Pellow"), Said(OTHER, "Idris Pellow")],
            outlet="Daily Ledger",
            published=date(2025, 2, 3),
        ),
        make_item(
            f"Idris Pellow on fares. {ALTERED} Pellow said, the Daily Ledger reported.",
            [Said(ALTERED, "Idris Pellow", via=("Daily Ledger",))],
            outlet="Harbour Post",
            published=date(2025, 2, 4),
        ),
        make_item(
            f"Idris Pellow on fares. {FAITHFUL} Pellow said, the Daily Ledger reported.",
            [Said(FAITHFUL, "Idris Pellow", via=("Daily Ledger",))],
            outlet="Tide Wire",
            published=date(2025, 2, 5),
        ),
    ]
    with Store.open(path) as store:
        store.add_articles(items, steps=standard_steps())
    return path


@pytest.fixture(scope="module")
def client(fidelity_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db_path=fidelity_db))) as opened:
        yield opened


def _first_quote_id(client: TestClient) -> int:
    hits = client.get("/api/search", params={"q": "tram fares", "outlet": "Daily Ledger"}).json()
    return int(hits["results"][0]["id"])


def test_quotation_page_shows_the_diff(client: TestClient) -> None:
    page = client.get(f"/quotes/{_first_quote_id(client)}")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    items = soup.select("section.fidelity li.fidelity-item")
    assert len(items) == 2
    altered = [item for item in items if "altered" in (item.get("class") or [])]
    assert len(altered) == 1
    finding = altered[0].select_one("span.finding")
    assert finding is not None
    assert finding["data-kind"] == "negation_changed"
    assert "severity-high" in finding["class"]
    assert [d.get_text() for d in altered[0].select("p.diff del")] == ["not"]
    faithful = next(item for item in items if item is not altered[0])
    assert [s["data-kind"] for s in faithful.select("span.finding")] == ["identical"]
    assert not faithful.select("p.diff del, p.diff ins")


def test_search_filter_altered(client: TestClient) -> None:
    soup = BeautifulSoup(client.get("/", params={"altered": "1"}).text, "html.parser")
    box = soup.select_one("input[name=altered]")
    assert box is not None
    assert box.has_attr("checked")
    texts = [hit.get_text(" ", strip=True) for hit in soup.select("li.hit blockquote")]
    assert len(texts) == 2
    assert not any("buses" in text for text in texts)
    everything = BeautifulSoup(client.get("/").text, "html.parser").select("li.hit")
    assert len(everything) == 4


def test_api_fidelity_and_search(client: TestClient) -> None:
    body = client.get("/api/fidelity", params={"severity": "high"}).json()
    assert [f["kind"] for f in body["findings"]] == ["negation_changed"]
    finding = body["findings"][0]
    assert finding["origin"]["outlet"] == "Daily Ledger"
    assert finding["occurrence"]["outlet"] == "Harbour Post"
    assert (finding["origin_words"], finding["copy_words"]) == ("not", "")
    quotation = finding["origin"]["quotation_id"]
    section = client.get(f"/api/quotations/{quotation}/fidelity").json()
    assert sorted(o["classification"] for o in section["occurrences"]) == [
        ["identical"],
        ["negation_changed"],
    ]
    assert {"op": "delete", "origin": "not", "copy": "", "gap": ""} in next(
        o["diff"] for o in section["occurrences"] if o["findings"]
    )
    altered = client.get("/api/search", params={"altered": "true"}).json()
    assert altered["total"] == 2
    bad = client.get("/api/fidelity", params={"severity": "severe"})
    assert bad.status_code == 422
    missing = client.get("/api/quotations/9999/fidelity")
    assert missing.status_code == 404
    assert missing.json()["code"] == "OR404"


@pytest.fixture(scope="module")
def fidelity_url(fidelity_db: Path) -> Iterator[str]:
    yield from _serve(create_app(Settings(db_path=fidelity_db)))


@pytest.mark.e2e
def test_browser_diff_and_filter(browser: Any, fidelity_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        tab.goto(f"{fidelity_url}/")
        assert tab.locator("li.hit").count() == 4
        tab.locator("input[name=altered]").check()
        tab.locator("form.search button[type=submit]").click()
        tab.wait_for_url("**altered=1**")
        assert tab.locator("li.hit").count() == 2
        tab.locator("li.hit a.quote-link").first.click()
        tab.wait_for_url("**/quotes/*")
        section = tab.locator("section.fidelity")
        assert section.is_visible()
        struck = section.locator("li.fidelity-item.altered p.diff del")
        assert struck.first.inner_text() == "not"
        assert struck.first.evaluate("e => getComputedStyle(e).textDecorationLine") == (
            "line-through"
        )
        badge = section.locator("span.finding[data-kind=negation_changed]")
        assert badge.is_visible()
        assert "negation" in (badge.get_attribute("title") or "")
        assert errors == []
    finally:
        context.close()
