"""Read endpoints over the demo store: search, quotes, actors, articles, stats, docs."""

from __future__ import annotations

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
        ("speaker=Kroll", lambda r: r["speaker"]["name"] == "Ana Kroll"),
        ("kind=direct", lambda r: r["kind"] == "direct"),
        ("outlet=tidewire.example", lambda r: r["article"]["outlet"] == "tidewire.example"),
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


def test_raw_fts_syntax(api_client: TestClient) -> None:
    body = _json(api_client, "/api/search?raw=true&q=guarantees%20OR%20monitors")
    assert body["total"] > _json(api_client, "/api/search?q=guarantees")["total"]


@pytest.mark.parametrize("bad", ['"', "AND", "monitors NEAR(", "(((", "col:*", '"a" OR'])
def test_malformed_raw_fts_is_400(api_client: TestClient, bad: str) -> None:
    response = api_client.get("/api/search", params={"q": bad, "raw": "true"})
    assert response.status_code == 400
    assert _is_error(response.json(), "OR204")


def test_unknown_kind_is_400(api_client: TestClient) -> None:
    assert _is_error(_json(api_client, "/api/search?kind=shouted", 400), "OR204")


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
    assert body["occurrences"][0]["quote_id"] == first["id"]
    assert body["first_source"] == body["occurrences"][0]
    assert body["first_source"]["article"]["id"] == first["article"]["id"]
    assert body["story_id"] is None


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


@pytest.mark.parametrize("name", ["ana-kroll", "Kroll", "Ana%20Kroll"])
def test_actor_everything_said_by_date(api_client: TestClient, name: str) -> None:
    body = _json(api_client, f"/api/actors/{name}")
    assert body["actor"]["name"] == "Ana Kroll"
    quotes = body["quotes"]
    assert len(quotes) == body["actor"]["quote_count"] > 20
    dates = [q["article"]["published"] for q in quotes if q["article"]["published"]]
    assert dates == sorted(dates)
    assert all(q["speaker"]["name"] == "Ana Kroll" for q in quotes)


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


def test_stories_are_not_there_yet(api_client: TestClient) -> None:
    assert _is_error(_json(api_client, "/api/stories/any", 404), "OR404")


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
        "/api/stories/{story_id}",
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
