"""Speaker linking: which mention made a statement, chosen by a learned ranker.

Extraction proposes one source per statement (or none); the words around the statement often
offer others. For each statement the linker gathers the candidate mentions:

* the source extraction chose;
* the parse subject of the cue ("officials said"), or the object of "according to";
* the persons and organisations named in the cue's sentence and in the sentence before;
* the previous statement's source, when it ended in this or the previous paragraph;
* no source at all.

Each candidate is described by a few features (where it came from, its distance to the cue,
whether it is a pronoun, a name, the cue's subject, inside the statement ...). A logistic model
trained on PolNeAR train (``training/speaker_linker.py``: statements predicted by taggers that
did not see the article, candidates labelled by overlap with the gold Source) scores every
candidate; the best one is the source, and its score, the probability that it is the mention a
human annotator gives, is the speaker's confidence. Without a shipped model the extractor's
choice stands and the confidence is unknown.

Pure once the model is loaded; the model file is read once per process.
"""

from __future__ import annotations

import functools
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from spacy.tokens import Token

from onrecord._logistic import LogisticMap
from onrecord.models import Attribution, Span
from onrecord.resolve._statements import mention_span, overlaps

if TYPE_CHECKING:
    from onrecord.resolve._speakers import ArticleResolver, Resolved

log = logging.getLogger(__name__)

LINKER_FILE = "speaker_linker.json"
_PRONOUNS = frozenset(
    {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them", "who", "which"}
)
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "agent"})
_PERSON_ENTS = frozenset({"PERSON"})
_BODY_ENTS = frozenset({"ORG", "NORP", "GPE"})
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_PLACE_PREPOSITIONS = frozenset(
    {"in", "at", "from", "across", "near", "into", "throughout", "outside", "inside", "around"}
)
_MAX_MENTION_TOKENS = 8
# Candidates further than this many tokens from the cue are not considered.
_MAX_DISTANCE = 60


@dataclass(slots=True)
class Candidate:
    """A mention that may have made the statement; ``span`` is None for "no source"."""

    span: Span | None
    origins: set[str] = field(default_factory=set)


# The candidate scorer: ``P(gold source) = sigmoid(w . x + b)`` over ``features``.
LinkerModel = LogisticMap


@functools.cache
def load_linker() -> LinkerModel | None:
    """The shipped linker model, or None when the package has none (or it is unreadable)."""
    path = resources.files("onrecord") / "data" / "models" / LINKER_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return LinkerModel(float(data["intercept"]), weights)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("ignoring the speaker linker in %s: %s", path, exc)
        return None


def _is_place_of(token: Token) -> bool:
    """A place named where something happens ("in Kentucky", "from Lindhaven"): no speaker."""
    return (
        token.ent_type_ in _PLACE_ENTS
        and token.dep_ == "pobj"
        and token.head.lower_ in _PLACE_PREPOSITIONS
    )


def candidates(
    resolver: ArticleResolver, attribution: Attribution, previous: Resolved | None
) -> list[Candidate]:
    """Every mention that may be the statement's source, plus "no source" (last)."""
    found: list[Candidate] = []

    def add(span: Span | None, origin: str) -> None:
        if span is not None:
            for candidate in found:
                if candidate.span is not None and overlaps(candidate.span, span):
                    candidate.origins.add(origin)
                    return
        found.append(Candidate(span, {origin}))

    if attribution.source is not None:
        extracted = resolver.char_span(attribution.source)
        if extracted is None or not _is_place_of(extracted.root):
            add(attribution.source, "extracted")
    cue = resolver.cue_token(attribution)
    if cue is not None:
        for child in cue.children:
            if child.dep_ in _SUBJECT_DEPS or (child.dep_ == "pobj" and cue.lower_ == "to"):
                add(mention_span(child, _MAX_MENTION_TOKENS), "subject")
        start, end = resolver.sentence_of(cue)
        if start > 0:
            start = resolver.sentence_of(resolver.doc[start - 1])[0]
        for entity in resolver.entities_between(start, end):
            if entity.label_ in _PERSON_ENTS:
                add(mention_span(entity.root, _MAX_MENTION_TOKENS), "person")
            elif entity.label_ in _BODY_ENTS and not _is_place_of(entity.root):
                add(mention_span(entity.root, _MAX_MENTION_TOKENS), "body")
    if previous is not None and previous.speaker.mention_start is not None:
        gap = resolver.paragraph_gap(previous.end, attribution.content.start)
        if gap <= 1 and previous.speaker.mention_end is not None:
            add(Span(previous.speaker.mention_start, previous.speaker.mention_end), "previous")
    found.append(Candidate(None, {"none"}))
    return found


def features(
    resolver: ArticleResolver, attribution: Attribution, candidate: Candidate, n: int
) -> dict[str, float]:
    """The named inputs of the linker for one candidate of one statement."""
    values = {f"from_{origin}": 1.0 for origin in candidate.origins}
    values["log_candidates"] = math.log(n)
    values[f"kind_{attribution.kind}"] = 1.0
    values["has_cue"] = float(attribution.cue is not None)
    if candidate.span is None:
        return values
    span = resolver.char_span(candidate.span)
    cue = resolver.cue_token(attribution)
    content = attribution.content
    values["inside_content"] = float(content.start <= candidate.span.start < content.end)
    values["before_content"] = float(candidate.span.end <= content.start)
    if span is None:
        return values
    root = span.root
    values["is_pronoun"] = float(len(span) == 1 and root.lower_ in _PRONOUNS)
    values["is_person"] = float(root.ent_type_ in _PERSON_ENTS)
    values["is_body"] = float(root.ent_type_ in _BODY_ENTS)
    values["is_proper"] = float(root.pos_ == "PROPN")
    values["is_plural"] = float(root.tag_ in {"NNS", "NNPS"})
    values["log_tokens"] = math.log(len(span))
    if cue is not None:
        distance = min(abs(t.i - cue.i) for t in span)
        values["log_distance"] = math.log1p(min(distance, _MAX_DISTANCE))
        values["same_sentence"] = float(resolver.sentence_of(root) == resolver.sentence_of(cue))
        values["before_cue"] = float(span.end <= cue.i)
        values["subject_of_cue"] = float(root.head.i == cue.i and root.dep_ in _SUBJECT_DEPS)
    return values


def ranked(
    resolver: ArticleResolver,
    attribution: Attribution,
    previous: Resolved | None,
    model: LinkerModel,
) -> list[tuple[Span | None, float]]:
    """Every candidate with its probability of being the gold source, best first (of equal
    scores, the one gathered first)."""
    pool = candidates(resolver, attribution, previous)
    scored = [
        (model.score(features(resolver, attribution, c, len(pool))), -k, c)
        for k, c in enumerate(pool)
    ]
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [(candidate.span, probability) for probability, _, candidate in scored]


def link(
    resolver: ArticleResolver,
    attribution: Attribution,
    previous: Resolved | None,
    model: LinkerModel,
) -> tuple[Span | None, float]:
    """The candidate the model ranks first, and its probability of being the gold source."""
    return ranked(resolver, attribution, previous, model)[0]


def labelled_candidates(
    resolver: ArticleResolver,
    attribution: Attribution,
    previous: Resolved | None,
    gold_source: Sequence[tuple[int, int]],
) -> list[tuple[dict[str, float], bool]]:
    """Training rows for one statement: each candidate's features and whether it is gold.

    A candidate is gold when it overlaps the gold Source; "no source" is gold when the gold
    attribution has none.
    """
    pool = candidates(resolver, attribution, previous)
    rows = []
    for candidate in pool:
        if candidate.span is None:
            is_gold = not gold_source
        else:
            span = candidate.span
            is_gold = any(span.start < e and s < span.end for s, e in gold_source)
        rows.append((features(resolver, attribution, candidate, len(pool)), is_gold))
    return rows
