"""The body-text scorer counts shingles as the article-extraction benchmark does."""

from __future__ import annotations

from collections import Counter

import pytest

from onrecord.evaluation.bodies import BodyScores, match_page, shingle_counts

REFERENCE = "The harbour board met on Monday and voted to close the north pier."


def test_shingles_are_runs_of_four_tokens_with_case_kept() -> None:
    counts = shingle_counts("Ships wait; ships wait again")
    assert counts == Counter(
        [("Ships", "wait", "ships", "wait"), ("wait", "ships", "wait", "again")]
    )


def test_a_text_of_fewer_tokens_is_one_shingle_and_an_empty_one_none() -> None:
    assert shingle_counts("Read more") == Counter([("Read", "more")])
    assert shingle_counts("  — ") == Counter()


def test_the_reference_itself_scores_one() -> None:
    page = match_page(REFERENCE, REFERENCE)
    assert (page.precision, page.recall, page.f1) == (1.0, 1.0, 1.0)


def test_extra_text_lowers_precision_only() -> None:
    # Five tokens give two shingles; two more tokens add two shingles the reference lacks.
    page = match_page("a b c d e x y", "a b c d e")
    assert page.precision == pytest.approx(0.5)
    assert page.recall == pytest.approx(1.0)
    assert page.f1 == pytest.approx(2 / 3)


def test_shingles_match_as_multisets() -> None:
    # The reference's one shingle, extracted twice with three joins between: 1 of 5 is right.
    page = match_page("a b c d a b c d", "a b c d")
    assert page.precision == pytest.approx(0.2)
    assert page.recall == pytest.approx(1.0)


def test_case_differences_do_not_match() -> None:
    assert match_page(REFERENCE.upper(), REFERENCE).f1 == 0.0


def test_summary_takes_means_over_pages_then_their_harmonic_mean() -> None:
    scores = BodyScores()
    scores.add("a b c d e x y", "a b c d e")  # precision 0.5, recall 1, F1 2/3
    scores.add("", REFERENCE)  # nothing extracted: recall 0, no precision
    summary = scores.summary()
    assert summary["pages"] == 2
    assert summary["precision"] == 0.5  # the empty extraction has no precision to average
    assert summary["recall"] == 0.5
    assert summary["f1"] == 0.5
    assert summary["mean_page_f1"] == pytest.approx(round((2 / 3 + 0.0) / 2, 3))
