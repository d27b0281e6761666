"""Quotation-mark pairing over raw text."""

from __future__ import annotations

import pytest

from onrecord.extract._quotes import find_quotes, inside_mask


def _top(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text) if q.depth == 0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "we will win" today.', ['"we will win"']),
        ("He said “we will win” today.", ["“we will win”"]),
        ("Elle a dit «nous gagnerons» hier.", ["«nous gagnerons»"]),
        ("He called it ‘a disaster’ on air.", ["‘a disaster’"]),
        ("Voters call him 'the builder' often.", ["'the builder'"]),
        ("“One,” she said. “Two.”", ["“One,”", "“Two.”"]),
    ],
)
def test_quote_styles(text: str, expected: list[str]) -> None:
    assert _top(text) == expected


def test_apostrophes_are_not_quotes() -> None:
    text = "O’Hara’s plan and the farmers’ union didn't say it's over."
    assert _top(text) == []


def test_nested_single_quotes_inside_double() -> None:
    text = "“They told us ‘never again’ and left,” Dunmore said."
    spans = find_quotes(text)
    top = [text[q.start : q.end] for q in spans if q.depth == 0]
    inner = [text[q.start : q.end] for q in spans if q.depth == 1]
    assert top == ["“They told us ‘never again’ and left,”"]
    assert inner == ["‘never again’"]


def test_quote_spanning_paragraphs() -> None:
    text = "Ansel Prow said:\n\n“The first part.\n\n“The second part.\n\n“The end.”\n\nAfter."
    assert _top(text) == ["“The first part.\n\n“The second part.\n\n“The end.”"]


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = 'She said "this never closes.\n\nA new paragraph.'
    spans = find_quotes(text)
    assert [text[q.start : q.end] for q in spans] == ['"this never closes.']
    assert not spans[0].is_closed
    mask = inside_mask(text, spans)
    assert mask[text.index("new")] == 0


@pytest.mark.parametrize("text", ['"', "“", "”", "'", "«»", '""""', "“a\n\n“b", "‘", "a ’ b ‘ c"])
def test_stray_marks_do_not_fail(text: str) -> None:
    for q in find_quotes(text):
        assert 0 <= q.start < q.end <= len(text)
