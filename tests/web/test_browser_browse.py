"""Browsing in headless Chromium: export links, paging, a facet click, phrase and prefix search.

Each test drives the real server through the page as a reader would: typing in the search
box, clicking facets, bars and page numbers, and following the export links it finds.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.web.conftest import DESKTOP

pytestmark = pytest.mark.e2e


def _search(tab: Any, live_url: str, words: str) -> None:
    tab.goto(f"{live_url}/")
    tab.fill("form.search input[name=q]", words)
    tab.press("form.search input[name=q]", "Enter")
    tab.wait_for_load_state("load")


def _ids(tab: Any) -> list[str]:
    return [
        str(i)
        for i in tab.locator("li.hit").evaluate_all("nodes => nodes.map(n => n.dataset.quoteId)")
    ]


def test_each_export_link(page: Any, live_url: str) -> None:
    _search(page, live_url, "monitors")
    on_screen = _ids(page)
    assert on_screen

    page.locator("a.export-json").click()
    page.wait_for_load_state("load")
    data = json.loads(page.locator("body").inner_text())
    assert [str(r["id"]) for r in data["results"]] == on_screen
    page.go_back()

    csv_href = page.locator("a.export-csv").get_attribute("href")
    rows = list(csv.DictReader(io.StringIO(page.request.get(live_url + csv_href).text())))
    assert [r["id"] for r in rows] == on_screen

    all_href = page.locator("a.export-all").get_attribute("href")
    every = list(csv.DictReader(io.StringIO(page.request.get(live_url + all_href).text())))
    assert len(every) == data["total"]

    page.locator("a.export-api").click()
    page.wait_for_load_state("load")
    assert "/api/search" in page.url
    assert json.loads(page.locator("body").inner_text()) == data


def test_paging_across_pages(page: Any, live_url: str) -> None:
    page.goto(f"{live_url}/?q=monitors&limit=5")
    first = _ids(page)
    assert len(first) == 5
    page.locator('nav.pager a[rel="next"]').click()
    page.wait_for_load_state("load")
    second = _ids(page)
    assert second
    assert not set(first) & set(second)
    assert page.locator("nav.pager .current").inner_text() == "2"
    page.locator("nav.pager a.page", has_text="1").first.click()
    page.wait_for_load_state("load")
    assert _ids(page) == first
    page.goto(f"{live_url}/actors/ana-kroll?limit=10")
    first_actor = _ids(page)
    page.locator('nav.pager a[rel="next"]').click()
    page.wait_for_load_state("load")
    assert not set(first_actor) & set(_ids(page))
    for listing, rows in (
        ("/actors?limit=4", "tr.actor-row a"),
        ("/quotations?limit=3", "a.quotation-link"),
        ("/stories?limit=1", "tr.story-row a"),
    ):
        page.goto(f"{live_url}{listing}")
        before = page.locator(rows).all_inner_texts()
        page.locator("nav.pager a.page", has_text="2").first.click()
        page.wait_for_load_state("load")
        after = page.locator(rows).all_inner_texts()
        assert before, listing
        assert after, listing
        assert not set(before) & set(after), listing
        assert page.locator("nav.pager .current").inner_text() == "2"


def test_facet_click(page: Any, live_url: str) -> None:
    _search(page, live_url, "monitors")
    item = page.locator('section.facet[data-facet="speaker"] li').first
    name = item.locator("a").inner_text()
    count = int(item.locator(".count").inner_text().replace(",", ""))
    item.locator("a").click()
    page.wait_for_load_state("load")
    assert page.locator("form.search input[name=speaker]").input_value() == name
    summary = page.locator("p.summary").inner_text()
    assert summary.startswith(f"{count:,} statement")
    speakers = page.locator("li.hit a.speaker").all_inner_texts()
    assert speakers
    assert set(speakers) == {name}

    page.goto(f"{live_url}/")
    bar = page.locator("svg.histogram rect.bar").first
    month = bar.get_attribute("data-month")
    bar.click()
    page.wait_for_load_state("load")
    assert page.locator("form.search input[name=since]").input_value() == f"{month}-01"
    dates = page.locator("li.hit .source time").all_inner_texts()
    assert dates
    assert all(d.startswith(month) for d in dates)


def test_phrase_search(page: Any, live_url: str) -> None:
    _search(page, live_url, '"foreign monitors"')
    texts = page.locator("li.hit blockquote").all_inner_texts()
    assert texts
    assert all("foreign monitors" in " ".join(t.lower().split()) for t in texts)
    marked = [" ".join(m.lower().split()) for m in page.locator("li.hit mark").all_inner_texts()]
    assert marked
    assert set(marked) == {"foreign monitors"}
    loose = page.request.get(f"{live_url}/api/search?q=foreign monitors").json()["total"]
    assert int(page.locator("p.summary").inner_text().split()[0]) <= loose
    assert page.errors == []


def test_prefix_search(page: Any, live_url: str) -> None:
    _search(page, live_url, "guarant*")
    marks = [m.lower() for m in page.locator("li.hit mark").all_inner_texts()]
    assert marks
    assert all(m.startswith("guarant") for m in marks)
    assert page.locator("#syntax-help").is_visible()
    _search(page, live_url, '"guarant')
    assert "never closed" in page.locator("p.note-syntax").inner_text()


def test_long_words_do_not_widen_pages(page: Any, live_url: str) -> None:
    word = "Unterwasserbeobachtungsstation" * 12
    for url in (f"/?q={word}", f"/quotations?speaker={word}", "/issues", "/actors"):
        page.goto(f"{live_url}{url}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= DESKTOP["width"], (url, width)
