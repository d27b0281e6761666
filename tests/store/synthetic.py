"""Articles of ``bench/synth_corpus.py``'s generator with their planted quotes, built in
memory as ``bench/ingest_scale.py --mode store`` stores them (no files, no cleaning, no model)."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Final

from onrecord.models import Article, ExtractedArticle

SYNTH_CORPUS: Final = Path(__file__).resolve().parents[2] / "bench" / "synth_corpus.py"


def _synth_corpus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synth_corpus", SYNTH_CORPUS)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def synthetic_articles(count: int, seed: int) -> Iterator[ExtractedArticle]:
    """The generated articles, each with its planted quotes at their offsets in the text."""
    synth = _synth_corpus()
    for number, piece in enumerate(synth.Generator(seed).articles(count)):
        record = synth._record(piece, number)
        text, url = record["text"], record["url"]
        planted = [(quote.text, quote.speaker, quote.via) for quote in piece.quotes]
        quotes = synth.placed_quotes(text, planted, "test.planted")
        article = Article(
            id=hashlib.sha256(f"{text}\n{url}".encode()).hexdigest()[:16],
            source=f"synthetic-{number}",
            text=text,
            title=record["title"],
            url=url,
            outlet=record["outlet"],
            published=piece.published,
            authors=tuple(record["authors"]),
            language="en",
        )
        yield ExtractedArticle(article=article, quotes=quotes)
