"""Fixtures for the positions tests: the sentence encoder and stance classifier, loaded once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from onrecord.errors import ExtractError
from onrecord.positions import (
    OnnxSentenceEncoder,
    PositionModels,
    SentenceEncoder,
    StanceClassifier,
)
from onrecord.store import QuoteHit


@pytest.fixture(scope="session")
def encoder() -> SentenceEncoder:
    """Base MiniLM sentence encoder (numpy, float: the reference for the shipped one)."""
    try:
        return SentenceEncoder()
    except ExtractError as exc:  # the base model package is an install-time dependency
        pytest.skip(f"sentence model unavailable: {exc}")


@pytest.fixture(scope="session")
def onnx_encoder() -> OnnxSentenceEncoder:
    """The shipped int8 sentence encoder, which positions use."""
    return OnnxSentenceEncoder()


@pytest.fixture(scope="session")
def models(onnx_encoder: OnnxSentenceEncoder) -> PositionModels:
    """The shipped sentence encoder and stance weights, as ``PositionModels.load`` gives."""
    return PositionModels(onnx_encoder, StanceClassifier(onnx_encoder))


@pytest.fixture(scope="session")
def classifier(models: PositionModels) -> StanceClassifier:
    return models.classifier


@pytest.fixture(scope="session")
def rules_only() -> StanceClassifier:
    """The rule cascade alone (P(support) fixed at 0.5); needs no model."""
    return StanceClassifier(use_model=False)


@pytest.fixture(scope="session")
def make_hit() -> Callable[..., QuoteHit]:
    """Build a stored-quote record with only the fields positions read."""
    counter = iter(range(1, 10_000))

    def build(
        text: str,
        speaker: str | None,
        published: date | None,
        *,
        role: str | None = None,
        org: str | None = None,
        outlet: str | None = "Tidewire",
        via: tuple[str, ...] = (),
        article_id: str | None = None,
        start: int = 0,
    ) -> QuoteHit:
        quote_id = next(counter)
        return QuoteHit(
            quote_id=quote_id,
            article_id=article_id or f"a{quote_id}",
            text=text,
            start=start,
            end=start + len(text),
            kind="direct",
            cue="said",
            confidence=1.0,
            speaker=speaker,
            speaker_id=None,
            speaker_given=speaker,
            speaker_mention=speaker,
            mention_start=None,
            mention_end=None,
            role=role,
            org=org,
            speaker_kind="person",
            via=via,
            extractor="test",
            title=None,
            url=None,
            outlet=outlet,
            published=published,
            snippet=text,
        )

    return build
