"""Outlet names from the page's own publisher, the news-domain table or the host; clean bylines."""

from __future__ import annotations

import pytest

from onrecord.clean import clean_document
from onrecord.clean._meta import is_section_name, known_outlets, split_authors
from onrecord.models import Article, RawDocument

BODY = (
    "<p>The port authority approved a second container terminal on Thursday after a two-year "
    "review of its effect on the estuary's wildlife, officials said.</p>"
)


def page(head: str, url: str) -> Article:
    html = (
        f"<html><head><title>Port expands</title>{head}</head><body><article><h1>Port expands"
        f"</h1>{BODY}</article></body></html>"
    )
    return clean_document(RawDocument("page.html", html, "html", {"url": url}))


PUBLISHER_LD = (
    '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
    '{"@type": "WebPage", "name": "Port expands"}, {"@type": "NewsArticle", '
    '"datePublished": "2025-04-03", "publisher": {"@type": "Organization", '
    '"name": "Estuary Courier"}, "author": [{"@type": "Person", "name": "Ana Kroll"}]}]}'
    "</script>"
)


@pytest.mark.parametrize(
    ("head", "url", "outlet"),
    [
        # JSON-LD publisher beats og:site_name.
        (
            PUBLISHER_LD + '<meta property="og:site_name" content="Courier Online">',
            "https://courier.example/a",
            "Estuary Courier",
        ),
        (
            '<meta property="og:site_name" content="Courier Online">',
            "https://c.example/a",
            "Courier Online",
        ),
        # A section name is never the outlet: the domain table names it.
        (
            '<meta property="og:site_name" content="U.S.">',
            "https://www.reuters.com/article/x",
            "Reuters",
        ),
        ('<meta property="og:site_name" content="World News">', "https://edition.cnn.com/x", "CNN"),
        # Neither: the host.
        ("", "https://www.harbourwatch.example/2025/a", "harbourwatch.example"),
    ],
)
def test_outlet_cascade(head: str, url: str, outlet: str) -> None:
    assert page(head, url).outlet == outlet


def test_json_ld_author_is_read() -> None:
    assert page(PUBLISHER_LD, "https://courier.example/a").authors == ("Ana Kroll",)


def test_domain_table_is_data_with_a_few_hundred_outlets() -> None:
    table = known_outlets()
    assert len(table) >= 250
    assert table["apnews.com"] == "AP"
    assert all(name and "\t" not in name for name in table.values())


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Carrie Arnold November", ("Carrie Arnold",)),
        ("By Jane Doe and John Smith", ("Jane Doe", "John Smith")),
        ("Ana Kroll, Senior Reporter", ("Ana Kroll",)),
        ("Mary Jones 10:42 am Nov 3, 2025", ("Mary Jones",)),
        ("Lena Ostrova | Tomas Berg; Lena Ostrova", ("Lena Ostrova", "Tomas Berg")),
        ("newsdesk@courier.example", ()),
        ("Staff", ()),
        ("Jean-Luc de la Motte", ("Jean-Luc de la Motte",)),
    ],
)
def test_authors_are_names_only(value: str, names: tuple[str, ...]) -> None:
    assert split_authors(value) == names


@pytest.mark.parametrize(
    ("name", "is_section"),
    [("U.S.", True), ("World News", True), ("Politics", True), ("The Hill", False)],
)
def test_section_names(name: str, is_section: bool) -> None:
    assert is_section_name(name) is is_section
