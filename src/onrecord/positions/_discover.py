"""Issue discovery: group statements by meaning and label each group by its key phrases.

Input: statements (id + text) and their MiniLM vectors. Output: ``DiscoveredIssue`` records,
largest group first.

1. average-linkage agglomerative clustering on cosine similarity, merging while the two
   closest groups are at least ``threshold`` similar;
2. groups smaller than ``min_size`` are dropped (one-off remarks are not issues);
3. each group is labelled by the noun phrase most of its statements share (``label_groups``
   over ``noun_phrases``: no names of people, organisations or outlets, no pronouns, no
   quote fragments), weighed against the other groups so that a phrase every group shares
   ("the dam") ranks below one that marks this group ("foreign monitors");
4. groups that share a label or whose centres are near-identical are merged
   (``merge_near_duplicates``) and labelled again.

Key phrases (TF-IDF over runs of one to three content words) are kept as the issue's
keywords.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from onrecord.errors import ExtractError
from onrecord.positions._encoder import FloatArray
from onrecord.positions._records import DiscoveredIssue
from onrecord.positions._rules import STOPWORDS

if TYPE_CHECKING:
    from spacy.language import Language

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


Phrase = tuple[str, str]
"""A noun phrase: (key for counting, form to show)."""

# Leading words that make a phrase a quote fragment rather than a name for a topic.
_LEADING = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "our",
        "their",
        "its",
        "his",
        "her",
        "my",
        "your",
        "any",
        "some",
        "no",
        "every",
        "all",
        "each",
        "such",
        "what",
        "which",
        "whose",
        "another",
        "other",
        "more",
        "most",
    ]
)
# Noun phrases that name no issue: pronoun-like and talk about talk.
_EMPTY_HEADS = frozenset(
    [
        "thing",
        "things",
        "way",
        "ways",
        "time",
        "times",
        "people",
        "nobody",
        "anybody",
        "everybody",
        "somebody",
        "something",
        "nothing",
        "anything",
        "everything",
        "one",
        "ones",
        "lot",
        "kind",
        "sort",
        "part",
        "question",
        "point",
        "matter",
        "case",
        "fact",
        "word",
        "words",
        "statement",
        "statements",
        "comment",
        "comments",
        "remark",
        "remarks",
        "reporter",
        "reporters",
        "interview",
        # Words of negotiation itself: every issue has terms, conditions and a table.
        "term",
        "terms",
        "condition",
        "conditions",
        "table",
        "deal",
        "deals",
        "basis",
        "side",
        "sides",
        "line",
        "half",
        "round",
        "rounds",
        "talks",
        "talk",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "today",
    ]
)
# Entity kinds that are names of people and organisations (outlets among them).
_NAME_ENTITIES = frozenset({"PERSON", "ORG", "NORP"})
_COUNTS = frozenset({"ORDINAL", "CARDINAL", "DATE", "TIME"})
MAX_LABEL_WORDS = 5
# Two groups whose centres are this similar, or that share their label, are one issue.
MERGE_SIMILARITY = 0.8
MERGE_ROUNDS = 3
EXTENSION_SHARE = 0.5


def load_phrase_parser() -> Language:
    """The English spaCy pipeline that finds noun phrases (loaded once by the caller).

    Raises:
        ExtractError: The pipeline is not installed.
    """
    import spacy

    from onrecord.lang import resources_for

    resources = resources_for("en")
    name = resources.spacy_model if resources is not None else ""
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ExtractError(
            f"[{ExtractError.code}] spaCy pipeline {name!r} is not installed: {exc}. "
            "Install the project dependencies (`make install`)."
        ) from exc


def _is_name(text: str, names: frozenset[str]) -> bool:
    low = text.casefold()
    return any(name in low or low in name for name in names if len(name) > 2)


def noun_phrases(
    parser: Language, texts: Sequence[str], names: Iterable[str] = ()
) -> list[list[Phrase]]:
    """The noun phrases of each text that could name an issue.

    Leading determiners and possessives are dropped ("our riverbanks" -> "riverbanks");
    phrases that are or hold a name of a person or organisation, one of ``names`` (speakers
    and outlets of the store), a pronoun, a number or an empty head ("nobody", "the talks")
    are left out, and so are phrases longer than ``MAX_LABEL_WORDS`` words.

    Args:
        parser: From ``load_phrase_parser``.
        texts: Statements.
        names: Names never to use as a label (compared case-insensitively).

    Returns:
        Per text, (key, form) pairs: the key is the phrase's lemmas in lower case.
    """
    banned = frozenset(n.casefold() for n in names if n)
    out: list[list[Phrase]] = []
    for doc in parser.pipe(texts, batch_size=64):
        found: list[Phrase] = []
        for chunk in doc.noun_chunks:
            tokens = [t for t in chunk if not t.is_space]
            while tokens and (
                tokens[0].lower_ in _LEADING
                or tokens[0].pos_ in ("DET", "PRON", "NUM", "PUNCT")
                or tokens[0].ent_type_ in _COUNTS
            ):
                tokens = tokens[1:]
            if not tokens or len(tokens) > MAX_LABEL_WORDS:
                continue
            root = tokens[-1]
            if root.pos_ not in ("NOUN", "PROPN") or root.lower_ in _EMPTY_HEADS:
                continue
            if any(t.ent_type_ in _NAME_ENTITIES for t in tokens) or all(
                t.pos_ == "PROPN" for t in tokens
            ):
                continue
            # The phrase and each shorter one ending in its head ("second rail bridge",
            # "rail bridge", "bridge"), so that statements wording one thing differently
            # still share a phrase.
            for first in range(len(tokens)):
                tail = tokens[first:]
                form = " ".join(t.text if t.pos_ == "PROPN" else t.lower_ for t in tail)
                if _is_name(form, banned) or not re.search(r"[a-z]", form.lower()):
                    continue
                if tail[0].pos_ in ("ADP", "CCONJ", "PART") or tail[0].ent_type_ in _COUNTS:
                    continue
                found.append((" ".join(t.lemma_.lower() for t in tail), form))
        out.append(found)
    return out


def label_groups(groups: Sequence[Sequence[Sequence[Phrase]]]) -> list[str | None]:
    """The label of each group: the noun phrase most of its statements share.

    A phrase counts once per statement. Among phrases shared by at least two statements
    (any phrase for a group of one), the one in the largest share of the group wins, weighed
    down when other groups use it as much (``_idf``) and up a little per extra word, so
    "foreign monitors" beats "monitors" when both are in every statement; a fuller wording of
    the winner used by at least half as many statements takes its place.

    Returns:
        Per group, its label, or ``None`` when its statements share no noun phrase.
    """
    per_group: list[Counter[str]] = []
    forms: dict[str, Counter[str]] = {}
    for group in groups:
        counts: Counter[str] = Counter()
        for phrases in group:
            for key, form in phrases:
                forms.setdefault(key, Counter())[form] += 1
            counts.update({key for key, _ in phrases})
        per_group.append(counts)
    df: Counter[str] = Counter()
    for counts in per_group:
        df.update(counts.keys())
    labels: list[str | None] = []
    for group, counts in zip(groups, per_group, strict=True):
        need = 1 if len(group) < MIN_GROUP_SIZE else MIN_GROUP_SIZE
        scored = [
            (
                counts[key] / len(group) * _idf(len(groups), df[key]) * (1 + 0.2 * key.count(" ")),
                -len(key),
                key,
            )
            for key in counts
            if counts[key] >= need
        ]
        if not scored:
            labels.append(None)
            continue
        key = max(scored)[2]
        # A fuller wording of the winner ("harbour tolls" for "tolls") that at least half of
        # its statements use names the issue better: the parser does not always see it.
        fuller = [
            k
            for _, _, k in scored
            if k.endswith(" " + key) and counts[k] >= EXTENSION_SHARE * counts[key]
        ]
        if fuller:
            key = max(fuller, key=lambda k: (counts[k], len(k)))
        labels.append(forms[key].most_common(1)[0][0])
    return labels


def _centre(vectors: FloatArray, group: Sequence[int]) -> FloatArray:
    centroid = vectors[list(group)].mean(axis=0)
    out: FloatArray = centroid / max(float(np.linalg.norm(centroid)), 1e-12)
    return out


def merge_near_duplicates(
    groups: list[list[int]],
    labels: Sequence[str | None],
    vectors: FloatArray,
    similarity: float = MERGE_SIMILARITY,
) -> list[list[int]]:
    """Join groups that share a label or whose centres are at least ``similarity`` alike.

    Groups come largest first; a group joins the first earlier group it repeats.
    """
    merged: list[list[int]] = []
    merged_labels: list[str | None] = []
    centres: list[FloatArray] = []
    for group, label in zip(groups, labels, strict=True):
        centre = _centre(vectors, group)
        target = next(
            (
                n
                for n, (other, other_centre) in enumerate(zip(merged_labels, centres, strict=True))
                if (
                    label is not None and other is not None and label.casefold() == other.casefold()
                )
                or float(centre @ other_centre) >= similarity
            ),
            None,
        )
        if target is None:
            merged.append(list(group))
            merged_labels.append(label)
            centres.append(centre)
        else:
            merged[target] = sorted(merged[target] + list(group))
            centres[target] = _centre(vectors, merged[target])
    return sorted(merged, key=lambda m: (-len(m), m[0]))


def discover_issues(
    quote_ids: Sequence[int],
    texts: Sequence[str],
    vectors: FloatArray,
    threshold: float = DISCOVERY_THRESHOLD,
    min_size: int = MIN_GROUP_SIZE,
    *,
    phrases: Sequence[Sequence[Phrase]] | None = None,
    names: Iterable[str] = (),
) -> list[DiscoveredIssue]:
    """Group statements into candidate issues, merge near-duplicates and label each.

    Args:
        quote_ids: an id per statement (store quote ids).
        texts: statement texts.
        vectors: unit sentence vectors, one row per statement.
        threshold: minimum average cosine within a group.
        min_size: smallest group reported.
        phrases: noun phrases per statement (``noun_phrases``); without them, runs of
            content words stand in, names in ``names`` left out.
        names: speakers and outlets, never used as labels.

    Returns:
        Discovered issues, largest first; ids are slugs of the labels, made unique.
    """
    if len(texts) > MAX_STATEMENTS:
        # Quadratic memory: cluster the first statements only.
        texts, quote_ids, vectors = (
            texts[:MAX_STATEMENTS],
            quote_ids[:MAX_STATEMENTS],
            vectors[:MAX_STATEMENTS],
        )
        phrases = phrases[:MAX_STATEMENTS] if phrases is not None else None
    banned = frozenset(n.casefold() for n in names if n)
    per_text: list[list[Phrase]] = (
        [list(p) for p in phrases]
        if phrases is not None
        else [[(c, c) for c in candidate_phrases(t) if not _is_name(c, banned)] for t in texts]
    )
    groups = [g for g in cluster(vectors, threshold) if len(g) >= min_size]
    if not groups:
        return []
    labels = label_groups([[per_text[i] for i in g] for g in groups])
    for _ in range(MERGE_ROUNDS):
        merged = merge_near_duplicates(groups, labels, vectors)
        labels = label_groups([[per_text[i] for i in g] for g in merged])
        if len(merged) == len(groups):
            break
        groups = merged
    # A group whose statements share no noun phrase is a set of look-alike sentences, not an
    # issue (what remains are fragments and names).
    kept = [(g, label) for g, label in zip(groups, labels, strict=True) if label is not None]
    if not kept:
        return []
    groups = [g for g, _ in kept]
    labels = [label for _, label in kept]
    keys = key_phrases([[" ".join(f for _, f in per_text[i]) for i in g] for g in groups])
    found: list[DiscoveredIssue] = []
    used: set[str] = set()
    for group, label, phrase_keys in zip(groups, labels, keys, strict=True):
        text = label or "issue"
        base = _slug(text)
        issue_id, n = base, 2
        while issue_id in used:
            issue_id, n = f"{base}-{n}", n + 1
        used.add(issue_id)
        centroid = _centre(vectors, group)
        closeness = vectors[group] @ centroid
        ordered = [group[i] for i in np.argsort(-closeness)]
        found.append(
            DiscoveredIssue(
                id=issue_id,
                label=text,
                key_phrases=tuple(dict.fromkeys([*([label] if label else []), *phrase_keys]))[:4],
                quote_ids=tuple(int(quote_ids[i]) for i in group),
                examples=tuple(texts[i] for i in ordered[:3]),
                cohesion=round(float(closeness.mean()), 4),
            )
        )
    return found
