"""Pages checked in-process with CSS selectors: search, article, actor, quotation, stories."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from onrecord.web._render import SpanMark, highlight, safe_url, segments


def _soup(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return BeautifulSoup(response.text, "html.parser")


def _text(node: Any) -> str:
    assert node is not None
    return str(node.get_text(" ", strip=True))


def test_pages_are_responsive_and_self_contained(web_client: TestClient) -> None:
    for url in ("/", "/?q=guarantees", "/actors", "/actors/ana-kroll", "/stories"):
        response = web_client.get(url)
        soup = BeautifulSoup(response.text, "html.parser")
        viewport = soup.select_one('meta[name="viewport"]')
        assert viewport is not None
        assert "width=device-width" in str(viewport["content"])
        assert "default-src 'self'" in response.headers["content-security-policy"]
        for tag in soup.select("script[src], link[href], img[src]"):
            ref = str(tag.get("src") or tag.get("href"))
            assert ref.startswith("/"), ref
    css = web_client.get("/static/style.css")
    assert css.status_code == 200
    assert "@media" in css.text


def test_search_highlights_matches(web_client: TestClient) -> None:
    soup = _soup(web_client, "/?q=guarantees")
    hits = soup.select("ol.hits li.hit")
    assert hits
    marks = soup.select("li.hit blockquote.snippet mark")
    assert marks
    assert all(m.get_text().lower().startswith("guarantee") for m in marks)
    assert "[" not in _text(hits[0].select_one("blockquote"))
    summary = _text(soup.select_one("p.summary"))
    assert f"{len(hits)} statement" in summary


def test_search_facets_link_to_filtered_searches(web_client: TestClient) -> None:
    soup = _soup(web_client, "/?q=guarantees")
    speakers = soup.select('section.facet[data-facet="speaker"] li a')
    assert speakers
    first = speakers[0]
    name = first.get_text(strip=True)
    filtered = _soup(web_client, str(first["href"]))
    names = {_text(a) for a in filtered.select("li.hit a.speaker")}
    assert names == {name}
    active = filtered.select_one('section.facet[data-facet="speaker"] li.active a')
    assert active is not None
    assert active.get_text(strip=True) == name
    for facet in ("outlet", "kind"):
        assert soup.select(f'section.facet[data-facet="{facet}"] li')


def test_search_filters_and_pages(web_client: TestClient) -> None:
    soup = _soup(web_client, "/?kind=direct&since=2026-06-01")
    badges = {_text(b) for b in soup.select("li.hit .meta .badge")}
    assert badges == {"direct"}
    dates = [_text(t) for t in soup.select("li.hit .source time")]
    assert all(d >= "2026-06-01" for d in dates)
    first = _soup(web_client, "/")
    more = first.select_one('nav.pager a[rel="next"]')
    assert more is not None
    second = _soup(web_client, str(more["href"]))
    ids = {li["data-quote-id"] for li in first.select("li.hit")}
    assert ids.isdisjoint(li["data-quote-id"] for li in second.select("li.hit"))
    assert second.select_one('nav.pager a[rel="prev"]') is not None


def test_search_reports_bad_filters_instead_of_failing(web_client: TestClient) -> None:
    soup = _soup(web_client, "/?since=soon&kind=shouted&q=%22NEAR(", status=422)
    problems = [_text(p) for p in soup.select("p.problem")]
    assert len(problems) == 1
    assert "'since' must be a date" in problems[0]
    assert "'kind' must be one of" in problems[0]
    assert soup.select_one("form.search input[name=q]") is not None


def test_article_highlights_statements_by_speaker(web_client: TestClient) -> None:
    kroll = web_client.get("/api/actors/ana-kroll").json()
    article_id = kroll["quotes"][0]["article"]["id"]
    data = web_client.get(f"/api/articles/{article_id}").json()
    soup = _soup(web_client, f"/articles/{article_id}")
    assert _text(soup.select_one("h1")) == data["title"]
    body = soup.select_one("div.article-text")
    assert body is not None
    assert body.get_text() == data["text"]
    marks = body.select("mark.stmt")
    quote_ids = {str(s["quote_id"]) for s in data["statements"]}
    assert {str(m["data-quote-id"]) for m in marks} == quote_ids
    legend = [_text(li) for li in soup.select("ul.legend li")]
    speakers = {s["speaker"]["name"] for s in data["statements"]}
    assert set(legend) == {n or "unnamed source" for n in speakers}
    assert "Ana Kroll" in legend
    kroll_marks = [m for m in marks if str(m["title"]).startswith("Ana Kroll")]
    assert kroll_marks
    assert len({c for m in kroll_marks for c in m["class"] if c.startswith("sp-")}) == 1
    assert len(soup.select("section.statements li.statement")) == len(data["statements"])


def test_article_junk_is_collapsed(web_client: TestClient) -> None:
    articles = web_client.get("/api/articles?limit=500").json()["articles"]
    for ref in articles:
        data = web_client.get(f"/api/articles/{ref['id']}").json()
        if data["removed"]:
            break
    else:
        pytest.fail("the demo corpus has articles with removed junk")
    soup = _soup(web_client, f"/articles/{ref['id']}")
    details = soup.select_one("details.removed")
    assert details is not None
    assert not details.has_attr("open")
    items = details.select("li")
    assert len(items) == len(data["removed"])
    assert data["removed"][0]["text"] in _text(items[0])


def test_actor_page_plots_every_dated_statement(web_client: TestClient) -> None:
    data = web_client.get("/api/actors/ana-kroll").json()
    soup = _soup(web_client, "/actors/ana-kroll")
    assert _text(soup.select_one("h1")) == "Ana Kroll"
    (svg,) = soup.select("svg.timeline")
    dated = [q for q in data["quotes"] if q["article"]["published"]]
    points = svg.select("circle.point")
    assert len(points) == len(dated)
    links = {str(link["href"]) for link in svg.select("a.point-link")}
    assert links == {f"/quotes/{q['id']}" for q in dated}
    assert len(soup.select("ol.hits li.hit")) == len(data["quotes"])


def test_actor_page_plots_stances_per_issue_with_shifts(positions_web_client: TestClient) -> None:
    positions = positions_web_client.get("/api/actors/ana-kroll/positions").json()["positions"]
    shifts = positions_web_client.get("/api/shifts?actor=Ana%20Kroll").json()["shifts"]
    soup = _soup(positions_web_client, "/actors/ana-kroll")
    figure = soup.select_one("figure.timeline-figure")
    assert figure is not None
    assert _text(figure.select_one("figcaption")) == "Foreign monitors at the dam"
    points = figure.select("circle.point")
    assert len(points) == len([p for p in positions if p["published"]])
    levels = {c for p in points for c in p["class"] if c.startswith("level-")}
    assert levels <= {"level-supports", "level-conditional", "level-neutral", "level-opposes"}
    assert shifts
    assert len(figure.select("line.shift-line")) == len({s["after"]["published"] for s in shifts})
    assert len(figure.select("circle.point.shift")) >= 1
    assert len(soup.select("ul.shifts li.shift")) == len(shifts)


def test_actors_list(web_client: TestClient) -> None:
    soup = _soup(web_client, "/actors")
    rows = soup.select("table.actors tr.actor-row")
    assert len(rows) == len(web_client.get("/api/actors").json()["actors"])
    link = rows[0].select_one("a")
    assert link is not None
    assert link["href"] == "/actors/ana-kroll"


def test_quotation_page(web_client: TestClient) -> None:
    hits = web_client.get("/api/search?limit=200").json()["results"]
    relayed = next(h for h in hits if h["via"])
    data = web_client.get(f"/api/quotes/{relayed['id']}").json()
    soup = _soup(web_client, f"/quotes/{relayed['id']}")
    assert _text(soup.select_one("blockquote.quote-text")) == " ".join(relayed["text"].split())
    rows = soup.select("table.occurrences tr.occurrence")
    assert len(rows) == len(data["occurrences"])
    current = soup.select("table.occurrences tr.occurrence.current")
    assert len(current) == 1
    speaker = soup.select_one("p.meta a.speaker")
    assert speaker is not None
    assert speaker["href"] == f"/actors/{relayed['speaker']['slug']}"


def test_relayed_quotation_page_shows_first_source_and_chain(web_client: TestClient) -> None:
    hit = web_client.get("/api/search?q=nobody%20stand%20key&limit=1").json()["results"][0]
    data = web_client.get(f"/api/quotes/{hit['id']}").json()
    soup = _soup(web_client, f"/quotes/{hit['id']}")
    assert "Corvel Courier" in _text(soup.select_one("p.first-source"))
    edges = soup.select("ol.relay li.edge")
    assert len(edges) == len(data["origin"]["edges"])
    assert _text(edges[0].select_one(".from")) == "Ana Kroll"
    assert _text(edges[0].select_one(".to")) == "Corvel Courier"
    assert len(soup.select("table.occurrences tr.occurrence")) >= 4
    assert soup.select_one("details.variants") is not None
    story = soup.select_one("a.story-link")
    assert story is not None
    assert story["href"] == f"/stories/{data['story_id']}"
    redirect = web_client.get(f"/quotations/{data['quotation_id']}", follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"] == f"/quotes/{data['origin']['first']['quote_id']}"


def test_stories_pages(web_client: TestClient) -> None:
    stories = web_client.get("/api/stories").json()["stories"]
    soup = _soup(web_client, "/stories")
    rows = soup.select("table.stories tr.story-row")
    assert len(rows) == len(stories)
    assert soup.select("ol.quotations li.quotation-row")
    story = web_client.get(f"/api/stories/{stories[0]['id']}").json()
    page = _soup(web_client, f"/stories/{stories[0]['id']}")
    assert _text(page.select_one("h1")) == story["summary"]["first_title"]
    articles = page.select("table.story-articles tr.story-article")
    assert len(articles) == len(story["articles"])
    assert "relation-first" in articles[0]["class"]
    article = _soup(web_client, f"/articles/{story['articles'][0]['id']}")
    link = article.select_one("a.story-link")
    assert link is not None
    assert link["href"] == f"/stories/{stories[0]['id']}"


def test_not_found_pages_are_html(web_client: TestClient) -> None:
    for url in (
        "/articles/nope",
        "/quotes/999999",
        "/actors/nobody-at-all",
        "/stories/999999",
        "/quotations/999999",
    ):
        soup = _soup(web_client, url, 404)
        assert "OR404" in _text(soup.select_one("h1.error-title"))


PAYLOAD_MARKERS = ("<script", "onerror=", "javascript:")


def _assert_inert(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select("script") == []
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), (tag.name, name)
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert "javascript:" not in text.lower(), (tag.name, name, text)


def test_script_payloads_are_escaped_everywhere(hostile_client: TestClient) -> None:
    from tests.api._demo import HOSTILE_NAME, HOSTILE_QUOTE, HOSTILE_TITLE

    hit = hostile_client.get("/api/search", params={"q": "sign never"}).json()["results"][0]
    slug = hit["speaker"]["slug"]
    pages = [
        f"/articles/{hit['article']['id']}",
        f"/quotes/{hit['id']}",
        f"/actors/{slug}",
        "/?q=sign+never",
        "/?q=%3Cscript%3E&speaker=%3Cscript%3E",
        "/actors",
    ]
    for url in pages:
        response = hostile_client.get(url)
        assert response.status_code == 200, url
        _assert_inert(response.text)
    article = BeautifulSoup(hostile_client.get(pages[0]).text, "html.parser")
    assert _text(article.select_one("h1")) == HOSTILE_TITLE
    assert HOSTILE_QUOTE in str(article.select_one("div.article-text").get_text())  # type: ignore[union-attr]
    assert article.select_one("a.original") is None
    legend = article.select_one("ul.legend")
    assert legend is not None
    assert HOSTILE_NAME in legend.get_text()
    search = BeautifulSoup(hostile_client.get(pages[3]).text, "html.parser")
    assert search.select("li.hit blockquote mark")


@pytest.mark.parametrize(
    ("snippet", "text", "expected"),
    [
        ("a [b] c", "a b c", "a <mark>b</mark> c"),
        ("[x] & [y]", "x & y", "<mark>x</mark> &amp; <mark>y</mark>"),
        ("<[b]>", "<b>", "&lt;<mark>b</mark>&gt;"),
        ("[[a]]", "[a]", "[<mark>a]</mark>"),
        ("no marks", "no marks", "no marks"),
        ("[broken", "something else", "something else"),
        ("[a]]", "a", "a"),
    ],
)
def test_highlight_escapes_then_marks(snippet: str, text: str, expected: str) -> None:
    assert str(highlight(snippet, text)) == expected


def test_segments_cover_text_and_prefer_inner_statements() -> None:
    text = "0123456789"
    outer = SpanMark(1, 9, 0, "A", 1, "indirect")
    inner = SpanMark(3, 5, 1, "B", 2, "direct")
    outside = SpanMark(8, 40, 2, "C", 3, "direct")
    parts = segments(text, [outer, inner, outside])
    assert "".join(p.text for p in parts) == text
    assert [(p.text, p.mark.speaker if p.mark else None) for p in parts] == [
        ("0", None),
        ("12", "A"),
        ("34", "B"),
        ("5678", "A"),
        ("9", None),
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,x", None),
        (None, None),
        ("", None),
    ],
)
def test_safe_url(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_issue_pages(positions_web_client: TestClient, web_client: TestClient) -> None:
    soup = _soup(positions_web_client, "/issues")
    rows = soup.select("table.issues tr.issue-row")
    assert len(rows) == 1
    link = rows[0].select_one("a")
    assert link is not None
    assert link["href"] == "/issues/monitors"
    page = _soup(positions_web_client, "/issues/monitors")
    assert _text(page.select_one("h1")) == "Foreign monitors at the dam"
    positions = positions_web_client.get("/api/positions?issue=monitors").json()["positions"]
    plotted = page.select("svg.timeline circle.point")
    assert len(plotted) == len([p for p in positions if p["published"]])
    captions = [_text(c) for c in page.select("figure figcaption")]
    assert "Ana Kroll" in captions
    api_link = page.select_one("p.exports a.export-api")
    assert api_link is not None
    assert api_link["href"] == "/api/positions?issue=monitors"
    json_link = page.select_one("p.exports a.export-json")
    assert json_link is not None
    exported = positions_web_client.get(str(json_link["href"])).json()["positions"]
    assert [p["quote_id"] for p in exported] == [p["quote_id"] for p in positions]
    csv_link = page.select_one("p.exports a.export-csv")
    assert csv_link is not None
    csv = positions_web_client.get(str(csv_link["href"]))
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("actor,")
    _soup(positions_web_client, "/issues/none", 404)
    assert _soup(web_client, "/issues").select_one("p.placeholder") is not None
    _soup(web_client, "/issues/monitors", 404)


@given(st.text(max_size=80), st.data())
def test_highlight_output_is_the_escaped_text_plus_marks(text: str, data: st.DataObject) -> None:
    cut = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=4)))
    if len(cut) % 2:
        cut = cut[:-1]
    snippet, last = "", 0
    for n, position in enumerate(cut):
        snippet += text[last:position] + ("[" if n % 2 == 0 else "]")
        last = position
    snippet += text[last:]
    html = str(highlight(snippet, text))
    assert html.replace("<mark>", "").replace("</mark>", "") == str(escape(text))
    assert html.count("<mark>") == html.count("</mark>")
