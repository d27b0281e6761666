"""The plain-text quote table."""

from __future__ import annotations

from onrecord.export import format_table
from onrecord.models import Article, ExtractedArticle


def test_table_lists_each_quote(item: ExtractedArticle) -> None:
    table = format_table([item])
    lines = table.splitlines()
    assert lines[0] == f"== {item.article.title}"
    assert [cell.strip() for cell in lines[1].split("|")] == ["speaker", "kind", "quote", "via"]
    assert set(lines[2]) <= {"-", "+"}
    rows = [[cell.strip() for cell in line.split("|")] for line in lines[3:]]
    assert rows == [
        ["Ana Kroll", "direct", "Taxes will rise, and that is final.", ""],
        [
            "The Ministry",
            "indirect",
            "the bridge, long closed, will reopen",
            "Reuters > Daily Ledger",
        ],
        ["?", "direct", "no", ""],
    ]
    assert len({line.index("|") for line in lines[1:2] + lines[3:]}) == 1


def test_long_quotes_are_shortened(undated_item: ExtractedArticle) -> None:
    text = "Vera Lind said " + "very " * 40 + "long."
    quote_text = text[len("Vera Lind said ") :]
    original = undated_item.quotes[0]
    quote = type(original)(
        text=quote_text,
        start=len("Vera Lind said "),
        end=len(text),
        kind="direct",
        cue="said",
        confidence=1.0,
        speaker=original.speaker,
    )
    item = ExtractedArticle(article=Article(id="l", source="long.txt", text=text), quotes=(quote,))
    table = format_table([item])
    assert table.splitlines()[0] == "== long.txt"
    row = table.splitlines()[3]
    cell = row.split("|")[2].strip()
    assert cell.endswith("…")
    assert len(cell) <= 60
    assert quote_text.startswith(cell[:-1])


def test_article_without_quotes_and_empty_input() -> None:
    empty = ExtractedArticle(article=Article(id="e", source="e.txt", text="Nothing here."))
    assert format_table([empty]) == "== e.txt\n(no quotes)\n"
    assert format_table([]) == ""


def test_articles_are_separated(item: ExtractedArticle, undated_item: ExtractedArticle) -> None:
    table = format_table([item, undated_item])
    assert "\n\n== <stdin>\n" in table
    assert "Otto Brand" in table
