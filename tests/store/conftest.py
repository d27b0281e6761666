"""Hand-built ExtractedArticle records and stores for the store tests (no NLP models)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import pytest

from onrecord.errors import StoreError
from onrecord.models import Article, ExtractedArticle, Quote, QuoteKind, Speaker, SpeakerKind
from onrecord.store import BatchStep, Connection, Store


@dataclass(frozen=True)
class Said:
    """One quote to place in an article: ``text`` must occur in the article text."""

    text: str
    speaker: str | None
    kind: QuoteKind = "direct"
    via: tuple[str, ...] = ()
    role: str | None = None
    org: str | None = None
    speaker_kind: SpeakerKind = "person"
    cue: str | None = "said"


def make_item(
    text: str,
    said: Sequence[Said] = (),
    *,
    article_id: str | None = None,
    title: str | None = "A title",
    outlet: str | None = "Daily Ledger",
    published: date | None = date(2024, 5, 1),
    url: str | None = None,
) -> ExtractedArticle:
    """An ExtractedArticle whose quote offsets are found by searching ``text``."""
    quotes = []
    for item in said:
        start = text.index(item.text)
        mention_start = text.find(item.speaker) if item.speaker else -1
        quotes.append(
            Quote(
                text=item.text,
                start=start,
                end=start + len(item.text),
                kind=item.kind,
                cue=item.cue,
                confidence=0.75,
                speaker=Speaker(
                    name=item.speaker,
                    mention=item.speaker,
                    mention_start=mention_start if mention_start >= 0 else None,
                    mention_end=(
                        mention_start + len(item.speaker)
                        if item.speaker and mention_start >= 0
                        else None
                    ),
                    role=item.role,
                    org=item.org,
                    kind=item.speaker_kind,
                ),
                via=item.via,
                extractor="quotes.test.v1",
            )
        )
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    article = Article(
        id=article_id or digest,
        source=f"{digest}.html",
        text=text,
        title=title,
        published=published,
        outlet=outlet,
        url=url or f"https://example.org/{digest}",
        authors=("Lena Ward",),
        language="en",
    )
    return ExtractedArticle(article=article, quotes=tuple(quotes))


@dataclass(frozen=True)
class EmptyingStep:
    """An after-batch step that empties the tables of ``wiping`` (a standard step), then
    fails: what it wrote must be rolled back, and nothing else."""

    wiping: BatchStep
    name: str = "a failing step"

    def run(self, conn: Connection, rowids: Sequence[int]) -> None:
        self.wiping.clear(conn)
        raise StoreError(f"[{StoreError.code}] failed after emptying {self.wiping.name}")

    def clear(self, conn: Connection) -> None:
        """Nothing of its own to empty."""


@pytest.fixture(scope="session", name="make_item")
def make_item_fixture() -> Callable[..., ExtractedArticle]:
    """``make_item(text, [said(...), ...], **article_fields)``."""
    return make_item


@pytest.fixture(scope="session", name="said")
def said_fixture() -> type[Said]:
    """``said(quote_text, speaker_name, kind=..., via=..., role=..., org=...)``."""
    return Said


@pytest.fixture
def store(store_target: str) -> Iterator[Store]:
    """An empty store on each backend in turn."""
    with Store.open(store_target) as opened:
        yield opened
