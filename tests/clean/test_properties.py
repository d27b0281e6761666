"""Invariants of cleaning, checked on generated text."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from onrecord.clean import clean_document
from onrecord.errors import IngestError
from onrecord.ingest import decode_bytes
from onrecord.lang.en.junk import RELATED_MARKER
from onrecord.models import RawDocument

JUNK_LINES = [
    "Advertisement",
    "Share this article",
    "Facebook Twitter Email",
    "07:35 GMT 19.12.2025 (Updated: 08:34 GMT 19.12.2025)",
    "Published 3 March 2025, 10:02",
    "Photo: Reuters",
    "(Photo by Jane Roe/Agency via Getty Images)",
    "Listen to this article",
    "NEWYou can now listen to Harbour News articles!",
    "By Mara Velin and Tomas Orrin",
    "Sign up for our newsletter",
    "Read more: Port talks collapse",
    "© 2025 Harbour News. All rights reserved.",
    "Home | World | Politics",
    "Esk Bay unveils expansion plan",
    "The port of Esk Bay will add two new berths by…",
    " date 2025-03-02 https://x.org/a",
]
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)
LINE = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\n\r\x85\u2028\u2029"),
    max_size=60,
)


def clean(text: str, *, is_cleaning: bool = True) -> str | None:
    raw = RawDocument(source="generated", content=text, media_type="text")
    try:
        article = clean_document(raw, is_cleaning=is_cleaning)
    except IngestError:
        return None
    for block in article.blocks:
        span = article.text[block.start : block.end]
        assert 0 <= block.start < block.end <= len(article.text)
        assert span == span.strip()
    return article.text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_cleaning_never_raises_on_arbitrary_text(text: str) -> None:
    clean(text)
    result = clean(text, is_cleaning=False)
    assert result is None or result == text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(JUNK_LINES), LINE), max_size=12))
def test_cleaning_never_raises_on_junk_mixtures(lines: list[str]) -> None:
    clean("\n".join(lines))


@settings(max_examples=300, deadline=None)
@given(
    before=st.lists(st.one_of(st.sampled_from(JUNK_LINES), LINE), max_size=8),
    after=st.lists(st.one_of(st.sampled_from(JUNK_LINES), LINE), max_size=8),
    lead=LINE,
    words=st.lists(WORD, min_size=4, max_size=14),
    mark=st.sampled_from([("“", "”"), ('"', '"'), ("«", "»")]),
    end=st.sampled_from([".", "!", "?", ","]),
    tail=st.sampled_from(
        ["", " she said.", " the minister told reporters on Monday.", " (Reuters)"]
    ),
)
def test_a_line_with_a_quoted_sentence_is_never_removed(
    before: list[str],
    after: list[str],
    lead: str,
    words: list[str],
    mark: tuple[str, str],
    end: str,
    tail: str,
) -> None:
    # Only a teaser tail after a "You may also like" marker may drop quoted lines.
    assume(not any(RELATED_MARKER.fullmatch(" ".join(line.split())) for line in before))
    sentence = " ".join(words).capitalize() + end
    line = f"{lead} {mark[0]}{sentence}{mark[1]}{tail}"
    text = clean("\n".join([*before, line, *after]))
    assert text is not None
    assert sentence in " ".join(text.split())


@given(st.binary(max_size=200))
def test_decoding_never_raises(data: bytes) -> None:
    assert isinstance(decode_bytes(data), str)


def test_marker_without_teasers_keeps_the_quoted_line() -> None:
    text = clean("Advertisement\nShare\nRelated\n“We will not move from this port,” she said.")
    assert text is not None
    assert re.search(r"We will not move from this port", text)
