"""Training examples for the encoder tagger: PolNeAR articles -> labelled network windows.

Articles are parsed with the runtime's spaCy pipeline and cut into the runtime's windows
(``onrecord.extract._encoder.windows``), so training sees exactly what inference sees. Each
word gets one O/B/I label per layer (cue, source, content); layers are independent, so a content
reported inside another attribution's content keeps both.
"""

from __future__ import annotations

import bisect
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from spacy.tokens import Doc
from tokenizers import Tokenizer

from onrecord.evaluation import GoldArticle, GoldAttribution
from onrecord.extract._encoder import LAYERS, Window, windows
from onrecord.extract._features import doc_features
from onrecord.extract.train import parse

log = logging.getLogger(__name__)

T = TypeVar("T")

# Label index within a layer.
OUTSIDE, BEGIN, INSIDE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Example:
    """A window with one label triple (cue, source, content) per word."""

    article: str
    window: Window
    labels: list[tuple[int, int, int]]


def layer_labels(doc: Doc, gold: tuple[GoldAttribution, ...]) -> list[list[int]]:
    """Per layer (``LAYERS`` order), the O/B/I label index of every doc token."""
    starts = [t.idx for t in doc]
    ends = [t.idx + len(t.text) for t in doc]
    out = []
    for role in LAYERS:
        span_of = [-1] * len(doc)
        counter = 0
        for attribution in gold:
            frags = {
                "CUE": attribution.cue,
                "SOURCE": attribution.source,
                "CONTENT": attribution.content,
            }[role]
            for a, b in frags:
                counter += 1
                first = max(0, bisect.bisect_right(starts, a) - 1)
                for i in range(first, len(doc)):
                    if starts[i] >= b:
                        break
                    if ends[i] > a and not doc[i].is_space and span_of[i] == -1:
                        span_of[i] = counter
        labels = []
        for i in range(len(doc)):
            if span_of[i] == -1:
                labels.append(OUTSIDE)
            elif i > 0 and span_of[i - 1] == span_of[i]:
                labels.append(INSIDE)
            else:
                labels.append(BEGIN)
        out.append(labels)
    return out


def article_examples(doc: Doc, article: GoldArticle, tokenizer: Tokenizer) -> list[Example]:
    """The labelled windows of one parsed article."""
    seqs = doc_features(doc, {}, has_features=False)
    per_layer = layer_labels(doc, article.attributions)
    cut = windows(tokenizer, [t.text for t in doc], seqs.units, seqs.in_quote)
    return [
        Example(
            article.name,
            window,
            [(per_layer[0][i], per_layer[1][i], per_layer[2][i]) for i in window.words],
        )
        for window in cut
    ]


def build_examples(
    articles: list[GoldArticle], tokenizer: Tokenizer, cache: Path | None
) -> list[list[Example]]:
    """Parse the articles (reusing ``cache``) and return each one's labelled windows."""
    docs = parse(articles, cache)
    return [
        article_examples(doc, article, tokenizer)
        for doc, article in zip(docs, articles, strict=True)
    ]


def window_pieces(example: Example) -> int:
    """The length of an example's window in word pieces (the batching key)."""
    return len(example.window.ids)


def held_out_names(names: list[str], count: int, seed: int) -> set[str]:
    """A reproducible sample of article names kept out of training for choices."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    return set(rng.sample(sorted(names), count)) if count else set()


def epoch_batches(
    examples: Sequence[T], batch_size: int, seed: int, epoch: int, length: Callable[[T], int]
) -> list[list[T]]:
    """Batches for one epoch: shuffled, then sorted by ``length`` within pools, then shuffled again.

    Pools of ``50 * batch_size`` keep each batch's windows of similar length (little padding)
    while the order still changes from epoch to epoch. The order depends only on the seed and
    the epoch, so a resumed run sees the same batches as an uninterrupted one.
    """
    rng = random.Random(seed * 1000 + epoch)  # noqa: S311 - a reproducible order
    order = list(range(len(examples)))
    rng.shuffle(order)
    pool = 50 * batch_size
    batches = []
    for begin in range(0, len(order), pool):
        chunk = sorted(order[begin : begin + pool], key=lambda k: length(examples[k]))
        batches += [
            [examples[k] for k in chunk[b : b + batch_size]]
            for b in range(0, len(chunk), batch_size)
        ]
    rng.shuffle(batches)
    return batches
