"""Scraped-page fixtures: the cleaned text must match a hand-made expected body.

Score: F1 of word 4-grams between the cleaned text and the expected body, per page and over all
pages; every sentence of every expected body must survive cleaning.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from onrecord.clean import clean_document
from onrecord.models import RawDocument

SCRAPED = Path(__file__).parent.parent / "fixtures" / "scraped"
CASES = sorted(path.stem for path in SCRAPED.glob("*.txt") if not path.stem.endswith(".expected"))
MIN_F1 = 0.85
SENTENCE = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“A-Z0-9])")


def ngrams(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Count the word n-grams of a text (lower case, punctuation ignored)."""
    words = re.findall(r"\w+", text.lower())
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def overlap(predicted: str, expected: str) -> tuple[int, int, int]:
    """Return (shared n-grams, predicted n-grams, expected n-grams)."""
    pred, gold = ngrams(predicted), ngrams(expected)
    return sum((pred & gold).values()), sum(pred.values()), sum(gold.values())


def f1(shared: int, predicted: int, expected: int) -> float:
    """F1 from n-gram counts; 0 when either side is empty."""
    if not shared:
        return 0.0
    precision, recall = shared / predicted, shared / expected
    return 2 * precision * recall / (precision + recall)


def squash(text: str) -> str:
    """Collapse whitespace, so that line breaks do not count as differences."""
    return " ".join(text.split())


def cleaned(name: str) -> str:
    path = SCRAPED / f"{name}.txt"
    raw = RawDocument(source=str(path), content=path.read_text(encoding="utf-8"), media_type="text")
    return clean_document(raw).text


def expected(name: str) -> str:
    return (SCRAPED / f"{name}.expected.txt").read_text(encoding="utf-8")


def test_scorer_separates_good_from_bad() -> None:
    body = "The minister said on Monday that the talks would resume next week in Geneva."
    assert f1(*overlap(body, body)) == 1.0
    assert f1(*overlap("Subscribe to our newsletter for more news today", body)) == 0.0
    assert 0.0 < f1(*overlap(body + " Share this article on Facebook now", body)) < 1.0


def test_there_are_enough_fixtures() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize("name", CASES)
def test_fixture_f1(name: str) -> None:
    score = f1(*overlap(cleaned(name), expected(name)))
    assert score >= MIN_F1, f"{name}: F1 {score:.3f}"


@pytest.mark.parametrize("name", CASES)
def test_every_expected_sentence_survives(name: str) -> None:
    text = squash(cleaned(name))
    for line in expected(name).splitlines():
        for sentence in SENTENCE.split(line.strip()):
            if sentence:
                assert squash(sentence) in text, f"{name}: lost {sentence!r}"


def test_overall_f1_beats_raw_text() -> None:
    totals = [0, 0, 0]
    raw_totals = [0, 0, 0]
    for name in CASES:
        for index, value in enumerate(overlap(cleaned(name), expected(name))):
            totals[index] += value
        raw = (SCRAPED / f"{name}.txt").read_text(encoding="utf-8")
        for index, value in enumerate(overlap(raw, expected(name))):
            raw_totals[index] += value
    assert f1(*totals) >= MIN_F1
    assert f1(*totals) > f1(*raw_totals)
