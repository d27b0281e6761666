"""Browsing like a researcher, in-process: exports, exact facets, paging, syntax, validation."""

from __future__ import annotations

import csv
import io
from typing import Any, Final

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

LISTINGS: Final = (
    "/",
    "/api/search",
    "/actors",
    "/actors/ana-kroll",
    "/quotations",
    "/api/quotations",
    "/stories",
    "/api/stories",
    "/api/articles",
)
PARAMETERS: Final = (
    "q",
    "speaker",
    "outlet",
    "kind",
    "since",
    "until",
    "sort",
    "raw",
    "limit",
    "offset",
    "format",
    "scope",
)
HOSTILE: Final = (
    "99999999999999999999",
    "-1",
    "0",
    "1e9",
    "+5",
    "1_000",
    "٣",
    "NaN",
    "9999-99-99",
    "2026-02-30",
    '"',
    "NEAR(",
    "*",
    "OR",
    "NOT",
    "-",
    "\x00",
    "bogus",
    "csv",
    "all",
    "<script>alert(1)</script>",
    "x" * 1200,
)


def _soup(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


def _href(soup: BeautifulSoup, selector: str) -> str:
    node = soup.select_one(selector)
    assert node is not None, selector
    return str(node["href"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(LISTINGS),
    params=st.dictionaries(
        st.sampled_from(PARAMETERS),
        st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40)),
        max_size=5,
    ),
)
def test_no_parameter_makes_a_server_error(
    web_client: TestClient, path: str, params: dict[str, str]
) -> None:
    response = web_client.get(path, params=params)
    assert response.status_code < 500, (path, params, response.text[:300])
    if response.status_code >= 400 and path.startswith("/api"):
        assert response.json()["ok"] is False


@pytest.mark.parametrize(
    "query",
    [
        "kind=bogus",
        "since=bad",
        "since=2026-05-01&until=2026-01-01",
        "offset=99999999999999999999",
        "limit=0",
        "limit=100000",
        "sort=loudest",
        "format=xml",
    ],
)
def test_page_and_api_refuse_the_same_way(web_client: TestClient, query: str) -> None:
    api = web_client.get(f"/api/search?{query}")
    page = web_client.get(f"/?{query}")
    assert api.status_code == page.status_code == 422
    message = api.json()["error"]
    soup = BeautifulSoup(page.text, "html.parser")
    shown = soup.select_one("p.problem")
    assert shown is not None
    assert shown.get_text(strip=True) == message


def test_json_and_csv_links_return_the_rows_on_screen(web_client: TestClient) -> None:
    soup = _soup(web_client, "/?q=monitors&limit=5&offset=5")
    on_screen = [int(str(li["data-quote-id"])) for li in soup.select("li.hit")]
    assert len(on_screen) == 5
    as_json = web_client.get(_href(soup, "a.export-json")).json()
    assert [r["id"] for r in as_json["results"]] == on_screen
    api = web_client.get(_href(soup, "a.export-api")).json()
    assert api == as_json
    as_csv = web_client.get(_href(soup, "a.export-csv"))
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [int(r["id"]) for r in rows] == on_screen
    everything = web_client.get(_href(soup, "a.export-all"))
    all_rows = list(csv.DictReader(io.StringIO(everything.text)))
    assert len(all_rows) == as_json["total"]


@pytest.mark.parametrize(
    ("page", "key"),
    [
        ("/actors?limit=3", "actors"),
        ("/actors/ana-kroll?limit=4", "quotes"),
        ("/quotations?limit=2", "quotations"),
        ("/stories?limit=2", "stories"),
    ],
)
def test_every_listing_exports_what_it_shows(web_client: TestClient, page: str, key: str) -> None:
    soup = _soup(web_client, page)
    as_json = web_client.get(_href(soup, "a.export-json")).json()
    rows = as_json[key]
    assert 0 < len(rows) <= int(page.rsplit("=", 1)[1])
    as_csv = web_client.get(_href(soup, "a.export-csv")).text
    assert len(list(csv.DictReader(io.StringIO(as_csv)))) == len(rows)
    assert web_client.get(_href(soup, "a.export-api")).status_code == 200


def test_facet_counts_are_exact(web_client: TestClient) -> None:
    soup = _soup(web_client, "/?q=monitors")
    assert soup.select_one("p.facet-note") is None
    for item in soup.select('section.facet[data-facet="speaker"] li'):
        link = item.select_one("a")
        count = item.select_one("span.count")
        assert link is not None
        assert count is not None
        filtered = web_client.get(str(link["href"]) + "&format=json").json()
        assert filtered["total"] == int(count.get_text().replace(",", ""))


def test_month_bars_filter_to_their_month(web_client: TestClient) -> None:
    soup = _soup(web_client, "/")
    bars = soup.select("svg.histogram a.month-link")
    assert bars
    whole = web_client.get("/api/search").json()
    months = {m["value"]: m["count"] for m in whole["facets"]["month"]}
    assert sum(months.values()) <= whole["total"]
    href = str(bars[0]["href"])
    rect = bars[0].select_one("rect")
    assert rect is not None
    month = str(rect["data-month"])
    assert f"since={month}-01" in href
    assert web_client.get(href + "&format=json").json()["total"] == months[month]


def test_page_numbers_walk_the_whole_result(web_client: TestClient) -> None:
    total = web_client.get("/api/search?q=monitors").json()["total"]
    soup = _soup(web_client, "/?q=monitors&limit=4")
    numbers = [a.get_text(strip=True) for a in soup.select("nav.pager a.page")]
    assert numbers[-1] == str(-(-total // 4))
    seen: list[str] = []
    url: str | None = "/?q=monitors&limit=4"
    while url:
        page = _soup(web_client, url)
        seen.extend(str(li["data-quote-id"]) for li in page.select("li.hit"))
        nxt = page.select_one('nav.pager a[rel="next"]')
        url = str(nxt["href"]) if nxt else None
    assert len(seen) == len(set(seen)) == total


def test_actor_page_is_paged(web_client: TestClient) -> None:
    count = web_client.get("/api/actors/ana-kroll").json()["actor"]["quote_count"]
    soup = _soup(web_client, "/actors/ana-kroll?limit=10")
    assert len(soup.select("li.hit")) == 10
    assert soup.select_one('nav.pager a[rel="next"]') is not None
    last = _soup(web_client, f"/actors/ana-kroll?limit=10&offset={(count - 1) // 10 * 10}")
    assert len(last.select("li.hit")) == count - (count - 1) // 10 * 10
    assert last.select_one('nav.pager a[rel="next"]') is None


def test_search_syntax_from_the_box(web_client: TestClient) -> None:
    prefix = _soup(web_client, "/?q=guarant*")
    assert prefix.select("li.hit")
    assert prefix.select_one("#syntax-help") is not None
    marks = [m.get_text().lower() for m in prefix.select("li.hit mark")]
    assert marks
    assert all(m.startswith("guarant") for m in marks)
    either = web_client.get("/api/search?q=guarantees OR monitors").json()["total"]
    one = web_client.get("/api/search?q=guarantees").json()["total"]
    other = web_client.get("/api/search?q=monitors").json()["total"]
    both = web_client.get("/api/search?q=guarantees monitors").json()["total"]
    assert either == one + other - both
    assert web_client.get("/api/search?q=monitors -guarantees").json()["total"] == other - both
    bad = _soup(web_client, '/?q="monitors')
    note = bad.select_one("p.note-syntax")
    assert note is not None
    assert "never closed" in note.get_text()
    assert bad.select("li.hit")


def test_sort_by_date(web_client: TestClient) -> None:
    for sort, is_reversed in (("newest", True), ("oldest", False)):
        found = web_client.get(f"/api/search?q=monitors&sort={sort}&limit=200").json()
        dates = [r["article"]["published"] for r in found["results"] if r["article"]["published"]]
        assert len(dates) > 2
        assert dates == sorted(dates, reverse=is_reversed)


def test_empty_result_says_which_filter_emptied_it(web_client: TestClient) -> None:
    soup = _soup(web_client, "/?q=guarantees&speaker=Kroll")
    assert not soup.select("li.hit")
    drops = {str(li["data-parameter"]): li for li in soup.select("li.drop")}
    assert set(drops) == {"q", "speaker"}
    link = drops["speaker"].select_one("a.drop-link")
    assert link is not None
    assert str(link["href"]) == "/?q=guarantees"
    assert web_client.get("/api/search?q=guarantees").json()["total"] > 0


def test_favicon_and_quote_page_text(web_client: TestClient) -> None:
    icon = web_client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    quotation = web_client.get("/api/quotations?limit=1").json()["quotations"][0]
    soup = _soup(web_client, f"/quotations/{quotation['id']}")
    first = soup.select_one("p.first-source")
    assert first is not None
    assert "reportedarticle" not in first.get_text()
    assert "as first reported article" in " ".join(first.get_text().split())


def test_api_not_found_points_to_the_api(web_client: TestClient) -> None:
    for url in ("/api/articles/nope", "/api/quotes/123456789", "/api/stories/987654"):
        body: dict[str, Any] = web_client.get(url).json()
        assert "/api/" in body["error"], body


def test_story_and_issue_lists_export_their_rows(positions_web_client: TestClient) -> None:
    client = positions_web_client
    story = client.get("/api/stories?limit=1").json()["stories"][0]
    soup = _soup(client, f"/stories/{story['id']}")
    shown = len(soup.select("tr.story-article"))
    assert shown == story["article_count"]
    rows = list(csv.DictReader(io.StringIO(client.get(_href(soup, "a.export-csv")).text)))
    assert len(rows) == shown
    assert client.get(_href(soup, "a.export-api")).json()["summary"]["id"] == story["id"]
    issues = _soup(client, "/issues")
    listed = len(issues.select("tr.issue-row"))
    assert listed > 0
    as_json = client.get(_href(issues, "a.export-json")).json()
    assert len(as_json["issues"]) == listed
    assert as_json == client.get(_href(issues, "a.export-api")).json()


@pytest.mark.parametrize(
    ("path", "api", "key"),
    [
        ("/quotations", "/api/quotations", "quotations"),
        ("/stories", "/api/stories", "stories"),
    ],
)
def test_quotations_and_stories_have_page_numbers(
    web_client: TestClient, path: str, api: str, key: str
) -> None:
    every = web_client.get(f"{api}?limit=200").json()[key]
    assert len(every) > 2
    soup = _soup(web_client, f"{path}?limit=2")
    numbers = [a.get_text(strip=True) for a in soup.select("nav.pager a.page")]
    assert numbers[-1] == str(-(-len(every) // 2))
    last = int(numbers[-1])
    tail = _soup(web_client, f"{path}?limit=2&offset={(last - 1) * 2}")
    assert tail.select_one('nav.pager a[rel="next"]') is None
    assert tail.select_one("nav.pager .current") is not None
