"""Quote normalisation, shingles and article signatures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onrecord.stories import (
    article_signature,
    band_keys,
    is_fuzzy_match,
    normalise_quote,
    quote_tokens,
    signature_similarity,
    word_shingles,
)
from onrecord.stories._similarity import BANDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“Nobody gets to stand in it with a key.”", "nobody gets to stand in it with a key"),
        ("'NOBODY   gets\nto stand'", "nobody gets to stand"),
        ("It’s ours — it isn't yours", "it's ours it isn't yours"),
        ("«Non», dit-elle", "non dit elle"),
        ('that "nobody gets a key"', "nobody gets a key"),
        ("that", "that"),
        ("", ""),
    ],
)
def test_normalise_quote(text: str, expected: str) -> None:
    assert normalise_quote(text) == expected


def test_shingles_of_short_text_are_one_shingle() -> None:
    assert word_shingles(("a", "b"), 3) == {"a b"}
    assert word_shingles((), 3) == set()
    assert len(word_shingles(quote_tokens("one two three four five"), 3)) == 3


@pytest.mark.parametrize(
    ("shared", "first", "second", "expected"),
    [
        (7, (9, 7), (14, 12), True),  # a trimmed fragment, wholly contained
        (4, (9, 7), (14, 12), False),
        (2, (4, 2), (14, 12), False),  # too short to match except exactly
        (15, (20, 18), (20, 18), True),  # one word edited
    ],
)
def test_fuzzy_match(
    shared: int, first: tuple[int, int], second: tuple[int, int], expected: bool
) -> None:
    assert is_fuzzy_match(shared, first, second) is expected


@given(st.text(min_size=1))
def test_signature_of_any_text_is_comparable_with_itself(text: str) -> None:
    signature = article_signature(text)
    keys = band_keys(signature)
    if signature:
        assert signature_similarity(signature, signature) == 1.0
        assert len(keys) == BANDS
    else:
        assert keys == []
        assert signature_similarity(signature, signature) == 0.0


def test_similar_texts_score_high_and_different_ones_low() -> None:
    base = " ".join(f"word{i}" for i in range(300))
    edited = base.replace("word50 ", "other ").replace("word150 ", "other ")
    unrelated = " ".join(f"term{i}" for i in range(300))
    assert signature_similarity(article_signature(base), article_signature(edited)) > 0.9
    assert signature_similarity(article_signature(base), article_signature(unrelated)) < 0.1
