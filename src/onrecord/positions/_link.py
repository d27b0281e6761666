"""Link statements to the issues they concern.

Input: statement texts and a ``Catalogue``. Output: ``IssueLink`` lists, best first.

Score = highest cosine between the statement and the issue's proposition, label and examples
(MiniLM sentence vectors) + ``KEYWORD_BONUS`` per distinct keyword found (at most two).
A statement links to every issue scoring at least ``LINK_THRESHOLD`` and at least
``RELATIVE_FLOOR`` times its best score.
A keyword matches a word that starts with it, case-insensitively ("monitor" matches
"monitors"); multi-word keywords match as phrases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from onrecord.positions._encoder import FloatArray, TextEncoder
from onrecord.positions._records import Catalogue, Issue, IssueLink

KEYWORD_BONUS = 0.12
MAX_KEYWORD_HITS = 2
LINK_THRESHOLD = 0.42
# A second issue counts only when it scores at least this share of the best one: a statement
# about monitors also resembles the other dam issues, but much less.
RELATIVE_FLOOR = 0.75


@lru_cache(maxsize=4096)
def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    return re.compile(r"\b" + r"\s+".join(re.escape(w) for w in keyword.lower().split()))


def keyword_hits(text: str, keywords: Sequence[str]) -> tuple[str, ...]:
    """Keywords of an issue that occur in the text."""
    low = text.lower()
    return tuple(keyword for keyword in keywords if _keyword_pattern(keyword).search(low))


def issue_texts(issue: Issue) -> list[str]:
    """The texts an issue is compared with: proposition, label, examples."""
    return [issue.proposition, issue.label, *issue.examples]


class IssueLinker:
    """Scores statements against a catalogue; issue vectors are computed once.

    All issues' texts are encoded in one call and kept in one matrix: a statement is compared
    with every issue text in one product (one per statement, so that its scores do not depend
    on the statements scored with it), and an issue's keywords are looked for one by one only
    in the texts where one pattern for all of them finds something.
    """

    def __init__(
        self, catalogue: Catalogue, encoder: TextEncoder, threshold: float = LINK_THRESHOLD
    ) -> None:
        self.catalogue = catalogue
        self.threshold = threshold
        self._encoder = encoder
        groups = [issue_texts(issue) for issue in catalogue.issues]
        flat = [text for group in groups for text in group]
        self._matrix: FloatArray = np.asarray(encoder.encode(flat), dtype=np.float32)
        # Where each issue's rows start in the matrix (every issue has at least two texts).
        self._starts = np.cumsum([0, *(len(group) for group in groups[:-1])])
        self._any_keyword = [
            re.compile("|".join(f"(?:{_keyword_pattern(k).pattern})" for k in issue.keywords))
            if issue.keywords
            else None
            for issue in catalogue.issues
        ]

    def _scores(
        self, text: str, vector: FloatArray
    ) -> tuple[np.ndarray, np.ndarray, list[tuple[str, ...]]]:
        """Per issue: score (similarity plus keyword bonus), similarity, keyword hits."""
        low = text.lower()
        similarities = np.maximum.reduceat(self._matrix @ vector, self._starts).astype(np.float64)
        hits = [
            keyword_hits(low, issue.keywords) if pattern is not None and pattern.search(low) else ()
            for issue, pattern in zip(self.catalogue.issues, self._any_keyword, strict=True)
        ]
        bonus = np.array([KEYWORD_BONUS * min(len(h), MAX_KEYWORD_HITS) for h in hits])
        return similarities + bonus, similarities, hits

    def _links(
        self, text: str, vector: FloatArray, floor: Callable[[float], float]
    ) -> list[IssueLink]:
        """The links scoring at least ``floor(best score)``, best first (ties in catalogue
        order); scores rounded to 4 places, as stored."""
        if not self.catalogue.issues:
            return []
        scores, similarities, hits = self._scores(text, vector)
        lowest = floor(round(float(scores.max()), 4))
        links = []
        # Only scores near the floor can round to it or above.
        for i in np.flatnonzero(scores >= lowest - 1e-3):
            score = round(float(scores[i]), 4)
            if score >= lowest:
                issue_id = self.catalogue.issues[i].id
                links.append(IssueLink(issue_id, score, round(float(similarities[i]), 4), hits[i]))
        return sorted(links, key=lambda link: -link.score)

    def _vectors(self, texts: Sequence[str], vectors: FloatArray | None) -> FloatArray:
        return self._encoder.encode(texts) if vectors is None else vectors

    def score(
        self, texts: Sequence[str], vectors: FloatArray | None = None
    ) -> list[list[IssueLink]]:
        """Every issue's link per text, best first (no threshold applied)."""
        vectors = self._vectors(texts, vectors)
        return [
            self._links(text, vectors[row], lambda _: -np.inf) for row, text in enumerate(texts)
        ]

    def link(
        self, texts: Sequence[str], vectors: FloatArray | None = None
    ) -> list[list[IssueLink]]:
        """Links at or above the threshold and near the text's best link, best first."""
        vectors = self._vectors(texts, vectors)
        return [self._links(text, vectors[row], self._floor) for row, text in enumerate(texts)]

    def _floor(self, best: float) -> float:
        return max(self.threshold, RELATIVE_FLOOR * best)
