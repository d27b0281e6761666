"""Read endpoints over the demo store: search, quotes, actors, articles, stats, docs."""

from __future__ import annotations

import csv as csv_module
import io
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient


def _json(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.json()


def _is_error(body: Any, code: str) -> bool:
    return (
        set(body) == {"ok", "code", "error"}
        and body["ok"] is False
        and body["code"] == code
        and code in body["error"]
    )


def test_search_finds_words_and_marks_them(api_client: TestClient) -> None:
    body = _json(api_client, "/api/search?q=guarantees")
    assert body["total"] == len(body["results"]) > 0
    assert body["next_offset"] is None
    for result in body["results"]:
        assert "[guarantees]" in result["snippet"].lower() or "guarantee" in result["text"].lower()
        assert result["article"]["id"]
        assert set(result["speaker"]) >= {"name", "slug", "mention", "role", "org", "kind"}


def test_search_pages_join_up_to_the_whole_list(api_client: TestClient) -> None:
    whole = _json(api_client, "/api/search?limit=200")
    quotes = _json(api_client, "/api/stats")["quotes"]
    assert whole["total"] == len(whole["results"]) == quotes
    ids: list[int] = []
    offset: int | None = 0
    while offset is not None:
        page = _json(api_client, f"/api/search?limit=40&offset={offset}")
        assert page["total"] == quotes
        ids.extend(r["id"] for r in page["results"])
        offset = page["next_offset"]
    assert ids == [r["id"] for r in whole["results"]]


def test_search_past_the_end_is_empty(api_client: TestClient) -> None:
    body = _json(api_client, "/api/search?offset=10000")
    assert body["results"] == []
    assert body["next_offset"] is None


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("speaker=ana%20KROLL", lambda r: r["speaker"]["name"] == "Ana Kroll"),
        ("kind=direct", lambda r: r["kind"] == "direct"),
        ("since=2026-06-01", lambda r: r["article"]["published"] >= "2026-06-01"),
        ("until=2026-03-01", lambda r: r["article"]["published"] <= "2026-03-01"),
        (
            "q=monitors&speaker=Ana%20Kroll&since=2026-03-01&until=2026-04-30",
            lambda r: (
                r["speaker"]["name"] == "Ana Kroll"
                and "2026-03-01" <= r["article"]["published"] <= "2026-04-30"
            ),
        ),
    ],
)
def test_search_filters(api_client: TestClient, query: str, check: Any) -> None:
    body = _json(api_client, f"/api/search?{query}&limit=200")
    assert body["results"], query
    assert all(check(r) for r in body["results"])


def test_search_by_outlet_ignores_case(api_client: TestClient) -> None:
    outlet = _json(api_client, "/api/search?limit=1")["results"][0]["article"]["outlet"]
    body = _json(api_client, f"/api/search?outlet={quote(outlet.upper())}&limit=200")
    assert body["results"]
    assert all(r["article"]["outlet"] == outlet for r in body["results"])


def test_raw_fts_syntax(api_client: TestClient) -> None:
    body = _json(api_client, "/api/search?raw=true&q=guarantees%20OR%20monitors")
    assert body["total"] > _json(api_client, "/api/search?q=guarantees")["total"]


@pytest.mark.parametrize("bad", ['"', "AND", "monitors NEAR(", "(((", "col:*", '"a" OR'])
def test_malformed_raw_fts_is_400(api_client: TestClient, bad: str) -> None:
    response = api_client.get("/api/search", params={"q": bad, "raw": "true"})
    assert response.status_code == 400
    assert _is_error(response.json(), "OR204")


def test_unknown_kind_is_422(api_client: TestClient) -> None:
    assert _is_error(_json(api_client, "/api/search?kind=shouted", 422), "OR422")


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?limit=0",
        "/api/search?limit=5000",
        "/api/search?offset=-1",
        "/api/search?since=soon",
    ],
)
def test_bad_parameters_are_422(api_client: TestClient, url: str) -> None:
    assert _is_error(_json(api_client, url, 422), "OR422")


INJECTIONS = [
    "'; DROP TABLE quotes; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "monitors NEAR(",
    "*",
    "\x00",
    "%00%27",
    "../../etc/passwd",
    "Robert'); DELETE FROM articles;--",
    "{{7*7}}",
    "😀 \u202e",
    "a" * 3000,
]
PARAMETERS = ["q", "speaker", "outlet", "kind", "since", "until", "limit", "offset", "raw"]


@pytest.mark.parametrize("parameter", PARAMETERS)
@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_do_not_break_search(
    api_client: TestClient, parameter: str, value: str
) -> None:
    response = api_client.get("/api/search", params={parameter: value})
    assert response.status_code in (200, 400, 422)
    body = response.json()
    if response.status_code == 200:
        assert "results" in body
    else:
        assert body["ok"] is False
        assert body["code"].startswith("OR")


@pytest.mark.parametrize("value", INJECTIONS[:6])
@pytest.mark.parametrize(
    "template",
    [
        "/api/actors/{}",
        "/api/articles/{}",
        "/api/quotes/{}",
        "/api/stories/{}",
        "/api/positions?actor={}",
        "/api/shifts?issue={}",
        "/api/quotations/{}",
        "/api/quotations?speaker={}",
    ],
)
def test_injection_strings_in_paths(api_client: TestClient, template: str, value: str) -> None:
    response = api_client.get(template.format(quote(value, safe="")))
    assert response.status_code in (200, 404, 422)
    assert response.headers["content-type"].startswith("application/json")


def test_store_intact_after_injections(api_client: TestClient) -> None:
    stats = _json(api_client, "/api/stats")
    assert stats["articles"] == 30
    assert stats["quotes"] == _json(api_client, "/api/search?limit=1")["total"] > 100


def test_quote_has_speaker_article_relay_and_occurrences(api_client: TestClient) -> None:
    relayed = [r for r in _json(api_client, "/api/search?limit=200")["results"] if r["via"]]
    assert relayed, "the demo corpus has relayed statements"
    first = relayed[0]
    body = _json(api_client, f"/api/quotes/{first['id']}")
    assert body["id"] == first["id"]
    assert body["via"] == first["via"]
    assert body["speaker"] == first["speaker"]
    assert first["id"] in [o["quote_id"] for o in body["occurrences"]]
    assert body["first_source"] == body["occurrences"][0]
    dates = [o["article"]["published"] for o in body["occurrences"]]
    assert dates == sorted(dates)


def test_relayed_quote_traces_back_to_its_first_source(api_client: TestClient) -> None:
    hit = _json(api_client, "/api/search?q=nobody%20stand%20key&limit=1")["results"][0]
    body = _json(api_client, f"/api/quotes/{hit['id']}")
    outlets = [o["article"]["outlet"] for o in body["occurrences"]]
    assert len(outlets) >= 4
    assert body["first_source"]["article"]["outlet"] == "Corvel Courier"
    origin = body["origin"]
    assert origin["first"]["outlet"] == "Corvel Courier"
    assert origin["edges"][0]["source"] == "Ana Kroll"
    assert origin["edges"][0]["target"] == "Corvel Courier"
    assert {e["target"] for e in origin["edges"]} >= {"Tidewire", "Channel Nine"}
    assert len(body["variants"]) >= 2
    assert isinstance(body["quotation_id"], int)
    assert isinstance(body["story_id"], int)
    quotation = _json(api_client, f"/api/quotations/{body['quotation_id']}")
    assert [o["quote_id"] for o in quotation["occurrences"]] == [
        o["quote_id"] for o in body["occurrences"]
    ]
    assert quotation["summary"]["first_outlet"] == "Corvel Courier"


def test_quotations_most_carried_first(api_client: TestClient) -> None:
    body = _json(api_client, "/api/quotations")
    counts = [q["occurrence_count"] for q in body["quotations"]]
    assert counts
    assert counts == sorted(counts, reverse=True)
    assert min(counts) >= 2
    kroll = _json(api_client, "/api/quotations?speaker=ana%20kroll")["quotations"]
    assert kroll
    assert all(q["speaker"] == "Ana Kroll" for q in kroll)
    assert _json(api_client, "/api/quotations?speaker=nobody-at-all")["quotations"] == []
    paged = _json(api_client, "/api/quotations?limit=1")
    assert len(paged["quotations"]) == 1
    assert paged["next_offset"] == 1
    assert _is_error(_json(api_client, "/api/quotations/999999", 404), "OR404")


def test_stories_list_and_detail(api_client: TestClient) -> None:
    stories = _json(api_client, "/api/stories")["stories"]
    assert stories
    sizes = [s["article_count"] for s in stories]
    assert sizes == sorted(sizes, reverse=True)
    story = _json(api_client, f"/api/stories/{stories[0]['id']}")
    articles = story["articles"]
    assert len(articles) == stories[0]["article_count"]
    assert articles[0]["relation"] == "first"
    assert articles[0]["id"] == story["summary"]["first_article_id"]
    for quotation in story["quotations"]:
        assert quotation["occurrence_count"] >= 1
    article = _json(api_client, f"/api/articles/{articles[0]['id']}")
    assert article["story_id"] == stories[0]["id"]
    assert _is_error(_json(api_client, "/api/stories/999999", 404), "OR404")
    assert _is_error(_json(api_client, "/api/stories/abc", 422), "OR422")


def test_missing_quote_is_404_with_error_shape(api_client: TestClient) -> None:
    assert _is_error(_json(api_client, "/api/quotes/999999", 404), "OR404")
    assert _is_error(_json(api_client, "/api/quotes/abc", 422), "OR422")


def test_actors_most_quoted_first(api_client: TestClient) -> None:
    actors = _json(api_client, "/api/actors")["actors"]
    assert actors[0]["name"] == "Ana Kroll"
    assert actors[0]["slug"] == "ana-kroll"
    counts = [a["quote_count"] for a in actors]
    assert counts == sorted(counts, reverse=True)
    assert len(_json(api_client, "/api/actors?limit=3")["actors"]) == 3


@pytest.mark.parametrize("name", ["ana-kroll", "ANA%20KROLL", "Ana%20Kroll"])
def test_actor_everything_said_by_date(api_client: TestClient, name: str) -> None:
    body = _json(api_client, f"/api/actors/{name}")
    assert body["actor"]["name"] == "Ana Kroll"
    quotes = body["quotes"]
    assert len(quotes) == body["actor"]["quote_count"] > 20
    dates = [q["article"]["published"] for q in quotes if q["article"]["published"]]
    assert dates == sorted(dates)
    assert all(q["speaker"]["name"] == "Ana Kroll" for q in quotes)


def test_actor_record_comes_a_page_at_a_time(api_client: TestClient) -> None:
    whole = _json(api_client, "/api/actors/ana-kroll")["quotes"]
    first = _json(api_client, "/api/actors/ana-kroll?limit=7")
    assert first["next_offset"] == 7
    pages, offset = [first["quotes"]], first["next_offset"]
    while offset is not None:
        body = _json(api_client, f"/api/actors/ana-kroll?limit=7&offset={offset}")
        pages.append(body["quotes"])
        offset = body["next_offset"]
    assert [q["id"] for page in pages for q in page] == [q["id"] for q in whole]
    assert all(len(page) == 7 for page in pages[:-1])
    csv = api_client.get("/api/actors/ana-kroll?format=csv&scope=all")
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    rows = list(csv_module.DictReader(io.StringIO(csv.text)))
    assert [int(row["id"]) for row in rows] == [q["id"] for q in whole]
    assert api_client.get("/api/actors/ana-kroll?limit=0").status_code == 422


def test_unknown_actor_suggests_names(api_client: TestClient) -> None:
    body = _json(api_client, "/api/actors/ana-krol", 404)
    assert _is_error(body, "OR404")
    assert "Ana Kroll" in body["error"]


def test_article_text_spans_and_junk(api_client: TestClient) -> None:
    listing = _json(api_client, "/api/articles?limit=500")
    assert len(listing["articles"]) == 30
    assert listing["next_offset"] is None
    with_junk = 0
    for ref in listing["articles"]:
        body = _json(api_client, f"/api/articles/{ref['id']}")
        text = body["text"]
        for statement in body["statements"]:
            assert text[statement["start"] : statement["end"]] == statement["text"]
            assert statement["quote_id"] is not None
        with_junk += bool(body["removed"])
        assert all(set(r) == {"text", "reason"} for r in body["removed"])
    assert with_junk > 0


def test_article_listing_pages(api_client: TestClient) -> None:
    first = _json(api_client, "/api/articles?limit=10")
    assert len(first["articles"]) == 10
    assert first["next_offset"] == 10
    second = _json(api_client, "/api/articles?limit=10&offset=10")
    assert {a["id"] for a in first["articles"]}.isdisjoint(a["id"] for a in second["articles"])


def test_missing_article_is_404(api_client: TestClient) -> None:
    assert _is_error(_json(api_client, "/api/articles/nope", 404), "OR404")


def test_stats(api_client: TestClient) -> None:
    body = _json(api_client, "/api/stats")
    assert body["articles"] == 30
    assert body["quotes"] > 100
    assert body["speakers"] == len(_json(api_client, "/api/actors")["actors"])
    assert body["speaker_aliases"] >= 0
    assert body["outlets"] > 0
    assert body["positions_available"] is False


def test_unknown_route_and_method_use_the_error_shape(api_client: TestClient) -> None:
    assert _is_error(_json(api_client, "/api/nothing-here", 404), "OR404")
    response = api_client.delete("/api/stats")
    assert response.status_code == 405
    assert _is_error(response.json(), "OR405")


def test_openapi_lists_every_endpoint(api_client: TestClient) -> None:
    paths = set(_json(api_client, "/openapi.json")["paths"])
    assert paths >= {
        "/api/search",
        "/api/quotes/{quote_id}",
        "/api/actors",
        "/api/actors/{slug}",
        "/api/actors/{slug}/positions",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/issues",
        "/api/positions",
        "/api/shifts",
        "/api/stats",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/quotations",
        "/api/quotations/{quotation_id}",
    }


def test_docs_load_nothing_from_other_hosts(api_client: TestClient) -> None:
    response = api_client.get("/docs")
    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in response.text
    assert "http://" not in response.text
    assert "https://" not in response.text
    assert "//cdn" not in response.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"):
        assert api_client.get(f"/assets/swagger/{asset}").status_code == 200
