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
from collections.abc import Sequence
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
    """Scores statements against a catalogue; issue vectors are computed once."""

    def __init__(
        self, catalogue: Catalogue, encoder: TextEncoder, threshold: float = LINK_THRESHOLD
    ) -> None:
        self.catalogue = catalogue
        self.threshold = threshold
        self._encoder = encoder
        self._issue_vectors: list[FloatArray] = [
            encoder.encode(issue_texts(issue)) for issue in catalogue.issues
        ]

    def score(
        self, texts: Sequence[str], vectors: FloatArray | None = None
    ) -> list[list[IssueLink]]:
        """Every issue's link per text, best first (no threshold applied)."""
        if vectors is None:
            vectors = self._encoder.encode(texts)
        out: list[list[IssueLink]] = []
        for row, text in enumerate(texts):
            links = []
            for issue, issue_vecs in zip(self.catalogue.issues, self._issue_vectors, strict=True):
                similarity = float(np.max(issue_vecs @ vectors[row]))
                hits = keyword_hits(text, issue.keywords)
                score = similarity + KEYWORD_BONUS * min(len(hits), MAX_KEYWORD_HITS)
                links.append(IssueLink(issue.id, round(score, 4), round(similarity, 4), hits))
            out.append(sorted(links, key=lambda link: -link.score))
        return out

    def link(
        self, texts: Sequence[str], vectors: FloatArray | None = None
    ) -> list[list[IssueLink]]:
        """Links at or above the threshold and near the text's best link, best first."""
        out = []
        for links in self.score(texts, vectors):
            floor = max(self.threshold, RELATIVE_FLOOR * links[0].score) if links else 0.0
            out.append([link for link in links if link.score >= floor])
        return out
