"""HTML input: trafilatura body, meta-tag metadata, junk cleaning on top."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from onrecord.clean import clean_document
from onrecord.errors import IngestError
from onrecord.models import Article, RawDocument

PAGE = Path(__file__).parent.parent / "fixtures" / "html" / "harbour_strike.html"
TITLE = "Dock workers vote to extend strike as talks stall"
URL = "https://www.harbourledger.com/world/2025/04/11/dock-workers-extend-strike"


def clean_html(html: str, *, is_cleaning: bool = True, **fields: str) -> Article:
    raw = RawDocument(source="page.html", content=html, media_type="html", fields=dict(fields))
    return clean_document(raw, is_cleaning=is_cleaning)


@pytest.fixture(scope="module")
def article() -> Article:
    return clean_html(PAGE.read_text(encoding="utf-8"))


def test_metadata_from_meta_tags(article: Article) -> None:
    assert article.title == TITLE
    assert article.url == URL
    assert article.published == date(2025, 4, 11)
    assert article.published_inferred is False
    assert article.updated == date(2025, 4, 12)
    assert article.authors == ("Mara Velin", "Tomas Orrin")
    assert article.outlet == "The Harbour Ledger"
    assert article.language == "en"


def test_body_is_the_article_only(article: Article) -> None:
    text = article.text
    assert text.startswith(TITLE + "\n")
    assert "Dock workers at the port of Calder voted on Thursday" in text
    assert '"Our members are not going back until the safety rota is fixed."' in text
    assert "urged both sides to return to mediation." in text
    for junk in (
        "Subscribe",
        "Related stories",
        "Esk Bay unveils",
        "All rights reserved",
        "Privacy",
    ):
        assert junk not in text
    assert "Lena Stroud" not in text


def test_body_matches_the_expected_text(article: Article) -> None:
    expected = PAGE.with_suffix(".expected.txt").read_text(encoding="utf-8").splitlines()
    assert article.text.splitlines() == expected


def test_blocks(article: Article) -> None:
    kinds = [(block.kind, article.text[block.start : block.end]) for block in article.blocks]
    assert kinds[0] == ("title", TITLE)
    assert ("subhead", "Shipping lines reroute") in kinds
    assert sum(kind == "paragraph" for kind, _ in kinds) == 5


def test_uncleaned_html_keeps_the_extraction() -> None:
    article = clean_html(PAGE.read_text(encoding="utf-8"), is_cleaning=False)
    assert article.removed == ()
    assert article.text.startswith(TITLE + "\n")
    assert article.url == URL
    for block in article.blocks:
        assert article.text[block.start : block.end].strip()


MINIMAL = """<html><head><title>Harbour strike ends</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Harbour strike ends</h1>
<p>Dock workers in Calder returned to work on Monday after accepting a new pay offer from the
port authority, ending a strike that lasted three weeks.</p>
<p>Advertisement</p>
<p>"It is not everything we asked for, but it is a fair deal," union chair Ines Marrow said on
May 2, 2025, outside the port gates.</p>
<p>Union officials said members had voted by a large majority to accept the deal after a
meeting that lasted most of the weekend.</p>
</article></body></html>"""


def test_minimal_page_infers_date_and_drops_advert() -> None:
    article = clean_html(MINIMAL, url="https://www.reuters.com/world/harbour-strike-ends")
    assert article.title == "Harbour strike ends"
    assert "Advertisement" not in article.text
    assert "fair deal" in article.text
    assert article.outlet == "Reuters"
    assert article.published == date(2025, 5, 2)
    assert article.published_inferred is True


@pytest.mark.parametrize(
    "html", ["", "<html><body></body></html>", "<html><body><nav>Home</nav></body></html>"]
)
def test_empty_pages_raise(html: str) -> None:
    with pytest.raises(IngestError):
        clean_html(html)
