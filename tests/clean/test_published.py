"""Published dates from every source, chosen by agreement, with the source and flags kept."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from onrecord.clean import clean_document
from onrecord.clean._published import DateEvidence, choose_published, is_utc_stamp
from onrecord.ingest import read_inputs
from onrecord.models import Article, RawDocument

BODY = (
    "<p>The river authority opened the new flood gates on the east bank after three years of "
    "building work, its engineers said at a ceremony attended by the mayor and residents.</p>"
    "<p>The gates can hold back a surge two metres higher than the one that flooded the old "
    "town a decade ago, and they close in under ten minutes.</p>"
)


def page(head: str = "", body_top: str = "", url: str | None = None) -> Article:
    html = (
        f"<html><head><title>Flood gates open</title>{head}</head><body><article>"
        f"<h1>Flood gates open</h1>{body_top}{BODY}</article></body></html>"
    )
    return clean_document(RawDocument("page.html", html, "html", {"url": url} if url else {}))


def json_ld(**values: str) -> str:
    pairs = ", ".join(f'"{key}": "{value}"' for key, value in values.items())
    return f'<script type="application/ld+json">{{"@type": "NewsArticle", {pairs}}}</script>'


@pytest.mark.parametrize(
    ("head", "body_top", "url", "expected", "source"),
    [
        (json_ld(datePublished="2024-05-06T21:30:00-04:00"), "", None, date(2024, 5, 6), "json-ld"),
        (
            '<meta property="article:published_time" content="2024-05-07T09:00:00+02:00">',
            "",
            None,
            date(2024, 5, 7),
            "meta",
        ),
        (
            "",
            '<time datetime="2024-05-08T10:00:00+01:00">8 May</time>',
            None,
            date(2024, 5, 8),
            "time",
        ),
        ("", "", "https://riverpost.example/2024/05/09/flood-gates", date(2024, 5, 9), "url"),
    ],
)
def test_each_html_source_gives_the_date_and_names_itself(
    head: str, body_top: str, url: str | None, expected: date, source: str
) -> None:
    article = page(head, body_top, url)
    assert (article.published, article.published_source) == (expected, source)
    assert not {"date_conflict", "date_implausible"} & set(article.flags)


def test_local_date_is_kept_never_moved_to_utc() -> None:
    # 21:30 in New York is 01:30 the next day in UTC; the publisher's day is the 6th.
    article = page(
        json_ld(datePublished="2024-05-06T21:30:00-04:00")
        + '<meta property="article:published_time" content="2024-05-07T01:30:00Z">'
    )
    assert article.published == date(2024, 5, 6)
    assert article.published_source == "json-ld"
    assert "date_conflict" not in article.flags


def test_agreement_beats_a_single_far_source_and_flags_the_conflict() -> None:
    article = page(
        '<meta property="article:published_time" content="2017-01-01">',
        '<time datetime="2019-03-04">4 March 2019</time>',
        "https://riverpost.example/2019/03/04/flood-gates",
    )
    assert article.published == date(2019, 3, 4)
    assert article.published_source == "url"
    assert "date_conflict" in article.flags


def test_implausible_dates_are_set_aside_and_flagged() -> None:
    article = page(
        '<meta property="article:published_time" content="1970-01-01T00:00:00Z">',
        url="https://riverpost.example/2024/05/09/flood-gates",
    )
    assert article.published == date(2024, 5, 9)
    assert "date_implausible" in article.flags


def test_a_date_after_the_crawl_is_implausible() -> None:
    text = "Gates open\nThe gates opened on Monday, officials said."
    raw = RawDocument(
        "a.json", text, "text", {"url": "https://x.example/2031/01/02/a", "crawled": "2030-06-01"}
    )
    article = clean_document(raw)
    assert article.published is None or article.published <= date(2030, 6, 1)
    assert "date_implausible" in article.flags


@pytest.mark.parametrize(
    ("published", "is_implausible"),
    [("2026-03-02", False), ("2026-03-03", False), ("2026-03-04", True), ("2027-01-09", True)],
)
def test_a_date_after_the_file_was_written_is_implausible(
    tmp_path: Path, published: str, is_implausible: bool
) -> None:
    path = tmp_path / "saved.txt"
    path.write_text(
        f"date {published} https://x.example/gates\nGates open\nThe gates opened, she said.\n",
        encoding="utf-8",
    )
    written = datetime(2026, 3, 2, 23, 30, tzinfo=UTC).timestamp()
    os.utime(path, (written, written))
    (raw,) = read_inputs([str(path)])
    assert isinstance(raw, RawDocument)
    article = clean_document(raw)
    # One day is allowed for a publisher's clock ahead of UTC.
    assert ("date_implausible" in article.flags) is is_implausible
    assert (article.published is None) is is_implausible


GATES = "Gates open\n"
SAID = "The gates opened, officials said."


@pytest.mark.parametrize(
    ("text", "expected", "source"),
    [
        (f"date 2025-03-03\n{GATES}{SAID}", date(2025, 3, 3), "header"),
        (f"{GATES}LONDON, March 4, 2025 (Wire) - {SAID}", date(2025, 3, 4), "dateline"),
        (f"{GATES}Published 5 March 2025\n{SAID}", date(2025, 3, 5), "timestamp"),
        (f"{GATES}On 2 March 2025 the gates opened, officials said.", date(2025, 3, 2), "text"),
    ],
)
def test_text_sources(text: str, expected: date, source: str) -> None:
    article = clean_document(RawDocument("a.txt", text, "text"))
    assert (article.published, article.published_source) == (expected, source)


def test_a_field_wins_outright() -> None:
    raw = RawDocument(
        "a.jsonl:1",
        "Gates open\nThe gates opened, officials said.",
        "text",
        {"published": "2025-01-02", "url": "https://x.example/2025/02/03/a"},
    )
    article = clean_document(raw)
    assert (article.published, article.published_source) == (date(2025, 1, 2), "field")


UTC_STAMPS = ("2024-05-07T01:30:00Z", "2024-05-07T01:30:00+00:00", "Tue, 07 May 2024 01:30 GMT")
LOCAL_STAMPS = ("2024-05-06T21:30:00-04:00", "2024-05-06")


@pytest.mark.parametrize(
    ("value", "is_utc"),
    [*((value, True) for value in UTC_STAMPS), *((value, False) for value in LOCAL_STAMPS)],
)
def test_utc_stamps_are_recognised(value: str, is_utc: bool) -> None:
    assert is_utc_stamp(value) is is_utc


def test_no_evidence_gives_no_date() -> None:
    choice = choose_published([])
    assert (choice.value, choice.source, choice.flags) == (None, None, ())


def test_ties_go_to_the_stronger_source() -> None:
    choice = choose_published(
        [DateEvidence("htmldate", date(2024, 1, 1)), DateEvidence("meta", date(2024, 2, 1))]
    )
    assert (choice.value, choice.source) == (date(2024, 2, 1), "meta")


def html_page(paragraphs: list[str]) -> RawDocument:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    html = (
        "<html><head><title>Harbour plan</title></head><body><article><h1>Harbour plan</h1>"
        f"{body}</article></body></html>"
    )
    return RawDocument("page.html", html, "html")


def test_html_body_is_never_cut_below_the_extractors() -> None:
    # Lines after "More on this story" read like teasers to the line rules (no final stop),
    # yet trafilatura kept them as the article: its body wins.
    rest = [
        f"Harbour user number {i} said the plan had been drawn up without asking the families "
        "who fish there"
        for i in range(6)
    ]
    first = "The council met on Tuesday to debate the harbour plan, which adds two berths."
    article = clean_document(html_page([first, "More on this story", *rest]))
    for line in rest:
        assert line in article.text
    assert article.title == "Harbour plan"
    assert article.blocks[0].kind == "title"


@pytest.mark.parametrize(
    ("paragraphs", "flag"),
    [
        (["Read the full story in our app."], "tiny_body"),
        ([], "empty_body"),
    ],
)
def test_little_or_no_body_is_flagged(paragraphs: list[str], flag: str) -> None:
    article = clean_document(html_page(paragraphs))
    assert flag in article.flags
