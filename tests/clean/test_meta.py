"""Metadata: header line, dates and inference, outlet, authors, language, id."""

from __future__ import annotations

from datetime import date

import pytest
from clean_support import clean_text, reasons

from onrecord.clean import clean_document
from onrecord.clean._dates import find_dates, latest_date, parse_date, url_date
from onrecord.clean._meta import outlet_from_url
from onrecord.errors import IngestError
from onrecord.models import RawDocument

TITLE = "Ministers agree new fishing quotas after all-night talks"
BODY = (
    "Fisheries ministers agreed new catch limits early on Tuesday after talks that lasted "
    "through the night, officials said."
)


@pytest.mark.parametrize(
    ("header", "published", "url"),
    [
        ("date 2025-03-02 https://x.org/a", date(2025, 3, 2), "https://x.org/a"),
        (" date 2025-03-02 https://x.org/a", date(2025, 3, 2), "https://x.org/a"),
        ("\tdate 2025-03-02", date(2025, 3, 2), None),
        ("date https://x.org/a", None, "https://x.org/a"),
        ("date 2025-3-2 https://x.org/a  ", date(2025, 3, 2), "https://x.org/a"),
        ("Date 2025-03-02 https://x.org/a", date(2025, 3, 2), "https://x.org/a"),
    ],
)
def test_header_variants(header: str, published: date | None, url: str | None) -> None:
    article = clean_text(f"{header}\n{TITLE}\n{BODY}\n")
    assert article.text.startswith(TITLE)
    assert article.title == TITLE
    assert article.url == url
    assert article.published == published
    assert article.published_inferred is False or published is None
    assert reasons(article)[header.strip()] == "header"


@pytest.mark.parametrize(
    "first_line",
    [
        "dates are set for new talks",
        "date night ruined by storm",
        "date night",
        "Watch: PM resigns",
        "Share prices fall",
        "By the numbers: inflation in 2025",
        "Updated: Minister resigns",
        "Register of voters opens",
        "Sign up deadline looms for farmers",
        "Trump Slams AP",
        "Either/or choices for voters",
        "Like us, Europe hesitates",
    ],
)
def test_lines_that_are_not_headers_stay(first_line: str) -> None:
    article = clean_text(f"{first_line}\n{BODY}\n")
    assert article.title == first_line
    assert not any(item.reason == "header" for item in article.removed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:35 GMT 19.12.2025", [date(2025, 12, 19)]),
        ("on March 3, 2025 and 4 April 2024", [date(2025, 3, 3), date(2024, 4, 4)]),
        ("Sept. 5th, 2024", [date(2024, 9, 5)]),
        ("2025-03-03T10:02:00Z", [date(2025, 3, 3)]),
        ("12/25/2024 or 25/12/2024", [date(2024, 12, 25), date(2024, 12, 25)]),
        ("the 3rd of March 2025", [date(2025, 3, 3)]),
        ("year 1850-01-01 and 2150-01-01", []),
        ("February 30, 2025", []),
        ("in March 2025", []),
        ("4.25 percent, 3.1 and 2025", []),
        ("[Freitag, 9. Mai 2025]", [date(2025, 5, 9)]),
        ("publié le 27 juin 2024 à 10h30", [date(2024, 6, 27)]),
        ("Juli 12, 2023 and 3 de marzo", [date(2023, 7, 12)]),
        ("01. December 2017", [date(2017, 12, 1)]),
        ("in Mai 2025 and March 3. 2025", []),
    ],
)
def test_find_dates(text: str, expected: list[date]) -> None:
    assert [found.value for found in find_dates(text)] == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-03", date(2025, 3, 3)),
        ("Mon, 03 Mar 2025 10:02:00 +0000", date(2025, 3, 3)),
        ("2 hours ago", None),
        ("", None),
        ("yesterday", None),
    ],
)
def test_parse_date(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://sputnikglobe.com/20251219/russia-1123324698.html", date(2025, 12, 19)),
        ("https://x.com/world/2025/03/04/story", date(2025, 3, 4)),
        ("https://x.com/2025-03-04-story", date(2025, 3, 4)),
        ("https://x.com/world/story-1234567", None),
    ],
)
def test_url_date(url: str, expected: date | None) -> None:
    assert url_date(url) == expected


@pytest.mark.parametrize(
    ("lines", "published", "updated", "inferred"),
    [
        (
            ["07:35 GMT 19.12.2025 (Updated: 08:34 GMT 20.12.2025)"],
            date(2025, 12, 19),
            date(2025, 12, 20),
            False,
        ),
        (["Published 3 March 2025, 10:02"], date(2025, 3, 3), None, False),
        (["Last updated: 23:48 GMT, 9 November 2025"], date(2025, 11, 9), date(2025, 11, 9), True),
        (["Updated 2 hours ago"], None, None, False),
    ],
)
def test_dates_from_timestamp_lines(
    lines: list[str], published: date | None, updated: date | None, inferred: bool
) -> None:
    article = clean_text("\n".join([TITLE, *lines, BODY]))
    assert (article.published, article.updated, article.published_inferred) == (
        published,
        updated,
        inferred,
    )


def test_dateline_date_in_body() -> None:
    body = "LONDON, March 3, 2025 (Wire North) - " + BODY
    article = clean_text(f"{TITLE}\n{body}")
    assert article.published == date(2025, 3, 3)
    assert article.published_inferred is False


def test_published_inferred_from_latest_body_date() -> None:
    body = (
        f"{BODY}\nThe previous agreement, signed on 12 January 2024, expired on March 3, 2025, "
        "and a review is due by 2025-01-15, the ministry said."
    )
    article = clean_text(f"{TITLE}\n{body}")
    assert article.published == date(2025, 3, 3)
    assert article.published_inferred is True


def test_no_date_anywhere_gives_none() -> None:
    article = clean_text(f"{TITLE}\n{BODY}")
    assert article.published is None
    assert article.published_inferred is False


def test_field_date_beats_text_dates() -> None:
    article = clean_text(f"{TITLE}\nPublished 3 March 2025\n{BODY}", published="2025-03-01")
    assert article.published == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.reuters.com/world/europe/story", "Reuters"),
        ("https://edition.cnn.com/2025/03/03/politics/x", "CNN"),
        ("https://www.bbc.co.uk/news/world-123", "BBC"),
        ("https://sputnikglobe.com/20251219/x.html", "sputnikglobe.com"),
        ("https://news.harbourledger.com/a", "news.harbourledger.com"),
        ("https://www.harbourledger.com/a", "harbourledger.com"),
        ("not a url", None),
        ("", None),
    ],
)
def test_outlet_from_url(url: str, outlet: str | None) -> None:
    assert outlet_from_url(url) == outlet


@pytest.mark.parametrize(
    ("fields", "body", "outlet"),
    [
        ({"outlet": "Harbour Ledger", "url": "https://www.reuters.com/a"}, BODY, "Harbour Ledger"),
        ({"url": "https://www.reuters.com/a"}, "MOSCOW (Sputnik) - " + BODY, "Reuters"),
        ({}, "MOSCOW (Sputnik) - " + BODY, "Sputnik"),
        ({}, "WASHINGTON, March 3 (Reuters) - " + BODY, "Reuters"),
        ({}, BODY, None),
    ],
)
def test_outlet_cascade(fields: dict[str, str], body: str, outlet: str | None) -> None:
    assert clean_text(f"{TITLE}\n{body}", **fields).outlet == outlet


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Mara Velin", ("Mara Velin",)),
        ("By Mara Velin and Tomas Orrin", ("Mara Velin", "Tomas Orrin")),
        (
            "By Mara Velin, Tomas Orrin and Ana de la Cruz",
            ("Mara Velin", "Tomas Orrin", "Ana de la Cruz"),
        ),
        ("By REBECCA STOLL", ("Rebecca Stoll",)),
        ("By Mara Velin, Reuters", ("Mara Velin",)),
        ("By Mara Velin in Moscow", ("Mara Velin",)),
        ("By Mara Velin | Published March 3, 2025", ("Mara Velin",)),
        ("Written by Tomas Orrin, Senior Correspondent", ("Tomas Orrin",)),
        ("Elena Park Political correspondent", ("Elena Park",)),
        ("Ana de la Cruz, Europe editor", ("Ana de la Cruz",)),
    ],
)
def test_byline_gives_authors(line: str, authors: tuple[str, ...]) -> None:
    article = clean_text(f"{TITLE}\n{line}\n{BODY}")
    assert article.authors == authors
    assert line not in article.text
    assert reasons(article)[line] == "byline"


@pytest.mark.parametrize(
    "line",
    [
        "By Monday, talks had collapsed and both delegations had gone home for the weekend.",
        "By the end of the year, prices had risen",
        "By train and by bus",
    ],
)
def test_by_phrases_that_are_not_bylines_stay(line: str) -> None:
    article = clean_text(f"{TITLE}\n{BODY}\n{line}\n{BODY}")
    assert line in article.text
    assert article.authors == ()


def test_authors_field_beats_byline() -> None:
    article = clean_text(f"{TITLE}\nBy Mara Velin\n{BODY}", authors="Ann Lee; Bo Park")
    assert article.authors == ("Ann Lee", "Bo Park")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (BODY, "en"),
        (
            (
                "Die Fischereiminister einigten sich am Dienstag nach einer langen Nacht auf "
                "neue Fangquoten."
            ),
            "de",
        ),
        (
            (
                "Les ministres de la pêche se sont mis d'accord mardi sur de nouveaux quotas "
                "après une longue nuit."
            ),
            "fr",
        ),
        (
            (
                "Los ministros de pesca acordaron el martes nuevas cuotas tras una larga noche "
                "de negociaciones."
            ),
            "es",
        ),
    ],
)
def test_language(text: str, language: str) -> None:
    assert clean_text(f"{text}\n{text}").language == language


def test_language_field_wins_and_short_text_gives_none() -> None:
    assert clean_text(f"{TITLE}\n{BODY}", language="xx").language == "xx"
    assert clean_text("A b\n1 2 3.").language is None


def test_id_depends_on_text_and_url() -> None:
    first = clean_text(f"{TITLE}\n{BODY}")
    assert first.id == clean_text(f"{TITLE}\n{BODY}").id
    assert len(first.id) == 16
    assert first.id != clean_text(f"{TITLE}\n{BODY}", url="https://x.org/a").id
    assert first.id != clean_text(f"{TITLE}\n{BODY} More.").id


def test_given_title_not_in_text_is_put_first() -> None:
    article = clean_text(BODY, title=TITLE)
    assert article.title == TITLE
    assert article.text.startswith(TITLE + "\n")
    assert article.blocks[0].kind == "title"
    assert BODY in article.text


@pytest.mark.parametrize("text", ["", "   \n\n", "Advertisement\nShare\n", "12:30 GMT\n\n\u200b"])
def test_nothing_usable_raises(text: str) -> None:
    with pytest.raises(IngestError) as caught:
        clean_text(text)
    assert caught.value.item == "test.txt"


def test_json_media_type_is_read() -> None:
    raw = RawDocument(
        "a.json", '{"text": "Title\\nBody text here.", "url": "https://x.org/a"}', "json"
    )
    article = clean_document(raw)
    assert article.url == "https://x.org/a"
    assert article.title == "Title"


def test_latest_date_ignores_out_of_range_years() -> None:
    assert latest_date("from 1 March 1850 to 1 March 2150 and 1 March 2020") == date(2020, 3, 1)


@pytest.mark.parametrize("title", ["Advertisement", "Related stories", "Home | World | Politics"])
def test_line_after_header_is_always_the_title(title: str) -> None:
    article = clean_text(f"date 2025-03-02 https://x.org/a\n{title}\n{BODY}")
    assert article.title == title
    assert article.text.startswith(title + "\n")
    assert article.blocks[0].kind == "title"
