"""Issue discovery: group statements by meaning and label each group by its key phrases.

Input: statements (id + text) and their MiniLM vectors. Output: ``DiscoveredIssue`` records,
largest group first.

1. average-linkage agglomerative clustering on cosine similarity, merging while the two
   closest groups are at least ``threshold`` similar;
2. groups smaller than ``min_size`` are dropped (one-off remarks are not issues);
3. each group is labelled by TF-IDF over candidate phrases (runs of one to three content words
   between stopwords), with groups as documents, so a phrase that every group shares
   ("the talks") ranks below one that marks this group ("foreign monitors").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from onrecord.positions._encoder import FloatArray
from onrecord.positions._records import DiscoveredIssue
from onrecord.positions._rules import STOPWORDS

DISCOVERY_THRESHOLD = 0.45
MIN_GROUP_SIZE = 2
MAX_STATEMENTS = 4000
# Verbs of saying and hedges that are content words but never name an issue.
_PHRASE_STOP = STOPWORDS | frozenset(
    [
        "added",
        "says",
        "said",
        "told",
        "stated",
        "insisted",
        "argued",
        "warned",
        "noted",
        "asked",
        "ready",
        "willing",
        "prepared",
        "want",
        "wants",
        "wanted",
        "think",
        "believe",
        "know",
        "going",
        "get",
        "got",
        "make",
        "made",
        "way",
        "like",
        "one",
        "two",
        "also",
        "well",
        "still",
        "yet",
        "even",
        "now",
        "new",
        "first",
        "last",
        "next",
        "week",
        "month",
        "year",
        "today",
        "yesterday",
        "see",
        "start",
        "coming",
        "through",
        "run",
        "yes",
        "rather",
        "both",
        "care",
    ]
)


def cluster(vectors: FloatArray, threshold: float = DISCOVERY_THRESHOLD) -> list[list[int]]:
    """Average-linkage clusters (row indices) whose mean pairwise cosine is >= threshold."""
    n = vectors.shape[0]
    if n == 0:
        return []
    sim = (vectors @ vectors.T).astype(np.float64)
    np.fill_diagonal(sim, -np.inf)
    sizes = np.ones(n)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    active = np.ones(n, dtype=bool)
    while True:
        masked = np.where(active[:, None] & active[None, :], sim, -np.inf)
        flat = int(np.argmax(masked))
        a, b = divmod(flat, n)
        if masked[a, b] < threshold:
            break
        # Lance-Williams update for average linkage.
        merged = (sizes[a] * sim[a] + sizes[b] * sim[b]) / (sizes[a] + sizes[b])
        sim[a, :] = merged
        sim[:, a] = merged
        sim[a, a] = -np.inf
        sizes[a] += sizes[b]
        active[b] = False
        sim[b, :] = -np.inf
        sim[:, b] = -np.inf
        members[a].extend(members.pop(b))
    return sorted((sorted(m) for m in members.values()), key=lambda m: (-len(m), m[0]))


def candidate_phrases(text: str) -> list[str]:
    """Runs of one to three content words, and their sub-runs."""
    words = re.findall(r"[a-z][a-z'-]*", text.lower().replace("\u2019", "'"))
    runs: list[list[str]] = [[]]
    for word in words:
        word = word.removesuffix("'s")
        if word in _PHRASE_STOP or len(word) < 3:
            runs.append([])
        else:
            runs[-1].append(word)
    phrases = []
    for run in runs:
        for size in (1, 2, 3):
            for i in range(len(run) - size + 1):
                phrases.append(" ".join(run[i : i + size]))
    return phrases


def _idf(groups: int, df: int) -> float:
    # Unsmoothed on purpose: a name in every group ("Veldora") says nothing about any of them.
    if groups == 1:
        return 1.0
    return math.log((1 + groups) / (1 + df)) + 0.05


def key_phrases(groups: Sequence[Sequence[str]], top: int = 4) -> list[list[str]]:
    """Top TF-IDF phrases per group of texts (groups are the documents)."""
    counts = [Counter(p for text in group for p in candidate_phrases(text)) for group in groups]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(groups)
    out = []
    for c in counts:
        # Longer phrases get a small boost so "kessel dam" beats "kessel" when equally frequent.
        scored = sorted(
            (
                (tf * _idf(n, df[p]) * (1 + 0.25 * p.count(" ")), p)
                for p, tf in c.items()
                if tf >= 2 or n == 1
            ),
            reverse=True,
        )
        chosen: list[str] = []
        for _, phrase in scored:
            if any(phrase in other or other in phrase for other in chosen):
                continue
            chosen.append(phrase)
            if len(chosen) == top:
                break
        out.append(chosen)
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "issue"


def discover_issues(
    quote_ids: Sequence[int],
    texts: Sequence[str],
    vectors: FloatArray,
    threshold: float = DISCOVERY_THRESHOLD,
    min_size: int = MIN_GROUP_SIZE,
) -> list[DiscoveredIssue]:
    """Group statements into candidate issues.

    Args:
        quote_ids: an id per statement (store quote ids).
        texts: statement texts.
        vectors: unit sentence vectors, one row per statement.
        threshold: minimum average cosine within a group.
        min_size: smallest group reported.

    Returns:
        Discovered issues, largest first; ids are slugs of the labels, made unique.
    """
    if len(texts) > MAX_STATEMENTS:
        # Quadratic memory: cluster the first statements only and say so.
        texts, quote_ids, vectors = (
            texts[:MAX_STATEMENTS],
            quote_ids[:MAX_STATEMENTS],
            vectors[:MAX_STATEMENTS],
        )
    groups = [g for g in cluster(vectors, threshold) if len(g) >= min_size]
    if not groups:
        return []
    phrases = key_phrases([[texts[i] for i in g] for g in groups])
    found: list[DiscoveredIssue] = []
    used: set[str] = set()
    for group, keys in zip(groups, phrases, strict=True):
        label = " / ".join(keys[:2]) if keys else texts[group[0]][:60]
        base = _slug(keys[0] if keys else label)
        issue_id, n = base, 2
        while issue_id in used:
            issue_id, n = f"{base}-{n}", n + 1
        used.add(issue_id)
        centroid = vectors[group].mean(axis=0)
        centroid = centroid / max(float(np.linalg.norm(centroid)), 1e-12)
        closeness = vectors[group] @ centroid
        ordered = [group[i] for i in np.argsort(-closeness)]
        found.append(
            DiscoveredIssue(
                id=issue_id,
                label=label,
                key_phrases=tuple(keys),
                quote_ids=tuple(int(quote_ids[i]) for i in group),
                examples=tuple(texts[i] for i in ordered[:3]),
                cohesion=round(float(closeness.mean()), 4),
            )
        )
    return found
