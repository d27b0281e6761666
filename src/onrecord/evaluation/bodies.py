"""Body-text scores: word 4-gram shingles, counted the way the article-extraction benchmark
counts them.

Input: pairs of an extracted body and a reference body, one pair per page. Output: the
benchmark's figures and one stricter figure.

Per page, the shingles (runs of four ``\\w+`` tokens, case kept; a text of fewer tokens is one
shingle) of both texts are matched as multisets: true positives are the shingles both hold,
false positives those only the extraction holds, false negatives those only the reference
holds, each count divided by their sum, so that a long page weighs no more than a short one.

Over pages, as the benchmark reports them:

* ``precision``: the mean of the pages' precision, over the pages whose extraction has any
  shingle (an empty extraction lowers recall only);
* ``recall``: the mean of the pages' recall, over the pages whose reference has any shingle;
* ``f1``: the harmonic mean of those two means.

``mean_page_f1`` is the mean of each page's own F1 (an empty extraction counts 0): stricter,
since one page that goes wrong costs its whole share however good the others are.

The scorer is pure: texts in, figures out; it reads no files and runs no extractor.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingle_counts(text: str, size: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """How often each run of ``size`` tokens occurs in ``text`` (all its tokens when fewer)."""
    tokens = TOKEN.findall(text)
    if len(tokens) <= size:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


@dataclass(frozen=True, slots=True)
class PageMatch:
    """One page's shingle counts, as shares of their sum (all 0 when both texts are empty).

    Attributes:
        true_positive: Shingles in both texts.
        false_positive: Shingles only in the extraction.
        false_negative: Shingles only in the reference.
    """

    true_positive: float
    false_positive: float
    false_negative: float

    @property
    def precision(self) -> float:
        return self._share_right(self.false_positive)

    @property
    def recall(self) -> float:
        return self._share_right(self.false_negative)

    @property
    def f1(self) -> float:
        if not self.true_positive:
            return 0.0
        return 2 * self.precision * self.recall / (self.precision + self.recall)

    def _share_right(self, wrong: float) -> float:
        """True positives over true positives and ``wrong`` (1 when nothing is wrong at all,
        0 when there is nothing to count)."""
        if self.false_positive == self.false_negative == 0:
            return 1.0
        denominator = self.true_positive + wrong
        return self.true_positive / denominator if denominator else 0.0


def match_page(extracted: str, reference: str) -> PageMatch:
    """Match the shingles of one page's extracted body against its reference body."""
    got, want = shingle_counts(extracted), shingle_counts(reference)
    both = sum((got & want).values())
    only_got = sum((got - want).values())
    only_want = sum((want - got).values())
    total = both + only_got + only_want
    if not total:
        return PageMatch(0.0, 0.0, 0.0)
    return PageMatch(both / total, only_got / total, only_want / total)


@dataclass(slots=True)
class BodyScores:
    """Page matches gathered over a set of pages."""

    pages: list[PageMatch] = field(default_factory=list)

    def add(self, extracted: str, reference: str) -> PageMatch:
        """Score one page and keep its match."""
        page = match_page(extracted, reference)
        self.pages.append(page)
        return page

    def summary(self) -> dict[str, float | int]:
        """The benchmark's precision, recall and F1, and the mean of the pages' own F1."""
        extracted = [p.precision for p in self.pages if p.true_positive + p.false_positive]
        referenced = [p.recall for p in self.pages if p.true_positive + p.false_negative]
        precision = sum(extracted) / len(extracted) if extracted else 0.0
        recall = sum(referenced) / len(referenced) if referenced else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        mean_page_f1 = sum(p.f1 for p in self.pages) / len(self.pages) if self.pages else 0.0
        return {
            "pages": len(self.pages),
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "mean_page_f1": round(mean_page_f1, 3),
        }
