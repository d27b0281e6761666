"""Span trimming, scoring and one-to-one matching on small invented texts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onrecord.evaluation._match import (
    Candidate,
    content_tokens,
    find_nearest_word,
    find_word_near_span,
    greedy_match,
    is_exact,
    is_speaker_correct,
    locate_text,
    merge_fragments,
    span_score,
    trim_fragments,
    trim_span,
)

TEXT = "Ada Vell said: “We will build the bridge,” adding, “and the road.”"


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("“We will build the bridge,”", "We will build the bridge"),
        (" 'road.' ", "road"),
        ("«hello»;", "hello"),
        ("plain", "plain"),
        ("“,”", ""),
    ],
)
def test_trim_span_strips_marks_and_punctuation(fragment: str, expected: str) -> None:
    start, end = trim_span(fragment, 0, len(fragment))
    assert fragment[start:end] == expected


def test_trim_fragments_trims_outer_ends_only_and_drops_empty_ones() -> None:
    text = "“ ” Alpha, beta. “gamma”"
    trimmed = trim_fragments(text, ((0, 3), (3, 11), (17, 24)))
    # The first fragment is only marks and goes; inner ends (", " and "“") stay as annotated.
    assert trimmed == ((4, 11), (17, 23))
    assert [text[s:e] for s, e in trimmed] == ["Alpha, ", "“gamma"]


def test_merge_fragments_sorts_and_joins_overlaps() -> None:
    assert merge_fragments([(10, 20), (0, 5), (4, 8), (20, 22), (30, 30)]) == ((0, 8), (10, 22))


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        ((0, 10), ((0, 10),), 1.0),
        ((0, 5), ((0, 10),), 0.5),
        ((0, 20), ((0, 10),), 0.5),
        ((20, 30), ((0, 10),), 0.0),
        ((5, 5), ((0, 10),), 0.0),
        # The prediction runs through the gap ("he said") between two gold fragments:
        # the 5 gap characters do not count against it.
        ((0, 25), ((0, 10), (15, 25)), 1.0),
        # Only the first fragment: 10 of 20 gold characters.
        ((0, 10), ((0, 10), (15, 25)), 0.5),
        # Gap plus 3 characters past the gold end: 20 shared / (28 - 5).
        ((0, 28), ((0, 10), (15, 25)), 20 / 23),
    ],
)
def test_span_score(
    pred: tuple[int, int], gold: tuple[tuple[int, int], ...], expected: float
) -> None:
    assert span_score(*pred, gold) == pytest.approx(expected)


def test_is_exact_compares_trimmed_extent() -> None:
    gold = ((4, 10), (15, 25))
    assert is_exact(4, 25, gold)
    assert not is_exact(4, 24, gold)
    assert not is_exact(0, 1, ())


def test_greedy_match_takes_best_pairs_one_to_one() -> None:
    candidates = [
        Candidate(0.5, pred=0, gold=0),
        Candidate(0.9, pred=1, gold=0),
        Candidate(0.4, pred=1, gold=1),
        Candidate(0.35, pred=0, gold=1),
    ]
    # pred 1 takes gold 0 (0.9); pred 1 is then used, so gold 1 goes to pred 0.
    assert greedy_match(candidates) == [(1, 0), (0, 1)]


def test_greedy_match_breaks_ties_by_index_not_input_order() -> None:
    forward = [Candidate(0.5, 0, 0), Candidate(0.5, 1, 0)]
    assert greedy_match(forward) == greedy_match(list(reversed(forward))) == [(0, 0)]


def test_two_predictions_for_one_gold_leave_one_unmatched() -> None:
    gold = ((0, 10), (15, 25))
    candidates = [
        Candidate(span_score(0, 10, gold), 0, 0),
        Candidate(span_score(15, 25, gold), 1, 0),
    ]
    assert greedy_match(candidates) == [(0, 0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senator Ada Vell", {"ada", "vell"}),
        ("the president's aides", set()),
        ("He told reporters", {"reporters"}),
        (None, set()),
        ("Mr. Li of the EU", set()),
        ("the spokesman said", set()),
        ("several senior campaign aides", set()),
        ("Gov. Jerry Brown", {"jerry", "brown"}),
        ("minister Okafor's office", {"okafor", "office"}),
    ],
)
def test_content_tokens(text: str | None, expected: set[str]) -> None:
    assert content_tokens(text) == expected


@pytest.mark.parametrize(
    ("mention", "label", "source", "source_text", "expected"),
    [
        ((0, 8), None, ((0, 8),), "Ada Vell", True),
        ((5, 10), "he", ((0, 8),), "Ada Vell", True),
        ((20, 22), "he", ((0, 8),), "Ada Vell", False),
        (None, "Ada Vell", ((30, 34),), "Vell", True),
        (None, "Senator Jones", ((0, 11),), "the senator", False),
        ((0, 8), "Ada Vell", (), "", False),
    ],
)
def test_is_speaker_correct(
    mention: tuple[int, int] | None,
    label: str | None,
    source: tuple[tuple[int, int], ...],
    source_text: str,
    expected: bool,
) -> None:
    assert is_speaker_correct(mention, label, source, source_text) is expected


def test_find_nearest_word_is_whole_word_and_nearest() -> None:
    text = "Vell met Vellman. Later Vell said it."
    assert find_nearest_word(text, "Vell", 30) == (24, 28)
    assert find_nearest_word(text, "Vell", 0) == (0, 4)
    assert find_nearest_word(text, "Vellm", 0) is None
    assert find_nearest_word(text, "  ", 0) is None


def test_find_word_near_span_prefers_words_inside_or_beside_the_span() -> None:
    text = "He said no. “Yes,” she said, “maybe.”"
    start = text.index("“Yes")
    assert find_word_near_span(text, "said", start, len(text)) == (23, 27)


def test_locate_text_folds_quote_marks_and_skips_used_occurrences() -> None:
    text = '“Go.” And again: "Go."'
    first = locate_text(text, '"Go."', 0, set())
    assert first == (0, 5)
    assert locate_text(text, '"Go."', 0, {0}) == (17, 22)
    assert locate_text(text, "absent", 0, set()) is None


def test_spans_on_sample_text_score_as_expected() -> None:
    gold = trim_fragments(TEXT, ((TEXT.index("“We"), TEXT.index(" adding")),))
    assert TEXT[gold[0][0] : gold[0][1]] == "We will build the bridge"
    start, end = trim_span(TEXT, TEXT.index("“We"), TEXT.index(" adding,"))
    assert is_exact(start, end, gold)


_fragments = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 40)), min_size=1, max_size=4
).map(lambda pairs: merge_fragments((s, s + n) for s, n in pairs))


@given(st.integers(0, 250), st.integers(1, 120), _fragments)
def test_span_score_is_a_ratio_and_one_only_for_the_same_extent(
    start: int, length: int, gold: tuple[tuple[int, int], ...]
) -> None:
    score = span_score(start, start + length, gold)
    assert 0.0 <= score <= 1.0
    if len(gold) == 1:
        assert (score == 1.0) == ((start, start + length) == gold[0])
    if is_exact(start, start + length, gold):
        assert score == 1.0


@given(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 5), st.integers(0, 5)), max_size=30))
def test_greedy_match_is_one_to_one(raw: list[tuple[float, int, int]]) -> None:
    pairs = greedy_match(Candidate(score, p, g) for score, p, g in raw)
    assert len({p for p, _ in pairs}) == len(pairs) == len({g for _, g in pairs})
    assert set(pairs) <= {(p, g) for _, p, g in raw}
