"""Properties of the quote scanner, the header and date readers, and cleaning, on generated
input: no exceptions, spans inside the text, nothing quoted is lost."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from onrecord.clean import clean_document
from onrecord.clean._dates import find_dates, latest_date, make_date, parse_date, url_date
from onrecord.clean._meta import (
    date_from_dateline,
    header_length,
    outlet_from_dateline,
    outlet_from_url,
    read_header,
    split_authors,
)
from onrecord.errors import IngestError
from onrecord.extract._quotes import QUOTE_CHARS, find_quotes, inside_mask
from onrecord.models import RawDocument

MARKS = "\"'“”„«»‘’‚‛＂〝〞"
# Text rich in quotation marks, newlines and the characters the scanner looks around.
QUOTY = st.text(alphabet=st.sampled_from([*MARKS, " ", "\n", "a", "B", ".", ",", "—", "("]))
ANY = st.text(alphabet=st.characters(exclude_categories=["Cs"]))
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)
PLAIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,.;", max_size=40)


def _check_spans(text: str) -> None:
    spans = find_quotes(text)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.depth >= 0
        assert text[span.start] in QUOTE_CHARS
        if span.is_closed:
            assert text[span.end - 1] in QUOTE_CHARS
    # The documented contract: depth-0 spans never overlap. (A nested span is not promised to
    # lie inside its parent: an unclosed single quote opened before a double one is cut at the
    # double one's close, so the two cross.)
    outer = [s for s in spans if s.depth == 0]
    for first, second in itertools.pairwise(outer):
        assert first.end <= second.start
    mask = inside_mask(text, spans)
    assert len(mask) == len(text)


@settings(max_examples=400, deadline=None)
@given(QUOTY)
def test_quote_spans_lie_inside_the_text_and_nest(text: str) -> None:
    _check_spans(text)


@settings(max_examples=200, deadline=None)
@given(ANY)
def test_quote_scanner_never_raises_on_any_text(text: str) -> None:
    _check_spans(text)


@settings(max_examples=300, deadline=None)
@given(
    before=PLAIN,
    after=PLAIN,
    words=st.lists(WORD, min_size=1, max_size=12),
    # Not German „…“: the scanner reads “ as an opening mark, so „a“ is two unclosed quotes.
    marks=st.sampled_from([("“", "”"), ('"', '"'), ("«", "»"), ("„", "”")]),
)
def test_a_well_formed_quotation_is_found_exactly(
    before: str, after: str, words: list[str], marks: tuple[str, str]
) -> None:
    quoted = f"{marks[0]}{' '.join(words)}{marks[1]}"
    text = f"{before} {quoted} {after}"
    start = len(before) + 1
    spans = [(s.start, s.end) for s in find_quotes(text) if s.depth == 0]
    assert (start, start + len(quoted)) in spans


@settings(max_examples=300, deadline=None)
@given(ANY)
def test_header_reader_never_raises_and_splits_exactly(text: str) -> None:
    header, rest = read_header(text)
    if header is None:
        assert rest == text
    else:
        assert text.endswith(rest)
        assert header_length(text) + len(rest) == len(text)
        assert header.line in text


@settings(max_examples=200, deadline=None)
@given(year=st.integers(-5, 5000), month=st.integers(-2, 14), day=st.integers(-2, 40), url=ANY)
@example(year=1900, month=13, day=1, url="")  # once read day-first as 1900-01-13
def test_header_dates_in_the_future_or_nonsense_never_raise(
    year: int, month: int, day: int, url: str
) -> None:
    line = f"date {year:04d}-{month:02d}-{day:02d} https://example.org/{url.strip()[:20]}"
    header, _ = read_header(f"{line}\nBody text.")
    made = make_date(year, month, day)
    if header is not None and header.published is not None:
        assert header.published == made
        assert 1900 <= header.published.year <= 2100


@settings(max_examples=300, deadline=None)
@given(ANY)
def test_date_readers_never_raise_and_spans_lie_inside(text: str) -> None:
    for found in find_dates(text):
        assert 0 <= found.start < found.end <= len(text)
        assert 1900 <= found.value.year <= 2100
    latest = latest_date(text)
    assert latest is None or all(f.value <= latest for f in find_dates(text))
    url_date(text)
    value = parse_date(text[:200])
    assert value is None or 1900 <= value.year <= 2100


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_iso_dates_read_back(value: date) -> None:
    assert parse_date(value.isoformat()) == value
    assert parse_date(f"{value.isoformat()}T10:02:00Z") == value


@settings(max_examples=200, deadline=None)
@given(ANY)
def test_metadata_readers_never_raise(text: str) -> None:
    # Names are non-empty; stray control characters ("\r") may survive as a name.
    assert all(split_authors(text))
    outlet_from_url(text, text)
    outlet_from_url(f"https://{text[:30]}/a")
    outlet_from_dateline(text)
    date_from_dateline(text)


@settings(max_examples=200, deadline=None)
@given(
    intro=st.lists(WORD, min_size=3, max_size=8),
    paragraphs=st.lists(st.lists(WORD, min_size=3, max_size=10), min_size=2, max_size=4),
    mark=st.sampled_from([("“", "”"), ('"', '"')]),
)
def test_a_quotation_running_over_paragraphs_keeps_every_sentence(
    intro: list[str], paragraphs: list[list[str]], mark: tuple[str, str]
) -> None:
    # Continuation style: each paragraph opens with a mark, only the last one closes.
    sentences = [" ".join(words).capitalize() + "." for words in paragraphs]
    assume(len(set(sentences)) == len(sentences))
    lines = [" ".join(intro).capitalize() + ", the minister said on Monday:"]
    lines += [f"{mark[0]}{s}" for s in sentences[:-1]]
    lines.append(f"{mark[0]}{sentences[-1]}{mark[1]}")
    raw = RawDocument(source="generated", content="\n\n".join(lines), media_type="text")
    try:
        article = clean_document(raw)
    except IngestError:
        return
    flat = " ".join(article.text.split())
    for sentence in sentences:
        assert sentence in flat
