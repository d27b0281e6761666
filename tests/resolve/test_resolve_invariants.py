"""Invariants of resolve_quotes: spans, ordering, robustness to odd input, linear cost."""

from __future__ import annotations

import time

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from resolve_helpers import Said, attribution
from spacy.language import Language
from spacy.tokens import Doc

from onrecord.models import Article, Attribution, Span
from onrecord.resolve import resolve_quotes

CHUNK = (
    "Port director Elin Maas said on Monday that the cranes were idle.\n"
    "“We lost a week,” she told the Coastal Courier.\n"
    "“Nobody warned us.”\n"
    "Maas added that the Harbour Alliance had been told. Officials said the quay was safe.\n"
)
CHUNK_SAID = (
    Said("the cranes were idle", "Port director Elin Maas", "said"),
    Said("“We lost a week,”", "she", "told", kind="direct"),
    Said("“Nobody warned us.”", kind="direct"),
    Said("the Harbour Alliance had been told", "Maas", "added"),
    Said("the quay was safe", "Officials", "said"),
)


def _shift(span: Span | None, by: int) -> Span | None:
    return None if span is None else Span(span.start + by, span.end + by)


def test_long_article_resolves_in_linear_time(nlp: Language) -> None:
    copies = 1000
    chunk_doc = nlp(CHUNK)
    doc = Doc.from_docs([chunk_doc] * copies)
    text = doc.text
    step = len(text) // copies
    assert text[step : step + len(CHUNK)] == CHUNK
    base = [attribution(CHUNK, said) for said in CHUNK_SAID]
    attributions = [
        Attribution(
            _shift(a.content, k * step) or a.content,
            a.kind,
            _shift(a.cue, k * step),
            _shift(a.source, k * step),
            a.confidence,
            a.extractor,
        )
        for k in range(copies)
        for a in base
    ]
    started = time.perf_counter()
    quotes = resolve_quotes(Article(id="long", source="long", text=text), doc, attributions)
    elapsed = time.perf_counter() - started
    # About a second here; a quadratic step made this take minutes.
    assert elapsed < 30
    assert len(quotes) == len(attributions)
    last = quotes[-5:]
    assert [q.speaker.name for q in last] == ["Elin Maas"] * 4 + [None]
    assert last[-1].speaker.kind == "group"
    assert last[1].via == ("Coastal Courier",)
    assert last[0].speaker.role == "Port director"


SAMPLE = (
    "Harbour master Joel Oduya said the quay was closed. “It will stay shut,” he told "
    "Radio Corvel.\nThe ministry said nothing. According to the Harbour Gazette, officials "
    "were worried, and the minister reportedly said she was not."
)


@st.composite
def _spans(draw: st.DrawFn) -> Span:
    start = draw(st.integers(min_value=0, max_value=len(SAMPLE)))
    end = draw(st.integers(min_value=start, max_value=len(SAMPLE)))
    return Span(start, end)


_ATTRIBUTIONS = st.lists(
    st.builds(
        Attribution,
        content=_spans(),
        kind=st.sampled_from(["direct", "indirect", "mixed"]),
        cue=st.none() | _spans(),
        source=st.none() | _spans(),
        confidence=st.floats(min_value=0, max_value=1),
        extractor=st.just("random.v1"),
    ),
    max_size=8,
)


@pytest.fixture(scope="module")
def sample_doc(nlp: Language) -> Doc:
    return nlp(SAMPLE)


@settings(max_examples=60, deadline=None)
@given(attributions=_ATTRIBUTIONS)
def test_arbitrary_spans_never_raise_and_point_into_text(
    sample_doc: Doc, attributions: list[Attribution]
) -> None:
    doc = sample_doc
    quotes = resolve_quotes(Article(id="h", source="h", text=SAMPLE), doc, attributions)
    assert len(quotes) <= len(attributions)
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    for quote in quotes:
        assert quote.text == SAMPLE[quote.start : quote.end]
        speaker = quote.speaker
        if speaker.mention is not None and speaker.mention_start is not None:
            assert SAMPLE[speaker.mention_start : speaker.mention_end] == speaker.mention
        assert all(name for name in quote.via)


def test_unparsed_doc_degrades_without_raising() -> None:
    blank = spacy.blank("en")
    text = "Vera Lind told the newspaper Morning Ledger that the border would stay open."
    said = attribution(text, Said("the border would stay open", "Vera Lind", "told"))
    (quote,) = resolve_quotes(Article(id="b", source="b", text=text), blank(text), [said])
    # No parse, so no identity; the relay still comes from the text itself.
    assert quote.via == ("Morning Ledger",)
    assert quote.speaker.mention == "Vera Lind"
